"""Telling people taking part what became of their proposals, by e-mail.

Subscribed to the matching events at import (``apps.py`` imports this module). Only people
who gave an address and agreed to e-mails (``email_updates``) hear from us — except for the
new link they ask for themselves. Each e-mail is written in the person's language and carries
their e-mail link (:func:`~commonhome.matching.services.mail_token`), never the partner's
contact: that is on the page, once both have said yes. E-mails are sent by a background task
after the change is committed; a run's new proposals by one task for the whole run, one
e-mail per person however many proposals they got.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from commonhome.core import events
from commonhome.core.translation import localize

from .constants import ConsentPurpose, ProfileStatus, ProposalStatus
from .models import MatchRun, Profile, Proposal


class MailKind(enum.StrEnum):
    PROPOSED = "proposed"
    REMINDER = "reminder"
    EXPIRED = "expired"
    DECLINED = "declined"
    MATCHED = "matched"
    ENDED = "ended"
    LINK = "link"


#: Subject and first paragraph of each e-mail. ``%(programme)s`` is the programme's name,
#: ``%(date)s`` the last day to answer.
MESSAGES = {
    MailKind.PROPOSED: (
        _("We found someone for you"),
        _(
            "We found someone who fits what you told us in “%(programme)s”. Open your page "
            "to see why we chose them, and say yes or no by %(date)s."
        ),
    ),
    MailKind.REMINDER: (
        _("A proposal is waiting for your answer"),
        _(
            "A proposal in “%(programme)s” is waiting for your answer. Please say yes or no "
            "by %(date)s; without an answer it lapses and we pause your place."
        ),
    ),
    MailKind.EXPIRED: (
        _("A proposal has lapsed"),
        _(
            "The proposal in “%(programme)s” lapsed before both of you answered. If you did "
            "not answer, we paused your place: open your page to come back when you like."
        ),
    ),
    MailKind.DECLINED: (
        _("A proposal will not go ahead"),
        _(
            "The proposal in “%(programme)s” will not go ahead. That happens: you stay in "
            "the pool and we will look for someone else."
        ),
    ),
    MailKind.MATCHED: (
        _("You have a match"),
        _("You both said yes in “%(programme)s”. Open your page to see how to reach each other."),
    ),
    MailKind.ENDED: (
        _("A match has ended"),
        _(
            "Your match in “%(programme)s” has ended. If you are still taking part, we will "
            "look for someone new."
        ),
    ),
    MailKind.LINK: (
        _("Your new link"),
        _(
            "You asked for a new link to your page in “%(programme)s”. Links we e-mailed "
            "you before no longer work; the link you got when you signed up still does."
        ),
    ),
}


def enqueue(profile_id: Any, kind: MailKind, proposal_id: Any = None) -> None:
    """Send one e-mail in the background once the current transaction commits."""
    from .tasks import send_matching_email

    args = (str(profile_id), str(kind), str(proposal_id) if proposal_id else "")
    transaction.on_commit(lambda: send_matching_email.enqueue(*args))


def wants_email(profile: Profile) -> bool:
    return bool(
        profile.email
        and profile.status != ProfileStatus.LEFT
        and profile.has_consent(ConsentPurpose.EMAIL_UPDATES)
    )


def send(profile_id: Any, kind: str, proposal_id: Any = None) -> bool:
    """Write and send one e-mail; False when this person must not get it."""
    from .services import mail_token

    kind = MailKind(kind)
    profile = Profile.objects.select_related("programme", "place").filter(pk=profile_id).first()
    if profile is None or profile.status == ProfileStatus.LEFT or not profile.email:
        return False
    if kind != MailKind.LINK and not wants_email(profile):
        return False
    proposal = Proposal.objects.filter(pk=proposal_id).first() if proposal_id else None
    programme, place = profile.programme, profile.place
    token = mail_token(profile)
    language = profile.language or place.default_language
    name = localize(programme, language).texts.get("name") or programme.name
    with translation.override(language):
        path = reverse("matching:person", args=[place.slug, programme.slug, token])
        subject, lead = MESSAGES[kind]
        expires = proposal.expires_at if proposal else None
        context = {
            "profile": profile,
            "place": place,
            "name": name,
            "lead": lead % {"programme": name, "date": _day(expires)},
            "url": f"{settings.SITE_URL.rstrip('/')}{path}",
            "consented": kind != MailKind.LINK,
        }
        body = render_to_string("matching/email/message.txt", context)
        subject = f"{subject} · {name}"
    send_mail(" ".join(subject.split()), body, None, [profile.email])
    return True


def _day(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATE_FORMAT")


def send_run(run_id: Any) -> int:
    """One e-mail to each person who got a proposal in this run; returns how many were sent.

    Someone offered several proposals (capacity above one) hears once, with the earliest
    date to answer by.
    """
    first: dict[Any, Any] = {}
    proposals = Proposal.objects.filter(run_id=run_id, status=ProposalStatus.PROPOSED)
    for pk, seeker_id, offerer_id in proposals.order_by("expires_at", "pk").values_list(
        "pk", "seeker_id", "offerer_id"
    ):
        first.setdefault(seeker_id, pk)
        first.setdefault(offerer_id, pk)
    people = (
        Profile.objects.filter(Q(as_seeker__run_id=run_id) | Q(as_offerer__run_id=run_id))
        .exclude(email="")
        .exclude(status=ProfileStatus.LEFT)
        .filter(consents__has_key=ConsentPurpose.EMAIL_UPDATES)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(send(pk, MailKind.PROPOSED, first[pk]) for pk in people if pk in first)


# --- Event handlers -------------------------------------------------------------------------
# Events run after commit; each queues its e-mails.


def _both(proposal: Proposal, kind: MailKind, **_: Any) -> None:
    for profile_id in (proposal.seeker_id, proposal.offerer_id):
        enqueue(profile_id, kind, proposal.pk)


def on_run_finished(run: MatchRun, **_: Any) -> None:
    if run.stats.get("matched"):
        from .tasks import send_run_emails

        run_id = str(run.pk)
        transaction.on_commit(lambda: send_run_emails.enqueue(run_id))


def on_reminder(proposal: Proposal, sides: list[str], **_: Any) -> None:
    for side in sides:
        enqueue(getattr(proposal, f"{side}_id"), MailKind.REMINDER, proposal.pk)


def on_expired(proposal: Proposal, **_: Any) -> None:
    _both(proposal, MailKind.EXPIRED)


def on_answered(proposal: Proposal, side: str, accepted: bool, **_: Any) -> None:
    if not accepted:
        other = proposal.offerer_id if side == "seeker" else proposal.seeker_id
        enqueue(other, MailKind.DECLINED, proposal.pk)


def on_withdrawn(proposal: Proposal, by: Profile, **_: Any) -> None:
    other = proposal.offerer_id if proposal.seeker_id == by.pk else proposal.seeker_id
    enqueue(other, MailKind.DECLINED, proposal.pk)


def on_matched(proposal: Proposal, **_: Any) -> None:
    _both(proposal, MailKind.MATCHED)


def on_ended(proposal: Proposal, **_: Any) -> None:
    _both(proposal, MailKind.ENDED)


events.subscribe("matching.run_finished", on_run_finished)
events.subscribe("matching.proposal_reminder", on_reminder)
events.subscribe("matching.proposal_expired", on_expired)
events.subscribe("matching.proposal_answered", on_answered)
events.subscribe("matching.proposal_withdrawn", on_withdrawn)
events.subscribe("matching.matched", on_matched)
events.subscribe("matching.match_ended", on_ended)
