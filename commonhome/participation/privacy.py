"""A participant's own data: download everything kept about them, or erase it.

Erasure comes in two forms, the person's choice:

- **erase**: what they wrote goes. Their contributions become tombstones (``Visibility.ERASED``,
  every text blanked, translations and search entries deleted) kept only so that results that
  answer them and the trail's numbers stay consistent; the public trail shows such a tombstone
  as "Removed at its author's request", and only when a result answers it. Their comments are
  deleted, or blanked when others replied to them (so the thread still reads).
- **anonymise**: what they wrote stays, but nothing links it to them any more: no participant,
  no name.

Either way their supports and follows are deleted (counts fixed), their reports withdrawn,
and the participant record with its e-mail, consent, codes and notifications deleted. Audit
entries about them and their texts are scrubbed; the erasure itself is audited with counts only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from commonhome.core import audit, events
from commonhome.core.models import AuditEntry, SearchEntry, Translation
from commonhome.core.permissions import can

from .constants import Visibility
from .models import (
    Comment,
    Contribution,
    EmailCode,
    Follow,
    Notification,
    Participant,
    Report,
    Support,
)

EXPORT_SCHEMA_VERSION = 1
MODES = ("erase", "anonymise")
# Keys of audit snapshots that name or reach a person.
PERSONAL_KEYS = ("author_name", "participant", "email", "desk_contact", "display_name")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_participant(participant: Participant) -> dict[str, Any]:
    """Everything stored about ``participant``, as JSON-able data, and nobody else's.

    Answers are included once published (drafts are the city's work in progress); what others
    wrote in reply is not theirs to download and is left out.
    """
    contributions = (
        Contribution.objects.filter(participant=participant)
        .select_related("consultation", "answer")
        .prefetch_related("results")
        .order_by("created_at")
    )
    out_contributions = []
    for c in contributions:
        answer = getattr(c, "answer", None)
        published = answer is not None and answer.is_published
        out_contributions.append(
            {
                "id": str(c.pk),
                "consultation": c.consultation.slug,
                "kind": c.kind,
                "topic": c.domain,
                "language": c.source_language,
                "title": c.title,
                "body": c.body,
                "location": {
                    "label": c.location_label,
                    "latitude": c.latitude,
                    "longitude": c.longitude,
                },
                "author_name": c.author_name,
                "channel": c.channel,
                "visibility": c.visibility,
                "moderation_reason": c.moderation_reason,
                "supports": c.support_count,
                "created_at": _iso(c.created_at),
                "answer": {
                    "state": answer.state,
                    "state_group": answer.state_group,
                    "text": answer.text,
                    "reason": answer.reason,
                    "published_at": _iso(answer.published_at),
                }
                if published
                else None,
                "results": [str(r.pk) for r in c.results.all() if r.is_published],
            }
        )
    codes = EmailCode.objects.filter(place_id=participant.place_id, email=participant.email)
    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "exported_at": timezone.now().isoformat(),
        "place": participant.place.slug,
        "participant": {
            "id": str(participant.pk),
            "display_name": participant.display_name,
            "email": participant.email,
            "email_verified_at": _iso(participant.email_verified_at),
            "resident_verified_at": _iso(participant.resident_verified_at),
            "desk_assisted": participant.desk_assisted,
            "desk_contact": participant.desk_contact,
            "language": participant.language,
            "notify_by_email": participant.notify_by_email,
            "created_at": _iso(participant.created_at),
            "has_account": participant.user_id is not None,
        },
        "consent": {
            "given_at": _iso(participant.consented_at),
            "purpose": participant.consent_purpose,
        },
        "email_codes": [
            {
                "created_at": _iso(code.created_at),
                "expires_at": _iso(code.expires_at),
                "used_at": _iso(code.used_at),
            }
            for code in (codes if participant.email else EmailCode.objects.none())
        ],
        "contributions": out_contributions,
        "comments": [
            {
                "id": str(comment.pk),
                "contribution": str(comment.contribution_id),
                "parent": str(comment.parent_id) if comment.parent_id else None,
                "body": comment.body,
                "language": comment.language,
                "author_name": comment.author_name,
                "visibility": comment.visibility,
                "created_at": _iso(comment.created_at),
            }
            for comment in Comment.objects.filter(participant=participant).order_by("created_at")
        ],
        "supports": [
            {"contribution": str(cid), "created_at": _iso(at)}
            for cid, at in Support.objects.filter(participant=participant)
            .order_by("created_at")
            .values_list("contribution_id", "created_at")
        ],
        "follows": [
            {"contribution": str(cid), "created_at": _iso(at)}
            for cid, at in Follow.objects.filter(participant=participant)
            .order_by("created_at")
            .values_list("contribution_id", "created_at")
        ],
        "reports": [
            {
                "contribution": str(r.contribution_id),
                "comment": str(r.comment_id) if r.comment_id else None,
                "reason": r.reason,
                "details": r.details,
                "created_at": _iso(r.created_at),
            }
            for r in Report.objects.filter(reporter=str(participant.pk)).order_by("created_at")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "contribution": str(n.contribution_id) if n.contribution_id else None,
                "result": str(n.result_id) if n.result_id else None,
                "data": n.data,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "emailed_at": _iso(n.emailed_at),
            }
            for n in Notification.objects.filter(participant=participant).order_by("created_at")
        ],
    }


def _may_erase(actor: Any, participant: Participant) -> bool:
    """The person themself (their participant record) or the place's administrators."""
    if isinstance(actor, Participant):
        return actor.pk == participant.pk
    return can(actor, "participation.manage", participant.place)


def _scrub_audit(object_ids: list[str], drop_texts: bool, participant_id: str) -> None:
    """Audit entries keep no text, e-mail or name of an erased person."""
    entries = AuditEntry.objects.filter(object_id__in=object_ids)
    for entry in entries:
        if drop_texts or entry.object_id == participant_id:
            entry.before, entry.after, entry.object_repr = {}, {}, "(erased)"
        else:
            for snap in (entry.before, entry.after):
                for key in PERSONAL_KEYS:
                    snap.pop(key, None)
        entry.save(update_fields=["before", "after", "object_repr"])
    AuditEntry.objects.filter(note__contains=participant_id).update(
        note=Replace("note", Value(participant_id), Value("(erased)"))
    )


@transaction.atomic
def erase_participant(actor: Any, participant: Participant, mode: str) -> dict[str, int]:
    """Erase or anonymise everything of ``participant`` (see the module's docstring).

    ``actor`` is the participant themself or a place administrator. Returns the counts that
    the audit entry records.
    """
    if mode not in MODES:
        raise ValidationError({"mode": f"expected one of {', '.join(MODES)}"})
    if not _may_erase(actor, participant):
        raise PermissionDenied("participation.erase")
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    place = participant.place
    pid = str(participant.pk)

    contributions = list(
        Contribution.objects.filter(participant=participant).values_list("pk", flat=True)
    )
    comments = list(Comment.objects.filter(participant=participant).values_list("pk", flat=True))
    touched = set(
        Support.objects.filter(participant=participant).values_list("contribution_id", flat=True)
    )
    touched |= set(
        Comment.objects.filter(pk__in=comments).values_list("contribution_id", flat=True)
    )
    counts = {
        "contributions": len(contributions),
        "comments": len(comments),
        "supports": Support.objects.filter(participant=participant).count(),
        "follows": Follow.objects.filter(participant=participant).count(),
        "notifications": Notification.objects.filter(participant=participant).count(),
    }

    if mode == "erase":
        Contribution.objects.filter(pk__in=contributions).update(
            visibility=Visibility.ERASED,
            title="",
            body="",
            location_label="",
            latitude=None,
            longitude=None,
            author_name="",
            participant=None,
            updated_at=timezone.now(),
        )
        Translation.objects.filter(object_id__in=contributions).delete()
        SearchEntry.objects.filter(object_id__in=contributions).delete()
        answered = (
            Comment.objects.filter(pk__in=comments)
            .filter(Q(replies__isnull=False))
            .values_list("pk", flat=True)
        )
        keep = set(answered)
        Comment.objects.filter(pk__in=keep).update(
            body="", author_name="", participant=None, visibility=Visibility.ERASED
        )
        Comment.objects.filter(pk__in=[c for c in comments if c not in keep]).delete()
    else:
        Contribution.objects.filter(pk__in=contributions).update(
            author_name="", participant=None, updated_at=timezone.now()
        )
        Comment.objects.filter(pk__in=comments).update(author_name="", participant=None)

    Support.objects.filter(participant=participant).delete()
    Follow.objects.filter(participant=participant).delete()
    Report.objects.filter(reporter=pid).delete()
    for row in Contribution.objects.filter(pk__in=touched).annotate(
        supports_now=Count("supports", distinct=True),
        comments_now=Count(
            "comments", filter=~Q(comments__visibility=Visibility.ERASED), distinct=True
        ),
    ):
        Contribution.objects.filter(pk=row.pk).update(
            support_count=row.supports_now, comment_count=row.comments_now
        )
    if participant.email:
        EmailCode.objects.filter(place=place, email=participant.email).delete()
    _scrub_audit([pid, *map(str, contributions), *map(str, comments)], mode == "erase", pid)
    participant.delete()  # notifications go with it
    audit.record(
        None if isinstance(actor, Participant) else actor,
        f"participation.participant.{mode}",
        None,
        place=place,
        note="; ".join(f"{name}={value}" for name, value in counts.items()),
    )
    events.emit("participation.participant_erased", place=place, mode=mode, counts=counts)
    return counts


@transaction.atomic
def set_notify_by_email(participant: Participant, enabled: bool) -> None:
    """The person's own choice to get (or stop) e-mails about what they follow."""
    Participant.objects.filter(pk=participant.pk).update(notify_by_email=enabled)
    participant.notify_by_email = enabled
    audit.record(
        None,
        "participation.participant.notify_by_email",
        None,
        place=participant.place,
        after={"notify_by_email": enabled},
        note=f"participant {participant.pk}",
    )
