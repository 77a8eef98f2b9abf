"""Official answers: validation, drafts, batch publishing, version checks, custom states."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonhome.core import events
from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.participation import answers, consultations
from commonhome.participation.constants import AnswerState
from commonhome.participation.models import Answer
from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory, member
from tests.participation.factories import ContributionFactory


@pytest.fixture
def staff(place):
    return member(place, Role.MODERATOR)


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation)


@pytest.fixture
def published_events():
    """The answers announced with ``participation.answer_published``, in order."""
    seen: list = []

    def handler(answer, **_payload):
        seen.append(answer)

    events.subscribe("participation.answer_published", handler)
    yield seen
    events._handlers["participation.answer_published"].remove(handler)


def test_rejected_needs_a_reason(staff, contribution):
    with pytest.raises(ValidationError) as err:
        answers.answer(staff, contribution, state=AnswerState.REJECTED, text="Sorry.")
    assert "reason" in err.value.message_dict
    assert not Answer.objects.filter(contribution=contribution).exists()
    saved = answers.answer(
        staff, contribution, state=AnswerState.REJECTED, reason="No budget this year."
    )
    assert saved.reason == "No budget this year."


def test_already_offered_needs_a_service_of_the_same_place(staff, contribution, service):
    with pytest.raises(ValidationError) as err:
        answers.answer(staff, contribution, state=AnswerState.ALREADY_OFFERED)
    assert "services" in err.value.message_dict

    elsewhere = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))
    with pytest.raises(ValidationError) as err:
        answers.answer(staff, contribution, state=AnswerState.ALREADY_OFFERED, services=[elsewhere])
    assert "services" in err.value.message_dict
    assert not Answer.objects.filter(contribution=contribution).exists()

    saved = answers.answer(
        staff, contribution, state=AnswerState.ALREADY_OFFERED, services=[service.pk]
    )
    assert list(saved.services.all()) == [service]


def test_a_service_of_another_place_is_refused_even_next_to_a_good_one(
    staff, contribution, service
):
    elsewhere = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))
    with pytest.raises(ValidationError):
        answers.answer(
            staff, contribution, state=AnswerState.ACCEPTED, services=[service, elsewhere]
        )
    assert not Answer.objects.filter(contribution=contribution).exists()


def test_not_answered_is_not_an_answer(staff, contribution):
    with pytest.raises(ValidationError) as err:
        answers.answer(staff, contribution, state=AnswerState.NOT_ANSWERED)
    assert "state" in err.value.message_dict
    with pytest.raises(ValidationError):
        answers.answer(staff, contribution, state="no-such-state")


def test_a_contributor_cannot_answer(place, contribution):
    contributor = member(place, Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        answers.answer(contributor, contribution, state=AnswerState.ACCEPTED)
    other_admin = member(PlaceFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        answers.answer(other_admin, contribution, state=AnswerState.ACCEPTED)


def test_an_answer_stays_a_draft_until_published(staff, contribution, published_events):
    saved = answers.answer(
        staff, contribution, state=AnswerState.ACCEPTED, text="We will.", language="ar"
    )
    contribution.refresh_from_db()
    assert saved.answered_by == staff and saved.answered_at is not None
    assert saved.published_at is None
    assert saved.source_language == "ar"
    assert contribution.public_state == AnswerState.NOT_ANSWERED
    assert published_events == []
    assert AuditEntry.objects.filter(action="answer.draft", object_id=str(saved.pk)).exists()


def test_publish_in_a_batch_sets_the_public_state(
    staff, consultation, service, published_events, django_capture_on_commit_callbacks
):
    first, second, third = ContributionFactory.create_batch(3, consultation=consultation)
    a1 = answers.answer(staff, first, state=AnswerState.ACCEPTED, text="Yes.")
    a2 = answers.answer(staff, second, state=AnswerState.ALREADY_OFFERED, services=[service])
    with django_capture_on_commit_callbacks(execute=True):
        assert answers.publish(staff, [a1, a2.pk]) == 2
    for contribution, state in ((first, "accepted"), (second, "already_offered")):
        contribution.refresh_from_db()
        assert (contribution.public_state, contribution.public_state_group) == (state, state)
        assert contribution.answer.published_by == staff
    third.refresh_from_db()
    assert third.public_state == AnswerState.NOT_ANSWERED
    assert {a.pk for a in published_events} == {a1.pk, a2.pk}
    # Publishing again changes nothing and tells nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        assert answers.publish(staff, [a1]) == 0
    assert len(published_events) == 2


def test_publish_is_all_or_nothing(staff, consultation, published_events):
    mine = answers.answer(
        staff, ContributionFactory(consultation=consultation), state=AnswerState.ACCEPTED
    )
    other_place = PlaceFactory()
    other_staff = member(other_place, Role.ADMIN)
    theirs = answers.answer(
        other_staff,
        ContributionFactory(consultation__place=other_place),
        state=AnswerState.ACCEPTED,
    )
    with pytest.raises(PermissionDenied):
        answers.publish(staff, [mine, theirs])
    mine.refresh_from_db()
    assert mine.published_at is None
    assert mine.contribution.public_state == AnswerState.NOT_ANSWERED

    blank = Answer.objects.create(contribution=ContributionFactory(consultation=consultation))
    with pytest.raises(ValidationError):
        answers.publish(staff, [mine, blank])
    mine.refresh_from_db()
    assert mine.published_at is None
    assert published_events == []


def test_two_staff_never_silently_overwrite_each_other(place, contribution):
    alice, bob = member(place, Role.MODERATOR), member(place, Role.ADMIN)
    first = answers.answer(
        alice, contribution, state=AnswerState.EVALUATING, text="Looking.", expected_version=0
    )
    # Both open version 1; Bob saves first.
    answers.answer(bob, contribution, state=AnswerState.ACCEPTED, text="Bob's", expected_version=1)
    with pytest.raises(answers.StaleVersion):
        answers.answer(
            alice, contribution, state=AnswerState.ACCEPTED, text="Alice's", expected_version=1
        )
    first.refresh_from_db()
    assert (first.text, first.version, first.answered_by) == ("Bob's", 2, bob)
    # Someone who saw no answer yet cannot replace the one that now exists.
    with pytest.raises(answers.StaleVersion):
        answers.answer(alice, contribution, state=AnswerState.ACCEPTED, expected_version=0)


def test_editing_a_published_answer_keeps_it_public_and_tells_nobody_again(
    staff, contribution, service, published_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = answers.answer(staff, contribution, state=AnswerState.EVALUATING, text="Soon.")
        answers.publish(staff, [draft])
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        edited = answers.answer(
            staff,
            contribution,
            state=AnswerState.ALREADY_OFFERED,
            text="The library runs this already.",
            services=[service],
            expected_version=draft.version,
        )
    contribution.refresh_from_db()
    assert edited.published_at == draft.published_at
    assert contribution.public_state == AnswerState.ALREADY_OFFERED
    assert edited.content_version == draft.content_version + 1
    assert len(published_events) == 1
    entry = AuditEntry.objects.get(action="answer.update_published", object_id=str(edited.pk))
    assert entry.before["state"] == "evaluating" and entry.after["state"] == "already_offered"


def test_a_custom_state_counts_as_a_built_in_one(
    place, staff, contribution, django_capture_on_commit_callbacks
):
    admin = member(place, Role.ADMIN)
    consultations.save_custom_state(
        admin, place, name="Referred to the county", counts_as=AnswerState.ACCEPTED
    )
    assert ("referred-to-the-county", "Referred to the county", "accepted") in (
        answers.state_choices(place)
    )
    assert answers.state_label(place, "referred-to-the-county") == "Referred to the county"
    assert answers.state_label(place, AnswerState.REJECTED) == "Not taken up"
    saved = answers.answer(staff, contribution, state="referred-to-the-county", text="Sent on.")
    assert saved.state_group == AnswerState.ACCEPTED
    answers.publish(staff, [saved])
    contribution.refresh_from_db()
    assert contribution.public_state == "referred-to-the-county"
    assert contribution.public_state_group == AnswerState.ACCEPTED
    # Another place does not have it.
    assert answers.state_group(PlaceFactory(), "referred-to-the-county") is None


def test_changing_what_a_custom_state_counts_as_regroups_its_answers(place, staff, contribution):
    admin = member(place, Role.ADMIN)
    state = consultations.save_custom_state(
        admin, place, name="Parked", key="parked", counts_as=AnswerState.EVALUATING
    )
    saved = answers.answer(staff, contribution, state="parked")
    answers.publish(staff, [saved])
    consultations.save_custom_state(
        admin,
        place,
        name="Parked for next year",
        counts_as=AnswerState.REJECTED,
        state=state,
        expected_version=state.version,
    )
    contribution.refresh_from_db()
    saved.refresh_from_db()
    assert saved.state_group == contribution.public_state_group == AnswerState.REJECTED
    assert contribution.public_state == "parked"  # the key never changes
    assert answers.state_label(place, "parked") == "Parked for next year"


def test_a_custom_state_counting_as_rejected_needs_a_reason(place, staff, contribution):
    consultations.save_custom_state(
        member(place, Role.ADMIN), place, name="Out of scope", counts_as=AnswerState.REJECTED
    )
    with pytest.raises(ValidationError) as err:
        answers.answer(staff, contribution, state="out-of-scope")
    assert "reason" in err.value.message_dict


def test_custom_state_keys_are_unique_and_stable(place):
    admin = member(place, Role.ADMIN)
    consultations.save_custom_state(admin, place, name="Parked", counts_as="evaluating")
    with pytest.raises(ValidationError) as err:
        consultations.save_custom_state(admin, place, name="Parked", counts_as="evaluating")
    assert "key" in err.value.message_dict
    with pytest.raises(ValidationError):
        consultations.save_custom_state(
            admin, place, name="Accepted", key="accepted", counts_as="accepted"
        )
    with pytest.raises(PermissionDenied):
        consultations.save_custom_state(
            member(place, Role.MODERATOR), place, name="Mine", counts_as="accepted"
        )
