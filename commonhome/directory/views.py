"""Public pages of the directory: places, search with list and map, services, organisations.

Every page reads in the request language through :func:`commonhome.core.translation.localize`;
text shown in another language carries its own ``lang``/``dir`` so screen readers switch voice.
The query sets below say what each page fetches, so their query counts are fixed (pinned in
the tests).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any
from uuid import UUID

import segno
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

from commonhome.core.hours import Interval, is_open
from commonhome.core.models import Place, Translation
from commonhome.core.permissions import can
from commonhome.web.texts import Shown, lang_attrs, shown

from .constants import Domain, OfferKind, OrganizationKind, ServiceStatus, TargetGroup
from .filters import SearchForm
from .models import Contact, Organization, Service, ServiceAtLocation
from .permissions import public_place_or_404
from .search import DEFAULT_RADIUS_KM, PUBLIC_STATUSES, local_now, search_services

DAY_SCHEMA = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --- Shared helpers ----------------------------------------------------------------------


def _wants_original(request: HttpRequest) -> bool:
    return request.GET.get("original") == "1"


def _domain_label(term: Any, language: str) -> str:
    if term.code in Domain.values:
        return str(Domain(term.code).label)
    return str(term.name)


def _spoken(languages: Any, page_language: str) -> list[dict[str, Any]]:
    result = []
    for spoken_language in languages:
        try:
            name = str(get_language_info(spoken_language.code)["name_local"])
        except KeyError:
            name = spoken_language.name or spoken_language.code
        result.append(
            {
                "name": name,
                "attrs": lang_attrs(spoken_language.code, page_language),
                "note": spoken_language.note,
            }
        )
    return result


def _minutes(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def months_between(earlier: dt.date, later: dt.date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return months


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a ``<script type="application/ld+json">`` block, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    escaped = text.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})
    return mark_safe(escaped)  # noqa: S308 - the three characters that end a script are escaped


# --- Pages -------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    places = Place.objects.filter(is_public=True).only("slug", "name", "kind")
    return render(request, "directory/home.html", {"places": places})


def place_search(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    language = get_language()
    original = _wants_original(request)
    data = request.GET.copy() if request.GET else None
    if data is not None and not data.get("radius"):
        data["radius"] = str(int(DEFAULT_RADIUS_KM))
    form = SearchForm(data, place=place, initial={"radius": str(int(DEFAULT_RADIUS_KM))})
    # A wrong value is reported on its field; the other fields still narrow the results.
    if form.is_bound:
        form.is_valid()
    result = search_services(place, form.params())
    results = []
    for hit in result.hits:
        service = hit.service
        results.append(
            {
                "hit": hit,
                "service": service,
                "shown": shown(service, language, original),
                "organization": shown(service.organization, language, original),
                "domains": [_domain_label(term, language) for term in service.domains.all()],
                "languages": _spoken(service.languages.all(), language),
                "url": reverse(
                    "directory:service", kwargs={"place_slug": place.slug, "pk": service.pk}
                ),
            }
        )
    context = {
        "place": place,
        "form": form,
        "result": result,
        "results": results,
        "filtered": any(
            request.GET.get(name)
            for name in ("q", "domain", "language", "group", "open_now", "free", "near", "lat")
        ),
        # The distance select always sends a radius; it only matters with a position.
        "more_filters_open": any(
            request.GET.get(name) for name in ("domain", "language", "group", "near", "lat")
        ),
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    return render(request, "directory/search.html", context)


def _service_queryset(place: Place) -> Any:
    return (
        Service.objects.filter(place=place)
        .select_related("organization")
        .prefetch_related(
            Prefetch("translations", queryset=Translation.objects.all()),
            Prefetch("organization__translations", queryset=Translation.objects.all()),
            "domains",
            "languages",
            "target_groups",
            "schedules",
            "opening_slots",
            "closures",
            "phones",
            Prefetch("contacts", queryset=Contact.objects.prefetch_related("phones")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                    Prefetch("location__translations", queryset=Translation.objects.all())
                ),
            ),
        )
    )


def _service_context(request: HttpRequest, place_slug: str, pk: UUID) -> dict[str, Any]:
    place = public_place_or_404(request, place_slug)
    service = get_object_or_404(_service_queryset(place), pk=pk)
    if service.status not in PUBLIC_STATUSES and not can(
        request.user, "directory.staff_pages", place
    ):
        raise Http404("No such service")
    language = get_language()
    original = _wants_original(request)
    page_url = reverse("directory:service", kwargs={"place_slug": place.slug, "pk": service.pk})
    org = service.organization
    now = local_now(place)
    today = now.date()

    by_day: dict[int, list[Interval]] = defaultdict(list)
    for slot in sorted(service.opening_slots.all(), key=lambda s: (s.weekday, s.opens)):
        by_day[slot.weekday].append(Interval(slot.weekday, slot.opens, slot.closes))
    week = [
        {
            "name": WEEKDAYS[day],
            "schema": DAY_SCHEMA[day],
            "today": day == today.weekday(),
            "hours": [(_minutes(i.opens), _minutes(i.closes)) for i in by_day.get(day, [])],
        }
        for day in range(7)
    ]
    closures = [c for c in service.closures.all() if c.ends >= today]
    all_intervals = [i for intervals in by_day.values() for i in intervals]
    open_now = service.status == ServiceStatus.ACTIVE and is_open(
        all_intervals, now, [(c.starts, c.ends) for c in closures]
    )

    locations = []
    for sal in service.service_at_locations.all():
        loc = sal.location
        address = ", ".join(
            part for part in (loc.address_1, loc.address_2, loc.city, loc.postal_code) if part
        )
        locations.append(
            {
                "location": loc,
                "shown": shown(loc, language, original),
                "address": address,
                "has_position": loc.latitude is not None and loc.longitude is not None,
            }
        )

    verified = service.last_verified
    stale = verified is None or months_between(verified, today) >= place.verify_after_months
    service_shown = shown(service, language, original, page_url)
    absolute_url = request.build_absolute_uri(page_url)
    return {
        "place": place,
        "service": service,
        "organization": org,
        "s": service_shown,
        "org": shown(org, language, original),
        "org_url": reverse(
            "directory:organisation", kwargs={"place_slug": place.slug, "pk": org.pk}
        ),
        "page_url": page_url,
        "absolute_url": absolute_url,
        "print_url": reverse(
            "directory:service-print", kwargs={"place_slug": place.slug, "pk": service.pk}
        ),
        "suggest_url": page_url + "suggest/",
        "domains": [_domain_label(term, language) for term in service.domains.all()],
        "languages": _spoken(service.languages.all(), language),
        "target_groups": [
            TargetGroup(tg.group).label
            for tg in service.target_groups.all()
            if tg.group in TargetGroup.values
        ],
        "week": week,
        "has_hours": bool(all_intervals),
        "schedule_notes": [s.description for s in service.schedules.all() if s.description],
        "closures": closures,
        "open_now": open_now,
        "temporarily_closed": service.status == ServiceStatus.TEMPORARILY_CLOSED,
        "locations": locations,
        "map_locations": [entry for entry in locations if entry["has_position"]],
        "phones": list(service.phones.all()),
        "contacts": list(service.contacts.all()),
        "stale": stale,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_TILE_ATTRIBUTION,
        "json_ld": json_ld(
            _service_schema(service, service_shown, locations, week, place, absolute_url)
        ),
    }


def _service_schema(
    service: Service,
    service_shown: Shown,
    locations: list[dict[str, Any]],
    week: list[dict[str, Any]],
    place: Place,
    url: str,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Service",
        "name": service_shown.t["name"].value,
        "description": service_shown.t["description"].value,
        "url": url,
        "inLanguage": service_shown.localized.language,
        "areaServed": place.name,
        "provider": {"@type": "Organization", "name": service.organization.name},
        "availableLanguage": [lang.code for lang in service.languages.all()],
        "hoursAvailable": [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"https://schema.org/{day['schema']}",
                "opens": opens,
                "closes": closes,
            }
            for day in week
            for opens, closes in day["hours"]
        ],
        "availableChannel": [
            {
                "@type": "ServiceChannel",
                "serviceLocation": {
                    "@type": "Place",
                    "name": entry["location"].name,
                    "address": {
                        "@type": "PostalAddress",
                        "streetAddress": entry["location"].address_1,
                        "addressLocality": entry["location"].city,
                        "postalCode": entry["location"].postal_code,
                        "addressCountry": entry["location"].country,
                    },
                    **(
                        {
                            "geo": {
                                "@type": "GeoCoordinates",
                                "latitude": entry["location"].latitude,
                                "longitude": entry["location"].longitude,
                            }
                        }
                        if entry["has_position"]
                        else {}
                    ),
                },
            }
            for entry in locations
        ],
    }
    if service.organization.website:
        data["provider"]["url"] = service.organization.website
    return data


def service_detail(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    context = _service_context(request, place_slug, pk)
    return render(request, "directory/service.html", context)


def service_print(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    context = _service_context(request, place_slug, pk)
    context["qr_svg"] = mark_safe(  # noqa: S308 - SVG generated by segno from our own URL
        segno.make(context["absolute_url"], error="m").svg_inline(
            scale=3, title=_("Link to this page")
        )
    )
    context["printed_on"] = timezone.localdate()
    return render(request, "directory/service_print.html", context)


def organisation_detail(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    org = get_object_or_404(
        Organization.objects.filter(place=place).prefetch_related(
            Prefetch("translations", queryset=Translation.objects.all()),
            "offers",
            "phones",
            Prefetch(
                "services",
                queryset=Service.objects.filter(status__in=PUBLIC_STATUSES)
                .order_by("name")
                .prefetch_related(Prefetch("translations", queryset=Translation.objects.all())),
            ),
        ),
        pk=pk,
    )
    language = get_language()
    original = _wants_original(request)
    page_url = reverse("directory:organisation", kwargs={"place_slug": place.slug, "pk": org.pk})
    offers: dict[str, list[str]] = defaultdict(list)
    for offer in org.offers.all():
        offers[offer.kind].append(offer.description)
    services = [
        {
            "shown": shown(service, language, original),
            "url": reverse(
                "directory:service", kwargs={"place_slug": place.slug, "pk": service.pk}
            ),
            "service": service,
        }
        for service in org.services.all()
    ]
    context = {
        "place": place,
        "organization": org,
        "o": shown(org, language, original, page_url),
        "kind_label": OrganizationKind(org.kind).label
        if org.kind in OrganizationKind.values
        else org.kind,
        "led_by_migrants": org.migrant_led or org.kind == OrganizationKind.MIGRANT_LED,
        "is_diaspora": org.kind == OrganizationKind.DIASPORA,
        "offers": [
            {"kind": kind, "label": OfferKind(kind).label, "items": offers[kind]}
            for kind in OfferKind.values
            if offers.get(kind)
        ],
        "services": services,
        "phones": list(org.phones.all()),
        "json_ld": json_ld(
            {
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": org.name,
                "url": org.website or request.build_absolute_uri(page_url),
                "areaServed": place.name,
                **({"email": org.email} if org.email else {}),
            }
        ),
    }
    return render(request, "directory/organisation.html", context)
