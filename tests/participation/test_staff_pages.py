"""Participation staff pages: who may see them, answering and publishing, the desk, resident
checks, consultations and their phases, the place's rules for taking part."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.participation import answers, consultations
from commonhome.participation.constants import AnswerState, Channel, Level, Phase
from commonhome.participation.models import (
    Answer,
    Comment,
    Consultation,
    Contribution,
    CustomAnswerState,
    Participant,
    ParticipationSettings,
)
from tests.factories import ROLES, PlaceFactory, ServiceFactory, member, user_for_role
from tests.participation.factories import (
    ConsultationFactory,
    ContributionFactory,
    VerifiedParticipantFactory,
)

STAFF_ONLY = {
    "anonymous": 302,
    "contributor": 403,
    "org_editor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}
ADMIN_ONLY = {**STAFF_ONLY, "moderator": 403}


def login(client, role, place, organization=None):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    return user


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation)


@pytest.fixture
def admin(place):
    return member(place, Role.ADMIN)


@pytest.fixture
def moderator(place):
    return member(place, Role.MODERATOR)


def staff_urls(place, contribution):
    args = [place.slug]
    return [
        reverse("participation:staff", args=args),
        reverse("participation:staff-contributions", args=args),
        reverse("participation:staff-contribution", args=[place.slug, contribution.pk]),
        reverse("participation:staff-moderation", args=args),
        reverse("participation:staff-desk", args=args),
        reverse("participation:staff-participants", args=args),
        reverse("participation:staff-export", args=[place.slug, "contributions", "csv"]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_are_for_staff_of_that_place(client, place, organization, contribution, role):
    login(client, role, place, organization)
    for url in staff_urls(place, contribution):
        response = client.get(url)
        assert response.status_code == STAFF_ONLY[role], url
        if role == "anonymous":
            assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("role", ROLES)
def test_settings_and_consultations_are_for_place_admins(
    client, place, organization, consultation, role
):
    login(client, role, place, organization)
    for url in (
        reverse("participation:staff-settings", args=[place.slug]),
        reverse("participation:staff-consultation-new", args=[place.slug]),
        reverse("participation:staff-consultation-edit", args=[place.slug, consultation.slug]),
    ):
        assert client.get(url).status_code == ADMIN_ONLY[role], url


def test_a_contribution_of_another_place_is_not_found(client, place, admin):
    theirs = ContributionFactory(consultation__place=PlaceFactory())
    client.force_login(admin)
    url = reverse("participation:staff-contribution", args=[place.slug, theirs.pk])
    assert client.get(url).status_code == 404


def test_the_dashboard_counts_what_waits(client, place, moderator, consultation):
    waiting = ContributionFactory.create_batch(3, consultation=consultation)
    answers.answer(moderator, waiting[0], state=AnswerState.ACCEPTED)
    ContributionFactory(consultation=consultation, visibility="pending")
    client.force_login(moderator)
    response = client.get(reverse("participation:staff", args=[place.slug]))
    assert response.context["counts"] == {"unanswered": 3, "drafts": 1, "pending": 1}
    assert response.context["consultations"][0].n_contributions == 4
    # Moderators see the phases but cannot switch them.
    assert 'name="phase"' not in response.content.decode()


# --- The contributions list -------------------------------------------------------------------


def test_the_list_filters_and_publishes_a_batch(client, place, moderator, consultation):
    other = ConsultationFactory(place=place)
    drafts = ContributionFactory.create_batch(2, consultation=consultation)
    for c in drafts:
        answers.answer(moderator, c, state=AnswerState.ACCEPTED, text="Yes")
    untouched = ContributionFactory(consultation=consultation, source_language="ar")
    elsewhere = ContributionFactory(consultation=other, kind="question")
    client.force_login(moderator)
    url = reverse("participation:staff-contributions", args=[place.slug])

    def listed(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {row["c"] for row in response.context["rows"]}

    assert listed() == {*drafts, untouched, elsewhere}
    assert listed(unpublished="on") == set(drafts)
    assert listed(state="not_answered") == {untouched, elsewhere}
    assert listed(state="accepted") == set(drafts)
    assert listed(consultation=other.slug) == {elsewhere}
    assert listed(kind="question") == {elsewhere}
    assert listed(language="ar") == {untouched}

    response = client.post(
        url, {"contribution": [str(c.pk) for c in drafts], "query": "unpublished=on"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?unpublished=on")
    for c in drafts:
        c.refresh_from_db()
        assert c.public_state == AnswerState.ACCEPTED
    assert listed(unpublished="on") == set()


def test_the_list_pages_by_fifty(client, place, moderator, consultation):
    ContributionFactory.create_batch(51, consultation=consultation)
    client.force_login(moderator)
    url = reverse("participation:staff-contributions", args=[place.slug])
    assert len(client.get(url).context["rows"]) == 50
    assert len(client.get(url, {"page": 2}).context["rows"]) == 1


def test_the_list_needs_the_same_queries_however_many_rows(
    client, place, moderator, consultation, django_assert_num_queries
):
    client.force_login(moderator)
    url = reverse("participation:staff-contributions", args=[place.slug])

    def make(n):
        for c in ContributionFactory.create_batch(n, consultation=consultation):
            answers.answer(moderator, c, state=AnswerState.EVALUATING)

    make(2)
    client.get(url)  # warm the session and content-type caches
    # session, user, roles (x2: view + nav), custom states, consultations, count, page
    with django_assert_num_queries(8):
        client.get(url)
    make(20)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["rows"]) == 22


def test_user_text_is_inert_on_staff_pages(client, place, moderator, consultation):
    payload = '<img src=x onerror="alert(1)">'
    c = ContributionFactory(consultation=consultation, title=payload, body=payload)
    client.force_login(moderator)
    for url in (
        reverse("participation:staff-contributions", args=[place.slug]),
        reverse("participation:staff-contribution", args=[place.slug, c.pk]),
    ):
        html = client.get(url).content.decode()
        assert payload not in html
        assert "&lt;img src=x" in html


# --- One contribution: answer, publish, moderate --------------------------------------------


def test_staff_see_the_email_and_desk_contact_on_the_staff_page(
    client, place, moderator, consultation
):
    person = VerifiedParticipantFactory(place=place, email="amal@example.org")
    c = ContributionFactory(consultation=consultation, participant=person, author_name="Amal")
    client.force_login(moderator)
    html = client.get(
        reverse("participation:staff-contribution", args=[place.slug, c.pk])
    ).content.decode()
    assert "amal@example.org" in html and "Amal" in html


def test_answer_form_saves_a_draft_then_publishes(client, place, moderator, contribution, service):
    client.force_login(moderator)
    url = reverse("participation:staff-contribution", args=[place.slug, contribution.pk])
    response = client.post(
        url,
        {
            "action": "save",
            "state": AnswerState.ALREADY_OFFERED,
            "text": "The library already runs this.",
            "services": [str(service.pk)],
            "expected_version": "0",
        },
    )
    assert response.status_code == 302
    saved = Answer.objects.get(contribution=contribution)
    assert saved.published_at is None
    assert list(saved.services.all()) == [service]
    response = client.post(
        url,
        {
            "action": "publish",
            "state": AnswerState.ALREADY_OFFERED,
            "text": "The library already runs this.",
            "services": [str(service.pk)],
            "expected_version": str(saved.version),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.public_state == AnswerState.ALREADY_OFFERED
    assert contribution.answer.published_by == moderator


def test_answer_form_shows_what_is_missing(client, place, moderator, contribution):
    client.force_login(moderator)
    url = reverse("participation:staff-contribution", args=[place.slug, contribution.pk])
    response = client.post(
        url, {"action": "publish", "state": AnswerState.REJECTED, "expected_version": "0"}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(
        url, {"action": "save", "state": AnswerState.ALREADY_OFFERED, "expected_version": "0"}
    )
    assert "services" in response.context["form"].errors
    assert not Answer.objects.filter(contribution=contribution).exists()


def test_answer_form_refuses_a_stale_edit(client, place, moderator, admin, contribution):
    answers.answer(admin, contribution, state=AnswerState.EVALUATING, text="First")
    answers.answer(admin, contribution, state=AnswerState.ACCEPTED, text="Second")
    client.force_login(moderator)
    url = reverse("participation:staff-contribution", args=[place.slug, contribution.pk])
    response = client.post(
        url,
        {"action": "save", "state": "accepted", "text": "Mine", "expected_version": "1"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Answer.objects.get(contribution=contribution).text == "Second"


def test_turn_into_a_result_is_offered_for_accepted_contributions(
    client, place, moderator, contribution
):
    client.force_login(moderator)
    url = reverse("participation:staff-contribution", args=[place.slug, contribution.pk])
    target = reverse("participation:staff-result-new", args=[place.slug])
    answers.answer(moderator, contribution, state=AnswerState.EVALUATING)
    assert target not in client.get(url).content.decode()
    answers.answer(moderator, contribution, state=AnswerState.ACCEPTED)
    html = client.get(url).content.decode()
    assert target in html and f'name="from_contribution" value="{contribution.pk}"' in html


def test_hide_from_the_contribution_page_needs_a_reason(client, place, moderator, contribution):
    client.force_login(moderator)
    url = reverse("participation:staff-contribution", args=[place.slug, contribution.pk])
    response = client.post(url, {"action": "hide", "mod-reason": ""})
    assert response.status_code == 200
    contribution.refresh_from_db()
    assert contribution.visibility == "published"
    client.post(url, {"action": "hide", "mod-reason": "Spam"})
    contribution.refresh_from_db()
    assert (contribution.visibility, contribution.moderation_reason) == ("hidden", "Spam")
    comment = Comment.objects.create(contribution=contribution, body="Buy cheap pills")
    client.post(url, {"action": "hide", "comment": comment.pk, "mod-reason": "Advert"})
    comment.refresh_from_db()
    assert (comment.visibility, comment.moderation_reason) == ("hidden", "Advert")


# --- The desk and resident checks -------------------------------------------------------------


def test_the_desk_records_a_contribution_for_someone(client, place, moderator, consultation):
    consultation.answer_by = dt.date(2030, 1, 1)
    consultation.save()
    client.force_login(moderator)
    response = client.post(
        reverse("participation:staff-desk", args=[place.slug]),
        {
            "consultation": consultation.slug,
            "kind": "need",
            "domain": "housing",
            "title": "A room for my family",
            "body": "We sleep at a friend's place.",
            "language": "ar",
            "display_name": "Umm Ali",
            "contact": "Phone 07700 900123, afternoons",
        },
    )
    assert response.status_code == 302
    recorded = Contribution.objects.get(title="A room for my family")
    assert response["Location"] == reverse(
        "participation:staff-contribution", args=[place.slug, recorded.pk]
    )
    assert recorded.channel == Channel.DESK
    assert recorded.recorded_by == moderator
    assert recorded.participant.desk_assisted
    assert recorded.participant.desk_contact == "Phone 07700 900123, afternoons"
    html = client.get(response["Location"]).content.decode()
    assert moderator.get_username() in html and "07700 900123" in html


def test_staff_mark_and_unmark_a_verified_resident(client, place, moderator):
    person = VerifiedParticipantFactory(place=place, email="sami@example.org")
    VerifiedParticipantFactory(email="sami@example.org")  # the same address in another place
    client.force_login(moderator)
    url = reverse("participation:staff-participants", args=[place.slug])
    response = client.get(url, {"email": "SAMI@example.org"})
    assert response.context["found"] == [person]
    client.post(url, {"pk": person.pk, "action": "verify"})
    person.refresh_from_db()
    assert person.resident_verified_by == moderator and person.level == Level.RESIDENT
    assert AuditEntry.objects.filter(action="participant.resident", object_id=str(person.pk))
    client.post(url, {"pk": person.pk, "action": "unverify"})
    person.refresh_from_db()
    assert person.resident_verified_at is None and person.level == Level.EMAIL


def test_a_resident_mark_cannot_reach_another_place(client, place, moderator):
    theirs = Participant.objects.create(place=PlaceFactory(), email="x@example.org")
    client.force_login(moderator)
    url = reverse("participation:staff-participants", args=[place.slug])
    assert client.post(url, {"pk": theirs.pk, "action": "verify"}).status_code == 404


# --- Consultations and phases -----------------------------------------------------------------


def consultation_data(**changes):
    data = {
        "title": "Welcome 2026",
        "slug": "welcome-2026",
        "description": "What would help you settle in?",
        "what_happens_next": "We answer everything by June.",
        "answer_by": "2026-06-30",
        "phase": "open",
        "domains": ["housing", "work"],
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_an_admin_creates_edits_and_translates_a_consultation(client, place, admin):
    client.force_login(admin)
    response = client.post(
        reverse("participation:staff-consultation-new", args=[place.slug]), consultation_data()
    )
    assert response.status_code == 302
    created = Consultation.objects.get(place=place, slug="welcome-2026")
    assert created.source_language == place.default_language
    assert created.domains == ["housing", "work"]
    edit = reverse("participation:staff-consultation-edit", args=[place.slug, created.slug])
    response = client.post(
        edit, consultation_data(title="Welcome, 2026", version=str(created.version))
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.title == "Welcome, 2026" and created.version == 2
    # A save from the version before is refused.
    response = client.post(edit, consultation_data(title="Old tab", version="1"))
    assert response.status_code == 200
    created.refresh_from_db()
    assert created.title == "Welcome, 2026"
    response = client.post(
        edit,
        {"action": "translate", "language": "ar", "title": "مرحبا 2026", "description": "ما"},
    )
    assert response.status_code == 302
    assert created.translations.get(language="ar").fields["title"] == "مرحبا 2026"


def test_consultation_validation_names_the_field(place, admin):
    ConsultationFactory(place=place, slug="taken")
    cases = [
        ({"slug": "taken"}, "slug"),
        ({"domains": ["housing", "astrology"]}, "domains"),
        ({"answer_by": None}, "answer_by"),
        ({"title": " "}, "title"),
    ]
    base = consultation_data(answer_by=dt.date(2026, 6, 30), is_published=True)
    for changes, field in cases:
        with pytest.raises(ValidationError) as err:
            consultations.create_consultation(admin, place, **(base | changes))
        assert field in err.value.message_dict
    # Evaluating does not need the date any more.
    created = consultations.create_consultation(
        admin, place, **(base | {"answer_by": None, "phase": "evaluating"})
    )
    assert created.phase == Phase.EVALUATING
    # The same slug is fine in another place.
    other = PlaceFactory()
    consultations.create_consultation(
        member(other, Role.ADMIN), other, **(base | {"slug": "taken"})
    )


def test_phases_switch_from_the_dashboard(client, place, admin, consultation):
    client.force_login(admin)
    url = reverse("participation:staff", args=[place.slug])
    client.post(url, {"consultation": consultation.slug, "phase": "answered"})
    consultation.refresh_from_db()
    assert consultation.phase == Phase.ANSWERED
    # Opening again needs the promised answer date.
    client.post(url, {"consultation": consultation.slug, "phase": "open"})
    consultation.refresh_from_db()
    assert consultation.phase == Phase.ANSWERED
    consultations.set_phase(admin, consultation, Phase.CLOSED)
    assert (
        AuditEntry.objects.filter(
            action="consultation.phase", object_id=str(consultation.pk)
        ).count()
        == 2
    )


def test_only_admins_switch_phases(place, consultation):
    with pytest.raises(PermissionDenied):
        consultations.set_phase(member(place, Role.MODERATOR), consultation, Phase.CLOSED)


# --- The place's rules ------------------------------------------------------------------------


def test_an_admin_sets_the_verification_ladder(client, place, admin):
    client.force_login(admin)
    url = reverse("participation:staff-settings", args=[place.slug])
    data = {
        "action": "settings",
        "contribute_level": str(Level.EMAIL),
        "support_level": str(Level.NONE),
        "comment_level": str(Level.RESIDENT),
        "reports_to_hide": "5",
        "anonymous_per_hour": "20",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    rules = ParticipationSettings.objects.get(place=place)
    assert (rules.contribute_level, rules.comment_level, rules.reports_to_hide) == (1, 2, 5)
    assert rules.version == 2
    # The same form sent again from the old version is refused.
    client.post(url, data | {"reports_to_hide": "9"})
    rules.refresh_from_db()
    assert rules.reports_to_hide == 5


def test_an_admin_adds_and_renames_an_answer_state(client, place, admin):
    client.force_login(admin)
    url = reverse("participation:staff-settings", args=[place.slug])
    client.post(
        url, {"action": "new_state", "name": "Referred to the county", "counts_as": "accepted"}
    )
    state = CustomAnswerState.objects.get(place=place)
    assert state.key == "referred-to-the-county"
    client.post(
        url,
        {
            "action": "rename_state",
            "state": state.pk,
            "name": "Sent to the county",
            "counts_as": "evaluating",
            "version": state.version,
        },
    )
    state.refresh_from_db()
    assert (state.key, state.name, state.counts_as) == (
        "referred-to-the-county",
        "Sent to the county",
        "evaluating",
    )


def test_services_of_the_contributions_topic_are_listed_first(
    client, place, moderator, consultation, organization
):
    from commonhome.directory.models import TaxonomyTerm

    on_topic = ServiceFactory(organization=organization, name="Zebra housing advice")
    on_topic.domains.add(TaxonomyTerm.objects.get(code="housing"))
    off_topic = ServiceFactory(organization=organization, name="Aardvark job club")
    c = ContributionFactory(consultation=consultation, domain="housing")
    client.force_login(moderator)
    response = client.get(reverse("participation:staff-contribution", args=[place.slug, c.pk]))
    assert response.context["services_first"] == [on_topic]
    assert off_topic in response.context["services_rest"]
