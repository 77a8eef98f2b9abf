"""Results ("you said, we did"): every change of a result's state goes through a function here.

A result's progress is either set by hand or computed from its parts (its children): their
average, or their average weighted by each part's ``weight``. Any change that moves a result's
progress moves its ancestors' in the same transaction, and each result whose progress moved
emits ``participation.result_progress`` so the people who follow it hear about it.

Each function checks permission (``participation.results``; the status catalogue needs
``participation.manage``), validates with errors naming the field, writes the audit log and
emits an event; nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils import translation as i18n
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.records import StaleVersion, update_versioned
from commonhome.core.translation import save_translation
from commonhome.directory.models import Service

from .constants import DEFAULT_RESULT_STATUSES, AnswerState, ProgressMode
from .models import Answer, Contribution, Meeting, Milestone, Result, ResultStatus

__all__ = [
    "StaleVersion",
    "add_milestone",
    "compute_progress",
    "create_result",
    "create_status",
    "delete_milestone",
    "delete_status",
    "ensure_statuses",
    "is_accepted",
    "link_contributions",
    "link_meetings",
    "link_services",
    "result_from_contribution",
    "unlink_contributions",
    "unlink_meetings",
    "unlink_services",
    "update_milestone",
    "update_result",
    "update_status",
]

#: Fields a result takes on creation and edit (links have their own functions).
RESULT_FIELDS = (
    "title",
    "description",
    "domain",
    "consultation",
    "parent",
    "status",
    "progress",
    "progress_mode",
    "weight",
    "start_date",
    "end_date",
    "is_published",
    "source_language",
)
LINK_FIELDS = ("contributions", "services", "meetings")
MILESTONE_FIELDS = ("date", "title", "description", "source_language")
STATUS_FIELDS = ("key", "name", "progress", "position")
#: A chain of parents deeper than this is refused: it is a mistake, not a plan.
MAX_DEPTH = 20


# --- Pure computation ---------------------------------------------------------------------


def compute_progress(mode: str, parts: Sequence[tuple[float, float]]) -> float | None:
    """Progress from ``parts`` as (progress, weight) pairs; None when set by hand or no parts.

    Weighted with a total weight of zero falls back to the plain average: parts that all weigh
    nothing still say how far the whole got.
    """
    if mode == ProgressMode.MANUAL or not parts:
        return None
    if mode == ProgressMode.WEIGHTED:
        total = sum(max(weight, 0.0) for _p, weight in parts)
        if total > 0:
            return round(sum(p * max(w, 0.0) for p, w in parts) / total, 2)
    return round(sum(p for p, _w in parts) / len(parts), 2)


def _moved(before: float, after: float) -> bool:
    return abs(before - after) >= 0.005


# --- Statuses -----------------------------------------------------------------------------


def ensure_statuses(place: Place) -> dict[str, ResultStatus]:
    """The place's statuses by key, creating the default ones it lacks.

    Default names are stored in English with translations into the place's languages taken
    from the interface catalogue, so a place can rename or translate them like any record.
    """
    existing = {s.key: s for s in ResultStatus.objects.filter(place=place)}
    missing = [spec for spec in DEFAULT_RESULT_STATUSES if spec[0] not in existing]
    if not missing:
        return existing
    with transaction.atomic():
        for key, label, progress in missing:
            position = [spec[0] for spec in DEFAULT_RESULT_STATUSES].index(key)
            with i18n.override("en"):
                english = str(label)
            status, created = ResultStatus.objects.get_or_create(
                place=place,
                key=key,
                defaults={
                    "name": english,
                    "progress": progress,
                    "position": position,
                    "source_language": "en",
                },
            )
            existing[key] = status
            if not created:
                continue
            for language in place.content_languages:
                if language == "en":
                    continue
                with i18n.override(language):
                    local = str(label)
                if local != english:
                    save_translation(status, language, {"name": local})
    return existing


def _validate_status_fields(place: Place, fields: dict[str, Any], status: ResultStatus | None):
    unknown = sorted(set(fields) - set(STATUS_FIELDS))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    errors: dict[str, str] = {}
    progress = fields.get("progress")
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a percentage from 0 to 100.")
    key = fields.get("key")
    if key is not None:
        clash = ResultStatus.objects.filter(place=place, key=key)
        if status is not None:
            clash = clash.exclude(pk=status.pk)
        if clash.exists():
            errors["key"] = _("Another status of this place already has this key.")
    if "name" in fields and not (fields["name"] or "").strip():
        errors["name"] = _("A status needs a name.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_status(actor: Any, place: Place, **fields: Any) -> ResultStatus:
    require(actor, "participation.manage", place)
    _validate_status_fields(place, fields, None)
    status = ResultStatus(place=place, **fields)
    status.full_clean(exclude=["place"])
    status.save()
    audit.record(
        actor,
        "participation.status.create",
        status,
        place=place,
        after=audit.snapshot(status, STATUS_FIELDS),
    )
    events.emit("record.changed", record=status)
    return status


@transaction.atomic
def update_status(
    actor: Any, status: ResultStatus, expected_version: int | None = None, **fields: Any
) -> ResultStatus:
    place = status.place
    require(actor, "participation.manage", place)
    _validate_status_fields(place, fields, status)
    return update_versioned(
        actor,
        status,
        expected_version,
        fields,
        action="participation.status.update",
        validate=lambda locked: locked.full_clean(exclude=["place"]),
        place=place,
    )


@transaction.atomic
def delete_status(actor: Any, status: ResultStatus) -> None:
    """Remove a status; results that had it keep their progress and lose only the label."""
    require(actor, "participation.manage", status.place)
    before = audit.snapshot(status, STATUS_FIELDS)
    audit.record(actor, "participation.status.delete", status, place=status.place, before=before)
    status.delete()


# --- Validation ---------------------------------------------------------------------------


def _check_names(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _ancestor_ids(result: Result | None) -> list[Any]:
    """Ids from ``result`` up to its root (``result`` first), one query per level."""
    ids: list[Any] = []
    current = result
    while current is not None and len(ids) <= MAX_DEPTH:
        ids.append(current.pk)
        parent_id = current.parent_id
        current = Result.objects.only("id", "parent_id").get(pk=parent_id) if parent_id else None
    return ids


def _validate_result(place: Place, result: Result, fields: dict[str, Any]) -> None:
    """Errors by field; ``result`` already carries the new values."""
    errors: dict[str, str] = {}
    if not 0 <= (result.progress or 0) <= 100:
        errors["progress"] = _("Progress is a percentage from 0 to 100.")
    if result.weight is not None and result.weight < 0:
        errors["weight"] = _("A weight cannot be negative.")
    if result.start_date and result.end_date and result.end_date < result.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    if result.status_id and result.status.place_id != place.pk:
        errors["status"] = _("Choose a status of this place.")
    if result.consultation_id and result.consultation.place_id != place.pk:
        errors["consultation"] = _("Choose a consultation of this place.")
    if "parent" in fields and result.parent_id:
        parent = result.parent
        if parent.place_id != place.pk:
            errors["parent"] = _("Choose a result of this place.")
        else:
            chain = _ancestor_ids(parent)
            if result.pk in chain:
                errors["parent"] = _(
                    "A result cannot be part of itself or of one of its own parts."
                )
            elif len(chain) > MAX_DEPTH:
                errors["parent"] = _("Results cannot be nested this deep.")
    if "title" in fields and not (result.title or "").strip():
        errors["title"] = _("A result needs a title.")
    if errors:
        raise ValidationError(errors)


def _same_place(place: Place, records: Iterable[Any], field: str) -> list[Any]:
    items = list(records)
    strangers = [r for r in items if r.place_id != place.pk]
    if strangers:
        raise ValidationError(
            {
                field: _("These records belong to another place: %(names)s")
                % {"names": ", ".join(str(r) for r in strangers)}
            }
        )
    return items


# --- Progress -----------------------------------------------------------------------------


def _recompute(result_id: Any, moved: dict[Any, tuple[Result, float, float]]) -> None:
    """Recompute ``result_id`` and its ancestors from their parts, recording what moved.

    Rows are locked on the way up so two changes of sibling parts cannot interleave.
    """
    current_id = result_id
    depth = 0
    while current_id is not None and depth <= MAX_DEPTH:
        node = Result.objects.select_for_update().get(pk=current_id)
        parts = list(node.children.values_list("progress", "weight"))
        computed = compute_progress(node.progress_mode, parts)
        if computed is not None and _moved(node.progress, computed):
            before = moved[node.pk][1] if node.pk in moved else node.progress
            Result.objects.filter(pk=node.pk).update(progress=computed)
            node.progress = computed
            moved[node.pk] = (node, before, computed)
        current_id = node.parent_id
        depth += 1


def _emit_moved(moved: dict[Any, tuple[Result, float, float]]) -> None:
    for result, before, after in moved.values():
        if _moved(before, after):
            events.emit("participation.result_progress", result=result, before=before, after=after)


# --- Results ------------------------------------------------------------------------------


def _prepare_fields(place: Place, fields: dict[str, Any], current_status_id: Any) -> None:
    """A new status with a default progress sets the progress, unless progress is given."""
    status = fields.get("status")
    if (
        status is not None
        and status.pk != current_status_id
        and status.progress is not None
        and fields.get("progress") is None
    ):
        fields["progress"] = float(status.progress)
    if fields.get("progress") is None:
        fields.pop("progress", None)


@transaction.atomic
def create_result(actor: Any, place: Place, **fields: Any) -> Result:
    """A new result; ``contributions``, ``services`` and ``meetings`` may be linked at once."""
    require(actor, "participation.results", place)
    _check_names(fields, RESULT_FIELDS + LINK_FIELDS)
    links = {name: fields.pop(name) for name in LINK_FIELDS if name in fields}
    _prepare_fields(place, fields, None)
    now = timezone.now()
    result = Result(place=place, created_at=now, updated_at=now, **fields)
    _validate_result(place, result, fields)
    result.full_clean(exclude=["place", "parent", "status", "consultation"])
    result.save()
    audit.record(
        actor,
        "participation.result.create",
        result,
        place=place,
        after=audit.snapshot(result, [n for n in RESULT_FIELDS if n != "source_language"]),
    )
    moved: dict[Any, tuple[Result, float, float]] = {}
    if result.parent_id:
        _recompute(result.parent_id, moved)
    _emit_moved(moved)
    if links.get("contributions"):
        link_contributions(actor, result, links["contributions"])
    if links.get("services"):
        link_services(actor, result, links["services"])
    if links.get("meetings"):
        link_meetings(actor, result, links["meetings"])
    return result


@transaction.atomic
def update_result(
    actor: Any, result: Result, expected_version: int | None, **fields: Any
) -> Result:
    """Change a result if nobody saved it since ``expected_version``.

    Raises :class:`StaleVersion` or ``ValidationError`` by field; on either nothing is written.
    A result whose progress is computed from its parts keeps the computed figure.
    """
    place = result.place
    require(actor, "participation.results", place)
    _check_names(fields, RESULT_FIELDS)
    locked = Result.objects.select_for_update().get(pk=result.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleVersion(locked, expected_version)
    _prepare_fields(place, fields, locked.status_id)
    names = [n for n in fields if getattr(locked, n) != fields[n]]
    if not names:
        return locked
    before = audit.snapshot(locked, names)
    old_parent_id = locked.parent_id
    old_progress = locked.progress
    for name in names:
        setattr(locked, name, fields[name])
    _validate_result(place, locked, {n: fields[n] for n in names})
    locked.full_clean(exclude=["place", "parent", "status", "consultation"])
    if any(n in locked.translatable_fields for n in names):
        locked.content_version += 1
    locked.version += 1
    locked.updated_at = timezone.now()
    locked.save()
    moved: dict[Any, tuple[Result, float, float]] = {}
    if _moved(old_progress, locked.progress):
        moved[locked.pk] = (locked, old_progress, locked.progress)
    # Its own figure (a mode switched to computed), then everything above it.
    _recompute(locked.pk, moved)
    if old_parent_id and old_parent_id != locked.parent_id:
        _recompute(old_parent_id, moved)
    if locked.pk in moved:
        locked.progress = moved[locked.pk][2]
    audit.record(
        actor,
        "participation.result.update",
        locked,
        place=place,
        before=before,
        after=audit.snapshot(locked, names),
    )
    events.emit("record.changed", record=locked)
    _emit_moved(moved)
    return locked


def is_accepted(contribution: Contribution) -> bool:
    """Accepted in its published answer, or in the answer staff are still drafting."""
    if contribution.public_state_group == AnswerState.ACCEPTED:
        return True
    return Answer.objects.filter(
        contribution=contribution, state_group=AnswerState.ACCEPTED
    ).exists()


@transaction.atomic
def result_from_contribution(actor: Any, contribution: Contribution) -> Result:
    """Turn an accepted contribution into a planned result that answers it, in one step.

    The result starts with the contribution's words in their original language (and the
    translations it has), its topic and consultation, so nothing is retyped.
    """
    place = contribution.place
    require(actor, "participation.results", place)
    if not is_accepted(contribution):
        raise ValidationError(
            {
                "contribution": _(
                    "Only accepted contributions can be turned into a result: answer it "
                    "“accepted” first."
                )
            }
        )
    planned = ensure_statuses(place)["planned"]
    result = create_result(
        actor,
        place,
        title=contribution.title[:200],
        description=contribution.body,
        domain=contribution.domain,
        consultation=contribution.consultation,
        status=planned,
        source_language=contribution.source_language,
    )
    for tr in contribution.translations.all():
        texts = {"title": tr.fields.get("title", ""), "description": tr.fields.get("body", "")}
        if any(texts.values()) and tr.language != result.source_language:
            save_translation(result, tr.language, texts, origin=tr.origin, provider=tr.provider)
    link_contributions(actor, result, [contribution])
    return result


# --- Links --------------------------------------------------------------------------------


def _link(
    actor: Any, result: Result, records: Iterable[Any], relation: str, *, add: bool
) -> list[Any]:
    place = result.place
    require(actor, "participation.results", place)
    items = _same_place(place, records, relation)
    manager = getattr(result, relation)
    present = set(manager.filter(pk__in=[r.pk for r in items]).values_list("pk", flat=True))
    changed = [r for r in items if (r.pk not in present) == add]
    changed = list({r.pk: r for r in changed}.values())
    if not changed:
        return []
    if add:
        manager.add(*changed)
    else:
        manager.remove(*changed)
    audit.record(
        actor,
        f"participation.result.{'link' if add else 'unlink'}_{relation}",
        result,
        place=place,
        after={relation: [str(r.pk) for r in changed]},
    )
    return changed


@transaction.atomic
def link_contributions(
    actor: Any, result: Result, contributions: Iterable[Contribution]
) -> list[Contribution]:
    """Say that ``result`` answers these contributions; their people hear about it."""
    linked = _link(actor, result, contributions, "contributions", add=True)
    if linked:
        events.emit("participation.result_linked", result=result, contributions=linked)
    return linked


@transaction.atomic
def unlink_contributions(
    actor: Any, result: Result, contributions: Iterable[Contribution]
) -> list[Contribution]:
    return _link(actor, result, contributions, "contributions", add=False)


@transaction.atomic
def link_services(actor: Any, result: Result, services: Iterable[Service]) -> list[Service]:
    return _link(actor, result, services, "services", add=True)


@transaction.atomic
def unlink_services(actor: Any, result: Result, services: Iterable[Service]) -> list[Service]:
    return _link(actor, result, services, "services", add=False)


@transaction.atomic
def link_meetings(actor: Any, result: Result, meetings: Iterable[Meeting]) -> list[Meeting]:
    return _link(actor, result, meetings, "meetings", add=True)


@transaction.atomic
def unlink_meetings(actor: Any, result: Result, meetings: Iterable[Meeting]) -> list[Meeting]:
    return _link(actor, result, meetings, "meetings", add=False)


# --- Milestones ---------------------------------------------------------------------------


def _validate_milestone(milestone: Milestone) -> None:
    errors: dict[str, str] = {}
    if not isinstance(milestone.date, dt.date):
        errors["date"] = _("A milestone needs a date.")
    if not (milestone.title or "").strip():
        errors["title"] = _("A milestone needs a title.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def add_milestone(
    actor: Any,
    result: Result,
    *,
    date: dt.date,
    title: str,
    description: str = "",
    source_language: str | None = None,
) -> Milestone:
    require(actor, "participation.results", result.place)
    milestone = Milestone(
        result=result,
        date=date,
        title=title,
        description=description,
        source_language=source_language or result.source_language,
    )
    _validate_milestone(milestone)
    milestone.full_clean(exclude=["result"])
    milestone.save()
    audit.record(
        actor,
        "participation.milestone.add",
        milestone,
        place=result.place,
        after=audit.snapshot(milestone, MILESTONE_FIELDS),
    )
    events.emit("participation.milestone_added", milestone=milestone)
    return milestone


@transaction.atomic
def update_milestone(
    actor: Any, milestone: Milestone, expected_version: int | None = None, **fields: Any
) -> Milestone:
    place = milestone.result.place
    require(actor, "participation.results", place)
    _check_names(fields, MILESTONE_FIELDS)
    return update_versioned(
        actor,
        milestone,
        expected_version,
        fields,
        action="participation.milestone.update",
        validate=_validate_milestone,
        place=place,
    )


@transaction.atomic
def delete_milestone(actor: Any, milestone: Milestone) -> None:
    place = milestone.result.place
    require(actor, "participation.results", place)
    audit.record(
        actor,
        "participation.milestone.delete",
        milestone,
        place=place,
        before=audit.snapshot(milestone, MILESTONE_FIELDS),
    )
    milestone.delete()
