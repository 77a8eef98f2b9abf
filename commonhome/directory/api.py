"""The directory's part of the platform API (/api/v1/directory/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from commonhome.core.models import Place
from commonhome.core.translation import localize

from .bundle import bundle_etag, cached_bundle, localized_texts
from .permissions import public_place_or_404
from .search import DEFAULT_RADIUS_KM, MAX_PAGE_SIZE, MAX_RADIUS_KM, SearchParams, search_services

router = Router(tags=["directory"])


# --- Offline bundle -------------------------------------------------------------------------


class TextsOut(Schema):
    texts: dict[str, str]
    text_languages: dict[str, str]
    translation: str


class LanguageOut(Schema):
    code: str
    name: str
    note: str


class ScheduleOut(Schema):
    freq: str
    byday: str
    opens_at: str | None
    closes_at: str | None
    valid_from: str | None
    valid_to: str | None
    attending_type: str
    description: str
    notes: str


class ClosureOut(Schema):
    starts: str
    ends: str
    reason: str


class ContactOut(Schema):
    name: str
    title: str
    email: str


class PhoneOut(Schema):
    number: str
    extension: str
    type: str


class OfferOut(Schema):
    kind: str
    description: str


class DomainOut(TextsOut):
    code: str


class OrganizationOut(TextsOut):
    id: str
    kind: str
    migrant_led: bool
    email: str
    website: str
    last_verified: str | None
    offers: list[OfferOut]
    contacts: list[ContactOut]
    phones: list[PhoneOut]


class LocationOut(TextsOut):
    id: str
    organization: str | None
    address_1: str
    address_2: str
    city: str
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None
    step_free_access: bool | None


class ServiceOut(TextsOut):
    id: str
    organization: str
    status: str
    is_free: bool
    by_appointment: bool
    url: str
    email: str
    minimum_age: int | None
    maximum_age: int | None
    latitude: float | None
    longitude: float | None
    last_verified: str | None
    domains: list[str]
    languages: list[LanguageOut]
    target_groups: list[str]
    locations: list[str]
    schedules: list[ScheduleOut]
    closures: list[ClosureOut]
    contacts: list[ContactOut]
    phones: list[PhoneOut]


class PlaceOut(Schema):
    slug: str
    name: str
    timezone: str
    center: list[float]
    verify_after_months: int


class BundleOut(Schema):
    format: int
    place: PlaceOut
    language: str
    domains: list[DomainOut]
    organizations: list[OrganizationOut]
    locations: list[LocationOut]
    services: list[ServiceOut]


def content_language(lang: str, place: Place) -> str:
    language = lang or place.default_language
    if language not in settings.CONTENT_LANGUAGES:
        raise HttpError(
            422,
            f"lang: '{language}' is not a content language; "
            f"expected one of {', '.join(settings.CONTENT_LANGUAGES)}",
        )
    return language


def _accepts_gzip(request: HttpRequest) -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        coding, _sep, params = part.strip().partition(";")
        if coding.strip().lower() in {"gzip", "*"}:
            return params.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


@router.get(
    "/places/{slug}/bundle",
    response={200: BundleOut, 304: None},
    summary="Offline bundle of a place's directory",
    description=(
        "All public services, organisations, locations and integration domains of one place, "
        "with texts in the language `lang` (or the original where no translation exists: "
        "`text_languages` says which language each text is in and `translation` its status). "
        "Compressed with gzip when the client accepts it. Send the `ETag` back as "
        "`If-None-Match` to get `304 Not Modified` while nothing changed."
    ),
)
def place_bundle(request: HttpRequest, slug: str, lang: str = "") -> Any:
    place = public_place_or_404(request, slug)
    language = content_language(lang, place)
    etag = bundle_etag(place, language)
    if _etag_matches(request, etag):
        response = HttpResponse(status=304)
    else:
        gzipped = _accepts_gzip(request)
        body = cached_bundle(place, language, etag, gzipped)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        response["Content-Language"] = language
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    response["Vary"] = "Accept-Encoding"
    return response


# --- Search -------------------------------------------------------------------------------


class SearchQuery(Schema):
    q: str = ""
    domain: str = ""
    language: str = ""
    group: str = ""
    open_now: bool = False
    free: bool = False
    lat: float | None = None
    lon: float | None = None
    radius_km: float = DEFAULT_RADIUS_KM
    page: int = 1
    page_size: int = 20
    lang: str = ""


class HitOut(TextsOut):
    id: str
    organization: str
    organization_name: str
    status: str
    is_free: bool
    distance_km: float | None
    open_now: bool
    domains: list[str]
    languages: list[str]


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    language: str
    results: list[HitOut]


def _search_params(query: SearchQuery) -> SearchParams:
    if (query.lat is None) != (query.lon is None):
        raise HttpError(422, "lat, lon: give both or neither")
    if not 0 < query.radius_km <= MAX_RADIUS_KM:
        raise HttpError(422, f"radius_km: expected more than 0 and at most {MAX_RADIUS_KM:g}")
    if not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page_size: expected 1 to {MAX_PAGE_SIZE}")
    return SearchParams(
        q=query.q,
        domain=query.domain,
        language=query.language,
        group=query.group,
        open_now=query.open_now,
        free=query.free,
        lat=query.lat,
        lon=query.lon,
        radius_km=query.radius_km,
        page=max(1, query.page),
        page_size=query.page_size,
    )


@router.get(
    "/places/{slug}/services",
    response=SearchOut,
    summary="Search a place's services",
    description=(
        "Text (any script, with or without diacritics), integration domain, language spoken, "
        "target group, open now, free, and distance from `lat`,`lon` within `radius_km` "
        "(results then nearest first). Texts are in `lang` where translated."
    ),
)
def search(request: HttpRequest, slug: str, query: Query[SearchQuery]) -> dict[str, Any]:
    place = public_place_or_404(request, slug)
    language = content_language(query.lang, place)
    result = search_services(place, _search_params(query))
    results = []
    for hit in result.hits:
        service = hit.service
        results.append(
            {
                "id": str(service.pk),
                "organization": str(service.organization_id),
                "organization_name": localize(service.organization, language)["name"],
                "status": service.status,
                "is_free": service.is_free,
                "distance_km": round(hit.distance_km, 3) if hit.distance_km is not None else None,
                "open_now": hit.open_now,
                "domains": sorted(term.code for term in service.domains.all()),
                "languages": sorted(spoken.code for spoken in service.languages.all()),
                **localized_texts(service, language),
            }
        )
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "language": language,
        "results": results,
    }
