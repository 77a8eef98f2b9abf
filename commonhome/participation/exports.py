"""Staff exports of contributions, answers and results as CSV or XLSX.

Least data: no e-mail address, no desk contact, no participant id that could be matched with a
session; a participant appears as a pseudonym that stays the same across exports (so staff can
see that one person sent several needs) and means nothing outside this installation. Cells that
a spreadsheet would run as a formula are made inert. Rows are read in chunks and written as
they come, so a place with tens of thousands of contributions exports in constant memory.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import Count, Prefetch

from commonhome.core import tabular
from commonhome.core.models import Place
from commonhome.core.tabular import inert
from commonhome.directory.models import Service

from .answers import state_choices
from .models import Answer, Contribution, Result

WHAT = ("contributions", "answers", "results")
FORMATS = ("csv", "xlsx")
CHUNK = 2000


def pseudonym(participant_id: Any) -> str:
    return tabular.pseudonym("participation-export", "p-", participant_id)


def _iso(value: Any) -> str:
    return value.isoformat() if value else ""


def _contribution_rows(place: Place) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        "contribution_id",
        "created_at",
        "consultation",
        "kind",
        "topic",
        "title",
        "text",
        "language",
        "channel",
        "author_name",
        "participant",
        "visibility",
        "supports",
        "comments",
        "reports",
        "public_answer_state",
        "public_answer_counts_as",
        "location_label",
        "latitude",
        "longitude",
    ]
    qs = (
        Contribution.objects.filter(place=place)
        .select_related("consultation")
        .defer("place", "recorded_by", "meeting", "moderation_reason")
        .order_by("created_at", "id")
    )

    def rows() -> Iterator[list[Any]]:
        for c in qs.iterator(chunk_size=CHUNK):
            yield [
                str(c.pk),
                _iso(c.created_at),
                c.consultation.slug,
                c.kind,
                c.domain,
                c.title,
                c.body,
                c.source_language,
                c.channel,
                c.author_name,
                pseudonym(c.participant_id),
                c.visibility,
                c.support_count,
                c.comment_count,
                c.report_count,
                c.public_state,
                c.public_state_group,
                c.location_label,
                c.latitude,
                c.longitude,
            ]

    return header, rows()


def _answer_rows(place: Place) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        "contribution_id",
        "consultation",
        "contribution_title",
        "answer_state",
        "answer_state_label",
        "counts_as",
        "answer_text",
        "reason",
        "language",
        "services",
        "answered_by",
        "answered_at",
        "published",
        "published_at",
    ]
    labels = {key: label for key, label, _group in state_choices(place)}
    qs = (
        Answer.objects.filter(contribution__place=place)
        .select_related("contribution__consultation", "answered_by")
        .prefetch_related(Prefetch("services", queryset=Service.objects.only("id", "name")))
        .order_by("contribution__created_at", "id")
    )

    def rows() -> Iterator[list[Any]]:
        for a in qs.iterator(chunk_size=CHUNK):
            yield [
                str(a.contribution_id),
                a.contribution.consultation.slug,
                a.contribution.title,
                a.state,
                labels.get(a.state, a.state),
                a.state_group,
                a.text,
                a.reason,
                a.source_language,
                "; ".join(s.name for s in a.services.all()),
                a.answered_by.get_username() if a.answered_by else "",
                _iso(a.answered_at),
                "yes" if a.published_at else "no",
                _iso(a.published_at),
            ]

    return header, rows()


def _result_rows(place: Place) -> tuple[list[str], Iterator[list[Any]]]:
    header = [
        "result_id",
        "title",
        "description",
        "consultation",
        "parent_id",
        "topic",
        "status",
        "progress_percent",
        "progress_mode",
        "weight",
        "start_date",
        "end_date",
        "published",
        "contributions",
        "services",
        "milestones",
        "updated_at",
    ]
    qs = (
        Result.objects.filter(place=place)
        .select_related("consultation", "status")
        .annotate(
            n_contributions=Count("contributions", distinct=True),
            n_services=Count("services", distinct=True),
            n_milestones=Count("milestones", distinct=True),
        )
        .order_by("created_at", "id")
    )

    def rows() -> Iterator[list[Any]]:
        for r in qs.iterator(chunk_size=CHUNK):
            yield [
                str(r.pk),
                r.title,
                r.description,
                r.consultation.slug if r.consultation else "",
                str(r.parent_id or ""),
                r.domain,
                r.status.key if r.status else "",
                round(r.progress, 1),
                r.progress_mode,
                r.weight,
                _iso(r.start_date),
                _iso(r.end_date),
                "yes" if r.is_published else "no",
                r.n_contributions,
                r.n_services,
                r.n_milestones,
                _iso(r.updated_at),
            ]

    return header, rows()


SOURCES: dict[str, Callable[[Place], tuple[list[str], Iterator[list[Any]]]]] = {
    "contributions": _contribution_rows,
    "answers": _answer_rows,
    "results": _result_rows,
}


def table(place: Place, what: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The header and the (inert) rows of export ``what`` for ``place``."""
    header, rows = SOURCES[what](place)
    return header, ([inert(v) for v in row] for row in rows)


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # lets spreadsheet programs recognise UTF-8 (Arabic, Farsi, Ukrainian)
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)


def xlsx_file(header: list[str], rows: Iterable[list[Any]], title: str) -> Any:
    """An XLSX workbook in a temporary file (rewound), written row by row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out
