"""Who is taking part, and what they may do: the verification ladder.

Nobody needs an account. A browser session is enough to be an anonymous participant (one per
session and place); an e-mail code proves an address without a password or an account page;
staff lift people further (verified resident, desk-assisted). Each action asks for the level
the place chose (``ParticipationSettings``) and is open only in the phases that allow it
(``constants.PHASE_ACTIONS``). A refusal always says what the person can do about it.

Nobody is ever asked for a residence status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from commonhome.core import audit, ratelimit
from commonhome.core.models import Place

from .constants import PHASE_ACTIONS, Action, Level
from .models import (
    Comment,
    Consultation,
    Contribution,
    EmailCode,
    Follow,
    Notification,
    Participant,
    ParticipationSettings,
    Support,
)

log = logging.getLogger("commonhome.participation")

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
CODES_PER_ADDRESS_PER_HOUR = 5
CODES_PER_CLIENT_PER_HOUR = 10

#: Why we keep an address given at sign-in; stored with the consent.
SIGN_IN_PURPOSE = "Sign in with an e-mail code and hear back about contributions and follows."
#: Why we keep an address given with a contribution "to hear back".
HEAR_BACK_PURPOSE = "Hear back about the contribution sent with this address."


class ActionRefused(PermissionDenied):
    """An action the participant may not take now, with what they can do about it.

    ``needed_level`` is the ladder level that would allow it, or None when no level would
    (the consultation's phase switched the action off).
    """

    def __init__(self, message: str, needed_level: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.needed_level = needed_level

    @property
    def needs_sign_in(self) -> bool:
        return self.needed_level == Level.EMAIL


class CodeRejected(Exception):
    """A code that does not sign anyone in; the message says what to do next."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyCodes(Exception):
    """Too many codes were asked for from this client or for this address in the last hour."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many codes")
        self.retry_after = retry_after


# --- Settings and the current participant ------------------------------------------------


def settings_for(place: Place) -> ParticipationSettings:
    """The place's participation rules (made with the defaults the first time they are asked)."""
    cached = place.__dict__.get("_participation_settings")
    if cached is not None:
        return cached
    found, _created = ParticipationSettings.objects.get_or_create(place=place)
    place.__dict__["_participation_settings"] = found
    return found


def _session_key(place: Place) -> str:
    return f"participation:{place.pk}"


def _cache(request: HttpRequest) -> dict[Any, Participant | None]:
    return request.__dict__.setdefault("_participants", {})


def current_participant(request: HttpRequest, place: Place) -> Participant | None:
    """The participant this request speaks for in ``place``, if any (never creates one).

    The session's participant comes first (it may have just signed in with a code); a
    signed-in account's participant is used when the session has none.
    """
    cache = _cache(request)
    if place.pk in cache:
        return cache[place.pk]
    participant = None
    session = getattr(request, "session", None)
    pid = session.get(_session_key(place)) if session is not None else None
    if pid:
        participant = Participant.objects.filter(pk=pid, place=place).first()
        if participant is None:
            session.pop(_session_key(place), None)
    user = getattr(request, "user", None)
    if participant is None and user is not None and user.is_authenticated:
        participant = Participant.objects.filter(place=place, user=user).first()
    cache[place.pk] = participant
    return participant


def _bind(request: HttpRequest, place: Place, participant: Participant) -> None:
    request.session[_session_key(place)] = str(participant.pk)
    _cache(request)[place.pk] = participant


def participant_for(request: HttpRequest, place: Place) -> Participant:
    """The request's participant in ``place``, created (anonymous, bound to the session) if none."""
    participant = current_participant(request, place)
    if participant is not None:
        return participant
    user = getattr(request, "user", None)
    participant = Participant.objects.create(
        place=place,
        user=user if user is not None and user.is_authenticated else None,
        language=translation.get_language() or "",
    )
    _bind(request, place, participant)
    return participant


def forget(request: HttpRequest, place: Place) -> None:
    """Sign out of ``place``: the session no longer speaks for anyone there."""
    request.session.pop(_session_key(place), None)
    _cache(request)[place.pk] = None


# --- The ladder ----------------------------------------------------------------------------


def _phase_message(action: str) -> str:
    if action == Action.CONTRIBUTE:
        return _("This consultation is no longer open for new input.")
    if action == Action.SUPPORT:
        return _("Supporting is closed for this consultation.")
    if action == Action.COMMENT:
        return _("Comments are closed for this consultation.")
    return _("This is not possible for this consultation any more.")


def _level_message(action: str, level: int) -> str:
    if level == Level.EMAIL:
        return {
            Action.CONTRIBUTE: _(
                "Sign in with an e-mail code to send a need, suggestion or question."
            ),
            Action.SUPPORT: _("Sign in with an e-mail code to support."),
            Action.COMMENT: _("Sign in with an e-mail code to comment."),
        }.get(action, _("Sign in with an e-mail code to do this."))
    if level == Level.RESIDENT:
        return _(
            "Here this is open to people that city staff have checked live in the place. Ask at "
            "a city desk: nobody will ask for your residence status."
        )
    return _(
        "Here this is done with help at a city desk: staff listen and record it for you, "
        "in your language if they can."
    )


def check_action(participant: Participant | None, action: str, consultation: Consultation) -> None:
    """Refuse ``action`` when the phase switched it off or the participant's level is too low.

    Following needs nothing beyond a browser session; only notifications by e-mail need an
    address (the pages say so).
    """
    if not consultation.is_published or action not in PHASE_ACTIONS.get(
        consultation.phase, frozenset()
    ):
        raise ActionRefused(_phase_message(action), None)
    if action == Action.FOLLOW:
        return
    needed = settings_for(consultation.place).level_for(action)
    have = participant.level if participant is not None else Level.NONE
    if have < needed:
        raise ActionRefused(_level_message(action, needed), needed)


def open_actions(participant: Participant | None, consultation: Consultation) -> dict[str, Any]:
    """For each action, None when the participant may take it, else the refusal."""
    result: dict[str, Any] = {}
    for action in Action.values:
        try:
            check_action(participant, action, consultation)
        except ActionRefused as refusal:
            result[action] = refusal
        else:
            result[action] = None
    return result


def sign_in_url(place: Place, next_url: str = "") -> str:
    url = reverse("participation:sign-in", args=[place.slug])
    if next_url:
        from urllib.parse import urlencode

        url += "?" + urlencode({"next": next_url})
    return url


# --- E-mail codes --------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """The address as compared and stored: trimmed and lower-cased (one person, one address)."""
    return (email or "").strip().lower()


def _keyed(*parts: object) -> str:
    message = ":".join(str(p) for p in parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _code_hash(place: Place, email: str, code: str) -> str:
    return _keyed("participation-code", place.pk, email, code)


def send_code(place: Place, email: str, language: str, *, client: str = "") -> None:
    """E-mail a one-time code to ``email``.

    The same happens whether or not someone already takes part with this address, so the
    answer never tells who does. Raises :class:`TooManyCodes` when this client (``client``, a
    :func:`core.ratelimit.client_key`) or this address asked too often in the last hour.
    """
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {"email": _("Enter an e-mail address, like name@example.org.")}
        ) from exc
    if client:
        verdict = ratelimit.hit("participation-code-client", client, CODES_PER_CLIENT_PER_HOUR)
        if not verdict.allowed:
            raise TooManyCodes(verdict.retry_after)
    verdict = ratelimit.hit(
        "participation-code-address", _keyed("address", email)[:32], CODES_PER_ADDRESS_PER_HOUR
    )
    if not verdict.allowed:
        raise TooManyCodes(verdict.retry_after)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        # One live code per address: asking again retires the earlier ones.
        EmailCode.objects.filter(place=place, email=email, used_at__isnull=True).update(used_at=now)
        EmailCode.objects.create(
            place=place,
            email=email,
            code_hash=_code_hash(place, email, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    with translation.override(language or place.default_language):
        context = {
            "place": place,
            "code": code,
            "minutes": int(CODE_LIFETIME.total_seconds() // 60),
        }
        subject = render_to_string("participation/email/code_subject.txt", context)
        body = render_to_string("participation/email/code.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])


def verify_code(request: HttpRequest, place: Place, email: str, code: str) -> Participant:
    """Sign the session in as the participant with ``email`` when ``code`` is right.

    What the session did anonymously (contributions, supports, follows, comments) stays the
    person's: the anonymous participant is merged into the one with the address, or — for a
    first sign-in — simply gets the address. Consent is recorded with its purpose.
    """
    email = normalise_email(email)
    code = "".join((code or "").split())
    wrong = _("That code is not right. Check the latest e-mail we sent and try again.")
    spent = _("That code has expired or was tried too many times. Ask for a new code.")
    now = timezone.now()
    with transaction.atomic():
        latest = (
            EmailCode.objects.select_for_update()
            .filter(place=place, email=email, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.expires_at <= now or latest.attempts >= CODE_MAX_ATTEMPTS:
            raise CodeRejected(spent)
        if not (
            code.isdigit() and hmac.compare_digest(latest.code_hash, _code_hash(place, email, code))
        ):
            # Counted even though the caller sees an error: the block commits, then raises.
            EmailCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
            failure = CodeRejected(spent if latest.attempts + 1 >= CODE_MAX_ATTEMPTS else wrong)
        else:
            failure = None
            latest.used_at = now
            latest.save(update_fields=["used_at"])
    if failure is not None:
        raise failure
    participant = _link_address(request, place, email, now)
    if hasattr(request, "session"):
        request.session.cycle_key()
    _bind(request, place, participant)
    return participant


@transaction.atomic
def _link_address(request: HttpRequest, place: Place, email: str, now: dt.datetime) -> Participant:
    session_participant = current_participant(request, place)
    owner = Participant.objects.select_for_update().filter(place=place, email=email).first()
    if owner is None:
        if session_participant is not None and not session_participant.email:
            owner = session_participant
            session_participant = None
        else:
            try:
                with transaction.atomic():
                    owner = Participant.objects.create(place=place, email=email)
            except IntegrityError:
                owner = Participant.objects.get(place=place, email=email)
    before = audit.snapshot(owner, ["email_verified_at", "consented_at"])
    owner.email = email
    if owner.email_verified_at is None:
        owner.email_verified_at = now
    owner.consented_at = now
    owner.consent_purpose = SIGN_IN_PURPOSE
    if not owner.language:
        owner.language = translation.get_language() or ""
    owner.save()
    merged = ""
    if (
        session_participant is not None
        and session_participant.pk != owner.pk
        and session_participant.email_verified_at is None
    ):
        merged = str(session_participant.pk)
        merge_participants(session_participant, owner)
    audit.record(
        None,
        "participation.participant.email_verified",
        owner,
        before=before,
        after=audit.snapshot(owner, ["email_verified_at", "consented_at"]),
        place=place,
        note=f"merged participant {merged}" if merged else "",
    )
    return owner


@transaction.atomic
def merge_participants(source: Participant, target: Participant) -> None:
    """Move everything of ``source`` to ``target`` and delete ``source``.

    A contribution both supported (or followed) keeps one support: the duplicate is dropped
    and the contribution's count lowered by one.
    """
    Contribution.objects.filter(participant=source).update(participant=target)
    Comment.objects.filter(participant=source).update(participant=target)
    Notification.objects.filter(participant=source).update(participant=target)
    already = set(
        Support.objects.filter(participant=target).values_list("contribution_id", flat=True)
    )
    for support in Support.objects.filter(participant=source, contribution_id__in=already):
        Contribution.objects.filter(pk=support.contribution_id, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        support.delete()
    Support.objects.filter(participant=source).update(participant=target)
    followed = set(
        Follow.objects.filter(participant=target).values_list("contribution_id", flat=True)
    )
    Follow.objects.filter(participant=source, contribution_id__in=followed).delete()
    Follow.objects.filter(participant=source).update(participant=target)
    if not target.display_name and source.display_name:
        target.display_name = source.display_name
        target.save(update_fields=["display_name"])
    source.delete()


@transaction.atomic
def remember_email(participant: Participant, email: str, language: str = "") -> bool:
    """Keep an address given "to hear back", with consent; True when it was kept.

    The address is not proven yet (no level is gained). It is kept only when nobody in the
    place uses it already; either way the caller sends a code so the person can prove it.
    """
    email = normalise_email(email)
    if not email or participant.email:
        return participant.email == email
    if Participant.objects.filter(place_id=participant.place_id, email=email).exists():
        return False
    participant.email = email
    participant.consented_at = timezone.now()
    participant.consent_purpose = HEAR_BACK_PURPOSE
    if language and not participant.language:
        participant.language = language
    try:
        with transaction.atomic():
            participant.save(update_fields=["email", "consented_at", "consent_purpose", "language"])
    except IntegrityError:
        participant.email = ""
        return False
    audit.record(
        None,
        "participation.participant.email_given",
        participant,
        after={"consented_at": participant.consented_at, "purpose": HEAR_BACK_PURPOSE},
        place=participant.place,
    )
    return True
