"""Measuring the public trail at scale: render time and query count of the trail page.

Works on whatever database is configured; ``commonhome bench participation`` runs it inside a
scratch database filled with synthetic data, never on real content.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.urls import reverse

from commonhome.core.models import Place
from commonhome.directory.bench import percentile

from .constants import AnswerState

# The filtered page a reader would typically ask for: one answer state, one language.
FILTERED = {"state": AnswerState.ACCEPTED, "language": "ar"}


@dataclass
class Figures:
    contributions: int
    first_median_ms: float
    filtered_median_ms: float
    trail_median_ms: float
    trail_p95_ms: float
    queries: int
    html_bytes: int

    def summary(self) -> str:
        return (
            f"participation: contributions={self.contributions} "
            f"trail_median_ms={self.trail_median_ms:.2f} trail_p95_ms={self.trail_p95_ms:.2f} "
            f"queries={self.queries}"
        )


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"the trail answered {response.status_code} for {url}")
    return response.content


def measure(client: Client, url: str, requests: int) -> list[float]:
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        _get(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def run(place: Place, contributions: int, *, requests: int, out: Callable[[str], None]) -> Figures:
    """Render the trail's first page and a filtered page ``requests`` times each, in process."""
    client = Client()
    first = reverse("participation:trail", args=[place.slug])
    filtered = f"{first}?{urlencode(FILTERED)}"
    for url in (first, filtered):  # warm-up: content types, connections, templates
        _get(client, url)
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    # A wrapper survives the connection being closed at the end of each request.
    with connection.execute_wrapper(count):
        html = _get(client, first)
    first_ms = measure(client, first, requests)
    out(f"trail first page: median {statistics.median(first_ms):.2f} ms")
    filtered_ms = measure(client, filtered, requests)
    median = statistics.median(filtered_ms)
    out(f"trail filtered page ({urlencode(FILTERED)}): median {median:.2f} ms")
    both = first_ms + filtered_ms
    out(f"trail page: {len(queries)} queries, {len(html)} bytes of HTML")
    return Figures(
        contributions=contributions,
        first_median_ms=statistics.median(first_ms),
        filtered_median_ms=statistics.median(filtered_ms),
        trail_median_ms=statistics.median(both),
        trail_p95_ms=percentile(both, 0.95),
        queries=len(queries),
        html_bytes=len(html),
    )
