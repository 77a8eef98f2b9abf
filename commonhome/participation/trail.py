"""The public trail, "You said, we did": from what people said to the answer and what was done.

One module builds the trail for the page, the open data JSON and the API alike, so the three
always agree on what is public:

- only published contributions of published consultations, their *published* answers and
  *published* results; hidden or pending contributions never appear;
- a contribution its author erased appears only when a published result answers it, as
  "Removed at its author's request" with no text: the result keeps the chain it was built on,
  and the numbers do not shrink when someone leaves, while nothing the person wrote remains.

The numbers at a glance are one aggregate query over the filtered set; the page of rows is one
query plus a fixed number of prefetches, whatever the size of the place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from commonhome.core.models import Place, Translation
from commonhome.core.translation import localize
from commonhome.directory.constants import Domain
from commonhome.directory.models import Service

from .constants import AnswerState, Kind, Visibility
from .models import Consultation, Contribution, Milestone, Result

PAGE_SIZE = 20

Links = Result.contributions.through


@dataclass(frozen=True)
class TrailFilters:
    """What a reader narrowed the trail to. Unknown values are ignored, never an error page."""

    topic: str = ""
    state: str = ""
    language: str = ""
    consultation: str = ""
    kind: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Any) -> TrailFilters:
        try:
            page = max(1, int(query.get("page") or 1))
        except (TypeError, ValueError):
            page = 1
        return cls(
            topic=str(query.get("topic") or "").strip(),
            state=str(query.get("state") or "").strip(),
            language=str(query.get("language") or "").strip(),
            consultation=str(query.get("consultation") or "").strip(),
            kind=str(query.get("kind") or "").strip(),
            page=page,
        )

    @property
    def active(self) -> bool:
        return any((self.topic, self.state, self.language, self.consultation, self.kind))

    def query_string(self, page: int | None = None) -> str:
        """The filters as a query string (for paging links), ``page`` replacing the current."""
        from urllib.parse import urlencode

        pairs = [
            (name, getattr(self, name))
            for name in ("topic", "state", "language", "consultation", "kind")
            if getattr(self, name)
        ]
        if page is not None and page > 1:
            pairs.append(("page", str(page)))
        return urlencode(pairs)


def published_results(place: Place) -> QuerySet[Result]:
    return Result.objects.filter(place=place, is_published=True)


def _linked_to_published_result(place: Place, done: bool = False) -> Q:
    """Answered by a published result of ``place`` (at 100 % when ``done``).

    A plain ``IN`` over the link table, not a correlated ``EXISTS``: the database reads the
    links once per query instead of once per contribution.
    """
    links = Links.objects.filter(result__place=place, result__is_published=True)
    if done:
        links = links.filter(result__progress__gte=100)
    return Q(pk__in=links.values("contribution_id"))


def public_contributions(place: Place) -> QuerySet[Contribution]:
    """Every contribution of ``place`` the public trail shows, before any filter."""
    return Contribution.objects.filter(place=place, consultation__is_published=True).filter(
        Q(visibility=Visibility.PUBLISHED)
        | (Q(visibility=Visibility.ERASED) & _linked_to_published_result(place))
    )


def filtered(place: Place, filters: TrailFilters) -> QuerySet[Contribution]:
    qs = public_contributions(place)
    if filters.topic:
        qs = qs.filter(domain=filters.topic)
    if filters.state:
        # A built-in state narrows to everything that counts as it, custom states included.
        if filters.state in AnswerState.values:
            qs = qs.filter(public_state_group=filters.state)
        else:
            qs = qs.filter(public_state=filters.state)
    if filters.language:
        qs = qs.filter(source_language=filters.language)
    if filters.consultation:
        qs = qs.filter(consultation__slug=filters.consultation)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs


@dataclass
class Numbers:
    heard: int = 0
    answered: int = 0
    acted_on: int = 0
    done: int = 0


def numbers(place: Place, qs: QuerySet[Contribution]) -> Numbers:
    """Heard, answered, acted on and done, for the contributions of ``qs``, in one query.

    Heard: every contribution the trail shows. Answered: its published answer is in a state
    other than "not answered". Acted on: a published result answers it. Done: a published
    result answering it reached 100 %.
    """
    totals = qs.order_by().aggregate(
        heard=Count("pk"),
        answered=Count("pk", filter=~Q(public_state_group=AnswerState.NOT_ANSWERED)),
        acted_on=Count("pk", filter=_linked_to_published_result(place)),
        done=Count("pk", filter=_linked_to_published_result(place, done=True)),
    )
    return Numbers(**{name: int(value or 0) for name, value in totals.items()})


def _translations(language: str) -> Prefetch:
    return Prefetch("translations", queryset=Translation.objects.filter(language=language))


def result_queryset(language: str) -> QuerySet[Result]:
    """Published results with their status and milestones; texts via ``attach_translations``."""
    return (
        Result.objects.filter(is_published=True)
        .select_related("status")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "created_at"))
        )
        .order_by("created_at", "id")
    )


def row_queryset(qs: QuerySet[Contribution], language: str) -> QuerySet[Contribution]:
    """``qs`` with the records a trail row shows (texts via ``attach_translations``)."""
    return (
        qs.select_related("answer", "consultation")
        .prefetch_related(
            Prefetch("answer__services", queryset=Service.objects.order_by("name")),
            Prefetch("results", queryset=result_queryset(language)),
        )
        .order_by("-created_at", "-id")
    )


def attach_translations(records: Iterable[Any], language: str) -> None:
    """Fetch the ``language`` translations of ``records`` (of any types) in one query.

    Each record gets them as its prefetched ``translations``, which ``translation_for`` reads;
    one query instead of one per type keeps a page's cost flat as it shows more kinds of text.
    """
    by_key: dict[tuple[int, str], Any] = {}
    for record in records:
        if record is None:
            continue
        ct = ContentType.objects.get_for_model(type(record))
        by_key[(ct.pk, str(record.pk))] = record
        record.__dict__.setdefault("_prefetched_objects_cache", {})["translations"] = []
    if not by_key:
        return
    found = Translation.objects.filter(
        language=language,
        content_type_id__in={ct for ct, _pk in by_key},
        object_id__in={pk for _ct, pk in by_key},
    )
    for tr in found:
        record = by_key.get((tr.content_type_id, str(tr.object_id)))
        if record is not None:
            record._prefetched_objects_cache["translations"].append(tr)


def row_records(rows: Iterable[Contribution]) -> list[Any]:
    """Every translatable record a trail row shows: contribution, answer, services, results,
    their statuses and milestones."""
    records: list[Any] = []
    for c in rows:
        records.append(c)
        answer = getattr(c, "answer", None)
        if answer is not None:
            records.append(answer)
            records.extend(answer.services.all())
        for r in c.results.all():
            records.extend((r, r.status, *r.milestones.all()))
    return records


def filter_choices(place: Place, language: str, labels: dict[str, str]) -> dict[str, Any]:
    """The options of the trail's filters: topics, states, languages, consultations, kinds."""
    consultations = Consultation.objects.filter(place=place, is_published=True).prefetch_related(
        _translations(language)
    )
    return {
        "topics": [(str(k), str(v)) for k, v in Domain.choices],
        "states": list(labels.items()),
        "languages": place.content_languages,
        "consultations": [(c.slug, localize(c, language)["title"]) for c in consultations],
        "kinds": [(str(k), str(v)) for k, v in Kind.choices],
    }


