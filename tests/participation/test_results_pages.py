"""Staff result pages: who may see them, create/edit with version check, links, milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commonhome.core.constants import Role
from commonhome.participation import results
from commonhome.participation.constants import AnswerState
from commonhome.participation.models import Answer, Result, ResultStatus
from tests.factories import PlaceFactory, member
from tests.participation.factories import ContributionFactory, MeetingFactory, ResultFactory

ROLES = ["anonymous", "contributor", "moderator", "admin", "other_place_admin"]
STAFF = {
    "anonymous": 302,
    "contributor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}
ADMINS = {**STAFF, "moderator": 403}


def login(client, role, place):
    if role == "anonymous":
        return None
    if role == "other_place_admin":
        user = member(PlaceFactory(), Role.ADMIN)
    else:
        user = member(place, role)
    client.force_login(user)
    return user


@pytest.fixture
def moderator(client, place):
    user = member(place, Role.MODERATOR)
    client.force_login(user)
    return user


@pytest.mark.parametrize("role", ROLES)
def test_result_pages_are_for_staff_of_the_place(client, place, role):
    result = ResultFactory(place=place)
    login(client, role, place)
    for name, args in (
        ("staff-results", [place.slug]),
        ("staff-result-new", [place.slug]),
        ("staff-result", [place.slug, result.pk]),
    ):
        response = client.get(reverse(f"participation:{name}", args=args))
        assert response.status_code == STAFF[role], name
        if role == "anonymous":
            assert response["Location"].startswith(reverse("core:login"))


@pytest.mark.parametrize("role", ROLES)
def test_the_status_catalogue_is_for_place_admins(client, place, role):
    login(client, role, place)
    response = client.get(reverse("participation:staff-statuses", args=[place.slug]))
    assert response.status_code == ADMINS[role]
    if response.status_code == 200:
        assert "planned" in response.content.decode()


def test_a_result_of_another_place_is_not_found(client, place, moderator):
    other = ResultFactory(place=PlaceFactory())
    response = client.get(reverse("participation:staff-result", args=[place.slug, other.pk]))
    assert response.status_code == 404


def test_list_filters_by_status_and_topic(client, place, moderator):
    statuses = results.ensure_statuses(place)
    ResultFactory(place=place, title="Evening classes", status=statuses["done"], domain="language")
    ResultFactory(place=place, title="GP help", status=statuses["planned"], domain="health")
    url = reverse("participation:staff-results", args=[place.slug])
    page = client.get(url, {"status": statuses["done"].pk}).content.decode()
    assert "Evening classes" in page and "GP help" not in page
    page = client.get(url, {"topic": "health"}).content.decode()
    assert "GP help" in page and "Evening classes" not in page


def test_create_then_edit_with_a_stale_version(client, place, moderator):
    statuses = results.ensure_statuses(place)
    response = client.post(
        reverse("participation:staff-result-new", args=[place.slug]),
        {
            "title": "Evening English classes",
            "description": "Two evenings a week.",
            "source_language": "en",
            "status": statuses["in_progress"].pk,
            "progress_mode": "manual",
            "progress": "",
            "weight": "1",
            "is_published": "on",
        },
    )
    result = Result.objects.get(place=place)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:staff-result", args=[place.slug, result.pk]
    )
    assert result.progress == 50
    url = reverse("participation:staff-result", args=[place.slug, result.pk])
    form = {
        "action": "save",
        "version": result.version,
        "title": "Evening English classes at the library",
        "source_language": "en",
        "progress_mode": "manual",
        "progress": "80",
        "weight": "1",
    }
    assert client.post(url, form).status_code == 302
    result.refresh_from_db()
    assert (result.title, result.progress, result.is_published) == (form["title"], 80, False)
    stale = client.post(url, {**form, "progress": "10"})
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()
    result.refresh_from_db()
    assert result.progress == 80


def test_progress_is_disabled_when_computed_from_parts(client, place, moderator):
    parent = ResultFactory(place=place, progress_mode="average")
    ResultFactory(place=place, parent=parent, progress=40)
    page = client.get(reverse("participation:staff-result", args=[place.slug, parent.pk]))
    assert 'name="progress"' in page.content.decode()
    assert page.context["form"].fields["progress"].disabled
    assert "computed from its parts" in page.content.decode()


def test_a_cycle_is_refused_with_a_message(client, place, moderator):
    top = ResultFactory(place=place)
    leaf = ResultFactory(place=place, parent=top)
    page = client.get(reverse("participation:staff-result", args=[place.slug, top.pk]))
    choices = [str(v) for v, _label in page.context["form"].fields["parent"].choices if v]
    assert str(leaf.pk) not in choices
    response = client.post(
        reverse("participation:staff-result", args=[place.slug, top.pk]),
        {
            "action": "save",
            "version": top.version,
            "title": top.title,
            "source_language": "en",
            "progress_mode": "manual",
            "progress": "0",
            "weight": "1",
            "parent": leaf.pk,
        },
    )
    assert response.status_code == 200
    top.refresh_from_db()
    assert top.parent_id is None


def test_turning_an_accepted_contribution_into_a_result(client, place, consultation, moderator):
    contribution = ContributionFactory(consultation=consultation, title="Childcare during classes")
    Answer.objects.create(
        contribution=contribution, state=AnswerState.ACCEPTED, state_group=AnswerState.ACCEPTED
    )
    response = client.post(
        reverse("participation:staff-result-new", args=[place.slug]),
        {"from_contribution": contribution.pk},
    )
    result = Result.objects.get(place=place)
    assert response["Location"] == reverse(
        "participation:staff-result", args=[place.slug, result.pk]
    )
    assert result.title == "Childcare during classes"
    assert list(result.contributions.all()) == [contribution]


def test_a_contribution_not_accepted_stays_a_contribution(client, place, consultation, moderator):
    contribution = ContributionFactory(consultation=consultation)
    response = client.post(
        reverse("participation:staff-result-new", args=[place.slug]),
        {"from_contribution": contribution.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "participation:staff-contribution", args=[place.slug, contribution.pk]
    )
    assert not Result.objects.exists()


def test_links_and_milestones_from_the_edit_page(client, place, consultation, service, moderator):
    result = ResultFactory(place=place)
    accepted = ContributionFactory(
        consultation=consultation, public_state_group=AnswerState.ACCEPTED, title="Picked one"
    )
    pasted = ContributionFactory(consultation=consultation)
    meeting = MeetingFactory(body__place=place)
    url = reverse("participation:staff-result", args=[place.slug, result.pk])
    page = client.get(url).content.decode()
    assert "Picked one" in page
    client.post(
        url,
        {
            "action": "link_contributions",
            "picked": [str(accepted.pk)],
            "pasted": f"https://example.org/staff/{place.slug}/contributions/{pasted.pk}/",
        },
    )
    client.post(url, {"action": "link_services", "services-chosen": [str(service.pk)]})
    client.post(url, {"action": "link_meetings", "meetings-chosen": [str(meeting.pk)]})
    client.post(
        url,
        {
            "action": "add_milestone",
            "milestone-date": "2025-04-01",
            "milestone-title": "Venue booked",
        },
    )
    assert set(result.contributions.all()) == {accepted, pasted}
    assert list(result.services.all()) == [service]
    assert list(result.meetings.all()) == [meeting]
    assert list(result.milestones.values_list("title", flat=True)) == ["Venue booked"]
    page = client.get(url).content.decode()
    assert "Venue booked" in page and service.name in page


def test_a_contribution_of_another_place_cannot_be_pasted(client, place, moderator):
    result = ResultFactory(place=place)
    foreign = ContributionFactory(consultation__place=PlaceFactory())
    url = reverse("participation:staff-result", args=[place.slug, result.pk])
    response = client.post(url, {"action": "link_contributions", "pasted": str(foreign.pk)})
    assert response.status_code == 302
    assert not result.contributions.exists()


def test_admins_add_and_edit_statuses(client, place):
    client.force_login(member(place, Role.ADMIN))
    url = reverse("participation:staff-statuses", args=[place.slug])
    client.get(url)
    response = client.post(
        url,
        {
            "status": "new",
            "new-key": "referred",
            "new-name": "Referred",
            "new-progress": "10",
            "new-position": "5",
        },
    )
    assert response.status_code == 302
    status = ResultStatus.objects.get(place=place, key="referred")
    assert status.progress == 10
    prefix = str(status.pk)
    client.post(
        url,
        {
            "status": prefix,
            f"{prefix}-key": "referred",
            f"{prefix}-name": "Referred on",
            f"{prefix}-progress": "20",
            f"{prefix}-position": "5",
            f"{prefix}-version": status.version,
        },
    )
    status.refresh_from_db()
    assert (status.name, status.progress) == ("Referred on", 20)
    response = client.post(
        url,
        {"status": "new", "new-key": "referred", "new-name": "Again", "new-position": "1"},
    )
    assert response.status_code == 200
    assert ResultStatus.objects.filter(place=place, key="referred").count() == 1


def test_a_milestone_is_edited_and_removed_from_the_edit_page(client, place, moderator):
    result = ResultFactory(place=place)
    milestone = results.add_milestone(
        moderator, result, date=dt.date(2025, 4, 1), title="Venue booked"
    )
    url = reverse("participation:staff-result", args=[place.slug, result.pk])
    prefix = str(milestone.pk)
    client.post(
        url,
        {
            "action": "edit_milestone",
            "id": milestone.pk,
            f"{prefix}-date": "2025-04-02",
            f"{prefix}-title": "Venue booked and paid",
        },
    )
    milestone.refresh_from_db()
    assert milestone.title == "Venue booked and paid"
    client.post(url, {"action": "delete_milestone", "id": milestone.pk})
    assert not result.milestones.exists()
