"""The public trail pages: "You said, we did", one result, and the trail as open data JSON."""

from __future__ import annotations

import math
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from commonhome.core.models import Translation
from commonhome.core.translation import localize
from commonhome.directory.constants import Domain
from commonhome.directory.models import Service
from commonhome.web.texts import shown

from . import answers
from . import trail as public_trail
from .constants import Kind, Visibility
from .models import Contribution, Meeting, Result
from .permissions import public_place_or_404

JSON_PAGE_SIZE = 500
JSON_SCHEMA_VERSION = 1


def _language() -> str:
    return get_language() or "en"


def _state_label(labels: dict[str, str], key: str) -> str:
    return labels.get(key, key)


def _result_view(result: Result, language: str, place_slug: str) -> dict[str, Any]:
    milestone = public_trail.latest_milestone(result)
    return {
        "result": result,
        "s": shown(result, language),
        "status": localize(result.status, language)["name"] if result.status else "",
        "url": reverse("participation:result", args=[place_slug, result.pk]),
        "milestone": milestone,
        "milestone_s": shown(milestone, language) if milestone else None,
    }


def trail(request: HttpRequest, place_slug: str) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    language = _language()
    filters = public_trail.TrailFilters.from_query(request.GET)
    labels = answers.state_labels(place, language)
    page = public_trail.page(place, filters, language)
    domains = dict(Domain.choices)
    kinds = dict(Kind.choices)
    rows = []
    for c in page.rows:
        erased = c.visibility == Visibility.ERASED
        answer = getattr(c, "answer", None)
        answer = answer if answer is not None and answer.is_published else None
        rows.append(
            {
                "c": c,
                "erased": erased,
                "s": None if erased else shown(c, language),
                "url": reverse("participation:contribution", args=[place.slug, c.pk]),
                "kind": kinds.get(c.kind, c.kind),
                "topic": domains.get(c.domain, ""),
                "state": _state_label(labels, c.public_state),
                "state_group": c.public_state_group,
                "answer": answer,
                "answer_s": shown(answer, language) if answer and answer.text else None,
                "services": [
                    {
                        "name": localize(service, language)["name"],
                        "url": reverse("directory:service", args=[place.slug, service.pk]),
                    }
                    for service in (answer.services.all() if answer else ())
                ],
                "results": [_result_view(r, language, place.slug) for r in c.results.all()],
            }
        )
    context = {
        "place": place,
        "nav": "trail",
        "filters": filters,
        "choices": public_trail.filter_choices(place, language, labels),
        "page": page,
        "numbers": page.numbers,
        "rows": rows,
        "removed": public_trail.removed_label(),
        "json_url": reverse("participation:trail-json", args=[place.slug]),
    }
    return render(request, "participation/trail/trail.html", context)


def result(request: HttpRequest, place_slug: str, pk: UUID) -> HttpResponse:
    place = public_place_or_404(request, place_slug)
    language = _language()
    original = request.GET.get("original") == "1"
    lang_tr = Prefetch("translations", queryset=Translation.objects.filter(language=language))
    obj = get_object_or_404(
        public_trail.result_queryset(language).select_related("parent__status").filter(place=place),
        pk=pk,
    )
    page_url = reverse("participation:result", args=[place.slug, obj.pk])
    parent = obj.parent if obj.parent is not None and obj.parent.is_published else None
    children = list(public_trail.result_queryset(language).filter(parent=obj))
    public_trail.attach_translations(
        [
            obj,
            obj.status,
            parent,
            parent.status if parent else None,
            *obj.milestones.all(),
            *[x for child in children for x in (child, child.status)],
        ],
        language,
    )
    contributions = list(
        public_trail.public_contributions(place)
        .filter(results=obj)
        .prefetch_related(lang_tr)
        .order_by("-created_at", "-id")
    )
    services = list(
        Service.objects.filter(results=obj, place=place).prefetch_related(lang_tr).order_by("name")
    )
    meetings = [
        m
        for m in Meeting.objects.filter(results=obj, place=place, is_public=True)
        .select_related("body")
        .prefetch_related(lang_tr)
        if m.is_visible
    ]
    s = shown(obj, language, original=original, page_url=page_url)
    context = {
        "place": place,
        "nav": "trail",
        "result": obj,
        "s": s,
        "notes": s.notes,
        "status": localize(obj.status, language)["name"] if obj.status else "",
        "parent": _result_view(parent, language, place.slug) if parent else None,
        "children": [_result_view(child, language, place.slug) for child in children],
        "milestones": [(m, shown(m, language)) for m in obj.milestones.all()],
        "contributions": [
            {
                "c": c,
                "erased": c.visibility == Visibility.ERASED,
                "s": shown(c, language) if c.visibility != Visibility.ERASED else None,
                "url": reverse("participation:contribution", args=[place.slug, c.pk]),
            }
            for c in contributions
        ],
        "services": [
            {
                "name": localize(service, language)["name"],
                "url": reverse("directory:service", args=[place.slug, service.pk]),
            }
            for service in services
        ],
        "meetings": [
            {
                "title": localize(m, language)["title"],
                "starts_at": m.starts_at,
                "url": reverse("participation:meeting", args=[place.slug, m.pk]),
            }
            for m in meetings
        ],
        "removed": public_trail.removed_label(),
    }
    return render(request, "participation/trail/result.html", context)


