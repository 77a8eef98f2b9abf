"""Measuring the directory at scale: HSDS pages, search and the offline bundle.

Works on whatever database is configured; ``commonhome bench directory`` runs it inside a
scratch database filled with synthetic data, never on real content.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.test import Client

from commonhome.core.models import Place

from .bundle import render_bundle
from .search import SearchParams, search_services

# A fixed moment (a Wednesday late morning) so "open now" finds the same services every run.
BENCH_MOMENT = dt.datetime(2025, 1, 15, 11, 0, tzinfo=dt.UTC)
TEXTS = [
    "legal advice",
    "english",
    "food bank",
    "англійської",
    "دروس",
    "استشارة",
    "مساعدة السكن",
    "club",
]
LANGUAGES_SPOKEN = ["ar", "fa", "uk", "so", "ti"]
DOMAINS = ["health", "work", "housing", "language", "rights"]


@dataclass
class Figures:
    backend: str
    services: int
    hsds_median_ms: float
    hsds_p95_ms: float
    search_p50_ms: float
    search_p95_ms: float
    bundle_ms: float
    hsds_cold_median_ms: float
    hsds_cold_p95_ms: float

    def summary(self) -> str:
        return (
            f"directory: backend={self.backend} services={self.services} "
            f"hsds_median_ms={self.hsds_median_ms:.2f} hsds_p95_ms={self.hsds_p95_ms:.2f} "
            f"search_p50_ms={self.search_p50_ms:.2f} search_p95_ms={self.search_p95_ms:.2f} "
            f"bundle_ms={self.bundle_ms:.2f} hsds_cold_median_ms={self.hsds_cold_median_ms:.2f} "
            f"hsds_cold_p95_ms={self.hsds_cold_p95_ms:.2f}"
        )


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (``share`` between 0 and 1) of ``values``."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def measure_hsds(place: Place, requests: int, total: int, cold: bool = False) -> list[float]:
    """Milliseconds per HSDS ``/services`` page of 50, fully nested, in process.

    As served, every page has been read once, so rendered documents come from the cache;
    ``cold`` empties the cache before every request, so each one renders from the database.
    """
    client = Client()
    pages = max(1, math.ceil(total / 50))

    def fetch(page: int) -> None:
        if cold:
            cache.clear()
        url = f"/api/hsds/services?per_page=50&full=true&place={place.slug}&page={page}"
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(
                f"HSDS /services answered {response.status_code} for {place.slug}: "
                f"{response.content[:200]!r}"
            )

    # Warm-up: content types and connections; as served, also every page's documents once.
    for page in range(1, pages + 1) if not cold else (1, 2):
        fetch(min(page, pages))
    return [_timed(lambda n=n: fetch(n % pages + 1)) for n in range(requests)]


def search_mix(places: Sequence[Place]) -> list[tuple[Place, SearchParams]]:
    """The kinds of searches newcomers make, each combined with the others in turn."""
    mix = []
    for n in range(40):
        place = places[n % len(places)]
        near = n % 3 == 0
        mix.append(
            (
                place,
                SearchParams(
                    q=TEXTS[n % len(TEXTS)] if n % 4 != 3 else "",
                    language=LANGUAGES_SPOKEN[n % len(LANGUAGES_SPOKEN)] if n % 2 == 0 else "",
                    domain=DOMAINS[n % len(DOMAINS)] if n % 5 in (0, 1) else "",
                    open_now=n % 3 != 1,
                    lat=place.center_lat + 0.01 if near else None,
                    lon=place.center_lon - 0.01 if near else None,
                    radius_km=3.0,
                    at=BENCH_MOMENT,
                ),
            )
        )
    return mix


def measure_search(places: Sequence[Place], queries: int) -> tuple[list[float], int]:
    """Milliseconds per search (first page, with what a result list shows); and hits found."""
    mix = search_mix(places)
    found = 0
    timings = []
    for n in range(queries):
        place, params = mix[n % len(mix)]
        start = time.perf_counter()
        result = search_services(place, params)
        timings.append((time.perf_counter() - start) * 1000)
        found += result.total
    return timings, found


def measure_bundle(place: Place, language: str, runs: int = 3) -> float:
    """Median milliseconds to build and encode the offline bundle of ``place``."""
    return statistics.median(_timed(lambda: render_bundle(place, language)) for _ in range(runs))


def run(
    hsds_place: Place,
    hsds_services: int,
    places: Sequence[Place],
    *,
    services: int,
    queries: int,
    out: Callable[[str], None],
) -> Figures:
    hsds = measure_hsds(hsds_place, queries, hsds_services)
    out(f"HSDS /services page of 50 on {hsds_place.slug} ({hsds_services} services), as served")
    cold = measure_hsds(hsds_place, queries, hsds_services, cold=True)
    out("HSDS /services page of 50 rendered from the database (document cache emptied)")
    search, found = measure_search(places, queries)
    out(f"search: {queries} queries over {len(places)} places, {found} hits in all")
    bundle = measure_bundle(hsds_place, "ar")
    out(f"bundle of {hsds_place.slug} in Arabic built")
    return Figures(
        backend=connection.vendor,
        services=services,
        hsds_median_ms=statistics.median(hsds),
        hsds_p95_ms=percentile(hsds, 0.95),
        search_p50_ms=percentile(search, 0.50),
        search_p95_ms=percentile(search, 0.95),
        bundle_ms=bundle,
        hsds_cold_median_ms=statistics.median(cold),
        hsds_cold_p95_ms=percentile(cold, 0.95),
    )
