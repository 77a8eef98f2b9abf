"""Every change of state in matching goes through a function here.

Two kinds of caller. Coordinators (accounts: the place's administrators and moderators) are
checked with the ``matching.coordinate`` permission. People in a programme have no account:
their private link carries a token, :func:`profile_for_token` turns it into their profile, and
the functions they call take that profile — what they may touch is what their profile is part
of. Every function validates with errors naming the field, runs in one transaction, writes the
audit log and emits an event.

The audit log records which private fields changed, never their values: it is read by staff
who need to know that an address changed, not what it is.

A pair is proposed at most once, ever. A proposal that expires is not proposed again either:
one side let it lapse, and proposing the same pair again would most likely lapse again; the
side that did not answer is paused (the pool should hold people who are there), and can
resume whenever they like.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from commonhome.core import audit, events
from commonhome.core.models import Place
from commonhome.core.permissions import require
from commonhome.core.records import StaleVersion

from .constants import (
    COORDINATE_DECIMALS,
    DEFAULT_RULES,
    KEY_PATTERN,
    LANGUAGE_PATTERN,
    MAX_CAPACITY,
    REQUIRED_CONSENTS,
    SLOTS,
    Condition,
    ConsentPurpose,
    Gender,
    LanguageLevel,
    PairRuleKind,
    ProfileStatus,
    ProgrammeKind,
    ProposalStatus,
    Response,
    Side,
)
from .models import (
    CheckIn,
    Employer,
    Feedback,
    PairRule,
    Placement,
    Profile,
    Programme,
    Proposal,
    SkillsAudit,
    hash_token,
    validate_rules,
)

NAME_MAX = 80
TEXT_MAX = 2000
REASON_MIN = 3
PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()./-]{5,38}$")

#: The fields a person gives about themselves that the engine reads.
SET_FIELDS = (
    "languages",
    "learning",
    "groups",
    "availability",
    "skills",
    "needs",
    "offers",
    "interests",
)
ATTRIBUTE_FIELDS = (
    *SET_FIELDS,
    "gender",
    "gender_preference",
    "birth_year",
    "age_min",
    "age_max",
    "latitude",
    "longitude",
    "origin",
)
PROFILE_FIELDS = ("display_name", "email", "phone", "language", "capacity", *ATTRIBUTE_FIELDS)
#: Fields whose values never go into the audit log (only that they changed).
PRIVATE_FIELDS = frozenset({"email", "phone", "origin", "birth_year", "latitude", "longitude"})
#: What a programme's hard constraints need a person to have said, to be matchable at all.
NEEDED_BY_CONSTRAINT: dict[str, tuple[str, ...]] = {
    "shared_language": ("languages",),
    "language_exchange": ("languages", "learning"),
    "distance": ("latitude",),
    "availability": ("availability",),
}
PROGRAMME_FIELDS = (
    "slug",
    "kind",
    "name",
    "description",
    "rules",
    "max_capacity",
    "proposal_expiry_days",
    "reminder_days",
    "is_open",
)


@dataclass(frozen=True)
class Contact:
    """How to reach someone: what the partner sees once both accepted."""

    display_name: str
    email: str
    phone: str


@dataclass(frozen=True)
class Explanation:
    """What a person sees of a proposal: the partner's name and why, never who else."""

    partner_name: str
    score: int
    parts: dict[str, int]
    reasons: list[str]
    status: str
    your_response: str
    partner_response: str
    expires_at: dt.datetime


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _person(profile: Profile) -> str:
    return f"profile {profile.pk}"


def _coordinate(actor: Any, place: Any) -> None:
    require(actor, "matching.coordinate", place)


# --- Programmes ----------------------------------------------------------------------------


def _validate_programme(programme: Programme) -> None:
    errors: dict[str, Any] = {}
    if programme.kind not in ProgrammeKind.values:
        errors["kind"] = _("Choose buddies, language exchange, employment or hosting.")
    if not 1 <= len(programme.name.strip()) <= 200:
        errors["name"] = _("Give the programme a name.")
    if not 1 <= programme.max_capacity <= MAX_CAPACITY:
        errors["max_capacity"] = _("An offerer can take 1 to 3 matches at once.")
    if not 1 <= programme.proposal_expiry_days <= 90:
        errors["proposal_expiry_days"] = _("Give 1 to 90 days to answer a proposal.")
    if not 0 < programme.reminder_days < programme.proposal_expiry_days:
        errors["reminder_days"] = _("Remind people before the proposal expires.")
    try:
        programme.rules = validate_rules(programme.rules)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def create_programme(
    actor: Any,
    place: Place,
    *,
    slug: str,
    kind: str,
    name: str,
    description: str = "",
    rules: dict[str, Any] | None = None,
    max_capacity: int = MAX_CAPACITY,
    proposal_expiry_days: int = 14,
    reminder_days: int = 5,
    source_language: str | None = None,
) -> Programme:
    """A new programme, starting from its kind's default rules unless given its own."""
    _coordinate(actor, place)
    programme = Programme(
        place=place,
        slug=slug,
        kind=kind,
        name=name.strip(),
        description=description.strip(),
        rules=rules if rules is not None else dict(DEFAULT_RULES.get(kind, {})),
        max_capacity=max_capacity,
        proposal_expiry_days=proposal_expiry_days,
        reminder_days=reminder_days,
        source_language=source_language or place.default_language,
    )
    _validate_programme(programme)
    if Programme.objects.filter(place=place, slug=slug).exists():
        raise ValidationError({"slug": _("Another programme here already uses this address.")})
    with transaction.atomic():
        programme.save()
        audit.record(
            actor,
            "matching.programme.create",
            programme,
            after=audit.snapshot(programme, PROGRAMME_FIELDS),
        )
        events.emit("matching.programme_changed", programme=programme)
    return programme