# --- Open data JSON -------------------------------------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def contribution_data(c: Contribution, labels: dict[str, str], place_slug: str) -> dict[str, Any]:
    """One contribution of the public trail as open data: originals, never e-mails or desk
    details; the author's name only when they gave one to be shown; nothing of an erased one
    but its place in the chain."""
    erased = c.visibility == Visibility.ERASED
    answer = getattr(c, "answer", None)
    answer = answer if answer is not None and answer.is_published else None
    return {
        "id": str(c.pk),
        "erased": erased,
        "kind": c.kind,
        "topic": c.domain,
        "consultation": c.consultation.slug,
        "language": c.source_language,
        "title": "" if erased else c.title,
        "body": "" if erased else c.body,
        "author_name": "" if erased else c.author_name,
        "created": c.created_at.date().isoformat(),
        "supports": c.support_count,
        "answer": {
            "state": c.public_state,
            "state_label": labels.get(c.public_state, c.public_state),
            "state_group": c.public_state_group,
            "text": answer.text if answer else "",
            "reason": answer.reason if answer else "",
            "language": answer.source_language if answer else "",
            "published_at": _iso(answer.published_at) if answer else None,
            "services": [
                {
                    "id": str(service.pk),
                    "name": service.name,
                    "url": reverse("directory:service", args=[place_slug, service.pk]),
                }
                for service in (answer.services.all() if answer else ())
            ],
        },
        "results": [str(r.pk) for r in c.results.all()],
    }


def result_data(r: Result) -> dict[str, Any]:
    return {
        "id": str(r.pk),
        "title": r.title,
        "description": r.description,
        "language": r.source_language,
        "topic": r.domain,
        "status": r.status.key if r.status else "",
        "status_name": r.status.name if r.status else "",
        "progress": round(r.progress, 2),
        "parent": str(r.parent_id) if r.parent_id else None,
        "start_date": _iso(r.start_date),
        "end_date": _iso(r.end_date),
        "milestones": [
            {"date": m.date.isoformat(), "title": m.title, "description": m.description}
            for m in r.milestones.all()
        ],
    }


def trail_json(request: HttpRequest, place_slug: str) -> JsonResponse:
    """The public trail of a place as open data, in pages of 500 contributions and 500 results.

    Shape (``schema_version`` 1)::

        {"schema_version": 1, "license": "...", "place": {"slug", "name"}, "page", "pages",
         "next": url | null, "totals": {"heard", "answered", "acted_on", "done"},
         "contributions": [{"id", "erased", "kind", "topic", "consultation", "language",
                            "title", "body", "author_name", "created", "supports",
                            "answer": {"state", "state_label", "state_group", "text", "reason",
                                       "language", "published_at",
                                       "services": [{"id", "name", "url"}]},
                            "results": [result ids]}],
         "results": [{"id", "title", "description", "language", "topic", "status",
                      "status_name", "progress", "parent", "start_date", "end_date",
                      "milestones": [{"date", "title", "description"}]}]}

    Page ``n`` holds the ``n``-th slice of the contributions (newest first) and of the results
    (oldest first); ``next`` is null on the last page. Texts are the originals, each with its
    language.
    """
    place = public_place_or_404(request, place_slug)
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    language = place.default_language
    labels = answers.state_labels(place, language)
    contributions = public_trail.public_contributions(place)
    counted = public_trail.numbers(place, contributions)
    result_count = public_trail.published_results(place).count()
    pages = max(
        1,
        math.ceil(counted.heard / JSON_PAGE_SIZE),
        math.ceil(result_count / JSON_PAGE_SIZE),
    )
    if number > pages:
        raise Http404("No such page")
    start = (number - 1) * JSON_PAGE_SIZE
    rows = public_trail.row_queryset(contributions, language)[start : start + JSON_PAGE_SIZE]
    results = public_trail.result_queryset(language).filter(place=place)[
        start : start + JSON_PAGE_SIZE
    ]
    url = reverse("participation:trail-json", args=[place.slug])
    payload = {
        "schema_version": JSON_SCHEMA_VERSION,
        "license": "Open data: free to use, share and adapt, with attribution to the place.",
        "place": {"slug": place.slug, "name": place.name},
        "page": number,
        "pages": pages,
        "next": request.build_absolute_uri(f"{url}?page={number + 1}") if number < pages else None,
        "totals": vars(counted),
        "contributions": [contribution_data(c, labels, place.slug) for c in rows],
        "results": [result_data(r) for r in results],
    }
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
