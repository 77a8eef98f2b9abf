"""Moderators' decisions on contributions and comments: hide or restore, always with a reason.

A decision resolves the open reports on its target, so the queue shows only what still needs a
look. The author is told through the ``participation.moderated`` event (the notifications
module turns it into a message for them), with the reason, so hiding is never silent.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place
from commonhome.core.permissions import require

from .constants import Visibility
from .models import Comment, Contribution, Report

Target = Contribution | Comment
AUDITED = ("visibility", "moderation_reason", "moderated_at", "moderated_by", "report_count")


def place_of(target: Target) -> Place:
    if isinstance(target, Comment):
        return target.contribution.place
    return target.place


def open_reports(target: Target) -> Any:
    """The unresolved reports on ``target`` (a comment's, or the contribution's own)."""
    if isinstance(target, Comment):
        return Report.objects.filter(comment=target, resolved_at__isnull=True)
    return Report.objects.filter(
        contribution=target, comment__isnull=True, resolved_at__isnull=True
    )


def hide(actor: Any, target: Target, reason: str) -> Target:
    """Hide ``target`` from the public, saying why."""
    return _decide(actor, target, reason, hidden=True)


def restore(actor: Any, target: Target, reason: str) -> Target:
    """Show ``target`` again (after reports found it fine, or a hiding was a mistake)."""
    return _decide(actor, target, reason, hidden=False)


@transaction.atomic
def _decide(actor: Any, target: Target, reason: str, *, hidden: bool) -> Target:
    place = place_of(target)
    require(actor, "participation.moderate", place)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason; the author is told.")})
    model = type(target)
    locked = model._default_manager.select_for_update().get(pk=target.pk)
    if locked.visibility == Visibility.ERASED:
        raise ValidationError(
            {"reason": _("Its author removed it; it cannot be shown or hidden any more.")}
        )
    before = audit.snapshot(locked, AUDITED)
    now = timezone.now()
    locked.visibility = Visibility.HIDDEN if hidden else Visibility.PUBLISHED
    locked.moderation_reason = reason
    locked.moderated_at = now
    locked.moderated_by = actor
    if not hidden:
        # The reports were looked at and found wanting: new reports start from zero, or the
        # next single report would hide it again at once.
        locked.report_count = 0
    fields = ["visibility", "moderation_reason", "moderated_at", "moderated_by", "report_count"]
    if isinstance(locked, Contribution):
        locked.updated_at = now
        fields.append("updated_at")
    if hasattr(locked, "version"):
        locked.version += 1
        fields.append("version")
    locked.save(update_fields=fields)
    resolved = open_reports(locked).update(resolved_at=now)
    audit.record(
        actor,
        "moderation.hide" if hidden else "moderation.restore",
        locked,
        before=before,
        after=audit.snapshot(locked, AUDITED),
        place=place,
        note=f"{reason} ({resolved} report(s) resolved)",
    )
    events.emit("participation.moderated", target=locked, hidden=hidden, reason=reason)
    return locked
