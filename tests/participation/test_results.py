"""Results: progress from parts, validation, version checks, links and their events."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonhome.core import events
from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.participation import results
from commonhome.participation.constants import AnswerState, ProgressMode
from commonhome.participation.models import Answer, Result, ResultStatus
from tests.factories import PlaceFactory, ServiceFactory, member
from tests.participation.factories import (
    ContributionFactory,
    MeetingFactory,
    ResultFactory,
    ResultStatusFactory,
)


@pytest.fixture
def staff(place):
    return member(place, Role.MODERATOR)


@pytest.fixture
def heard():
    """Events emitted during a test, by name, once their transaction committed."""
    seen: dict[str, list[dict]] = {}
    handlers = {}
    names = (
        "participation.result_progress",
        "participation.result_linked",
        "participation.milestone_added",
    )
    for name in names:

        def handler(_name=name, **payload):
            seen.setdefault(_name, []).append(payload)

        handlers[name] = handler
        events.subscribe(name, handler)
    yield seen
    for name, handler in handlers.items():
        events._handlers[name].remove(handler)


def progress_of(result):
    result.refresh_from_db()
    return result.progress


def test_average_of_parts(place, staff):
    parent = results.create_result(staff, place, title="Welcome", progress_mode="average")
    results.create_result(staff, place, title="A", parent=parent, progress=20)
    results.create_result(staff, place, title="B", parent=parent, progress=60)
    assert progress_of(parent) == 40


def test_weighted_parts_count_by_their_weight(place, staff):
    parent = results.create_result(staff, place, title="Welcome", progress_mode="weighted")
    results.create_result(staff, place, title="A", parent=parent, progress=100, weight=3)
    results.create_result(staff, place, title="B", parent=parent, progress=0, weight=1)
    assert progress_of(parent) == 75


def test_weighted_parts_that_weigh_nothing_fall_back_to_the_average(place, staff):
    parent = results.create_result(staff, place, title="Welcome", progress_mode="weighted")
    results.create_result(staff, place, title="A", parent=parent, progress=100, weight=0)
    results.create_result(staff, place, title="B", parent=parent, progress=50, weight=0)
    assert progress_of(parent) == 75


def test_compute_progress_is_plain_arithmetic():
    assert results.compute_progress(ProgressMode.MANUAL, [(10, 1)]) is None
    assert results.compute_progress(ProgressMode.AVERAGE, []) is None
    assert results.compute_progress(ProgressMode.AVERAGE, [(10, 5), (30, 1)]) == 20
    assert results.compute_progress(ProgressMode.WEIGHTED, [(10, 1), (40, 2)]) == 30


def test_three_levels_move_together_and_only_changed_results_emit(
    place, staff, heard, django_capture_on_commit_callbacks
):
    top = results.create_result(staff, place, title="Top", progress_mode="average")
    middle = results.create_result(
        staff, place, title="Middle", parent=top, progress_mode="weighted"
    )
    leaf = results.create_result(staff, place, title="Leaf", parent=middle, progress=0)
    results.create_result(staff, place, title="Other leaf", parent=middle, progress=0, weight=3)
    sibling = results.create_result(staff, place, title="Sibling", parent=top, progress=0)
    unrelated = results.create_result(staff, place, title="Unrelated", progress=10)
    leaf.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        results.update_result(staff, leaf, leaf.version, progress=100)
    assert progress_of(middle) == 25
    assert progress_of(top) == 12.5
    moved = {
        e["result"].pk: (e["before"], e["after"]) for e in heard["participation.result_progress"]
    }
    assert moved == {leaf.pk: (0, 100), middle.pk: (0, 25), top.pk: (0, 12.5)}
    assert sibling.pk not in moved and unrelated.pk not in moved


def test_a_change_that_does_not_move_the_parent_emits_nothing_for_it(
    place, staff, heard, django_capture_on_commit_callbacks
):
    parent = results.create_result(staff, place, title="P", progress_mode="average")
    a = results.create_result(staff, place, title="A", parent=parent, progress=50)
    a.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        results.update_result(staff, a, a.version, title="A, renamed")
    assert "participation.result_progress" not in heard


def test_moving_a_part_to_another_parent_recomputes_both(place, staff):
    old = results.create_result(staff, place, title="Old", progress_mode="average")
    new = results.create_result(staff, place, title="New", progress_mode="average")
    results.create_result(staff, place, title="Stays", parent=old, progress=0)
    moving = results.create_result(staff, place, title="Moves", parent=old, progress=100)
    assert progress_of(old) == 50
    moving.refresh_from_db()
    results.update_result(staff, moving, moving.version, parent=new)
    assert progress_of(old) == 0
    assert progress_of(new) == 100


def test_a_result_cannot_become_its_own_ancestor(place, staff):
    top = results.create_result(staff, place, title="Top")
    middle = results.create_result(staff, place, title="Middle", parent=top)
    leaf = results.create_result(staff, place, title="Leaf", parent=middle)
    top.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        results.update_result(staff, top, top.version, parent=leaf)
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        results.update_result(staff, top, top.version, parent=top)
    top.refresh_from_db()
    assert top.parent_id is None


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"progress": 101}, "progress"),
        ({"progress": -1}, "progress"),
        ({"start_date": dt.date(2025, 5, 1), "end_date": dt.date(2025, 4, 1)}, "end_date"),
        ({"weight": -2}, "weight"),
    ],
)
def test_invalid_values_are_refused_by_field(place, staff, fields, field):
    with pytest.raises(ValidationError) as excinfo:
        results.create_result(staff, place, title="Classes", **fields)
    assert field in excinfo.value.message_dict
    assert not Result.objects.filter(place=place).exists()


def test_a_status_or_parent_of_another_place_is_refused(place, staff):
    other = PlaceFactory()
    with pytest.raises(ValidationError) as excinfo:
        results.create_result(staff, place, title="X", status=ResultStatusFactory(place=other))
    assert "status" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        results.create_result(staff, place, title="X", parent=ResultFactory(place=other))
    assert "parent" in excinfo.value.message_dict


def test_a_stale_version_is_refused_and_nothing_changes(place, staff):
    result = results.create_result(staff, place, title="Classes", progress=10)
    seen_version = result.version
    results.update_result(staff, result, seen_version, progress=30)
    with pytest.raises(results.StaleVersion) as excinfo:
        results.update_result(staff, result, seen_version, progress=90)
    assert "changed by someone else" in str(excinfo.value)
    assert progress_of(result) == 30


def test_a_status_sets_its_default_progress_unless_progress_is_given(place, staff):
    statuses = results.ensure_statuses(place)
    result = results.create_result(staff, place, title="Classes", status=statuses["in_progress"])
    assert result.progress == 50
    result = results.update_result(staff, result, result.version, status=statuses["done"])
    assert result.progress == 100
    result = results.update_result(
        staff, result, result.version, status=statuses["in_progress"], progress=70
    )
    assert result.progress == 70


def test_default_statuses_are_created_once_with_stable_keys(place):
    first = results.ensure_statuses(place)
    second = results.ensure_statuses(place)
    assert list(first) == ["planned", "in_progress", "done", "stopped"]
    assert {s.pk for s in first.values()} == {s.pk for s in second.values()}
    assert ResultStatus.objects.filter(place=place).count() == 4
    assert first["done"].progress == 100


def test_only_staff_of_the_place_change_results(place):
    outsider = member(PlaceFactory(), Role.ADMIN)
    with pytest.raises(PermissionDenied):
        results.create_result(outsider, place, title="X")
    with pytest.raises(PermissionDenied):
        results.create_result(member(place, Role.CONTRIBUTOR), place, title="X")


def _answer(contribution, state):
    return Answer.objects.create(contribution=contribution, state=state, state_group=state)


def test_an_accepted_contribution_becomes_a_planned_result_that_answers_it(
    place, consultation, staff, heard, django_capture_on_commit_callbacks
):
    contribution = ContributionFactory(
        consultation=consultation,
        title="دروس إنجليزية مسائية",
        body="أعمل في النهار ولا أستطيع حضور الدروس الصباحية.",
        source_language="ar",
        domain="language",
    )
    _answer(contribution, AnswerState.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        result = results.result_from_contribution(staff, contribution)
    assert result.title == contribution.title
    assert result.description == contribution.body
    assert result.source_language == "ar"
    assert result.consultation == consultation
    assert result.domain == "language"
    assert result.status.key == "planned"
    assert list(result.contributions.all()) == [contribution]
    linked = heard["participation.result_linked"]
    assert [e["contributions"] for e in linked] == [[contribution]]
    assert AuditEntry.objects.filter(action="participation.result.create").exists()


def test_a_published_acceptance_is_enough(place, consultation, staff):
    contribution = ContributionFactory(
        consultation=consultation,
        public_state=AnswerState.ACCEPTED,
        public_state_group=AnswerState.ACCEPTED,
    )
    assert results.result_from_contribution(staff, contribution).contributions.count() == 1


@pytest.mark.parametrize(
    "state", [None, AnswerState.EVALUATING, AnswerState.REJECTED, AnswerState.ALREADY_OFFERED]
)
def test_contributions_not_accepted_are_refused(place, consultation, staff, state):
    contribution = ContributionFactory(consultation=consultation)
    if state:
        _answer(contribution, state)
    with pytest.raises(ValidationError) as excinfo:
        results.result_from_contribution(staff, contribution)
    assert "accepted" in str(excinfo.value)
    assert not Result.objects.filter(place=place).exists()


def test_links_across_places_are_refused(place, consultation, staff):
    result = results.create_result(staff, place, title="Classes")
    other = PlaceFactory()
    with pytest.raises(ValidationError) as excinfo:
        results.link_contributions(staff, result, [ContributionFactory(consultation__place=other)])
    assert "contributions" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        results.link_services(staff, result, [ServiceFactory(organization__place=other)])
    with pytest.raises(ValidationError):
        results.link_meetings(staff, result, [MeetingFactory(body__place=other)])
    assert not result.contributions.exists() and not result.services.exists()


def test_linking_emits_only_the_newly_linked(
    place, consultation, staff, heard, django_capture_on_commit_callbacks
):
    result = results.create_result(staff, place, title="Classes")
    first, second = ContributionFactory.create_batch(2, consultation=consultation)
    results.link_contributions(staff, result, [first])
    with django_capture_on_commit_callbacks(execute=True):
        linked = results.link_contributions(staff, result, [first, second])
    assert linked == [second]
    assert [e["contributions"] for e in heard["participation.result_linked"]] == [[second]]
    results.unlink_contributions(staff, result, [first])
    assert list(result.contributions.all()) == [second]


def test_services_and_meetings_of_the_place_link(place, service, staff):
    result = results.create_result(staff, place, title="Classes")
    meeting = MeetingFactory(body__place=place)
    results.link_services(staff, result, [service])
    results.link_meetings(staff, result, [meeting])
    assert list(result.services.all()) == [service]
    assert list(meeting.results.all()) == [result]


def test_a_milestone_is_announced(place, staff, heard, django_capture_on_commit_callbacks):
    result = results.create_result(staff, place, title="Classes")
    with django_capture_on_commit_callbacks(execute=True):
        milestone = results.add_milestone(
            staff, result, date=dt.date(2025, 3, 1), title="First class held"
        )
    assert [e["milestone"] for e in heard["participation.milestone_added"]] == [milestone]
    milestone = results.update_milestone(staff, milestone, milestone.version, title="First class")
    assert milestone.title == "First class"
    results.delete_milestone(staff, milestone)
    assert not result.milestones.exists()
    with pytest.raises(ValidationError) as excinfo:
        results.add_milestone(staff, result, date=dt.date(2025, 3, 1), title=" ")
    assert "title" in excinfo.value.message_dict


# --- Demo content -------------------------------------------------------------------------


def test_the_demo_loads_twice_into_one_copy(db, client):
    from django.urls import reverse

    from commonhome.demo.load import load_westmidlands
    from commonhome.participation.models import Body, Consultation, Contribution

    load_westmidlands()
    loaded = load_westmidlands()
    place = loaded.cities["coventry"]
    assert loaded.counts["contribution"] == Contribution.objects.filter(place=place).count() == 12
    assert set(
        Contribution.objects.filter(place=place).values_list("source_language", flat=True)
    ) == {"en", "ar", "fa", "uk"}
    assert Consultation.objects.filter(place=place).count() == 2
    states = set(Answer.objects.filter(contribution__place=place).values_list("state", flat=True))
    assert states == {
        AnswerState.EVALUATING,
        AnswerState.ACCEPTED,
        AnswerState.REJECTED,
        AnswerState.ALREADY_OFFERED,
    }
    offered = Answer.objects.filter(contribution__place=place, state=AnswerState.ALREADY_OFFERED)
    linked = {s.place_id for a in offered for s in a.services.all()}
    assert linked == {place.pk} and sum(a.services.count() for a in offered) >= 2
    parent = Result.objects.get(place=place, parent__isnull=True)
    parts = list(parent.children.all())
    assert len(parts) == 2
    expected = results.compute_progress(
        parent.progress_mode, [(p.progress, p.weight) for p in parts]
    )
    assert parent.progress == expected == 40
    body = Body.objects.get(place=place)
    assert body.members.count() == 6 and body.members.filter(show_name=False).count() == 2
    assert body.meetings.count() == 2
    page = client.get(reverse("participation:body", args=[place.slug, body.slug])).content.decode()
    assert "Amira Saleh" in page and "Farid Ahmadi" not in page
    past = body.meetings.order_by("starts_at").first()
    page = client.get(reverse("participation:meeting", args=[place.slug, past.pk])).content.decode()
    assert "A quiet room to pray and meet" in page
