"""Telling people what became of what they said: notifications for authors and followers.

Subscribed to the participation events at import (``apps.py`` imports this module). Each
event gives every person concerned exactly one :class:`Notification` — an author who also
follows hears once — listed on their "my participation" page; people with a verified e-mail
who agreed to e-mails also get one, sent by a background task after the rows are committed.
Nobody hears about something the public cannot see (an unpublished result, a hidden comment).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from commonhome.core import events

from .constants import NotificationKind, Visibility
from .models import Comment, Contribution, Follow, Notification, Participant, Result


def concerned(contributions: Iterable[Contribution]) -> dict[Any, Contribution]:
    """Participant id → the first of ``contributions`` they wrote or follow (one each)."""
    contributions = list(contributions)
    by_id = {c.pk: c for c in contributions}
    people: dict[Any, Contribution] = {}
    for c in contributions:
        if c.participant_id is not None:
            people.setdefault(c.participant_id, c)
    follows = Follow.objects.filter(contribution_id__in=list(by_id)).order_by("created_at", "id")
    for contribution_id, participant_id in follows.values_list("contribution_id", "participant_id"):
        people.setdefault(participant_id, by_id[contribution_id])
    return people


@transaction.atomic
def notify(
    people: dict[Any, Contribution],
    kind: str,
    *,
    place: Any,
    result: Result | None = None,
    data: dict[str, Any] | None = None,
    exclude: Iterable[Any] = (),
) -> list[Notification]:
    """One notification for each person of ``people``, then their e-mails once committed."""
    skip = set(exclude)
    rows = [
        Notification(
            participant_id=participant_id,
            place=place,
            kind=kind,
            contribution=contribution,
            result=result,
            data=data or {},
        )
        for participant_id, contribution in people.items()
        if participant_id not in skip
    ]
    Notification.objects.bulk_create(rows)
    emailed = set(
        Participant.objects.filter(
            pk__in=[n.participant_id for n in rows],
            notify_by_email=True,
            email_verified_at__isnull=False,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    # Both supported databases return the new ids from a bulk insert.
    ids = [n.pk for n in rows if n.participant_id in emailed]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return rows


def _enqueue(ids: list[int]) -> None:
    from .tasks import send_notification_email

    for notification_id in ids:
        send_notification_email.enqueue(notification_id)


# --- Event handlers ---------------------------------------------------------------------------


def on_answer_published(answer: Any, **_: Any) -> None:
    contribution = answer.contribution
    notify(
        concerned([contribution]),
        NotificationKind.ANSWER_PUBLISHED,
        place=contribution.place,
        data={"state": answer.state, "state_group": answer.state_group},
    )


def on_result_linked(result: Result, contributions: Iterable[Contribution], **_: Any) -> None:
    if not result.is_published:
        return
    notify(
        concerned(contributions),
        NotificationKind.JOINED_RESULT,
        place=result.place,
        result=result,
        data={"result_title": result.title},
    )


def _of_result(result: Result) -> dict[Any, Contribution]:
    return concerned(result.contributions.exclude(visibility=Visibility.ERASED).order_by("pk"))


def on_result_progress(result: Result, before: float, after: float, **_: Any) -> None:
    if not result.is_published or before == after:
        return
    notify(
        _of_result(result),
        NotificationKind.RESULT_PROGRESS,
        place=result.place,
        result=result,
        data={"result_title": result.title, "before": before, "after": after},
    )


def on_milestone_added(milestone: Any, **_: Any) -> None:
    result = milestone.result
    if not result.is_published:
        return
    notify(
        _of_result(result),
        NotificationKind.MILESTONE,
        place=result.place,
        result=result,
        data={
            "result_title": result.title,
            "milestone": milestone.title,
            "date": milestone.date.isoformat(),
        },
    )


def on_moderated(target: Any, hidden: bool, reason: str = "", **_: Any) -> None:
    """Only the author hears, with the moderator's reason; followers are not told."""
    contribution = target.contribution if isinstance(target, Comment) else target
    if target.participant_id is None:
        return
    notify(
        {target.participant_id: contribution},
        NotificationKind.MODERATED,
        place=contribution.place,
        data={
            "hidden": bool(hidden),
            "reason": reason,
            "target": "comment" if isinstance(target, Comment) else "contribution",
        },
    )


def on_comment_added(comment: Comment, **_: Any) -> None:
    if comment.visibility != Visibility.PUBLISHED:
        return
    contribution = comment.contribution
    notify(
        concerned([contribution]),
        NotificationKind.COMMENT,
        place=contribution.place,
        data={"official": comment.official},
        exclude=[comment.participant_id] if comment.participant_id else [],
    )


events.subscribe("participation.answer_published", on_answer_published)
events.subscribe("participation.result_linked", on_result_linked)
events.subscribe("participation.result_progress", on_result_progress)
events.subscribe("participation.milestone_added", on_milestone_added)
events.subscribe("participation.moderated", on_moderated)
events.subscribe("participation.comment_added", on_comment_added)


# --- E-mail ---------------------------------------------------------------------------------


def page_url(notification: Notification) -> str:
    """Where the notification leads: the contribution's page, else the result's."""
    place = notification.place
    if notification.contribution_id and notification.contribution.visibility != Visibility.ERASED:
        path = reverse(
            "participation:contribution", args=[place.slug, notification.contribution_id]
        )
    elif notification.result_id:
        path = reverse("participation:result", args=[place.slug, notification.result_id])
    else:
        path = reverse("participation:me", args=[place.slug])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def send_email(notification_id: int) -> bool:
    """E-mail one notification in its reader's language; False when it must not be sent.

    Sent only to a verified address of someone who agreed to e-mails, and only once.
    """
    notification = (
        Notification.objects.select_related("participant", "place", "contribution", "result")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    person = notification.participant
    if not (person.email and person.email_verified_at and person.notify_by_email):
        return False
    language = person.language or notification.place.default_language
    with translation.override(language):
        url = page_url(notification)
        context = {
            "n": notification,
            "place": notification.place,
            "kind": NotificationKind(notification.kind).label,
            "title": notification.contribution.title if notification.contribution else "",
            "url": url,
            "me_url": f"{settings.SITE_URL.rstrip('/')}"
            f"{reverse('participation:me', args=[notification.place.slug])}",
        }
        subject = render_to_string("participation/email/notification_subject.txt", context)
        body = render_to_string("participation/email/notification.txt", context)
    send_mail(" ".join(subject.split()), body, None, [person.email])
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
