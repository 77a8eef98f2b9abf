"""Open Referral HSDS 3.0 API under /api/hsds/: read-only, public places only.

Follows HSDS 3.0's ``openapi.json``: list endpoints return a ``Page`` envelope, detail
endpoints a fully nested object. Beyond the standard:

- ``place`` (a place slug) limits results to one place and offers that place's languages;
- ``lang`` (or ``Accept-Language``) picks the language of texts; each object says which
  language every text is in (``languages_of_text``), list pages add ``language`` (the one
  requested) and the ``Content-Language`` header lists the languages actually served;
- ``proximity`` takes metres from the centre of ``postcode`` (the centre of our locations
  with that postcode: we run no geocoder), or ``lat,lon,metres``; results are then sorted
  by distance. It works on ``/services`` too.

Bad parameters get a 400 naming the parameter; unknown ids a 404, both as JSON ``detail``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from ninja import NinjaAPI

from commonhome.core import search
from commonhome.core.geo import bounding_box, distance_km
from commonhome.core.models import Place

from ..constants import TargetGroup
from ..models import (
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceTargetGroup,
    Taxonomy,
    TaxonomyTerm,
)
from . import cache
from . import serialize as hsds
from .lang import UnsupportedLanguage, negotiate

api = NinjaAPI(title="Open Referral HSDS", version="3.0", urls_namespace="hsds", docs_url=None)

OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
#: ``minimal`` lists are meant to be fetched in one call, so they may be much longer.
MAX_PER_PAGE_MINIMAL = 10000
TRUE_WORDS = {"true", "1", "yes", "on"}
FALSE_WORDS = {"false", "0", "no", "off", ""}


class BadParameter(Exception):
    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")


class NotFound(Exception):
    pass


def _json(body: Any, status: int = 200, languages: Sequence[str] = ()) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )
    if languages:
        response["Content-Language"] = ", ".join(languages)
    return response


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return _json({"detail": str(exc), "parameter": exc.parameter}, status=400)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return _json({"detail": str(exc)}, status=404)


# --- parameters ---------------------------------------------------------------------------


@dataclass
class Query:
    """The parsed query string shared by every endpoint."""

    request: HttpRequest
    place: Place | None
    lang: str

    def text(self, name: str) -> str | None:
        value = self.request.GET.get(name)
        return value if value is not None and value.strip() != "" else None

    def flag(self, name: str) -> bool:
        value = self.request.GET.get(name)
        if value is None:
            return False
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise BadParameter(name, f"'{value}' is not true or false")

    def integer(self, name: str, default: int, low: int, high: int) -> int:
        value = self.text(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise BadParameter(name, f"'{value}' is not a whole number") from None
        if not low <= number <= high:
            raise BadParameter(name, f"{number} is not between {low} and {high}")
        return number

    def uuid(self, name: str) -> uuid.UUID | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise BadParameter(name, f"'{value}' is not an id (a UUID)") from None

    def since(self, name: str = "modified_after") -> dt.datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            moment = parse_datetime(value)
            day = None if moment else parse_date(value)
        except ValueError:
            moment = day = None
        if moment is None and day is not None:
            moment = dt.datetime.combine(day, dt.time.min)
        if moment is None:
            raise BadParameter(name, f"'{value}' is not a date or date-time (ISO 8601)")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        try:
            # In UTC: databases refuse unusual offsets (PostgreSQL's end at ±15:59).
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise BadParameter(name, f"'{value}' is out of range") from None


def _query(request: HttpRequest) -> Query:
    fmt = request.GET.get("format")
    if fmt is not None and fmt.strip().lower() not in ("", "json"):
        raise BadParameter("format", f"'{fmt}' is not served; this API answers in json")
    place = None
    slug = request.GET.get("place")
    if slug:
        place = Place.objects.filter(slug=slug, is_public=True).first()
        if place is None:
            raise BadParameter("place", f"there is no public place '{slug}'")
    try:
        lang = negotiate(request.GET.get("lang"), request.headers.get("Accept-Language", ""), place)
    except UnsupportedLanguage as exc:
        raise BadParameter("lang", str(exc).split(": ", 1)[1]) from None
    return Query(request, place, lang)


def _ident(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"There is no {what} with id '{value}'.") from None


# --- paging -------------------------------------------------------------------------------


@dataclass
class Nearest:
    """Ids sorted by distance, and the query set to fetch their records from."""

    ids: list[Any]
    records: QuerySet[Any]


def _page(
    q: Query,
    source: QuerySet[Any] | Nearest,
    prepare: Callable[[QuerySet[Any]], Iterable[Any]],
    render: Callable[[Any], dict[str, Any]],
    *,
    max_per_page: int = MAX_PER_PAGE,
    extra_items: Sequence[dict[str, Any]] = (),
) -> HttpResponse:
    """One page of ``source``, then of ``extra_items`` (objects that are not stored).

    ``prepare`` loads the records of the page's query set with what ``render`` reads (by
    prefetching, or as plain rows: :mod:`.perf`), so a page costs a count, one query and a
    constant number of queries for the nested records, whatever its size.
    """
    page = q.integer("page", 1, 1, 1_000_000)
    per_page = q.integer("per_page", DEFAULT_PER_PAGE, 1, max_per_page)
    start, stop = (page - 1) * per_page, page * per_page
    stored = len(source.ids) if isinstance(source, Nearest) else source.count()
    total = stored + len(extra_items)
    contents: list[dict[str, Any]] = []
    if start < stored:
        if isinstance(source, Nearest):
            ids = source.ids[start:stop]
            by_id = {r.pk: r for r in prepare(source.records.filter(pk__in=ids))}
            contents = [render(by_id[pk]) for pk in ids if pk in by_id]
        else:
            contents = [render(record) for record in prepare(source[start:stop])]
    if stop > stored:
        contents += list(extra_items[max(0, start - stored) : stop - stored])
    total_pages = math.ceil(total / per_page)
    body = {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not contents,
        "language": q.lang,
        "contents": contents,
    }
    return _json(body, languages=hsds.content_languages(contents) or [q.lang])


def _detail(q: Query, data: dict[str, Any]) -> HttpResponse:
    return _json(data, languages=hsds.content_languages([data]) or [q.lang])


# --- filters ------------------------------------------------------------------------------


def _postcode_locations(postcode: str) -> QuerySet[Location]:
    return (
        Location.objects.filter(place__is_public=True)
        .alias(postcode_key=Replace(Upper("postal_code"), Value(" "), Value("")))
        .filter(postcode_key=postcode.replace(" ", "").upper())
    )


def _proximity(q: Query) -> tuple[float, float, float] | None:
    """(latitude, longitude, km) from ``proximity`` and ``postcode``, or None."""
    raw = q.text("proximity")
    if raw is None:
        return None
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 3) or not all(math.isfinite(n) for n in numbers):
        raise BadParameter(
            "proximity", f"'{raw}' is neither metres (with postcode) nor 'lat,lon,metres'"
        )
    metres = numbers[-1]
    if not 0 < metres <= 1_000_000:
        raise BadParameter("proximity", f"{metres:g} metres is not between 0 and 1000000")
    if len(numbers) == 3:
        lat, lon = numbers[0], numbers[1]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise BadParameter("proximity", f"'{raw}' is not a latitude and longitude")
        return lat, lon, metres / 1000
    postcode = q.text("postcode")
    if postcode is None:
        raise BadParameter("postcode", "proximity in metres needs a postcode to measure from")
    points = list(
        _postcode_locations(postcode)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values_list("latitude", "longitude")
    )
    if not points:
        raise BadParameter("postcode", f"no location has the postcode '{postcode}'")
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return lat, lon, metres / 1000


def _nearest(
    qs: QuerySet[Any], lat_field: str, lon_field: str, point: tuple[float, float, float]
) -> Nearest:
    """Records of ``qs`` within the distance, nearest first (bounding box, exact distance)."""
    lat, lon, km = point
    box = bounding_box(lat, lon, km)
    rows = qs.filter(
        **{
            f"{lat_field}__gte": box.min_lat,
            f"{lat_field}__lte": box.max_lat,
            f"{lon_field}__gte": box.min_lon,
            f"{lon_field}__lte": box.max_lon,
        }
    ).values_list("pk", lat_field, lon_field)
    near = sorted((distance_km(lat, lon, rlat, rlon), pk) for pk, rlat, rlon in rows)
    return Nearest([pk for distance, pk in near if distance <= km], qs.model._default_manager.all())


TARGET_GROUP_OF_TERM = {hsds.target_group_term_id(g.value): g.value for g in TargetGroup}


def _service_filter(q: Query, prefix: str = "") -> Q:
    """The HSDS service filters, as a condition on services (reached through ``prefix``)."""
    cond = Q()
    if q.place is not None:
        cond &= Q(**{f"{prefix}place": q.place})
    text = q.text("search")
    if text is not None:
        matches = search.match_ids("service", text)
        if matches is not None:
            cond &= Q(**{f"{prefix}id__in": matches})
    links = Service.domains.through.objects
    term_id = q.uuid("taxonomy_term_id")
    if term_id is not None:
        group = TARGET_GROUP_OF_TERM.get(str(term_id))
        if group is not None:
            grouped = ServiceTargetGroup.objects.filter(group=group).values("service_id")
            cond &= Q(**{f"{prefix}id__in": grouped})
        else:
            linked = links.filter(taxonomyterm_id=term_id).values("service_id")
            cond &= Q(**{f"{prefix}id__in": linked})
    taxonomy_id = q.uuid("taxonomy_id")
    if taxonomy_id is not None:
        if taxonomy_id == hsds.TARGET_GROUP_TAXONOMY_ID:
            linked = ServiceTargetGroup.objects.values("service_id")
        else:
            linked = links.filter(taxonomyterm__taxonomy_id=taxonomy_id).values("service_id")
        cond &= Q(**{f"{prefix}id__in": linked})
    organization_id = q.uuid("organization_id")
    if organization_id is not None:
        cond &= Q(**{f"{prefix}organization_id": organization_id})
    since = q.since()
    if since is not None:
        cond &= Q(**{f"{prefix}updated_at__gte": since})
    return cond


# --- endpoints ----------------------------------------------------------------------------


@api.get("/", url_name="root")
def root(request: HttpRequest) -> HttpResponse:
    return _json({"version": hsds.HSDS_VERSION, "openapi_url": OPENAPI_URL})


@api.get("/services", url_name="services")
def services(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    minimal, full = q.flag("minimal"), q.flag("full")
    qs = Service.objects.filter(place__is_public=True).filter(_service_filter(q))
    point = _proximity(q)
    source: QuerySet[Service] | Nearest
    source = _nearest(qs, "latitude", "longitude", point) if point else qs.order_by("name", "id")
    if minimal:
        return _page(
            q,
            source,
            lambda page: page.only("id", "name", "status", "updated_at"),
            hsds.service_minimal,
            max_per_page=MAX_PER_PAGE_MINIMAL,
        )
    return _page(
        q,
        source,
        lambda page: cache.rendered_services(page, q.lang, full),
        lambda rendered: rendered.doc,
    )


@api.get("/services/{id}", url_name="service")
def service(request: HttpRequest, id: str) -> HttpResponse:
    q = _query(request)
    qs = Service.objects.filter(place__is_public=True, pk=_ident(id, "service"))
    found = cache.rendered_services(qs, q.lang, full=True)
    if not found:
        raise NotFound(f"There is no service with id '{id}'.")
    return _detail(q, found[0].doc)


@api.get("/organizations", url_name="organizations")
def organizations(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    full, full_service = q.flag("full"), q.flag("full_service")
    qs = Organization.objects.filter(place__is_public=True)
    if q.place is not None:
        qs = qs.filter(place=q.place)
    text = q.text("search")
    if text is not None:
        cond = Q(name__icontains=text) | Q(alternate_name__icontains=text)
        matches = search.match_ids("service", text)
        if matches is not None:
            cond |= Q(id__in=Service.objects.filter(id__in=matches).values("organization_id"))
        qs = qs.filter(cond)
    services_mode = "full" if full_service else "basic"
    return _page(
        q,
        qs.order_by("name", "id"),
        lambda page: hsds.organizations_queryset(page, q.lang, services=services_mode, full=full),
        lambda org: (
            hsds.organization_full(org, q.lang, services=services_mode)
            if full
            else hsds.organization_basic(org, q.lang)
        ),
    )


@api.get("/organizations/{id}", url_name="organization")
def organization(request: HttpRequest, id: str) -> HttpResponse:
    q = _query(request)
    services_mode = "full" if q.flag("full_service") else "basic"
    qs = hsds.organizations_queryset(
        Organization.objects.filter(place__is_public=True), q.lang, services=services_mode
    )
    record = qs.filter(pk=_ident(id, "organization")).first()
    if record is None:
        raise NotFound(f"There is no organization with id '{id}'.")
    return _detail(q, hsds.organization_full(record, q.lang, services=services_mode))


@api.get("/service_at_locations", url_name="service_at_locations")
def service_at_locations(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    full = q.flag("full")
    qs = ServiceAtLocation.objects.filter(service__place__is_public=True).filter(
        _service_filter(q, "service__")
    )
    point = _proximity(q)
    postcode = q.text("postcode")
    if postcode is not None and point is None:
        qs = qs.filter(location__in=_postcode_locations(postcode))
    source: QuerySet[ServiceAtLocation] | Nearest
    if point:
        source = _nearest(qs, "location__latitude", "location__longitude", point)
    else:
        source = qs.order_by("service__name", "location__name", "id")
    render = hsds.service_at_location_full if full else hsds.service_at_location_list_item
    return _page(
        q,
        source,
        lambda page: hsds.service_at_locations_queryset(page, q.lang, full=full),
        lambda sal: render(sal, q.lang),
    )


@api.get("/service_at_locations/{id}", url_name="service_at_location")
def service_at_location(request: HttpRequest, id: str) -> HttpResponse:
    q = _query(request)
    qs = hsds.service_at_locations_queryset(
        ServiceAtLocation.objects.filter(service__place__is_public=True), q.lang
    )
    record = qs.filter(pk=_ident(id, "service at location")).first()
    if record is None:
        raise NotFound(f"There is no service at location with id '{id}'.")
    return _detail(q, hsds.service_at_location_full(record, q.lang))


@api.get("/taxonomies", url_name="taxonomies")
def taxonomies(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    qs = Taxonomy.objects.order_by("name", "id")
    virtual = [hsds.target_group_taxonomy()]
    text = q.text("search")
    if text is not None:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
        needle = text.casefold()
        virtual = [t for t in virtual if needle in f"{t['name']} {t['description']}".casefold()]
    return _page(q, qs, lambda page: page, hsds.taxonomy, extra_items=virtual)


@api.get("/taxonomies/{id}", url_name="taxonomy")
def taxonomy(request: HttpRequest, id: str) -> HttpResponse:
    q = _query(request)
    key = _ident(id, "taxonomy")
    if key == hsds.TARGET_GROUP_TAXONOMY_ID:
        return _detail(q, hsds.target_group_taxonomy())
    record = Taxonomy.objects.filter(pk=key).first()
    if record is None:
        raise NotFound(f"There is no taxonomy with id '{id}'.")
    return _detail(q, hsds.taxonomy(record))


@api.get("/taxonomy_terms", url_name="taxonomy_terms")
def taxonomy_terms(request: HttpRequest) -> HttpResponse:
    q = _query(request)
    qs = TaxonomyTerm.objects.order_by("taxonomy__name", "code", "name", "id")
    virtual = hsds.target_group_terms(q.lang)
    taxonomy_id = q.uuid("taxonomy_id")
    if taxonomy_id is not None:
        qs = qs.filter(taxonomy_id=taxonomy_id)
        if taxonomy_id != hsds.TARGET_GROUP_TAXONOMY_ID:
            virtual = []
    parent_id = q.uuid("parent_id")
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
        virtual = []
    if q.flag("top_only"):
        qs = qs.filter(parent__isnull=True)
    text = q.text("search")
    if text is not None:
        qs = qs.filter(
            Q(name__icontains=text) | Q(code__icontains=text) | Q(description__icontains=text)
        )
        needle = text.casefold()
        virtual = [t for t in virtual if needle in f"{t['name']} {t['code']}".casefold()]
    return _page(
        q,
        qs,
        lambda page: hsds.taxonomy_terms_queryset(page, q.lang),
        lambda term: hsds.taxonomy_term(term, q.lang),
        extra_items=virtual,
    )


@api.get("/taxonomy_terms/{id}", url_name="taxonomy_term")
def taxonomy_term(request: HttpRequest, id: str) -> HttpResponse:
    q = _query(request)
    key = _ident(id, "taxonomy term")
    group = TARGET_GROUP_OF_TERM.get(str(key))
    if group is not None:
        return _detail(q, hsds.target_group_term(group, q.lang))
    record = hsds.taxonomy_terms_queryset(TaxonomyTerm.objects.all(), q.lang).filter(pk=key).first()
    if record is None:
        raise NotFound(f"There is no taxonomy term with id '{id}'.")
    return _detail(q, hsds.taxonomy_term(record, q.lang))
