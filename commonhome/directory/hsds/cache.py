"""Rendered HSDS service documents, cached per place content generation.

A fully nested service touches some twenty stored rows; rendering a page of fifty costs far
more than reading fifty finished documents. Each document is cached under a key holding its
place's ``content_generation``, which every change of the place's content bumps in the same
transaction (see ``directory/signals.py``), so a cached document is never served after the
content it was made from changed. Keys also hold the language, the shape (basic or full) and
the software version, so an upgrade renders anew.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.cache import cache
from django.db.models import QuerySet

from commonhome import __version__

from ..models import Service
from . import perf
from . import serialize as hsds

#: Documents stay a day at most without being read; generations make them stale sooner.
TIMEOUT = 24 * 60 * 60


class Rendered(NamedTuple):
    pk: Any
    doc: dict[str, Any]


def _key(pk: Any, generation: int, lang: str | None, full: bool) -> str:
    shape = "full" if full else "basic"
    return f"hsds:{__version__}:service:{pk}:{generation}:{lang or '-'}:{shape}"


def rendered_services(services: QuerySet[Service], lang: str | None, full: bool) -> list[Rendered]:
    """The HSDS documents of ``services``, in the query set's order; rendered only on a miss."""
    rows = list(services.values_list("pk", "place__content_generation"))
    keys = {pk: _key(pk, generation, lang, full) for pk, generation in rows}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        render = hsds.service_full if full else hsds.service_basic
        fresh = {
            keys[record.pk]: render(record, lang)
            for record in perf.load_services(
                Service.objects.filter(pk__in=missing).order_by(), lang, full=full
            )
        }
        cache.set_many(fresh, TIMEOUT)
        found.update(fresh)
    return [Rendered(pk, found[keys[pk]]) for pk, _generation in rows if keys[pk] in found]
