"""A participant's data: download everything (and nobody else's), erase or anonymise."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from commonhome.core import translation
from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry, Translation
from commonhome.participation import privacy, trail
from commonhome.participation.constants import Visibility
from commonhome.participation.models import (
    Answer,
    Comment,
    Contribution,
    EmailCode,
    Follow,
    Notification,
    Participant,
    Support,
)
from tests.factories import ROLES, member, user_for_role
from tests.participation.factories import (
    ContributionFactory,
    ParticipantFactory,
    ResultFactory,
    VerifiedParticipantFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """URLs and texts in English unless a test says otherwise (requests may leave another
    language active)."""
    with override("en"):
        yield


@pytest.fixture
def person(place):
    return VerifiedParticipantFactory(
        place=place,
        email="amal@example.org",
        display_name="Amal",
        consented_at=timezone.now(),
        consent_purpose="to hear back",
    )


@pytest.fixture
def world(place, consultation, person):
    """Amal's data, and someone else's, crossing each other."""
    other = VerifiedParticipantFactory(place=place, email="bo@example.org", display_name="Bo")
    mine = ContributionFactory(
        consultation=consultation,
        participant=person,
        title="AMAL-TITLE",
        body="AMAL-BODY",
        author_name="Amal",
        location_label="Near the station",
        latitude=52.4,
        longitude=-1.5,
    )
    kept = ContributionFactory(consultation=consultation, participant=person, title="AMAL-KEPT")
    theirs = ContributionFactory(consultation=consultation, participant=other, title="BO-TITLE")
    translation.save_translation(mine, "ar", {"title": "عنوان", "body": "نص"})
    Answer.objects.create(
        contribution=mine,
        state="accepted",
        state_group="accepted",
        text="We will.",
        published_at=timezone.now(),
    )
    mine.public_state = mine.public_state_group = "accepted"
    mine.save()
    result = ResultFactory(place=place, progress=100)
    result.contributions.add(mine)
    for c in (mine, theirs):
        Support.objects.create(contribution=theirs if c is mine else mine, participant=person)
    Support.objects.create(contribution=theirs, participant=other)
    Contribution.objects.filter(pk=theirs.pk).update(support_count=2)
    Contribution.objects.filter(pk=mine.pk).update(support_count=1)
    Follow.objects.create(contribution=theirs, participant=person)
    lone = Comment.objects.create(contribution=theirs, participant=person, body="AMAL-COMMENT")
    replied = Comment.objects.create(contribution=theirs, participant=person, body="AMAL-REPLIED")
    Comment.objects.create(contribution=theirs, participant=other, body="BO-REPLY", parent=replied)
    Contribution.objects.filter(pk=theirs.pk).update(comment_count=3)
    Notification.objects.create(
        participant=person, place=place, kind="comment", contribution=theirs
    )
    Notification.objects.create(participant=other, place=place, kind="comment", contribution=mine)
    EmailCode.objects.create(
        place=place, email=person.email, code_hash="x", expires_at=timezone.now()
    )
    AuditEntry.objects.create(
        action="participation.contribution.submit",
        object_id=str(mine.pk),
        object_repr="AMAL-TITLE",
        after={"title": "AMAL-TITLE", "author_name": "Amal"},
        note=f"participant {person.pk}",
    )
    return {
        "other": other,
        "mine": mine,
        "kept": kept,
        "theirs": theirs,
        "result": result,
        "lone": lone,
        "replied": replied,
    }


def test_export_has_everything_about_them_and_nothing_of_anyone_else(person, world):
    data = privacy.export_participant(person)
    text = json.dumps(data)
    assert data["participant"]["email"] == "amal@example.org"
    assert data["consent"]["purpose"] == "to hear back"
    assert {c["title"] for c in data["contributions"]} == {"AMAL-TITLE", "AMAL-KEPT"}
    mine = next(c for c in data["contributions"] if c["title"] == "AMAL-TITLE")
    assert mine["answer"]["text"] == "We will."
    assert mine["results"] == [str(world["result"].pk)]
    assert {c["body"] for c in data["comments"]} == {"AMAL-COMMENT", "AMAL-REPLIED"}
    assert len(data["supports"]) == 2 and len(data["follows"]) == 1
    assert len(data["notifications"]) == 1 and len(data["email_codes"]) == 1
    for foreign in ("bo@example.org", "BO-TITLE", "BO-REPLY", 'Bo"'):
        assert foreign not in text
    assert "code_hash" not in text


def test_erase_leaves_tombstones_and_fixes_counts(place, person, world):
    counts = privacy.erase_participant(person, person, "erase")
    assert counts["contributions"] == 2 and counts["supports"] == 2
    mine = Contribution.objects.get(pk=world["mine"].pk)
    assert mine.visibility == Visibility.ERASED
    assert (mine.title, mine.body, mine.author_name, mine.location_label) == ("", "", "", "")
    assert mine.latitude is None and mine.participant is None
    assert not Translation.objects.filter(object_id=mine.pk).exists()
    theirs = Contribution.objects.get(pk=world["theirs"].pk)
    assert theirs.support_count == 1
    assert theirs.comment_count == 1  # only Bo's reply is left as a comment
    assert not Comment.objects.filter(pk=world["lone"].pk).exists()
    replied = Comment.objects.get(pk=world["replied"].pk)
    assert (replied.body, replied.visibility, replied.participant) == ("", Visibility.ERASED, None)
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert not EmailCode.objects.filter(email="amal@example.org").exists()
    assert not Notification.objects.filter(participant_id=person.pk).exists()
    assert Notification.objects.filter(participant=world["other"]).exists()
    assert not Support.objects.filter(participant_id=person.pk).exists()
    assert not Follow.objects.filter(participant_id=person.pk).exists()


def test_erased_contribution_keeps_the_trail_consistent(place, person, world):
    before = trail.numbers(place, trail.public_contributions(place))
    privacy.erase_participant(person, person, "erase")
    after = trail.numbers(place, trail.public_contributions(place))
    # The erased contribution answered by a result stays counted; the other one goes.
    assert (after.heard, after.acted_on, after.done) == (
        before.heard - 1,
        before.acted_on,
        before.done,
    )
    assert world["result"].contributions.filter(pk=world["mine"].pk).exists()


def test_anonymise_keeps_texts_but_not_the_person(place, person, world):
    privacy.erase_participant(person, person, "anonymise")
    mine = Contribution.objects.get(pk=world["mine"].pk)
    assert mine.visibility == Visibility.PUBLISHED
    assert (mine.title, mine.body) == ("AMAL-TITLE", "AMAL-BODY")
    assert (mine.author_name, mine.participant) == ("", None)
    lone = Comment.objects.get(pk=world["lone"].pk)
    assert (lone.body, lone.participant, lone.author_name) == ("AMAL-COMMENT", None, "")
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert Contribution.objects.get(pk=world["theirs"].pk).support_count == 1


@pytest.mark.parametrize("mode", ["erase", "anonymise"])
def test_audit_keeps_no_text_email_or_name(place, person, world, mode):
    privacy.erase_participant(person, person, mode)
    dumped = json.dumps(
        list(AuditEntry.objects.values("object_repr", "before", "after", "note")), default=str
    )
    assert "amal@example.org" not in dumped and "Amal" not in dumped
    assert str(person.pk) not in dumped
    if mode == "erase":
        assert "AMAL-TITLE" not in dumped
    entry = AuditEntry.objects.get(action=f"participation.participant.{mode}")
    assert "contributions=2" in entry.note


def test_only_the_person_or_an_admin_may_erase(place, person, world):
    stranger = ParticipantFactory(place=place)
    with pytest.raises(PermissionDenied):
        privacy.erase_participant(stranger, person, "erase")
    with pytest.raises(PermissionDenied):
        privacy.erase_participant(member(place, Role.MODERATOR), person, "erase")
    privacy.erase_participant(member(place, Role.ADMIN), person, "anonymise")
    assert not Participant.objects.filter(pk=person.pk).exists()


def sign_in_as(client, place, participant):
    session = client.session
    session[f"participation:{place.pk}"] = str(participant.pk)
    session.save()


def test_me_pages_ask_strangers_to_sign_in(client, place):
    for name in ("me", "me-download", "me-erase"):
        response = client.get(reverse(f"participation:{name}", args=[place.slug]))
        assert response.status_code == 200
        assert reverse("participation:sign-in", args=[place.slug]) in response.content.decode()


def test_download_is_a_json_attachment(client, place, person, world):
    sign_in_as(client, place, person)
    response = client.get(reverse("participation:me-download", args=[place.slug]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.json()["participant"]["email"] == "amal@example.org"


def test_me_page_lists_their_things_and_toggles_email(client, place, person, world):
    sign_in_as(client, place, person)
    url = reverse("participation:me", args=[place.slug])
    html = client.get(url).content.decode()
    assert "AMAL-TITLE" in html and "BO-TITLE" in html  # theirs is supported and followed
    assert "amal@example.org" not in html
    response = client.post(url, {"notify_by_email": "off"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.notify_by_email is False


def test_erase_page_confirms_then_erases_and_forgets(client, place, person, world):
    sign_in_as(client, place, person)
    url = reverse("participation:me-erase", args=[place.slug])
    assert client.post(url, {"mode": "erase"}).status_code == 422  # not confirmed
    assert Participant.objects.filter(pk=person.pk).exists()
    response = client.post(url, {"mode": "erase", "confirm": "yes"})
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert f"participation:{place.pk}" not in client.session
    html = client.get(reverse("participation:me", args=[place.slug])).content.decode()
    assert reverse("participation:sign-in", args=[place.slug]) in html


@pytest.mark.parametrize("role", ROLES)
def test_me_pages_speak_only_for_the_sessions_participant(
    client, place, organization, person, world, role
):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    for name in ("me", "me-download", "me-erase"):
        response = client.get(reverse(f"participation:{name}", args=[place.slug]))
        body = response.content.decode()
        # A staff role is no participant: nobody's data is shown, only the way to sign in.
        assert response.status_code == 200
        assert "amal@example.org" not in body and "AMAL-TITLE" not in body
        assert reverse("participation:sign-in", args=[place.slug]) in body


def test_me_page_renders_user_text_inert(client, place, consultation, person):
    ContributionFactory(consultation=consultation, participant=person, title="<b>x</b><script>")
    sign_in_as(client, place, person)
    html = client.get(reverse("participation:me", args=[place.slug])).content.decode()
    assert "<script>" not in html.split("<main", 1)[1]
    assert "&lt;b&gt;x&lt;/b&gt;&lt;script&gt;" in html
