"""Creating and validating places."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.text import slugify

from . import audit
from .models import Place


@dataclass
class PlaceInput:
    slug: str
    name: str
    kind: str = "city"
    languages: list[str] = field(default_factory=lambda: ["en"])
    timezone: str = "Europe/London"
    center_lat: float = 0.0
    center_lon: float = 0.0
    parent_slug: str = ""
    bounds: list[float] = field(default_factory=list)
    zoom: int = 12


@transaction.atomic
def create_place(data: PlaceInput, actor: object = None) -> Place:
    """Create a place; raises ``ValueError`` naming the field that is wrong."""
    if slugify(data.slug) != data.slug or not data.slug:
        raise ValueError(f"slug: '{data.slug}' must be lower-case letters, digits and dashes")
    if Place.objects.filter(slug=data.slug).exists():
        raise ValueError(f"slug: a place '{data.slug}' exists already")
    if data.timezone not in zoneinfo.available_timezones():
        raise ValueError(f"timezone: '{data.timezone}' is not a time zone such as Europe/London")
    known = set(settings.CONTENT_LANGUAGES)
    unknown = [code for code in data.languages if code not in known]
    if unknown or not data.languages:
        raise ValueError(
            f"languages: unknown code(s) {', '.join(unknown) or '(none given)'}; "
            f"expected some of {', '.join(sorted(known))}"
        )
    if not (-90 <= data.center_lat <= 90 and -180 <= data.center_lon <= 180):
        raise ValueError("center: latitude must be within ±90 and longitude within ±180")
    parent = None
    if data.parent_slug:
        parent = Place.objects.filter(slug=data.parent_slug).first()
        if parent is None:
            raise ValueError(f"parent: no place '{data.parent_slug}'")
    place = Place.objects.create(
        slug=data.slug,
        name=data.name,
        kind=data.kind,
        default_language=data.languages[0],
        languages=data.languages,
        timezone=data.timezone,
        center_lat=data.center_lat,
        center_lon=data.center_lon,
        parent=parent,
        bounds=data.bounds,
        zoom=data.zoom,
    )
    audit.record(
        actor, "create", place, after={"slug": place.slug, "name": place.name}, place=place
    )
    return place


def bump_content_generation(places: QuerySet[Place] | None = None) -> None:
    """Record that content of ``places`` (all places when None) changed.

    Anything cached from a place's content is keyed on its generation, so this one statement,
    in the same transaction as the change, is what makes every such cache miss afterwards.
    """
    target = Place.objects.all() if places is None else places
    target.update(content_generation=F("content_generation") + 1)
