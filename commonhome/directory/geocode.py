"""Turning a typed postcode or address into a position, for "near me" searches.

Providers sit behind one base class, like the machine translation providers. The built-in
provider needs nothing outside the database: it knows the postcodes of the place's own
locations. An operator may add a Nominatim-compatible server (``COMMONHOME_GEOCODER_URL``);
it is off by default, so no address a reader types leaves the server unless the operator
chose so.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Q

from commonhome.core.models import Place

from .models import Location

log = logging.getLogger("commonhome.geocode")

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Position:
    lat: float
    lon: float
    label: str
    provider: str


class Geocoder:
    """Base class of geocoding providers."""

    name = "base"

    def locate(self, place: Place, query: str) -> Position | None:
        raise RuntimeError(f"{self.name} cannot geocode")


class PlacePostcodeGeocoder(Geocoder):
    """Looks a postcode up among the place's own locations.

    A full postcode ("CV1 1AA", with or without the space) gives the centre of the locations
    that have it; an outward code ("CV1") the centre of all locations in that district.
    """

    name = "place-postcodes"

    def locate(self, place: Place, query: str) -> Position | None:
        compact = _SPACES.sub("", query).upper()
        if not compact or len(compact) > 10:
            return None
        forms = {compact}
        if len(compact) > 4:
            forms.add(f"{compact[:-3]} {compact[-3:]}")
        full = Q()
        for form in forms:
            full |= Q(postal_code__iexact=form)
        outward = Q(postal_code__iexact=compact) | Q(postal_code__istartswith=compact + " ")
        located = Location.objects.filter(
            place=place, latitude__isnull=False, longitude__isnull=False
        )
        for condition in (full, outward):
            centre = located.filter(condition).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
            if centre["lat"] is not None and centre["lon"] is not None:
                return Position(centre["lat"], centre["lon"], query.strip().upper(), self.name)
        return None


class NominatimGeocoder(Geocoder):
    """An operator's Nominatim-compatible server (``/search?format=jsonv2``)."""

    name = "nominatim"

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def request_url(self, place: Place, query: str) -> str:
        params: dict[str, str] = {"q": query, "format": "jsonv2", "limit": "1"}
        if place.bounds and len(place.bounds) == 4:
            min_lat, min_lon, max_lat, max_lon = place.bounds
            params["viewbox"] = f"{min_lon},{max_lat},{max_lon},{min_lat}"
            params["bounded"] = "1"
        return f"{self.url}/search?{urllib.parse.urlencode(params)}"

    def locate(self, place: Place, query: str) -> Position | None:
        request = urllib.request.Request(
            self.request_url(place, query),
            headers={"User-Agent": "CommonHome geocoder", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - operator's URL
                payload = json.load(response)
        except (OSError, ValueError) as exc:
            log.warning("geocoder %s failed for place %s: %s", self.url, place.slug, exc)
            return None
        if not payload:
            return None
        first = payload[0]
        try:
            lat, lon = float(first["lat"]), float(first["lon"])
        except (KeyError, TypeError, ValueError):
            log.warning("geocoder %s answered without a position", self.url)
            return None
        return Position(lat, lon, str(first.get("display_name") or query), self.name)


def get_geocoders() -> list[Geocoder]:
    """The providers to ask, in order: the built-in one, then the operator's server if any."""
    providers: list[Geocoder] = [PlacePostcodeGeocoder()]
    url = getattr(settings, "GEOCODER_URL", "")
    if url:
        providers.append(NominatimGeocoder(url))
    else:
        log.debug("address geocoding is off: COMMONHOME_GEOCODER_URL is not set")
    return providers


def geocode(place: Place, query: str, providers: list[Geocoder] | None = None) -> Position | None:
    """The first position a provider finds for ``query`` in ``place``, or None."""
    query = query.strip()
    if not query:
        return None
    for provider in providers if providers is not None else get_geocoders():
        position = provider.locate(place, query)
        if position is not None:
            return position
    return None