@dataclass
class Page:
    rows: list[Contribution]
    number: int
    pages: int
    total: int
    numbers: Numbers = field(default_factory=Numbers)

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page(place: Place, filters: TrailFilters, language: str, size: int = PAGE_SIZE) -> Page:
    """One page of the filtered trail with the numbers at a glance.

    The aggregate gives the total too, so paging needs no COUNT of its own.
    Queries: the aggregate, the page's ids, the rows, and the prefetches of ``row_queryset``.
    """
    qs = filtered(place, filters)
    counted = numbers(place, qs)
    pages = max(1, math.ceil(counted.heard / size))
    number = min(filters.page, pages)
    start = (number - 1) * size
    # Two steps: the page's ids from a narrow, index-friendly query, then the rows with all
    # they show. Sorting whole joined rows to keep 25 of them costs far more on a big place.
    ids = list(qs.order_by("-created_at", "-id").values_list("pk", flat=True)[start : start + size])
    rows = list(row_queryset(Contribution.objects.filter(pk__in=ids), language)) if ids else []
    attach_translations(row_records(rows), language)
    return Page(rows, number, pages, counted.heard, counted)


def latest_milestone(result: Result) -> Milestone | None:
    milestones = list(result.milestones.all())
    return milestones[-1] if milestones else None


def removed_label() -> str:
    return _("Removed at its author's request")