def update_programme(
    actor: Any, programme: Programme, expected_version: int | None, **fields: Any
) -> Programme:
    """Change a programme's texts, rules or timings; a stale version is refused."""
    from commonhome.core.records import update_versioned

    _coordinate(actor, programme.place)
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    if "rules" in fields:
        fields["rules"] = validate_rules(fields["rules"])
    return update_versioned(
        actor,
        programme,
        expected_version,
        fields,
        action="matching.programme.update",
        validate=_validate_programme,
    )


# --- Profiles ------------------------------------------------------------------------------


def _keys(field: str, value: Any, pattern: re.Pattern[str], errors: dict[str, str]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        errors[field] = _("Give a list.")
        return []
    items = sorted({str(v).strip().lower() for v in value if str(v).strip()})
    bad = [v for v in items if not pattern.match(v)]
    if bad:
        errors[field] = _("Not a key we know: %(value)s.") % {"value": bad[0]}
    return items


def _in(field: str, value: Any, allowed: Iterable[str], errors: dict[str, str]) -> list[str]:
    items = _keys(field, value, KEY_PATTERN, errors)
    allowed = set(allowed)
    bad = [v for v in items if v not in allowed]
    if bad and field not in errors:
        errors[field] = _("Not one of the choices: %(value)s.") % {"value": bad[0]}
    return items


def _clean_attributes(
    attributes: dict[str, Any], errors: dict[str, str], *, today: dt.date
) -> dict[str, Any]:
    """Normalised attributes (sorted key lists, rounded coordinates); errors by field."""
    clean: dict[str, Any] = {}
    for name in ("languages", "learning"):
        if name in attributes:
            clean[name] = _keys(name, attributes[name], LANGUAGE_PATTERN, errors)
    for name in ("groups", "skills", "interests"):
        if name in attributes:
            clean[name] = _keys(name, attributes[name], KEY_PATTERN, errors)
    if "availability" in attributes:
        clean["availability"] = _in("availability", attributes["availability"], SLOTS, errors)
    for name in ("needs", "offers"):
        if name in attributes:
            clean[name] = _in(name, attributes[name], Condition.values, errors)
    for name in ("gender", "gender_preference"):
        if name in attributes:
            value = (attributes[name] or "").strip()
            if value and value not in Gender.values:
                errors[name] = _("Not one of the choices: %(value)s.") % {"value": value}
            clean[name] = value
    if "birth_year" in attributes:
        year = attributes["birth_year"]
        if year is not None and (not isinstance(year, int) or not 1900 <= year <= today.year):
            errors["birth_year"] = _("Give a year between 1900 and this year.")
        clean["birth_year"] = year
    for name in ("age_min", "age_max"):
        if name in attributes:
            age = attributes[name]
            if age is not None and (not isinstance(age, int) or not 0 <= age <= 120):
                errors[name] = _("Give an age between 0 and 120.")
            clean[name] = age
    low, high = clean.get("age_min"), clean.get("age_max")
    if isinstance(low, int) and isinstance(high, int) and low > high and "age_min" not in errors:
        errors["age_min"] = _("The youngest age is above the oldest.")
    if "latitude" in attributes or "longitude" in attributes:
        lat, lon = attributes.get("latitude"), attributes.get("longitude")
        if (lat is None) != (lon is None):
            errors["latitude"] = _("Give both latitude and longitude, or neither.")
        elif lat is not None and lon is not None:
            if not (-90 <= float(lat) <= 90 and -180 <= float(lon) <= 180):
                errors["latitude"] = _("This point is not on the map.")
            lat = round(float(lat), COORDINATE_DECIMALS)
            lon = round(float(lon), COORDINATE_DECIMALS)
        clean["latitude"], clean["longitude"] = lat, lon
    if "origin" in attributes:
        origin = (attributes["origin"] or "").strip()
        if len(origin) > 60:
            errors["origin"] = _("Use at most 60 characters.")
        clean["origin"] = origin
    return clean


def _validate_contact(
    display_name: str, email: str, phone: str, language: str, errors: dict[str, str]
) -> None:
    if not 1 <= len(display_name) <= NAME_MAX:
        errors["display_name"] = _("Give a name of 1 to 80 characters; a first name is enough.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("This e-mail address does not look right.")
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = _("Write the phone number with digits, spaces or a leading +.")
    if not email and not phone and "email" not in errors:
        errors["email"] = _(
            "Give an e-mail address or a phone number, so your match can reach you."
        )
    if language not in {code for code, _name in settings.LANGUAGES}:
        errors["language"] = _("Choose one of the languages offered.")


def _validate_profile(profile: Profile, errors: dict[str, str]) -> None:
    """Checks that need the whole profile: capacity, and what the programme's rules need."""
    programme = profile.programme
    if profile.side == Side.SEEKER and profile.capacity != 1:
        errors["capacity"] = _("A person looking for a match takes one match at a time.")
    elif not 1 <= profile.capacity <= programme.max_capacity:
        errors["capacity"] = _("Choose from 1 to %(max)s.") % {"max": programme.max_capacity}
    hard = set((programme.rules or {}).get("hard", []))
    for constraint, needed in NEEDED_BY_CONSTRAINT.items():
        if constraint not in hard:
            continue
        for name in needed:
            if not getattr(profile, name) and name not in errors:
                errors[name] = _("This programme needs this to find a match.")


def sign_up(
    programme: Programme,
    *,
    side: str,
    display_name: str,
    language: str,
    consents: Iterable[str],
    email: str = "",
    phone: str = "",
    capacity: int = 1,
    recorded_by: Any = None,
    shared_contact: bool = False,
    now: dt.datetime | None = None,
    **attributes: Any,
) -> tuple[Profile, str]:
    """Join a programme on one side; returns the profile and the token of the person's link.

    ``consents`` lists the purposes the person agreed to; matching and showing the contact to
    the match are required, sharing origin is optional (without it, origin is not kept). Staff
    signing someone up at a desk pass ``recorded_by``. The token is shown once: only its hash
    is stored. One e-mail address signs up once per programme and side, so nobody holds two
    places in the pool; ``shared_contact`` lifts that for an employer's placements.
    """
    now = _now(now)
    if recorded_by is not None:
        _coordinate(recorded_by, programme.place)
    if not programme.is_open:
        raise ValidationError({"programme": _("This programme is not taking sign-ups now.")})
    unknown_attrs = set(attributes) - set(ATTRIBUTE_FIELDS)
    if unknown_attrs:
        raise ValidationError({sorted(unknown_attrs)[0]: _("This field is not asked here.")})
    errors: dict[str, str] = {}
    if side not in Side.values:
        errors["side"] = _("Choose whether you are looking for a match or offering.")
    given = {str(c) for c in consents}
    if given - set(ConsentPurpose.values):
        errors["consents"] = _("Unknown purpose: %(value)s.") % {
            "value": sorted(given - set(ConsentPurpose.values))[0]
        }
    elif not given >= REQUIRED_CONSENTS:
        errors["consents"] = _(
            "We can only look for a match if you agree to both: using your answers for "
            "matching, and showing your contact to your match once you both accept."
        )
    display_name, email, phone = display_name.strip(), email.strip().lower(), phone.strip()
    _validate_contact(display_name, email, phone, language, errors)
    clean = _clean_attributes(attributes, errors, today=now.date())
    if ConsentPurpose.SHARE_ORIGIN not in given:
        clean["origin"] = ""  # least data: not kept without its purpose
    token, token_hash = _new_token()
    profile = Profile(
        place=programme.place,
        programme=programme,
        side=side,
        display_name=display_name,
        email=email,
        phone=phone,
        language=language,
        capacity=capacity,
        consents={purpose: now.isoformat() for purpose in sorted(given)},
        token_hash=token_hash,
        waiting_since=now,
        recorded_by=recorded_by,
        created_at=now,
        updated_at=now,
        **clean,
    )
    _validate_profile(profile, errors)
    if email and not shared_contact and "email" not in errors:
        already = Profile.objects.filter(programme=programme, side=side, email=email).exclude(
            status=ProfileStatus.LEFT
        )
        if already.exists():
            errors["email"] = _(
                "You are already signed up here with this address: use the link we sent you."
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile.save()
        audit.record(
            recorded_by,
            "matching.profile.sign_up",
            profile,
            after=audit.snapshot(profile, ("programme", "side", "capacity", "consents")),
            note=_person(profile),
        )
        events.emit("matching.signed_up", profile=profile)
    return profile, token


def profile_for_token(programme: Programme, token: str) -> Profile | None:
    """The profile a person's private link opens; None for a wrong token or after leaving.

    Two links open it: the one given at sign-up, and the one in our latest e-mails.
    """
    if not token:
        return None
    hashed = hash_token(token)
    return (
        Profile.objects.select_related("programme", "place")
        .filter(Q(token_hash=hashed) | Q(mail_token_hash=hashed), programme=programme)
        .exclude(status=ProfileStatus.LEFT)
        .first()
    )


def mail_token(profile: Profile) -> str:
    """The token of the link we put in e-mails to this person; the same in every e-mail.

    Only hashes of tokens are stored, so the sign-up link cannot be e-mailed later. This one
    is derived from the server's secret, the profile and :attr:`Profile.mail_link_version`:
    every e-mail carries the same working link, and asking for a new link (or leaving) bumps
    the version, which ends the old one.
    """
    token = salted_hmac(
        "commonhome.matching.mail-link",
        f"{profile.pk}:{profile.mail_link_version}",
        algorithm="sha256",
    ).hexdigest()
    hashed = hash_token(token)
    if profile.mail_token_hash != hashed:
        Profile.objects.filter(pk=profile.pk).update(mail_token_hash=hashed)
        profile.mail_token_hash = hashed
    return token


def send_link(programme: Programme, email: str) -> int:
    """E-mail a new private link to everyone in ``programme`` who signed up with ``email``.

    For people who lost their link. Any link e-mailed before stops working; the sign-up link
    keeps working. Returns how many were sent — never shown, so nobody learns who takes part.
    Placements are left out: their employer answers through the employer's own page.
    """
    from .notifications import MailKind, enqueue

    address = (email or "").strip().lower()
    if not address:
        return 0
    with transaction.atomic():
        people = list(
            Profile.objects.select_for_update()
            .filter(
                programme=programme,
                email=address,
                status__in=(ProfileStatus.ACTIVE, ProfileStatus.PAUSED),
            )
            .exclude(token_hash="")
            .order_by("pk")
        )
        for person in people:
            person.mail_link_version += 1
            person.mail_token_hash = ""
            person.save(update_fields=["mail_link_version", "mail_token_hash"])
            audit.record(None, "matching.profile.new_link", person, note=_person(person))
            enqueue(person.pk, MailKind.LINK)
    return len(people)


def _locked(profile: Profile) -> Profile:
    return Profile.objects.select_for_update().select_related("programme").get(pk=profile.pk)


def update_profile(
    profile: Profile,
    expected_version: int | None,
    *,
    actor: Any = None,
    now: dt.datetime | None = None,
    **changes: Any,
) -> Profile:
    """Change what a person said about themselves (their link), or a coordinator for them."""
    now = _now(now)
    if actor is not None:
        _coordinate(actor, profile.place)
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: _("This field cannot be changed.")})
    with transaction.atomic():
        locked = _locked(profile)
        if locked.status == ProfileStatus.LEFT:
            raise ValidationError({"status": _("This profile has left the programme.")})
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion(locked, expected_version)
        errors: dict[str, str] = {}
        clean = _clean_attributes(
            {k: v for k, v in changes.items() if k in ATTRIBUTE_FIELDS}, errors, today=now.date()
        )
        for name in ("display_name", "email", "phone", "language", "capacity"):
            if name in changes:
                value = changes[name]
                clean[name] = value.strip() if isinstance(value, str) else value
        if "email" in clean:
            clean["email"] = clean["email"].lower()
        if "origin" in clean and not locked.has_consent(ConsentPurpose.SHARE_ORIGIN):
            clean["origin"] = ""
        names = [name for name, value in clean.items() if getattr(locked, name) != value]
        for name in names:
            setattr(locked, name, clean[name])
        if not locked.email and locked.has_consent(ConsentPurpose.EMAIL_UPDATES):
            # Without an address there is nothing to write to; asking again is one click.
            locked.consents = {
                k: v for k, v in locked.consents.items() if k != ConsentPurpose.EMAIL_UPDATES
            }
            names.append("consents")
        _validate_contact(locked.display_name, locked.email, locked.phone, locked.language, errors)
        _validate_profile(locked, errors)
        if errors:
            raise ValidationError(errors)
        if not names:
            return locked
        before = audit.snapshot(locked, [n for n in names if n not in PRIVATE_FIELDS])
        locked.version += 1
        locked.updated_at = now
        locked.save()
        audit.record(
            actor,
            "matching.profile.update",
            locked,
            before=before,
            after=audit.snapshot(locked, [n for n in names if n not in PRIVATE_FIELDS]),
            note=f"{_person(locked)} changed: {', '.join(sorted(names))}",
        )
        events.emit("matching.profile_changed", profile=locked)
    return locked


def _withdraw_open(profile: Profile, *, status: str, reason: str, now: dt.datetime) -> int:
    """Close the profile's open proposals (the partner goes back to the pool)."""
    open_proposals = Proposal.objects.select_for_update().filter(
        Q(seeker=profile) | Q(offerer=profile), status=ProposalStatus.PROPOSED
    )
    count = 0
    for proposal in open_proposals:
        proposal.status = status
        if status == ProposalStatus.DECLINED:
            field = "seeker_response" if proposal.seeker_id == profile.pk else "offerer_response"
            setattr(proposal, field, Response.DECLINED)
        proposal.decided_at = now
        proposal.end_reason = reason
        proposal.version += 1
        proposal.save()
        audit.record(None, f"matching.proposal.{status}", proposal, note=reason)
        events.emit("matching.proposal_withdrawn", proposal=proposal, by=profile)
        count += 1
    return count


def pause(profile: Profile, *, reason: str = "", now: dt.datetime | None = None) -> Profile:
    """Stop receiving proposals for a while; open proposals are withdrawn, matches go on."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(profile)
        if locked.status != ProfileStatus.ACTIVE:
            return locked
        locked.status = ProfileStatus.PAUSED
        locked.paused_at = now
        locked.pause_reason = (reason or "paused by the person")[:60]
        locked.version += 1
        locked.updated_at = now
        locked.save()
        _withdraw_open(locked, status=ProposalStatus.EXPIRED, reason="withdrawn: paused", now=now)
        audit.record(None, "matching.profile.pause", locked, note=_person(locked))
        events.emit("matching.profile_paused", profile=locked)
    return locked


def resume(profile: Profile, *, now: dt.datetime | None = None) -> Profile:
    """Back in the pool. Time spent paused does not count as waiting."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked(profile)
        if locked.status != ProfileStatus.PAUSED:
            return locked
        if locked.paused_at is not None:
            locked.waiting_since = min(now, locked.waiting_since + (now - locked.paused_at))
        locked.status = ProfileStatus.ACTIVE
        locked.paused_at = None
        locked.pause_reason = ""
        locked.version += 1
        locked.updated_at = now
        locked.save()
        audit.record(None, "matching.profile.resume", locked, note=_person(locked))
        events.emit("matching.profile_resumed", profile=locked)
    return locked


def leave(profile: Profile, *, now: dt.datetime | None = None) -> Profile:
    """Leave the programme: open proposals declined, matches ended, contact details erased.

    The profile stays (without contact, origin or link) so the programme's figures and the
    partners' history still add up; nothing left in it can reach the person.
    """
    now = _now(now)
    with transaction.atomic():
        locked = _locked(profile)
        if locked.status == ProfileStatus.LEFT:
            return locked
        _withdraw_open(locked, status=ProposalStatus.DECLINED, reason="left", now=now)
        matches = Proposal.objects.select_for_update().filter(
            Q(seeker=locked) | Q(offerer=locked), status=ProposalStatus.ACCEPTED
        )
        for match in matches:
            _end(match, reason="left the programme", now=now)
        locked.status = ProfileStatus.LEFT
        locked.left_at = now
        locked.paused_at = None
        locked.email = locked.phone = locked.origin = locked.token_hash = ""
        locked.mail_token_hash = ""
        locked.mail_link_version += 1
        locked.latitude = locked.longitude = locked.birth_year = None
        locked.version += 1
        locked.updated_at = now
        locked.save()
        if hasattr(locked, "placement"):
            Placement.objects.filter(pk=locked.placement.pk).update(is_open=False)
        audit.record(None, "matching.profile.leave", locked, note=_person(locked))
        events.emit("matching.profile_left", profile=locked)
    return locked


def set_consent(
    profile: Profile, purpose: str, given: bool, *, now: dt.datetime | None = None
) -> Profile:
    """Give or withdraw one purpose. Withdrawing a required one is leaving."""
    now = _now(now)
    if purpose not in ConsentPurpose.values:
        raise ValidationError({"consents": _("Unknown purpose: %(value)s.") % {"value": purpose}})
    if not given and purpose in REQUIRED_CONSENTS:
        return leave(profile, now=now)
    with transaction.atomic():
        locked = _locked(profile)
        if given and purpose == ConsentPurpose.EMAIL_UPDATES and not locked.email:
            raise ValidationError(
                {"consents": _("Give an e-mail address first, so we can write to you.")}
            )
        consents = dict(locked.consents or {})
        if given:
            consents[purpose] = now.isoformat()
        else:
            consents.pop(purpose, None)
            if purpose == ConsentPurpose.SHARE_ORIGIN:
                locked.origin = ""
        if consents == locked.consents:
            return locked
        before = {"consents": locked.consents}
        locked.consents = consents
        locked.version += 1
        locked.updated_at = now
        locked.save()
        audit.record(
            None,
            "matching.profile.consent",
            locked,
            before=before,
            after={"consents": consents},
            note=_person(locked),
        )
        events.emit("matching.profile_changed", profile=locked)
    return locked


# --- Skills audit, employers and placements ------------------------------------------------


def save_skills_audit(
    profile: Profile,
    *,
    skills: Iterable[str] = (),
    qualifications: Iterable[dict[str, Any]] = (),
    experience: Iterable[dict[str, Any]] = (),
    languages: dict[str, str] | None = None,
    sectors: Iterable[str] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> SkillsAudit:
    """A job seeker's self-audit; its skill keys and languages become the profile's."""
    now = _now(now)
    if profile.programme.kind != ProgrammeKind.EMPLOYMENT or profile.side != Side.SEEKER:
        raise ValidationError(
            {"profile": _("The skills audit is for people looking for work or a placement.")}
        )
    errors: dict[str, str] = {}
    clean_skills = _keys("skills", list(skills), KEY_PATTERN, errors)
    clean_sectors = _keys("sectors", list(sectors), KEY_PATTERN, errors)
    entries: dict[str, list[dict[str, Any]]] = {}
    for name, raw in (("qualifications", qualifications), ("experience", experience)):
        entries[name] = []
        for row, entry in enumerate(raw, start=1):
            title = str(entry.get("title", "")).strip()
            skill = str(entry.get("skill", "")).strip().lower()
            years = entry.get("years")
            if not 1 <= len(title) <= 200:
                errors[name] = _("Row %(row)s: give a title.") % {"row": row}
            elif skill and not KEY_PATTERN.match(skill):
                errors[name] = _("Row %(row)s: not a key we know: %(value)s.") % {
                    "row": row,
                    "value": skill,
                }
            elif years is not None and (not isinstance(years, int) or not 0 <= years <= 70):
                errors[name] = _("Row %(row)s: give whole years from 0 to 70.") % {"row": row}
            entries[name].append(
                {
                    "title": title,
                    "country": str(entry.get("country", "")).strip()[:60],
                    "years": years,
                    "skill": skill,
                }
            )
    clean_languages: dict[str, str] = {}
    for code, level in (languages or {}).items():
        code = str(code).strip().lower()
        if not LANGUAGE_PATTERN.match(code):
            errors["languages"] = _("Not a key we know: %(value)s.") % {"value": code}
        elif level not in LanguageLevel.values:
            errors["languages"] = _("Choose a level from A1 to C2, or first language.")
        else:
            clean_languages[code] = level
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(profile)
        skills_audit, created = SkillsAudit.objects.select_for_update().get_or_create(
            profile=locked
        )
        if (
            not created
            and expected_version is not None
            and skills_audit.version != expected_version
        ):
            raise StaleVersion(skills_audit, expected_version)
        skills_audit.skills = clean_skills
        skills_audit.qualifications = entries["qualifications"]
        skills_audit.experience = entries["experience"]
        skills_audit.languages = clean_languages
        skills_audit.sectors = clean_sectors
        skills_audit.updated_at = now
        if not created:
            skills_audit.version += 1
        skills_audit.save()
        locked.skills = skills_audit.skill_keys()
        if clean_languages:
            locked.languages = sorted(clean_languages)
        locked.version += 1
        locked.updated_at = now
        locked.save()
        audit.record(
            None,
            "matching.skills_audit.save",
            locked,
            after={"skills": locked.skills, "languages": locked.languages},
            note=_person(locked),
        )
        events.emit("matching.profile_changed", profile=locked)
    return skills_audit


def sign_up_employer(
    place: Place,
    *,
    name: str,
    contact_name: str,
    pledge: bool,
    email: str = "",
    phone: str = "",
    organization: Any = None,
    recorded_by: Any = None,
    now: dt.datetime | None = None,
) -> tuple[Employer, str]:
    """A Migration Friendly Employer signs the pledge; returns it and the token of its link."""
    now = _now(now)
    if recorded_by is not None:
        _coordinate(recorded_by, place)
    errors: dict[str, str] = {}
    name, contact_name = name.strip(), contact_name.strip()
    email, phone = email.strip().lower(), phone.strip()
    if not 1 <= len(name) <= 200:
        errors["name"] = _("Give the employer's name.")
    if not pledge:
        errors["pledge"] = _("Employers join by signing the Migration Friendly Employer pledge.")
    _validate_contact(contact_name, email, phone, settings.LANGUAGES[0][0], errors)
    if "display_name" in errors:
        errors["contact_name"] = errors.pop("display_name")
    if organization is not None and organization.place_id != place.pk:
        errors["organization"] = _("This organisation is listed in another place.")
    if errors:
        raise ValidationError(errors)
    token, token_hash = _new_token()
    with transaction.atomic():
        employer = Employer.objects.create(
            place=place,
            name=name,
            contact_name=contact_name,
            email=email,
            phone=phone,
            organization=organization,
            pledged_at=now,
            token_hash=token_hash,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            recorded_by,
            "matching.employer.sign_up",
            employer,
            after=audit.snapshot(employer, ("name", "organization", "pledged_at")),
        )
        events.emit("matching.employer_signed_up", employer=employer)
    return employer, token


def employer_for_token(place: Place, token: str) -> Employer | None:
    if not token:
        return None
    return Employer.objects.filter(place=place, token_hash=hash_token(token)).first()


def post_placement(
    employer: Employer,
    programme: Programme,
    *,
    title: str,
    description: str = "",
    required_skills: Iterable[str] = (),
    places: int = 1,
    language: str | None = None,
    now: dt.datetime | None = None,
    **attributes: Any,
) -> Placement:
    """Post a placement; it enters the pool as an offerer profile with the employer's contact.

    ``attributes`` are the offer's engine attributes (languages spoken at work, location,
    availability…); ``required_skills`` become the profile's skills, ``places`` its capacity.
    """
    now = _now(now)
    if programme.kind != ProgrammeKind.EMPLOYMENT or programme.place_id != employer.place_id:
        raise ValidationError(
            {"programme": _("Placements go in an employment programme of the same place.")}
        )
    title = title.strip()
    if not 1 <= len(title) <= 200:
        raise ValidationError({"title": _("Give the placement a title.")})
    if len(description) > TEXT_MAX:
        raise ValidationError({"description": _("Use at most 2000 characters.")})
    attributes["skills"] = list(required_skills)
    profile, _token = sign_up(
        programme,
        side=Side.OFFERER,
        display_name=f"{title} – {employer.name}"[:NAME_MAX],
        language=language or programme.place.default_language,
        consents=REQUIRED_CONSENTS,
        email=employer.email,
        phone=employer.phone,
        capacity=places,
        shared_contact=True,
        now=now,
        **attributes,
    )
    with transaction.atomic():
        # The employer answers proposals through its own link, not the profile's.
        Profile.objects.filter(pk=profile.pk).update(token_hash="")
        profile.token_hash = ""
        placement = Placement.objects.create(
            employer=employer,
            programme=programme,
            profile=profile,
            title=title,
            description=description.strip(),
            required_skills=profile.skills,
            places=places,
            created_at=now,
        )
        audit.record(
            None,
            "matching.placement.post",
            placement,
            place=employer.place,
            after={"title": title, "places": places, "required_skills": profile.skills},
            note=f"employer {employer.pk}",
        )
        events.emit("matching.placement_posted", placement=placement)
    return placement


def close_placement(employer: Employer, placement: Placement) -> Placement:
    """No more proposals for this placement; matches already accepted go on."""
    if placement.employer_id != employer.pk:
        raise PermissionDenied("matching.placement")
    with transaction.atomic():
        pause(placement.profile, reason="placement closed")
        placement.is_open = False
        placement.save(update_fields=["is_open"])
        audit.record(None, "matching.placement.close", placement, place=employer.place)
    return placement


# --- Proposals -----------------------------------------------------------------------------


def _locked_proposal(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("seeker", "offerer", "programme")
        .get(pk=proposal.pk)
    )


def _side_or_refuse(profile: Profile, proposal: Proposal) -> str:
    side = proposal.side_of(profile)
    if side is None:
        raise PermissionDenied("matching.proposal")
    return side


def respond(
    profile: Profile, proposal: Proposal, accept: bool, *, now: dt.datetime | None = None
) -> Proposal:
    """Accept or decline a proposal. Both accept: matched. One declines: never proposed again."""
    now = _now(now)
    with transaction.atomic():
        locked = _locked_proposal(proposal)
        side = _side_or_refuse(profile, locked)
        if locked.status != ProposalStatus.PROPOSED or now >= locked.expires_at:
            raise ValidationError({"proposal": _("This proposal is no longer open.")})
        answer = Response.ACCEPTED if accept else Response.DECLINED
        current = locked.response_of(side)
        if current == answer:
            return locked
        if current != Response.PENDING:
            raise ValidationError({"proposal": _("You already answered this proposal.")})
        setattr(locked, f"{side}_response", answer)
        if not accept:
            locked.status = ProposalStatus.DECLINED
            locked.decided_at = now
        elif locked.seeker_response == locked.offerer_response == Response.ACCEPTED:
            locked.status = ProposalStatus.ACCEPTED
            locked.decided_at = now
        locked.version += 1
        locked.save()
        audit.record(
            None,
            "matching.proposal.respond",
            locked,
            after={f"{side}_response": answer, "status": locked.status},
            note=_person(profile),
        )
        events.emit("matching.proposal_answered", proposal=locked, side=side, accepted=accept)
        if locked.status == ProposalStatus.ACCEPTED:
            events.emit("matching.matched", proposal=locked)
    return locked


def expire_and_remind(
    now: dt.datetime | None = None, *, programme: Programme | None = None
) -> dict[str, int]:
    """Expire proposals past their time, pausing whoever did not answer; remind the late.

    Returns counts: ``expired``, ``paused`` and ``reminded``.
    """
    now = _now(now)
    counts = {"expired": 0, "paused": 0, "reminded": 0}
    open_proposals = Proposal.objects.filter(status=ProposalStatus.PROPOSED)
    if programme is not None:
        open_proposals = open_proposals.filter(programme=programme)
    with transaction.atomic():
        due = open_proposals.select_for_update(of=("self",)).filter(expires_at__lte=now)
        silent: set[Any] = set()
        for proposal in due.select_related("seeker", "offerer"):
            pending = [
                side
                for side in (Side.SEEKER, Side.OFFERER)
                if proposal.response_of(side) == Response.PENDING
            ]
            proposal.status = ProposalStatus.EXPIRED
            proposal.decided_at = now
            proposal.end_reason = "no answer from: " + ", ".join(pending)
            proposal.version += 1
            proposal.save()
            audit.record(None, "matching.proposal.expire", proposal, note=proposal.end_reason)
            events.emit("matching.proposal_expired", proposal=proposal)
            silent |= {
                proposal.seeker_id if s == Side.SEEKER else proposal.offerer_id for s in pending
            }
            counts["expired"] += 1
        for person in Profile.objects.filter(pk__in=silent, status=ProfileStatus.ACTIVE):
            pause(person, reason="did not answer a proposal", now=now)
            counts["paused"] += 1
        late = open_proposals.select_related("programme").filter(
            reminded_at__isnull=True, expires_at__gt=now
        )
        for proposal in late:
            if proposal.proposed_at + dt.timedelta(days=proposal.programme.reminder_days) > now:
                continue
            proposal.reminded_at = now
            proposal.save(update_fields=["reminded_at"])
            pending = [
                side
                for side in (Side.SEEKER, Side.OFFERER)
                if proposal.response_of(side) == Response.PENDING
            ]
            events.emit("matching.proposal_reminder", proposal=proposal, sides=pending)
            counts["reminded"] += 1
    return counts


def _pair_or_refuse(seeker: Profile, offerer: Profile) -> Programme:
    if seeker.programme_id != offerer.programme_id:
        raise ValidationError({"offerer": _("Both must be in the same programme.")})
    if seeker.side != Side.SEEKER:
        raise ValidationError({"seeker": _("This profile is not looking for a match.")})
    if offerer.side != Side.OFFERER:
        raise ValidationError({"offerer": _("This profile is not offering.")})
    return seeker.programme


def _set_pair_rule(
    actor: Any, seeker: Profile, offerer: Profile, kind: str, reason: str, now: dt.datetime
) -> PairRule:
    programme = _pair_or_refuse(seeker, offerer)
    _coordinate(actor, programme.place)
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= TEXT_MAX:
        raise ValidationError({"reason": _("Say why, in a few words; it is kept in the log.")})
    rule = PairRule.objects.select_for_update().filter(seeker=seeker, offerer=offerer).first()
    before = audit.snapshot(rule, ("kind", "reason")) if rule is not None else {}
    if rule is None:
        rule = PairRule(place=programme.place, programme=programme, seeker=seeker, offerer=offerer)
    rule.kind, rule.reason, rule.by, rule.at = kind, reason, actor, now
    rule.save()
    audit.record(
        actor,
        f"matching.pair.{kind}",
        rule,
        before=before,
        after=audit.snapshot(rule, ("kind", "reason")),
        note=reason,
    )
    events.emit("matching.pair_rule", rule=rule)
    return rule


def force_pair(
    actor: Any, seeker: Profile, offerer: Profile, *, reason: str, now: dt.datetime | None = None
) -> PairRule:
    """Have the next run propose this pair, constraints or not (it still uses capacity)."""
    now = _now(now)
    with transaction.atomic():
        existing = Proposal.objects.filter(seeker=seeker, offerer=offerer).first()
        if existing is not None:
            _pair_or_refuse(seeker, offerer)
            _coordinate(actor, seeker.place)
            raise ValidationError(
                {"offerer": _("This pair was already proposed; a pair is proposed only once.")}
            )
        return _set_pair_rule(actor, seeker, offerer, PairRuleKind.FORCE, reason, now)


def forbid_pair(
    actor: Any, seeker: Profile, offerer: Profile, *, reason: str, now: dt.datetime | None = None
) -> PairRule:
    """Never propose this pair; an open proposal between them is withdrawn."""
    now = _now(now)
    with transaction.atomic():
        rule = _set_pair_rule(actor, seeker, offerer, PairRuleKind.FORBID, reason, now)
        live = Proposal.objects.select_for_update().filter(seeker=seeker, offerer=offerer)
        for proposal in live:
            if proposal.status == ProposalStatus.ACCEPTED:
                raise ValidationError(
                    {"offerer": _("These two are matched: end the match instead, with a reason.")}
                )
            if proposal.status == ProposalStatus.PROPOSED:
                proposal.status = ProposalStatus.EXPIRED
                proposal.decided_at = now
                proposal.end_reason = "withdrawn: forbidden by a coordinator"
                proposal.version += 1
                proposal.save()
                audit.record(actor, "matching.proposal.withdraw", proposal, note=reason)
    return rule


def _end(proposal: Proposal, *, reason: str, now: dt.datetime, actor: Any = None) -> None:
    proposal.status = ProposalStatus.ENDED
    proposal.ended_at = now
    proposal.end_reason = reason
    proposal.version += 1
    proposal.save()
    # The seeker is back in the pool and waits afresh.
    Profile.objects.filter(pk=proposal.seeker_id).update(waiting_since=now)
    audit.record(actor, "matching.match.end", proposal, note=reason)
    events.emit("matching.match_ended", proposal=proposal)


def end_match(
    proposal: Proposal,
    *,
    reason: str,
    actor: Any = None,
    profile: Profile | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """End an accepted match (a coordinator, or either partner), with a reason. Never again."""
    now = _now(now)
    if actor is not None:
        _coordinate(actor, proposal.place)
    elif profile is None:
        raise PermissionDenied("matching.end_match")
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= TEXT_MAX:
        raise ValidationError({"reason": _("Say why, in a few words; it is kept in the log.")})
    with transaction.atomic():
        locked = _locked_proposal(proposal)
        if actor is None and profile is not None:
            _side_or_refuse(profile, locked)
        if locked.status != ProposalStatus.ACCEPTED:
            raise ValidationError({"proposal": _("Only a match both accepted can be ended.")})
        _end(locked, reason=reason, now=now, actor=actor)
    return locked


def add_check_in(
    proposal: Proposal,
    *,
    rating: int | None = None,
    text: str = "",
    profile: Profile | None = None,
    actor: Any = None,
    now: dt.datetime | None = None,
) -> CheckIn:
    """How a match is going: told by one side (``profile``) or noted by a coordinator."""
    now = _now(now)
    if actor is not None:
        _coordinate(actor, proposal.place)
        side = ""
    elif profile is not None:
        side = _side_or_refuse(profile, proposal)
    else:
        raise PermissionDenied("matching.check_in")
    _validate_rating(rating, text, required=False)
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError({"proposal": _("Check-ins are for matches both accepted.")})
    with transaction.atomic():
        check_in = CheckIn.objects.create(
            proposal=proposal,
            side=side,
            rating=rating,
            text=text.strip(),
            recorded_by=actor,
            at=now,
        )
        audit.record(actor, "matching.check_in", proposal, note=f"check-in {check_in.pk}")
        events.emit("matching.checked_in", check_in=check_in)
    return check_in


def _validate_rating(rating: int | None, text: str, *, required: bool) -> None:
    if rating is None and required:
        raise ValidationError({"rating": _("Choose from 1 to 5.")})
    if rating is not None and (not isinstance(rating, int) or not 1 <= rating <= 5):
        raise ValidationError({"rating": _("Choose from 1 to 5.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("Use at most 2000 characters.")})


def add_feedback(
    profile: Profile,
    proposal: Proposal,
    *,
    rating: int,
    text: str = "",
    now: dt.datetime | None = None,
) -> Feedback:
    """One side's word on a match, once."""
    now = _now(now)
    side = _side_or_refuse(profile, proposal)
    _validate_rating(rating, text, required=True)
    if proposal.status not in (ProposalStatus.ACCEPTED, ProposalStatus.ENDED):
        raise ValidationError({"proposal": _("Feedback is for matches both accepted.")})
    try:
        with transaction.atomic():
            feedback = Feedback.objects.create(
                proposal=proposal, side=side, rating=rating, text=text.strip(), at=now
            )
            audit.record(None, "matching.feedback", proposal, note=_person(profile))
            events.emit("matching.feedback", feedback=feedback)
    except IntegrityError:
        raise ValidationError(
            {"rating": _("You already gave your feedback on this match.")}
        ) from None
    return feedback


# --- What people and coordinators see ------------------------------------------------------


def contact_for(viewer: Profile, proposal: Proposal) -> Contact | None:
    """The partner's contact, only once both accepted (and while the match lasts)."""
    side = proposal.side_of(viewer)
    if side is None or proposal.status != ProposalStatus.ACCEPTED:
        return None
    if (
        proposal.seeker_response != Response.ACCEPTED
        or proposal.offerer_response != Response.ACCEPTED
    ):
        return None
    partner = proposal.partner_of(viewer)
    if not partner.has_consent(ConsentPurpose.CONTACT_AFTER_MATCH):
        return None
    return Contact(display_name=partner.display_name, email=partner.email, phone=partner.phone)


def explanation(viewer: Profile, proposal: Proposal) -> Explanation:
    """Why this match, for one of the two; raises PermissionDenied for anyone else."""
    side = _side_or_refuse(viewer, proposal)
    other = Side.OFFERER if side == Side.SEEKER else Side.SEEKER
    return Explanation(
        partner_name=proposal.partner_of(viewer).display_name,
        score=proposal.score,
        parts=dict(proposal.parts or {}),
        reasons=list(proposal.reasons or []),
        status=proposal.status,
        your_response=proposal.response_of(side),
        partner_response=proposal.response_of(other),
        expires_at=proposal.expires_at,
    )


def proposals_for(profile: Profile) -> QuerySet[Proposal]:
    """A person's own proposals, newest first."""
    return (
        Proposal.objects.filter(Q(seeker=profile) | Q(offerer=profile))
        .select_related("seeker", "offerer")
        .order_by("-proposed_at")
    )


def programmes_for(actor: Any, place: Place) -> QuerySet[Programme]:
    _coordinate(actor, place)
    return Programme.objects.filter(place=place)


def profiles_for(actor: Any, programme: Programme) -> QuerySet[Profile]:
    """A programme's profiles, for its coordinators only."""
    _coordinate(actor, programme.place)
    return Profile.objects.filter(programme=programme)


def programme_proposals(actor: Any, programme: Programme) -> QuerySet[Proposal]:
    _coordinate(actor, programme.place)
    return Proposal.objects.filter(programme=programme).select_related("seeker", "offerer")


def coordinator_contact(actor: Any, profile: Profile) -> Contact:
    """A coordinator looks up how to reach someone; each look is logged."""
    _coordinate(actor, profile.place)
    audit.record(actor, "matching.contact.view", profile, note=_person(profile))
    return Contact(display_name=profile.display_name, email=profile.email, phone=profile.phone)


def request_run(actor: Any, programme: Programme, *, method: str = "flow") -> Any:
    """A coordinator asks for a run now; it runs as a background task. Returns the task result."""
    from .tasks import run_programme

    _coordinate(actor, programme.place)
    if method not in ("flow", "greedy"):
        raise ValidationError({"method": _("Choose flow or greedy.")})
    audit.record(actor, "matching.run.request", programme, note=method)
    return run_programme.enqueue(
        str(programme.pk), method=method, requested_by=getattr(actor, "pk", None)
    )
