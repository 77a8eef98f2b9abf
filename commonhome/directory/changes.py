"""Suggested edits and outdated-information reports: submitting, reviewing, deciding.

Anyone may suggest; moderators accept, amend or reject. Applying a suggestion goes through
:func:`commonhome.directory.services.update_record`, so it is version-checked and audited like
any other edit. A suggestion remembers the values its author saw, so a reviewer can tell which
proposed fields were changed by someone else in the meantime.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from commonhome.core import audit
from commonhome.core.models import AuditEntry
from commonhome.core.permissions import require

from .constants import ChangeKind, ChangeStatus
from .models import ChangeRequest, Organization, Service
from .services import editable_fields, update_record


class ChangedSince(Exception):
    """Fields of a suggestion were changed by someone else after the suggester saw them."""

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(
            "Changed by someone else since the suggestion was made: "
            + ", ".join(fields)
            + ". Amend the suggestion to choose the values to keep."
        )


class AlreadyDecided(Exception):
    def __init__(self, change: ChangeRequest) -> None:
        self.change = change
        super().__init__(f"This suggestion was already decided: {change.get_status_display()}.")


@dataclass(frozen=True)
class FieldChange:
    """One proposed field, as a reviewer sees it."""

    name: str
    label: str
    seen: Any
    current: Any
    proposed: Any
    changed_since: bool

    @property
    def differs(self) -> bool:
        return self.current != self.proposed


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _to_python(record: Service | Organization, values: dict[str, Any]) -> dict[str, Any]:
    return {name: record._meta.get_field(name).to_python(value) for name, value in values.items()}


# --- Submitting ---------------------------------------------------------------------------


@transaction.atomic
def submit_change_request(
    actor: Any,
    record: Service | Organization,
    *,
    proposed: dict[str, Any],
    base_values: dict[str, Any],
    base_version: int,
    message: str = "",
    email: str = "",
    language: str = "",
) -> ChangeRequest:
    """Store a suggestion for review. An empty proposal is a report that the record is outdated.

    ``proposed`` holds only the fields the suggester changed; ``base_values`` what they saw in
    those fields when they opened the form (at ``base_version``).
    """
    require(actor, "directory.suggest", record)
    allowed = set(editable_fields(record))
    unknown = sorted((set(proposed) | set(base_values)) - allowed)
    if unknown:
        raise ValidationError({name: "This field cannot be suggested here." for name in unknown})
    message = message.strip()
    if not proposed and not message:
        raise ValidationError(
            {"message": "Change at least one field, or say what is wrong or out of date."}
        )
    if base_version < 1 or base_version > record.version:
        raise ValidationError({"base_version": "This form is not for the current record."})
    change = ChangeRequest.objects.create(
        place=record.place,
        kind=ChangeKind.EDIT if proposed else ChangeKind.OUTDATED,
        service=record if isinstance(record, Service) else None,
        organization=record if isinstance(record, Organization) else None,
        base_version=base_version,
        proposed={k: _jsonable(v) for k, v in proposed.items()},
        base_values={k: _jsonable(v) for k, v in base_values.items() if k in proposed},
        message=message,
        email=email.strip(),
        language=language,
    )
    audit.record(
        actor,
        "suggest",
        change,
        place=record.place,
        after={"kind": change.kind, "fields": sorted(proposed)},
        note=f"{type(record).__name__.lower()} {record.pk}",
    )
    return change


# --- Reviewing ----------------------------------------------------------------------------


def field_changes(change: ChangeRequest) -> list[FieldChange]:
    """Field by field: what the suggester saw, what is there now, what they propose."""
    record = change.target
    if record is None:
        return []
    result = []
    for name, proposed in change.proposed.items():
        current = _jsonable(getattr(record, record._meta.get_field(name).attname))
        if name in change.base_values:
            seen = change.base_values[name]
            changed_since = seen != current
        else:
            # Without the values the suggester saw, any later save may have touched the field.
            seen = None
            changed_since = record.version != change.base_version
        result.append(
            FieldChange(
                name=name,
                label=str(record._meta.get_field(name).verbose_name),
                seen=seen,
                current=current,
                proposed=proposed,
                changed_since=changed_since,
            )
        )
    return result


def changes_since(record: Service | Organization, base_version: int, limit: int = 10) -> list:
    """The audited saves of ``record`` after ``base_version``: who changed it, when and what."""
    count = record.version - base_version
    if count <= 0:
        return []
    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(record)),
            object_id=str(record.pk),
        )
        .exclude(action="verify")
        .select_related("actor")
        .order_by("-at", "-id")
    )
    return list(entries[: min(count, limit)])


def _lock(change: ChangeRequest) -> ChangeRequest:
    locked = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if locked.status != ChangeStatus.PENDING:
        raise AlreadyDecided(locked)
    return ChangeRequest.objects.select_related("place", "service", "organization").get(
        pk=change.pk
    )


def _decide(
    actor: Any,
    change: ChangeRequest,
    status: str,
    *,
    reason: str = "",
    applied: dict[str, Any] | None = None,
) -> ChangeRequest:
    change.status = status
    change.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    change.decided_at = timezone.now()
    change.decision_reason = reason
    change.applied = {k: _jsonable(v) for k, v in (applied or {}).items()}
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "applied"])
    audit.record(
        actor,
        f"suggestion_{status}",
        change,
        place=change.place,
        after={"status": status, "applied": change.applied},
        note=reason,
    )
    if change.email:
        from .tasks import notify_suggester

        transaction.on_commit(lambda: notify_suggester.enqueue(str(change.pk)))
    return change


@transaction.atomic
def accept(actor: Any, change: ChangeRequest) -> ChangeRequest:
    """Apply the suggestion as proposed, if nobody changed those fields since it was made."""
    require(actor, "directory.review", change.place)
    change = _lock(change)
    record = change.target
    assert record is not None
    drifted = [fc.name for fc in field_changes(change) if fc.changed_since]
    if drifted:
        raise ChangedSince(drifted)
    applied: dict[str, Any] = {}
    if change.proposed:
        values = _to_python(record, change.proposed)
        update_record(
            actor,
            record,
            values,
            base_version=record.version,
            note=f"suggestion {change.pk}",
            action="accept_suggestion",
        )
        applied = values
    return _decide(actor, change, ChangeStatus.ACCEPTED, applied=applied)


@transaction.atomic
def amend(
    actor: Any,
    change: ChangeRequest,
    values: dict[str, Any],
    *,
    base_version: int,
    reason: str = "",
) -> ChangeRequest:
    """Apply the moderator's version of the suggestion, checked against ``base_version``.

    ``base_version`` is the record's version the moderator saw on the review page; raises
    :class:`~commonhome.directory.services.StaleVersion` when it was saved since.
    """
    require(actor, "directory.review", change.place)
    change = _lock(change)
    record = change.target
    assert record is not None
    update_record(
        actor,
        record,
        values,
        base_version=base_version,
        note=f"suggestion {change.pk} (amended)",
        action="amend_suggestion",
    )
    return _decide(actor, change, ChangeStatus.AMENDED, reason=reason.strip(), applied=values)


@transaction.atomic
def reject(actor: Any, change: ChangeRequest, reason: str) -> ChangeRequest:
    """Decline the suggestion; the reason is required and is sent to the suggester."""
    require(actor, "directory.review", change.place)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the suggestion is rejected."})
    change = _lock(change)
    return _decide(actor, change, ChangeStatus.REJECTED, reason=reason)


# --- Telling the suggester ----------------------------------------------------------------


def send_outcome_email(change: ChangeRequest) -> bool:
    """E-mail the decision to the suggester, then forget their address: it is no longer needed."""
    if not change.email or change.status == ChangeStatus.PENDING:
        return False
    language = change.language or change.place.default_language
    with translation.override(language):
        context = {"change": change, "record": change.target, "place": change.place}
        subject = render_to_string("directory/contrib/email/outcome_subject.txt", context)
        body = render_to_string("directory/contrib/email/outcome_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [change.email])
    ChangeRequest.objects.filter(pk=change.pk).update(email="")
    return True
