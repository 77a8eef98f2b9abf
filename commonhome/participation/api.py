"""Participation's part of the platform API (/api/v1/participation/): the public trail, read-only.

Only what the public trail shows (see ``trail``): published contributions of published
consultations, published answers and results. Texts come in the language ``lang`` where a
translation exists, else the original; ``text_languages`` says which. Never e-mails or desk
details.
"""

from __future__ import annotations

import math
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from commonhome.core.models import Place, Translation
from commonhome.core.translation import localize
from commonhome.directory.api import TextsOut, content_language

from . import answers, trail
from .constants import Visibility
from .models import Consultation, Contribution, Result
from .permissions import public_place_or_404

router = Router(tags=["participation"])

MAX_PAGE_SIZE = 100


class ConsultationOut(TextsOut):
    slug: str
    phase: str
    topics: list[str]
    answer_by: str | None
    opens_on: str | None
    closes_on: str | None


class ServiceRefOut(Schema):
    id: str
    name: str


class AnswerOut(TextsOut):
    state: str
    state_label: str
    state_group: str
    published_at: str | None
    services: list[ServiceRefOut]


class MilestoneOut(TextsOut):
    date: str


class ResultRefOut(TextsOut):
    id: str
    status: str
    progress: float


class ContributionOut(TextsOut):
    id: str
    erased: bool
    kind: str
    topic: str
    consultation: str
    language: str
    author_name: str
    created: str
    supports: int
    state: str
    state_group: str
    results: list[str]


class ContributionDetailOut(ContributionOut):
    answer: AnswerOut | None
    result_details: list[ResultRefOut]


class ResultOut(TextsOut):
    id: str
    topic: str
    status: str
    status_name: str
    progress: float
    parent: str | None
    children: list[ResultRefOut]
    start_date: str | None
    end_date: str | None
    milestones: list[MilestoneOut]
    contributions: list[str]


class NumbersOut(Schema):
    heard: int
    answered: int
    acted_on: int
    done: int


class ContributionPageOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    language: str
    numbers: NumbersOut
    results: list[ContributionOut]


class ResultPageOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    language: str
    results: list[ResultOut]


class TrailQuery(Schema):
    topic: str = ""
    state: str = ""
    language: str = ""
    consultation: str = ""
    kind: str = ""
    page: int = 1
    page_size: int = 25
    lang: str = ""


class PageQuery(Schema):
    page: int = 1
    page_size: int = 25
    lang: str = ""


def _page_size(size: int) -> int:
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise HttpError(422, f"page_size: expected 1 to {MAX_PAGE_SIZE}")
    return size


