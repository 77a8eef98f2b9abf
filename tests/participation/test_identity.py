"""The verification ladder and signing in with an e-mail code (no password, no account)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from commonhome.core.models import AuditEntry
from commonhome.participation import identity, services
from commonhome.participation.constants import PHASE_ACTIONS, Action, Level, Phase
from commonhome.participation.models import (
    Contribution,
    EmailCode,
    Follow,
    Participant,
    Support,
)
from tests.participation.factories import (
    ContributionFactory,
    ParticipantFactory,
    VerifiedParticipantFactory,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def participant_at(place, level):
    """A participant of ``place`` at ``level`` on the ladder (None: no session at all)."""
    if level is None:
        return None
    if level == Level.NONE:
        return ParticipantFactory(place=place)
    if level == Level.EMAIL:
        return VerifiedParticipantFactory(place=place)
    if level == Level.RESIDENT:
        return VerifiedParticipantFactory(place=place, resident_verified_at=timezone.now())
    return ParticipantFactory(place=place, desk_assisted=True)


def request_for(place):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def code_from(message):
    return re.search(r"\b(\d{6})\b", message.body).group(1)


# --- The ladder matrix ---------------------------------------------------------------------

LEVELS = [None, Level.NONE, Level.EMAIL, Level.RESIDENT, Level.DESK]
REQUIRED = [Level.NONE, Level.EMAIL, Level.RESIDENT, Level.DESK]


@pytest.mark.parametrize("phase", Phase.values)
@pytest.mark.parametrize("action", Action.values)
@pytest.mark.parametrize("have", LEVELS)
@pytest.mark.parametrize("required", REQUIRED)
def test_ladder_allows_an_action_only_in_its_phases_and_from_the_required_level(
    consultation, phase, action, have, required
):
    place = consultation.place
    consultation.phase = phase
    settings = identity.settings_for(place)
    settings.contribute_level = settings.support_level = settings.comment_level = required
    participant = participant_at(place, have)
    have_level = Level.NONE if have is None else have
    phase_open = action in PHASE_ACTIONS[phase]
    level_ok = action == Action.FOLLOW or have_level >= required
    if phase_open and level_ok:
        identity.check_action(participant, action, consultation)
        return
    with pytest.raises(identity.ActionRefused) as refused:
        identity.check_action(participant, action, consultation)
    if not phase_open:
        assert refused.value.needed_level is None
    else:
        assert refused.value.needed_level == required
        assert refused.value.needs_sign_in == (required == Level.EMAIL)


def test_refusals_say_what_the_person_can_do(consultation):
    settings = identity.settings_for(consultation.place)
    settings.support_level = Level.EMAIL
    with pytest.raises(identity.ActionRefused, match="Sign in with an e-mail code to support"):
        identity.check_action(None, Action.SUPPORT, consultation)
    consultation.phase = Phase.EVALUATING
    with pytest.raises(identity.ActionRefused, match="no longer open for new input"):
        identity.check_action(None, Action.CONTRIBUTE, consultation)


def test_residence_refusal_never_asks_for_a_residence_status(consultation):
    settings = identity.settings_for(consultation.place)
    settings.comment_level = Level.RESIDENT
    with pytest.raises(identity.ActionRefused) as refused:
        identity.check_action(ParticipantFactory(place=consultation.place), "comment", consultation)
    assert "nobody will ask for your residence status" in refused.value.message


def test_following_needs_no_sign_in_even_when_everything_else_does(consultation):
    settings = identity.settings_for(consultation.place)
    settings.contribute_level = settings.support_level = settings.comment_level = Level.DESK
    consultation.phase = Phase.CLOSED
    identity.check_action(None, Action.FOLLOW, consultation)


def test_settings_are_made_once_with_the_defaults(place):
    first = identity.settings_for(place)
    assert first.contribute_level == Level.NONE and first.comment_level == Level.EMAIL
    place.__dict__.pop("_participation_settings")
    assert identity.settings_for(place).pk == first.pk


# --- Session participants ------------------------------------------------------------------


def test_one_anonymous_participant_per_session_and_place(place):
    from tests.factories import PlaceFactory

    other_place = PlaceFactory()
    request = request_for(place)
    assert identity.current_participant(request, place) is None
    first = identity.participant_for(request, place)
    assert identity.participant_for(request, place) == first
    elsewhere = identity.participant_for(request, other_place)
    assert elsewhere != first and elsewhere.place == other_place
    fresh = request_for(place)
    fresh.session = request.session
    assert identity.current_participant(fresh, place) == first
    assert Participant.objects.filter(place=place).count() == 1


def test_signed_in_account_speaks_for_its_participant(place):
    from tests.factories import UserFactory

    user = UserFactory()
    linked = ParticipantFactory(place=place, user=user)
    request = request_for(place)
    request.user = user
    assert identity.current_participant(request, place) == linked


# --- E-mail codes --------------------------------------------------------------------------


def test_code_is_e_mailed_and_stored_only_hashed(place):
    identity.send_code(place, "  Amal@Example.org ", "en")
    assert len(mail.outbox) == 1
    code = code_from(mail.outbox[0])
    stored = EmailCode.objects.get()
    assert stored.email == "amal@example.org"
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == dt.timedelta(minutes=15)


def test_asking_for_a_code_looks_the_same_for_known_and_unknown_addresses(client, place):
    VerifiedParticipantFactory(place=place, email="known@example.org")
    url = reverse("participation:sign-in", args=[place.slug])
    known = client.post(url, {"email": "known@example.org", "consent": "on"})
    unknown = client.post(url, {"email": "nobody@example.org", "consent": "on"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject.replace(code_from(mail.outbox[0]), "") == mail.outbox[
        1
    ].subject.replace(code_from(mail.outbox[1]), "")


def test_sign_in_needs_consent(client, place):
    url = reverse("participation:sign-in", args=[place.slug])
    response = client.post(url, {"email": "amal@example.org"})
    assert response.status_code == 200
    assert "Tick the box" in response.content.decode()
    assert not mail.outbox


def test_right_code_signs_in_and_records_consent(place):
    identity.send_code(place, "amal@example.org", "en")
    request = request_for(place)
    participant = identity.verify_code(
        request, place, "amal@example.org", code_from(mail.outbox[0])
    )
    assert participant.level == Level.EMAIL
    assert participant.consented_at is not None and participant.consent_purpose
    assert identity.current_participant(request, place) == participant
    assert EmailCode.objects.get().used_at is not None
    assert AuditEntry.objects.filter(action="participation.participant.email_verified").exists()


def test_a_code_works_once(place):
    identity.send_code(place, "amal@example.org", "en")
    code = code_from(mail.outbox[0])
    identity.verify_code(request_for(place), place, "amal@example.org", code)
    with pytest.raises(identity.CodeRejected):
        identity.verify_code(request_for(place), place, "amal@example.org", code)


def test_expired_code_is_refused(place):
    identity.send_code(place, "amal@example.org", "en")
    EmailCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(identity.CodeRejected, match="expired"):
        identity.verify_code(
            request_for(place), place, "amal@example.org", code_from(mail.outbox[0])
        )


def test_five_wrong_attempts_spend_the_code(place):
    identity.send_code(place, "amal@example.org", "en")
    code = code_from(mail.outbox[0])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for attempt in range(identity.CODE_MAX_ATTEMPTS):
        with pytest.raises(identity.CodeRejected):
            identity.verify_code(request_for(place), place, "amal@example.org", wrong)
        assert EmailCode.objects.get().attempts == attempt + 1
    with pytest.raises(identity.CodeRejected, match="tried too many times"):
        identity.verify_code(request_for(place), place, "amal@example.org", code)


def test_a_new_code_retires_the_earlier_one(place):
    identity.send_code(place, "amal@example.org", "en")
    identity.send_code(place, "amal@example.org", "en")
    first, second = code_from(mail.outbox[0]), code_from(mail.outbox[1])
    if first != second:
        with pytest.raises(identity.CodeRejected):
            identity.verify_code(request_for(place), place, "amal@example.org", first)
    assert identity.verify_code(request_for(place), place, "amal@example.org", second)


def test_codes_for_an_address_are_rate_limited(place):
    for _ in range(identity.CODES_PER_ADDRESS_PER_HOUR):
        identity.send_code(place, "amal@example.org", "en")
    with pytest.raises(identity.TooManyCodes):
        identity.send_code(place, "amal@example.org", "en")
    identity.send_code(place, "other@example.org", "en")


def test_codes_from_one_client_are_rate_limited(place):
    for n in range(identity.CODES_PER_CLIENT_PER_HOUR):
        identity.send_code(place, f"p{n}@example.org", "en", client="client-a")
    with pytest.raises(identity.TooManyCodes):
        identity.send_code(place, "late@example.org", "en", client="client-a")
    identity.send_code(place, "late@example.org", "en", client="client-b")


def test_code_pages_sign_in_and_go_back_to_next(client, place, consultation):
    next_url = reverse("participation:consultation", args=[place.slug, consultation.slug])
    response = client.post(
        reverse("participation:sign-in", args=[place.slug]),
        {"email": "amal@example.org", "consent": "on", "next": next_url},
    )
    assert response.status_code == 302
    code_page = client.get(response["Location"])
    assert 'value="amal@example.org"' in code_page.content.decode()
    done = client.post(
        reverse("participation:sign-in-code", args=[place.slug]),
        {"email": "amal@example.org", "code": code_from(mail.outbox[0]), "next": next_url},
    )
    assert done.status_code == 302 and done["Location"] == next_url
    assert Participant.objects.get(email="amal@example.org").level == Level.EMAIL


def test_code_page_refuses_an_outside_next(client, place):
    identity.send_code(place, "amal@example.org", "en")
    done = client.post(
        reverse("participation:sign-in-code", args=[place.slug]),
        {
            "email": "amal@example.org",
            "code": code_from(mail.outbox[0]),
            "next": "https://evil.example/",
        },
    )
    assert done["Location"] == reverse("participation:home", args=[place.slug])


def test_sign_out_forgets_the_participant(client, place):
    identity.send_code(place, "amal@example.org", "en")
    client.post(
        reverse("participation:sign-in-code", args=[place.slug]),
        {"email": "amal@example.org", "code": code_from(mail.outbox[0])},
    )
    key = f"participation:{place.pk}"
    assert key in client.session
    client.post(reverse("participation:sign-out", args=[place.slug]))
    assert key not in client.session


# --- Merging the anonymous session into the e-mail participant -----------------------------


def test_first_sign_in_gives_the_anonymous_participant_its_address(place, consultation):
    request = request_for(place)
    anonymous = identity.participant_for(request, place)
    mine = services.submit_contribution(
        anonymous,
        consultation,
        kind="need",
        title="Evening classes",
        body="I work all day long.",
        language="en",
    )
    identity.send_code(place, "amal@example.org", "en")
    signed = identity.verify_code(request, place, "amal@example.org", code_from(mail.outbox[0]))
    assert signed.pk == anonymous.pk
    assert Contribution.objects.get(pk=mine.pk).participant_id == signed.pk


def test_signing_in_merges_what_the_session_did_into_the_known_participant(place, consultation):
    known = VerifiedParticipantFactory(place=place, email="amal@example.org")
    both = ContributionFactory(consultation=consultation)
    only_anonymous = ContributionFactory(consultation=consultation)
    services.support(known, both)
    services.follow(known, both)
    request = request_for(place)
    anonymous = identity.participant_for(request, place)
    written = services.submit_contribution(
        anonymous,
        consultation,
        kind="need",
        title="Evening classes",
        body="I work all day long.",
        language="en",
    )
    services.support(anonymous, both)
    services.support(anonymous, only_anonymous)
    services.follow(anonymous, both)
    assert Contribution.objects.get(pk=both.pk).support_count == 2

    identity.send_code(place, "amal@example.org", "en")
    signed = identity.verify_code(request, place, "amal@example.org", code_from(mail.outbox[0]))

    assert signed == known
    assert not Participant.objects.filter(pk=anonymous.pk).exists()
    assert Contribution.objects.get(pk=written.pk).participant_id == known.pk
    assert Support.objects.filter(participant=known).count() == 2
    assert Contribution.objects.get(pk=both.pk).support_count == 1
    assert Contribution.objects.get(pk=only_anonymous.pk).support_count == 1
    assert Follow.objects.filter(participant=known).count() == 1
    assert identity.current_participant(request, place) == known
