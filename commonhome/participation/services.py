"""Every change participants make goes through a function here.

Each one checks the ladder (``identity.check_action``) or a staff permission, validates with
errors naming the field, runs in one transaction, writes the audit log and emits an event;
views, the API and the CLI only call these. Counters on a contribution (supports, comments,
reports) move with ``F()`` updates so concurrent requests never lose a count.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.permissions import require
from commonhome.core.tasks import task
from commonhome.core.translation import get_provider, machine_translate

from . import identity
from .constants import Action, Channel, Kind, Visibility
from .models import (
    Comment,
    Consultation,
    Contribution,
    Follow,
    Meeting,
    Participant,
    Report,
    Support,
)

log = logging.getLogger("commonhome.participation")

TITLE_MIN, TITLE_MAX = 3, 200
BODY_MIN, BODY_MAX = 10, 5000
COMMENT_MIN, COMMENT_MAX = 2, 3000
DETAILS_MAX = 2000
NAME_MAX = 80
#: How far outside a place's bounds a point may fall (degrees): the edge of a city is fuzzy.
BOUNDS_MARGIN = 0.05

CONTRIBUTION_FIELDS = (
    "kind",
    "domain",
    "title",
    "body",
    "source_language",
    "latitude",
    "longitude",
    "location_label",
    "author_name",
    "channel",
    "visibility",
)


def _actor_of(participant: Participant | None) -> str:
    return f"participant {participant.pk}" if participant is not None else ""


# --- Contributions -------------------------------------------------------------------------


def _validate_contribution(
    consultation: Consultation,
    *,
    kind: str,
    title: str,
    body: str,
    language: str,
    domain: str,
    latitude: float | None,
    longitude: float | None,
    location_label: str,
    author_name: str,
) -> None:
    place = consultation.place
    errors: dict[str, str] = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose whether this is a need, a suggestion or a question.")
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        errors["title"] = _("Write a title of %(min)s to %(max)s characters.") % {
            "min": TITLE_MIN,
            "max": TITLE_MAX,
        }
    if not BODY_MIN <= len(body) <= BODY_MAX:
        errors["body"] = _("Write %(min)s to %(max)s characters.") % {
            "min": BODY_MIN,
            "max": BODY_MAX,
        }
    if language not in place.content_languages:
        errors["language"] = _("Choose one of the languages offered here.")
    if domain and domain not in (consultation.domains or []):
        errors["domain"] = _("Choose one of this consultation's topics.")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Give both latitude and longitude, or neither.")
    elif latitude is not None and longitude is not None:
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            errors["latitude"] = _("This point is not on the map.")
        elif len(place.bounds or []) == 4:
            min_lat, min_lon, max_lat, max_lon = place.bounds
            m = BOUNDS_MARGIN
            if not (
                min_lat - m <= latitude <= max_lat + m and min_lon - m <= longitude <= max_lon + m
            ):
                errors["latitude"] = _("This point is outside %(place)s.") % {"place": place.name}
    if len(location_label) > 200:
        errors["location_label"] = _("Use at most 200 characters.")
    if len(author_name) > NAME_MAX:
        errors["author_name"] = _("Use at most 80 characters.")
    if errors:
        raise ValidationError(errors)


def submit_contribution(
    participant: Participant | None,
    consultation: Consultation,
    *,
    kind: str,
    title: str,
    body: str,
    language: str,
    domain: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    location_label: str = "",
    author_name: str = "",
    channel: str = Channel.WEB,
    recorded_by: Any = None,
    meeting: Meeting | None = None,
) -> Contribution:
    """Send a need, suggestion or question, in the language the person chose.

    Staff recording for someone (``recorded_by``: at a desk or from a meeting) need the desk
    permission instead of the ladder, and may record after the consultation closed.
    """
    place = consultation.place
    if recorded_by is not None:
        require(recorded_by, "participation.desk", place)
    else:
        identity.check_action(participant, Action.CONTRIBUTE, consultation)
    if participant is not None and participant.place_id != place.pk:
        raise ValidationError({"participant": "The participant takes part in another place."})
    if meeting is not None and meeting.place_id != place.pk:
        raise ValidationError({"meeting": "The meeting belongs to another place."})
    title, body = (title or "").strip(), (body or "").strip()
    location_label, author_name = (location_label or "").strip(), (author_name or "").strip()
    _validate_contribution(
        consultation,
        kind=kind,
        title=title,
        body=body,
        language=language,
        domain=domain or "",
        latitude=latitude,
        longitude=longitude,
        location_label=location_label,
        author_name=author_name,
    )
    if channel not in Channel.values:
        raise ValidationError({"channel": "Unknown channel."})
    now = timezone.now()
    with transaction.atomic():
        contribution = Contribution.objects.create(
            place=place,
            consultation=consultation,
            kind=kind,
            domain=domain or "",
            title=title,
            body=body,
            source_language=language,
            latitude=latitude,
            longitude=longitude,
            location_label=location_label,
            participant=participant,
            author_name=author_name,
            channel=channel,
            recorded_by=recorded_by,
            meeting=meeting,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            recorded_by,
            "participation.contribution.submit",
            contribution,
            after=audit.snapshot(contribution, CONTRIBUTION_FIELDS),
            note=_actor_of(participant),
        )
        events.emit("participation.contribution_submitted", contribution=contribution)
        if get_provider() is not None:
            pk = str(contribution.pk)
            transaction.on_commit(lambda: _enqueue_translation(pk))
    return contribution


def _enqueue_translation(contribution_id: str) -> None:
    try:
        translate_contribution.enqueue(contribution_id)
    except Exception:  # noqa: BLE001 - a translation that fails must never lose a contribution
        log.exception("could not queue the machine translation of %s", contribution_id)


@task()
def translate_contribution(contribution_id: str) -> int:
    """Machine-translate a contribution into the place's other languages; returns how many.

    Runs after the contribution is saved: a provider that fails loses nothing but the
    translation, which the next edit or a staff member can ask for again.
    """
    contribution = Contribution.objects.select_related("place").filter(pk=contribution_id).first()
    if contribution is None:
        return 0
    done = 0
    for language in contribution.place.content_languages:
        if language == contribution.source_language:
            continue
        try:
            if machine_translate(contribution, language) is not None:
                done += 1
        except Exception:  # noqa: BLE001 - one failing language must not stop the others
            log.exception("machine translation of %s into %s failed", contribution_id, language)
    return done


def record_at_desk(
    staff_user: Any,
    consultation: Consultation,
    *,
    display_name: str,
    contact: str,
    email: str = "",
    language: str,
    **contribution_fields: Any,
) -> Contribution:
    """Record a contribution for someone met at a desk (no internet, no e-mail, or help needed).

    The person becomes a desk-assisted participant; how to reach them stays with staff.
    """
    place = consultation.place
    require(staff_user, "participation.desk", place)
    email = identity.normalise_email(email)
    display_name = (display_name or "").strip()
    contact = (contact or "").strip()
    if len(display_name) > NAME_MAX:
        raise ValidationError({"display_name": _("Use at most 80 characters.")})
    if email and Participant.objects.filter(place=place, email=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "Someone already takes part with this address. Leave it out and note how "
                    "to reach the person, or ask them to sign in with an e-mail code."
                )
            }
        )
    contribution_fields.setdefault("author_name", display_name)
    contribution_fields.setdefault("channel", Channel.DESK)
    now = timezone.now()
    with transaction.atomic():
        participant = Participant.objects.create(
            place=place,
            display_name=display_name,
            email=email,
            desk_assisted=True,
            desk_contact=contact,
            recorded_by=staff_user,
            language=language,
            consented_at=now if (email or contact) else None,
            consent_purpose=(
                "Recorded at a desk; contact kept to tell the person what happens to it."
                if (email or contact)
                else ""
            ),
        )
        contribution = submit_contribution(
            participant,
            consultation,
            language=language,
            recorded_by=staff_user,
            **contribution_fields,
        )
        audit.record(
            staff_user,
            "participation.contribution.desk",
            contribution,
            note=f"recorded at a desk for participant {participant.pk}",
        )
    return contribution


# --- Supports and follows ------------------------------------------------------------------


def _public_or_refuse(contribution: Contribution) -> None:
    if contribution.visibility != Visibility.PUBLISHED:
        raise identity.ActionRefused(_("This contribution is not shown any more."), None)


def support(participant: Participant, contribution: Contribution) -> bool:
    """Support a contribution once; True when this call added the support.

    A second support (a double click, two tabs) is not an error: it changes nothing.
    """
    _public_or_refuse(contribution)
    identity.check_action(participant, Action.SUPPORT, contribution.consultation)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Support.objects.create(contribution=contribution, participant=participant)
        except IntegrityError:
            return False
        Contribution.objects.filter(pk=contribution.pk).update(support_count=F("support_count") + 1)
        audit.record(
            None,
            "participation.support",
            contribution,
            note=_actor_of(participant),
            place=contribution.place,
        )
        events.emit("participation.supported", contribution=contribution, participant=participant)
    return True


def unsupport(participant: Participant, contribution: Contribution) -> bool:
    """Take a support back; True when there was one. Allowed whenever supporting is."""
    identity.check_action(participant, Action.SUPPORT, contribution.consultation)
    with transaction.atomic():
        deleted, _n = Support.objects.filter(
            contribution=contribution, participant=participant
        ).delete()
        if not deleted:
            return False
        Contribution.objects.filter(pk=contribution.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        audit.record(
            None,
            "participation.unsupport",
            contribution,
            note=_actor_of(participant),
            place=contribution.place,
        )
        events.emit("participation.unsupported", contribution=contribution, participant=participant)
    return True


def follow(participant: Participant, contribution: Contribution) -> bool:
    """Follow a contribution to hear what becomes of it; True when newly followed."""
    _public_or_refuse(contribution)
    identity.check_action(participant, Action.FOLLOW, contribution.consultation)
    with transaction.atomic():
        _obj, created = Follow.objects.get_or_create(
            contribution=contribution, participant=participant
        )
        if created:
            audit.record(
                None,
                "participation.follow",
                contribution,
                note=_actor_of(participant),
                place=contribution.place,
            )
            events.emit(
                "participation.followed", contribution=contribution, participant=participant
            )
    return created


def unfollow(participant: Participant, contribution: Contribution) -> bool:
    with transaction.atomic():
        deleted, _n = Follow.objects.filter(
            contribution=contribution, participant=participant
        ).delete()
        if deleted:
            audit.record(
                None,
                "participation.unfollow",
                contribution,
                note=_actor_of(participant),
                place=contribution.place,
            )
    return bool(deleted)


# --- Comments ------------------------------------------------------------------------------


def add_comment(
    participant: Participant | None,
    contribution: Contribution,
    body: str,
    language: str,
    parent: Comment | None = None,
    official_by: Any = None,
) -> Comment:
    """Comment on a contribution, or reply to a comment on the same contribution.

    ``official_by`` (a staff user) marks the comment as the city speaking; it needs the answer
    permission rather than the ladder.
    """
    place = contribution.place
    if official_by is not None:
        require(official_by, "participation.answer", place)
    else:
        _public_or_refuse(contribution)
        identity.check_action(participant, Action.COMMENT, contribution.consultation)
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not COMMENT_MIN <= len(body) <= COMMENT_MAX:
        errors["body"] = _("Write %(min)s to %(max)s characters.") % {
            "min": COMMENT_MIN,
            "max": COMMENT_MAX,
        }
    if language and language not in place.content_languages:
        errors["language"] = _("Choose one of the languages offered here.")
    if parent is not None and (
        parent.contribution_id != contribution.pk or parent.visibility != Visibility.PUBLISHED
    ):
        errors["parent"] = _("You can only reply to a shown comment on this contribution.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = Comment.objects.create(
            contribution=contribution,
            parent=parent,
            participant=participant,
            author_name=participant.display_name if participant is not None else "",
            official=official_by is not None,
            body=body,
            language=language or place.default_language,
        )
        Contribution.objects.filter(pk=contribution.pk).update(comment_count=F("comment_count") + 1)
        audit.record(
            official_by,
            "participation.comment.add",
            comment,
            after=audit.snapshot(comment, ["body", "parent", "official", "language"]),
            place=place,
            note=_actor_of(participant),
        )
        events.emit("participation.comment_added", comment=comment)
    return comment


# --- Reports -------------------------------------------------------------------------------


def report(
    reporter_key: str,
    contribution: Contribution,
    comment: Comment | None = None,
    *,
    reason: str,
    details: str = "",
) -> bool:
    """Report a contribution (or one of its comments); True when this report is new.

    One report per reporter and target. When reports reach the place's ``reports_to_hide``,
    the target waits hidden (``Visibility.PENDING``) until a moderator looks at it.
    """
    details = (details or "").strip()
    errors: dict[str, str] = {}
    if reason not in Report.Reason.values:
        errors["reason"] = _("Choose a reason.")
    if len(details) > DETAILS_MAX:
        errors["details"] = _("Use at most %(max)s characters.") % {"max": DETAILS_MAX}
    if not reporter_key:
        errors["reporter"] = "A reporter key is needed to count one report per person."
    if comment is not None and comment.contribution_id != contribution.pk:
        errors["comment"] = "The comment belongs to another contribution."
    if errors:
        raise ValidationError(errors)
    place = contribution.place
    threshold = identity.settings_for(place).reports_to_hide
    target: Contribution | Comment = comment if comment is not None else contribution
    model = type(target)
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(
                    place=place,
                    contribution=contribution,
                    comment=comment,
                    reporter=reporter_key[:64],
                    reason=reason,
                    details=details,
                )
        except IntegrityError:
            return False
        model.objects.filter(pk=target.pk).update(report_count=F("report_count") + 1)
        hidden = (
            model.objects.filter(
                pk=target.pk, report_count__gte=threshold, visibility=Visibility.PUBLISHED
            ).update(visibility=Visibility.PENDING, moderated_at=timezone.now())
            > 0
        )
        target.refresh_from_db(fields=["report_count", "visibility", "moderated_at"])
        audit.record(
            None,
            "participation.report",
            target,
            after={"reason": reason, "report_count": target.report_count},
            place=place,
            note="hidden until a moderator looks at it" if hidden else "",
        )
        if hidden:
            events.emit(
                "participation.moderated",
                target=target,
                hidden=True,
                reason=_("Hidden after several reports, until a moderator looks at it."),
            )
    return True
