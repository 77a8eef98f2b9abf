"""The one directory search, used by the public pages, the v1 API and the benchmark.

Every filter is a condition on the ``Service`` query itself (uncorrelated ``IN`` subqueries
that each read one index once, an indexed bounding box, the text-search subquery of
:mod:`commonhome.core.search`), so a search costs a fixed number of SQL queries whatever it
finds: one count, one page, one for the "open now" badges of the page, and the prefetches
the caller asks for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from commonhome.core import search as core_search
from commonhome.core.geo import EARTH_RADIUS_KM, bounding_box, distance_km
from commonhome.core.models import Place, Translation

from .constants import ServiceStatus
from .models import (
    Closure,
    OpeningSlot,
    Service,
    ServiceLanguage,
    ServiceTargetGroup,
)

# Statuses a reader of the public directory can find; inactive and defunct records stay hidden.
PUBLIC_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
DEFAULT_RADIUS_KM = 5.0
MAX_RADIUS_KM = 100.0
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


@dataclass(frozen=True)
class SearchParams:
    """What a reader asked for. Empty values mean "no filter".

    ``at`` is the moment "open now" refers to (defaults to the current time); tests and the
    benchmark inject a fixed one. ``lat``/``lon`` order results by distance and, with
    ``radius_km``, limit them to a circle.
    """

    q: str = ""
    domain: str = ""
    language: str = ""
    group: str = ""
    open_now: bool = False
    free: bool = False
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = DEFAULT_RADIUS_KM
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    at: datetime | None = None

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass
class Hit:
    service: Service
    distance_km: float | None
    open_now: bool


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    params: SearchParams
    local_time: datetime = field(default_factory=timezone.now)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def local_now(place: Place, at: datetime | None = None) -> datetime:
    """``at`` (or now) as wall-clock time in the place's timezone."""
    moment = at or timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, ZoneInfo(place.timezone))
    return moment.astimezone(ZoneInfo(place.timezone))


def _open_ids(local: datetime) -> QuerySet[Any]:
    """Ids of services with an opening slot covering ``local`` and no closure on its date.

    For the badges of one page, restricted there to the page's services.
    """
    minute = local.hour * 60 + local.minute
    today = local.date()
    closed = Closure.objects.filter(starts__lte=today, ends__gte=today).values("service_id")
    return (
        OpeningSlot.objects.filter(weekday=local.weekday(), opens__lte=minute, closes__gt=minute)
        .exclude(service_id__in=closed)
        .values("service_id")
    )


def _open_at(local: datetime) -> Q:
    """The condition "open at ``local``" on a service, as correlated EXISTS tests."""
    minute = local.hour * 60 + local.minute
    today = local.date()
    slot = OpeningSlot.objects.filter(
        service=OuterRef("pk"), weekday=local.weekday(), opens__lte=minute, closes__gt=minute
    )
    closure = Closure.objects.filter(service=OuterRef("pk"), starts__lte=today, ends__gte=today)
    return Q(Exists(slot)) & ~Q(Exists(closure))


def filtered_services(place: Place, params: SearchParams) -> QuerySet[Service]:
    """The services of ``place`` that match ``params``, not yet ordered or paged.

    The text match is a set of ids found inside the place by the text index. Every other
    filter is a correlated EXISTS test that probes a per-service unique index, so its cost
    follows the number of the place's candidates, never the size of the whole directory
    (an uncorrelated ``IN`` would collect, say, every Arabic-speaking service of every place).
    """
    qs = Service.objects.filter(place=place, status__in=PUBLIC_STATUSES)
    if params.q:
        matching = core_search.match_ids("service", params.q, place_id=place.pk)
        if matching is not None:
            qs = qs.filter(pk__in=matching)
    if params.domain:
        terms = Service.domains.through.objects.filter(
            service_id=OuterRef("pk"), taxonomyterm__code=params.domain
        )
        qs = qs.filter(Exists(terms))
    if params.language:
        spoken = ServiceLanguage.objects.filter(service=OuterRef("pk"), code=params.language)
        qs = qs.filter(Exists(spoken))
    if params.group:
        groups = ServiceTargetGroup.objects.filter(service=OuterRef("pk"), group=params.group)
        qs = qs.filter(Exists(groups))
    if params.free:
        qs = qs.filter(is_free=True)
    if params.open_now:
        local = local_now(place, params.at)
        qs = qs.filter(Q(status=ServiceStatus.ACTIVE) & _open_at(local))
    if params.has_position:
        qs = _within(qs, float(params.lat), float(params.lon), params.radius_km)  # type: ignore[arg-type]
    return qs


def _within(
    qs: QuerySet[Service], lat: float, lon: float, radius_km: float | None
) -> QuerySet[Service]:
    """Keep services with a position, nearest first; inside ``radius_km`` if given.

    The bounding box is an indexable range test. Inside it, the squared distance on a local
    flat projection orders and trims: at city scale it differs from the great-circle distance
    by far less than a street, and it needs no trigonometry per row, which SQLite lacks.
    """
    qs = qs.filter(latitude__isnull=False, longitude__isnull=False)
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(lat))
    dy = (F("latitude") - lat) * ky
    dx = (F("longitude") - lon) * kx
    qs = qs.annotate(planar_km2=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
    if radius_km:
        box = bounding_box(lat, lon, radius_km)
        qs = qs.filter(
            latitude__gte=box.min_lat,
            latitude__lte=box.max_lat,
            longitude__gte=box.min_lon,
            longitude__lte=box.max_lon,
            planar_km2__lte=radius_km * radius_km,
        )
    return qs


def search_services(place: Place, params: SearchParams, *, prefetch: bool = True) -> SearchResult:
    """One page of the services of ``place`` matching ``params``.

    Ordered by distance when a position is given, else by name. With ``prefetch`` the hits
    carry what a result list shows (organisation, translations of both, domains, languages
    spoken), in a fixed number of queries.
    """
    page_size = max(1, min(params.page_size, MAX_PAGE_SIZE))
    qs = filtered_services(place, params)
    # The filters run once: the ordered ids give both the total and the page.
    order = ("planar_km2", "name", "pk") if params.has_position else ("name", "pk")
    ids = list(qs.order_by(*order).values_list("pk", flat=True))
    total = len(ids)
    pages = max(1, math.ceil(total / page_size))
    page = max(1, min(params.page, pages))
    start = (page - 1) * page_size
    page_ids = ids[start : start + page_size]
    rows = Service.objects.filter(pk__in=page_ids).select_related("organization")
    if prefetch:
        rows = rows.prefetch_related(
            Prefetch("translations", queryset=Translation.objects.all()),
            Prefetch("organization__translations", queryset=Translation.objects.all()),
            "domains",
            "languages",
        )
    by_id = {service.pk: service for service in rows} if page_ids else {}
    services = [by_id[pk] for pk in page_ids if pk in by_id]
    local = local_now(place, params.at)
    open_ids: set[Any] = set()
    if services:
        # One query for the page, so the badge costs the same whatever the page holds.
        open_ids = set(
            _open_ids(local)
            .filter(service_id__in=[s.pk for s in services])
            .values_list("service_id", flat=True)
        )
    hits = []
    for service in services:
        distance = None
        if params.has_position and service.latitude is not None and service.longitude is not None:
            distance = distance_km(
                float(params.lat),  # type: ignore[arg-type]
                float(params.lon),  # type: ignore[arg-type]
                service.latitude,
                service.longitude,
            )
        open_now = service.status == ServiceStatus.ACTIVE and service.pk in open_ids
        hits.append(Hit(service, distance, open_now))
    return SearchResult(hits, total, page, page_size, params, local)