def _texts(record: Any, language: str, blank: bool = False) -> dict[str, Any]:
    if blank:
        return {"texts": {}, "text_languages": {}, "translation": "erased"}
    shown = localize(record, language)
    texts = {name: value for name, value in shown.texts.items() if value}
    return {
        "texts": texts,
        "text_languages": {name: shown.field_languages[name] for name in texts},
        "translation": str(shown.status),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _contribution(c: Contribution, language: str) -> dict[str, Any]:
    erased = c.visibility == Visibility.ERASED
    return {
        "id": str(c.pk),
        "erased": erased,
        "kind": c.kind,
        "topic": c.domain,
        "consultation": c.consultation.slug,
        "language": c.source_language,
        "author_name": "" if erased else c.author_name,
        "created": c.created_at.date().isoformat(),
        "supports": c.support_count,
        "state": c.public_state,
        "state_group": c.public_state_group,
        "results": [str(r.pk) for r in c.results.all()],
        **_texts(c, language, blank=erased),
    }


def _result_ref(r: Result, language: str) -> dict[str, Any]:
    return {
        "id": str(r.pk),
        "status": r.status.key if r.status else "",
        "progress": round(r.progress, 2),
        **_texts(r, language),
    }


def _result(r: Result, language: str) -> dict[str, Any]:
    return {
        "id": str(r.pk),
        "topic": r.domain,
        "status": r.status.key if r.status else "",
        "status_name": localize(r.status, language)["name"] if r.status else "",
        "progress": round(r.progress, 2),
        "parent": str(r.parent_id) if r.parent_id else None,
        "children": [_result_ref(child, language) for child in r.children.all()],
        "start_date": _iso(r.start_date),
        "end_date": _iso(r.end_date),
        "milestones": [
            {"date": m.date.isoformat(), **_texts(m, language)} for m in r.milestones.all()
        ],
        "contributions": [str(c.pk) for c in r.contributions.all()],
        **_texts(r, language),
    }


def _filters(query: TrailQuery) -> trail.TrailFilters:
    return trail.TrailFilters(
        topic=query.topic,
        state=query.state,
        language=query.language,
        consultation=query.consultation,
        kind=query.kind,
        page=max(1, query.page),
    )


@router.get(
    "/places/{slug}/consultations",
    response=list[ConsultationOut],
    summary="Published consultations of a place",
)
def consultations(request: HttpRequest, slug: str, lang: str = "") -> list[dict[str, Any]]:
    place = public_place_or_404(request, slug)
    language = content_language(lang, place)
    rows = Consultation.objects.filter(place=place, is_published=True).prefetch_related(
        Prefetch("translations", queryset=Translation.objects.filter(language=language))
    )
    return [
        {
            "slug": c.slug,
            "phase": c.phase,
            "topics": list(c.domains or []),
            "answer_by": _iso(c.answer_by),
            "opens_on": _iso(c.opens_on),
            "closes_on": _iso(c.closes_on),
            **_texts(c, language),
        }
        for c in rows
    ]


@router.get(
    "/places/{slug}/contributions",
    response=ContributionPageOut,
    summary="Contributions of a place's public trail",
    description=(
        "Filters as on the trail page: `topic` (a directory domain), `state` (a built-in "
        "answer state, which includes the custom states counting as it, or a custom state's "
        "key), `language` (written in), `consultation` (slug), `kind`. Newest first. "
        "`numbers` are the trail's numbers at a glance for the filtered set."
    ),
)
def contributions(request: HttpRequest, slug: str, query: Query[TrailQuery]) -> dict[str, Any]:
    place = public_place_or_404(request, slug)
    language = content_language(query.lang, place)
    size = _page_size(query.page_size)
    filters = _filters(query)
    page = trail.page(place, filters, language, size=size)
    return {
        "total": page.total,
        "page": page.number,
        "pages": page.pages,
        "page_size": size,
        "language": language,
        "numbers": vars(page.numbers),
        "results": [_contribution(c, language) for c in page.rows],
    }


@router.get(
    "/places/{slug}/contributions/{contribution_id}",
    response=ContributionDetailOut,
    summary="One contribution with its published answer and results",
)
def contribution(
    request: HttpRequest, slug: str, contribution_id: UUID, lang: str = ""
) -> dict[str, Any]:
    place = public_place_or_404(request, slug)
    language = content_language(lang, place)
    c = get_object_or_404(
        trail.row_queryset(trail.public_contributions(place), language), pk=contribution_id
    )
    trail.attach_translations(trail.row_records([c]), language)
    labels = answers.state_labels(place, language)
    answer = getattr(c, "answer", None)
    answer = answer if answer is not None and answer.is_published else None
    return {
        **_contribution(c, language),
        "answer": {
            "state": c.public_state,
            "state_label": labels.get(c.public_state, c.public_state),
            "state_group": c.public_state_group,
            "published_at": _iso(answer.published_at),
            "services": [
                {"id": str(s.pk), "name": localize(s, language)["name"]}
                for s in answer.services.all()
            ],
            **_texts(answer, language),
        }
        if answer
        else None,
        "result_details": [_result_ref(r, language) for r in c.results.all()],
    }


def _results_queryset(place: Place) -> Any:
    return (
        trail.result_queryset("")
        .filter(place=place)
        .prefetch_related(
            Prefetch(
                "children",
                queryset=Result.objects.filter(is_published=True)
                .select_related("status")
                .order_by("created_at", "id"),
            ),
            Prefetch(
                "contributions",
                queryset=trail.public_contributions(place).only("id").order_by("created_at"),
            ),
        )
    )


def _with_texts(rows: list[Result], language: str) -> list[Result]:
    """``rows`` with the translations of them, their statuses, milestones and parts attached."""
    records: list[Any] = []
    for r in rows:
        records.extend((r, r.status, *r.milestones.all()))
        records.extend(x for child in r.children.all() for x in (child, child.status))
    trail.attach_translations(records, language)
    return rows


@router.get(
    "/places/{slug}/results",
    response=ResultPageOut,
    summary="Published results of a place, with their parts and milestones",
)
def results(request: HttpRequest, slug: str, query: Query[PageQuery]) -> dict[str, Any]:
    place = public_place_or_404(request, slug)
    language = content_language(query.lang, place)
    size = _page_size(query.page_size)
    total = trail.published_results(place).count()
    pages = max(1, math.ceil(total / size))
    number = min(max(1, query.page), pages)
    rows = _with_texts(
        list(_results_queryset(place)[(number - 1) * size : number * size]), language
    )
    return {
        "total": total,
        "page": number,
        "pages": pages,
        "page_size": size,
        "language": language,
        "results": [_result(r, language) for r in rows],
    }


@router.get(
    "/places/{slug}/results/{result_id}",
    response=ResultOut,
    summary="One published result",
)
def result(request: HttpRequest, slug: str, result_id: UUID, lang: str = "") -> dict[str, Any]:
    place = public_place_or_404(request, slug)
    language = content_language(lang, place)
    found = get_object_or_404(_results_queryset(place), pk=result_id)
    return _result(_with_texts([found], language)[0], language)


@router.get(
    "/places/{slug}/trail/summary",
    response=NumbersOut,
    summary="The trail's numbers at a glance",
    description="Heard, answered, acted on, done; filtered like the contributions endpoint.",
)
def summary(request: HttpRequest, slug: str, query: Query[TrailQuery]) -> dict[str, int]:
    place = public_place_or_404(request, slug)
    return vars(trail.numbers(place, trail.filtered(place, _filters(query))))
