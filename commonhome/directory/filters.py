"""The directory search parameters, declared once for the public pages and the API."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from commonhome.core.models import Place

from .constants import Domain, TargetGroup
from .geocode import Geocoder, geocode
from .search import DEFAULT_RADIUS_KM, MAX_PAGE_SIZE, MAX_RADIUS_KM, SearchParams

RADIUS_CHOICES = [
    ("1", _("1 km")),
    ("2", _("2 km")),
    ("5", _("5 km")),
    ("10", _("10 km")),
    ("25", _("25 km")),
    ("100", _("100 km")),
]


def language_choices() -> list[tuple[str, str]]:
    """Languages a service can be offered in, each named in its own language."""
    choices = []
    for code in settings.CONTENT_LANGUAGES:
        try:
            info = get_language_info(code)
        except KeyError:
            choices.append((code, code))
            continue
        choices.append((code, info["name_local"]))
    return choices


class SearchForm(forms.Form):
    """A GET form: every field optional, and a wrong value names its field.

    ``near`` (a postcode or address) is turned into a position with the geocoding providers;
    when given, it wins over ``lat``/``lon`` (left over from an earlier "use my location").
    """

    q = forms.CharField(label=_("What are you looking for?"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("Topic"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    group = forms.ChoiceField(label=_("For"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    free = forms.BooleanField(label=_("Free"), required=False)
    near = forms.CharField(label=_("Near (postcode or address)"), required=False, max_length=200)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    radius = forms.TypedChoiceField(
        label=_("Distance"),
        required=False,
        coerce=float,
        empty_value=DEFAULT_RADIUS_KM,
        choices=RADIUS_CHOICES,
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page_size = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        place: Place,
        geocoders: list[Geocoder] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.place = place
        self.geocoders = geocoders
        self.position_label = ""
        self.fields["domain"].choices = [("", _("Any topic")), *Domain.choices]
        self.fields["language"].choices = [("", _("Any language")), *language_choices()]
        self.fields["group"].choices = [("", _("Anyone")), *TargetGroup.choices]

    def clean_radius(self) -> float:
        radius = self.cleaned_data.get("radius") or DEFAULT_RADIUS_KM
        return float(min(max(radius, 0.1), MAX_RADIUS_KM))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            self.add_error("lat" if lat is None else "lon", _("Give both latitude and longitude."))
        near = (data.get("near") or "").strip()
        if near:
            position = geocode(self.place, near, self.geocoders)
            if position is None:
                self.add_error(
                    "near",
                    _(
                        "We could not find “%(near)s”. Try a postcode such as the first part "
                        "of yours."
                    )
                    % {"near": near},
                )
            else:
                data["lat"], data["lon"] = position.lat, position.lon
                self.position_label = position.label
        return data

    def params(self, **overrides: Any) -> SearchParams:
        """The search parameters of the valid fields (an invalid field is left out)."""
        data = getattr(self, "cleaned_data", {})
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None:
            lat = lon = None
        values: dict[str, Any] = {
            "q": data.get("q") or "",
            "domain": data.get("domain") or "",
            "language": data.get("language") or "",
            "group": data.get("group") or "",
            "open_now": bool(data.get("open_now")),
            "free": bool(data.get("free")),
            "lat": lat,
            "lon": lon,
            "radius_km": data.get("radius") or DEFAULT_RADIUS_KM,
            "page": data.get("page") or 1,
            "page_size": data.get("page_size") or SearchParams.page_size,
        }
        values.update(overrides)
        return SearchParams(**values)
