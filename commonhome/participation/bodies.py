"""Consultative bodies, their members and meetings: every change of state goes through here.

Bodies and their members are the place administrators' business (``participation.manage``);
so are meetings, including which contributions came out of a meeting. Each function checks
permission, validates with errors naming the field, runs in a transaction, writes the audit
log and emits ``record.changed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.records import StaleVersion, update_versioned

from .constants import MeetingMode
from .models import Body, BodyMember, Contribution, Meeting

__all__ = [
    "StaleVersion",
    "add_member",
    "attach_contributions",
    "create_body",
    "create_meeting",
    "detach_contributions",
    "end_term",
    "update_body",
    "update_meeting",
    "update_member",
]

BODY_FIELDS = ("slug", "name", "purpose", "composition", "is_public", "source_language")
MEMBER_FIELDS = ("name", "represents", "position", "term_start", "term_end", "show_name")
MEETING_FIELDS = (
    "body",
    "consultation",
    "title",
    "starts_at",
    "ends_at",
    "mode",
    "address",
    "online_url",
    "agenda",
    "minutes",
    "attendance_count",
    "is_public",
    "source_language",
)


def _check_names(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})


def _changed(record: Any, fields: dict[str, Any]) -> list[str]:
    return [name for name in fields if getattr(record, name) != fields[name]]


# --- Bodies -------------------------------------------------------------------------------


def _validate_body(body: Body) -> None:
    clash = Body.objects.filter(place_id=body.place_id, slug=body.slug).exclude(pk=body.pk)
    if clash.exists():
        raise ValidationError({"slug": _("Another body of this place already uses this address.")})
    body.full_clean(exclude=["place"], validate_constraints=False)


@transaction.atomic
def create_body(actor: Any, place: Place, **fields: Any) -> Body:
    require(actor, "participation.manage", place)
    _check_names(fields, BODY_FIELDS)
    now = timezone.now()
    body = Body(place=place, created_at=now, updated_at=now, **fields)
    _validate_body(body)
    body.save()
    audit.record(actor, "participation.body.create", body, after=audit.snapshot(body, BODY_FIELDS))
    events.emit("record.changed", record=body)
    return body


@transaction.atomic
def update_body(actor: Any, body: Body, expected_version: int | None, **fields: Any) -> Body:
    require(actor, "participation.manage", body.place)
    _check_names(fields, BODY_FIELDS)
    return update_versioned(
        actor,
        body,
        expected_version,
        fields,
        action="participation.body.update",
        validate=_validate_body,
    )


# --- Members ------------------------------------------------------------------------------


def _validate_member(member: BodyMember) -> None:
    if member.term_start and member.term_end and member.term_end < member.term_start:
        raise ValidationError({"term_end": _("A term cannot end before it starts.")})
    member.full_clean(exclude=["body"])


@transaction.atomic
def add_member(actor: Any, body: Body, **fields: Any) -> BodyMember:
    require(actor, "participation.manage", body.place)
    _check_names(fields, MEMBER_FIELDS)
    member = BodyMember(body=body, **fields)
    _validate_member(member)
    member.save()
    audit.record(
        actor,
        "participation.member.add",
        member,
        place=body.place,
        after=audit.snapshot(member, MEMBER_FIELDS),
    )
    events.emit("record.changed", record=member)
    return member


@transaction.atomic
def update_member(actor: Any, member: BodyMember, **fields: Any) -> BodyMember:
    place = member.body.place
    require(actor, "participation.manage", place)
    _check_names(fields, MEMBER_FIELDS)
    locked = BodyMember.objects.select_for_update().get(pk=member.pk)
    names = _changed(locked, fields)
    if not names:
        return locked
    before = audit.snapshot(locked, names)
    for name in names:
        setattr(locked, name, fields[name])
    _validate_member(locked)
    locked.save()
    audit.record(
        actor,
        "participation.member.update",
        locked,
        place=place,
        before=before,
        after=audit.snapshot(locked, names),
    )
    events.emit("record.changed", record=locked)
    return locked


def end_term(actor: Any, member: BodyMember, on: dt.date | None = None) -> BodyMember:
    """End a member's term (today by default); the record stays, for the body's history."""
    day = on or timezone.localdate()
    if member.term_start and day < member.term_start:
        day = member.term_start
    return update_member(actor, member, term_end=day)


# --- Meetings -----------------------------------------------------------------------------


def _validate_meeting(place: Place, meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if meeting.body_id and meeting.body.place_id != place.pk:
        errors["body"] = _("Choose a body of this place.")
    if meeting.consultation_id and meeting.consultation.place_id != place.pk:
        errors["consultation"] = _("Choose a consultation of this place.")
    if meeting.starts_at and meeting.ends_at and meeting.ends_at < meeting.starts_at:
        errors["ends_at"] = _("A meeting cannot end before it starts.")
    if meeting.mode in (MeetingMode.ONLINE, MeetingMode.HYBRID) and not meeting.online_url:
        errors["online_url"] = _("An online meeting needs the link people join with.")
    if meeting.mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and not meeting.address:
        errors["address"] = _("A meeting in person needs an address.")
    if errors:
        raise ValidationError(errors)
    meeting.full_clean(exclude=["place", "body", "consultation"])


@transaction.atomic
def create_meeting(actor: Any, place: Place, **fields: Any) -> Meeting:
    require(actor, "participation.manage", place)
    _check_names(fields, MEETING_FIELDS)
    now = timezone.now()
    meeting = Meeting(place=place, created_at=now, updated_at=now, **fields)
    _validate_meeting(place, meeting)
    meeting.save()
    audit.record(
        actor,
        "participation.meeting.create",
        meeting,
        after=audit.snapshot(meeting, MEETING_FIELDS),
    )
    events.emit("record.changed", record=meeting)
    return meeting


@transaction.atomic
def update_meeting(
    actor: Any, meeting: Meeting, expected_version: int | None, **fields: Any
) -> Meeting:
    place = meeting.place
    require(actor, "participation.manage", place)
    _check_names(fields, MEETING_FIELDS)
    return update_versioned(
        actor,
        meeting,
        expected_version,
        fields,
        action="participation.meeting.update",
        validate=lambda locked: _validate_meeting(place, locked),
    )


@transaction.atomic
def attach_contributions(
    actor: Any, meeting: Meeting, contributions: Iterable[Contribution]
) -> list[Contribution]:
    """Record that these contributions were raised at ``meeting`` (same place only)."""
    place = meeting.place
    require(actor, "participation.manage", place)
    items = list(contributions)
    strangers = [c for c in items if c.place_id != place.pk]
    if strangers:
        raise ValidationError(
            {
                "contributions": _("These contributions belong to another place: %(titles)s")
                % {"titles": ", ".join(c.title for c in strangers)}
            }
        )
    changed = [c for c in items if c.meeting_id != meeting.pk]
    if not changed:
        return []
    ids = [c.pk for c in changed]
    Contribution.objects.filter(pk__in=ids).update(meeting=meeting, updated_at=timezone.now())
    audit.record(
        actor,
        "participation.meeting.attach",
        meeting,
        after={"contributions": [str(i) for i in ids]},
    )
    events.emit("record.changed", record=meeting)
    return changed


@transaction.atomic
def detach_contributions(
    actor: Any, meeting: Meeting, contributions: Iterable[Contribution]
) -> list[Contribution]:
    place = meeting.place
    require(actor, "participation.manage", place)
    changed = [c for c in contributions if c.meeting_id == meeting.pk]
    if not changed:
        return []
    ids = [c.pk for c in changed]
    # A contribution that was recorded as raised at the meeting keeps its channel: the
    # channel says how it reached the city, the link says where it was discussed.
    Contribution.objects.filter(pk__in=ids).update(meeting=None, updated_at=timezone.now())
    audit.record(
        actor,
        "participation.meeting.detach",
        meeting,
        before={"contributions": [str(i) for i in ids]},
    )
    events.emit("record.changed", record=meeting)
    return changed
