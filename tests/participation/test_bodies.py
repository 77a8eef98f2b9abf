"""Consultative bodies and meetings: services, public pages (privacy, names), staff pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from commonhome.core.constants import Role
from commonhome.participation import bodies, results
from commonhome.participation.models import Body, BodyMember, Meeting
from tests.factories import PlaceFactory, member
from tests.participation.factories import (
    BodyFactory,
    ContributionFactory,
    MeetingFactory,
    ResultFactory,
)

ROLES = ["anonymous", "contributor", "moderator", "admin", "other_place_admin"]
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


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
def admin(place):
    return member(place, Role.ADMIN)


# --- Services -----------------------------------------------------------------------------


def test_bodies_are_for_place_admins(place):
    with pytest.raises(PermissionDenied):
        bodies.create_body(member(place, Role.MODERATOR), place, slug="c", name="C", purpose="P")
    with pytest.raises(PermissionDenied):
        bodies.create_body(
            member(PlaceFactory(), Role.ADMIN), place, slug="c", name="C", purpose="P"
        )


def test_a_body_slug_is_unique_in_its_place(place, admin):
    bodies.create_body(admin, place, slug="council", name="Council", purpose="Advise")
    with pytest.raises(ValidationError) as excinfo:
        bodies.create_body(admin, place, slug="council", name="Other", purpose="Advise")
    assert "slug" in excinfo.value.message_dict


def test_a_stale_body_edit_is_refused(place, admin):
    body = bodies.create_body(admin, place, slug="council", name="Council", purpose="Advise")
    bodies.update_body(admin, body, body.version, name="Newcomers' Council")
    with pytest.raises(bodies.StaleVersion):
        bodies.update_body(admin, body, body.version, name="Lost edit")
    body.refresh_from_db()
    assert body.name == "Newcomers' Council"


def test_member_terms_and_ending_a_term(place, admin):
    body = BodyFactory(place=place)
    with pytest.raises(ValidationError) as excinfo:
        bodies.add_member(
            admin, body, name="Amal", term_start=dt.date(2025, 5, 1), term_end=dt.date(2025, 1, 1)
        )
    assert "term_end" in excinfo.value.message_dict
    m = bodies.add_member(
        admin, body, name="Amal", position="chair", term_start=dt.date(2024, 1, 1)
    )
    assert m.in_office()
    m = bodies.end_term(admin, m, on=timezone.localdate() - dt.timedelta(days=1))
    assert not m.in_office()


def test_meetings_validate_mode_and_place(place, admin):
    other_body = BodyFactory(place=PlaceFactory())
    start = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        bodies.create_meeting(admin, place, title="Online", starts_at=start, mode="online")
    assert "online_url" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        bodies.create_meeting(
            admin, place, title="M", starts_at=start, address="Hall", body=other_body
        )
    assert "body" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        bodies.create_meeting(
            admin,
            place,
            title="M",
            starts_at=start,
            ends_at=start - dt.timedelta(hours=1),
            address="Hall",
        )
    assert "ends_at" in excinfo.value.message_dict
    assert not Meeting.objects.filter(place=place).exists()


def test_contributions_raised_at_a_meeting(place, consultation, admin):
    meeting = MeetingFactory(body__place=place)
    mine = ContributionFactory(consultation=consultation)
    foreign = ContributionFactory(consultation__place=PlaceFactory())
    with pytest.raises(ValidationError):
        bodies.attach_contributions(admin, meeting, [mine, foreign])
    mine.refresh_from_db()
    assert mine.meeting_id is None
    assert bodies.attach_contributions(admin, meeting, [mine]) == [mine]
    assert list(meeting.contributions.all()) == [mine]
    mine.refresh_from_db()
    bodies.detach_contributions(admin, meeting, [mine])
    assert not meeting.contributions.exists()


# --- Public pages -------------------------------------------------------------------------


PUBLIC = {
    "anonymous": 200,
    "contributor": 200,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 200,
}
STAFF_SEES = {**PUBLIC, "anonymous": 404, "contributor": 404, "other_place_admin": 404}


@pytest.mark.parametrize("role", ROLES)
def test_public_bodies_and_meetings_are_public(client, place, role):
    body = BodyFactory(place=place, name="Newcomers' Council")
    meeting = MeetingFactory(body=body, title="Spring meeting")
    login(client, role, place)
    assert client.get(reverse("participation:bodies", args=[place.slug])).status_code == 200
    page = client.get(reverse("participation:body", args=[place.slug, body.slug]))
    assert page.status_code == PUBLIC[role]
    assert "Spring meeting" in page.content.decode()
    assert (
        client.get(reverse("participation:meeting", args=[place.slug, meeting.pk])).status_code
        == 200
    )


@pytest.mark.parametrize("role", ROLES)
def test_private_bodies_and_their_meetings_are_for_staff(client, place, role):
    body = BodyFactory(place=place, name="Closed working group", is_public=False)
    meeting = MeetingFactory(body=body, title="Budget discussion")
    private_meeting = MeetingFactory(body=BodyFactory(place=place), is_public=False)
    login(client, role, place)
    listing = client.get(reverse("participation:bodies", args=[place.slug])).content.decode()
    assert ("Closed working group" in listing) == (STAFF_SEES[role] == 200)
    assert ("Budget discussion" in listing) == (STAFF_SEES[role] == 200)
    for url in (
        reverse("participation:body", args=[place.slug, body.slug]),
        reverse("participation:meeting", args=[place.slug, meeting.pk]),
        reverse("participation:meeting", args=[place.slug, private_meeting.pk]),
    ):
        assert client.get(url).status_code == STAFF_SEES[role], url


def test_a_member_name_is_shown_only_with_consent(client, place):
    body = BodyFactory(place=place)
    BodyMember.objects.create(body=body, name="Olena Kovalenko", position="chair")
    BodyMember.objects.create(body=body, name="Secret Person", show_name=False)
    BodyMember.objects.create(
        body=body, name="Former Member", term_end=timezone.localdate() - dt.timedelta(days=1)
    )
    page = client.get(reverse("participation:body", args=[place.slug, body.slug])).content.decode()
    assert "Olena Kovalenko" in page
    assert "Secret Person" not in page
    assert "Member (name withheld)" in page
    assert "Former Member" not in page


def test_minutes_and_agenda_render_inert(client, place):
    meeting = MeetingFactory(
        body__place=place,
        title=f"Meeting {XSS}",
        agenda=XSS,
        minutes=XSS,
        starts_at=timezone.now() - dt.timedelta(days=3),
        attendance_count=17,
    )
    page = client.get(reverse("participation:meeting", args=[place.slug, meeting.pk]))
    html = page.content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert "People present: 17" in html


def test_a_meeting_page_shows_what_came_out_of_it(client, place, consultation):
    meeting = MeetingFactory(body__place=place, starts_at=timezone.now() - dt.timedelta(days=2))
    ContributionFactory(consultation=consultation, meeting=meeting, title="Prayer room at the hub")
    ContributionFactory(
        consultation=consultation, meeting=meeting, title="Hidden one", visibility="hidden"
    )
    result = ResultFactory(place=place, title="Quiet room opened", progress=100)
    result.meetings.add(meeting)
    ResultFactory(place=place, title="Draft result", is_published=False).meetings.add(meeting)
    html = client.get(reverse("participation:meeting", args=[place.slug, meeting.pk])).content
    html = html.decode()
    assert "Prayer room at the hub" in html and "Quiet room opened" in html
    assert "Hidden one" not in html and "Draft result" not in html


def test_a_body_of_another_place_is_not_found(client, place):
    body = BodyFactory(place=PlaceFactory())
    assert (
        client.get(reverse("participation:body", args=[place.slug, body.slug])).status_code == 404
    )


def test_query_counts_are_pinned(client, place, django_assert_num_queries):
    for n in range(3):
        body = BodyFactory(place=place)
        for k in range(3):
            BodyMember.objects.create(body=body, name=f"Member {n}-{k}", show_name=k % 2 == 0)
            MeetingFactory(body=body, starts_at=timezone.now() + dt.timedelta(days=k - 1))
    list_url = reverse("participation:bodies", args=[place.slug])
    body_url = reverse("participation:body", args=[place.slug, body.slug])
    client.get(list_url)  # content types are cached per process from the first request on
    # place; bodies + their translations; upcoming meetings + translations; past + translations
    with django_assert_num_queries(7):
        client.get(list_url)
    # place; body + translations; members; meetings + translations
    with django_assert_num_queries(6):
        page = client.get(body_url)
    assert page.content.decode().count("Member (name withheld)") == 1


# --- Staff pages --------------------------------------------------------------------------


STAFF = {
    "anonymous": 302,
    "contributor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}
ADMINS = {**STAFF, "moderator": 403}


@pytest.mark.parametrize("role", ROLES)
def test_staff_pages_per_role(client, place, role):
    body = BodyFactory(place=place)
    meeting = MeetingFactory(body=body)
    login(client, role, place)
    assert (
        client.get(reverse("participation:staff-bodies", args=[place.slug])).status_code
        == (STAFF[role])
    )
    for url in (
        reverse("participation:staff-body-new", args=[place.slug]),
        reverse("participation:staff-body", args=[place.slug, body.slug]),
        reverse("participation:staff-meeting-new", args=[place.slug]),
        reverse("participation:staff-meeting", args=[place.slug, meeting.pk]),
    ):
        assert client.get(url).status_code == ADMINS[role], url


def test_admin_creates_a_body_with_members_and_a_meeting(client, place, consultation, admin):
    client.force_login(admin)
    response = client.post(
        reverse("participation:staff-body-new", args=[place.slug]),
        {
            "action": "save",
            "name": "Newcomers' Council",
            "slug": "newcomers-council",
            "source_language": "en",
            "purpose": "Advise the city.",
            "composition": "",
            "is_public": "on",
        },
    )
    body = Body.objects.get(place=place)
    url = reverse("participation:staff-body", args=[place.slug, body.slug])
    assert response["Location"] == url
    client.post(
        url,
        {
            "action": "add_member",
            "member-name": "Amal Haddad",
            "member-position": "chair",
            "member-show_name": "on",
        },
    )
    client.post(
        url, {"action": "add_member", "member-name": "Private Person", "member-position": "member"}
    )
    assert body.members.count() == 2
    withheld = body.members.get(name="Private Person")
    assert not withheld.show_name
    client.post(url, {"action": "end_term", "id": withheld.pk})
    withheld.refresh_from_db()
    assert withheld.term_end == timezone.localdate()

    response = client.post(
        reverse("participation:staff-meeting-new", args=[place.slug]),
        {
            "action": "save",
            "title": "First meeting",
            "source_language": "en",
            "body": body.pk,
            "consultation": consultation.pk,
            "starts_at": "2025-03-04T18:00",
            "mode": "hybrid",
            "address": "Council House",
            "online_url": "https://meet.example.org/council",
            "agenda": "Welcome",
            "minutes": "",
            "attendance_count": "",
            "is_public": "on",
        },
    )
    meeting = Meeting.objects.get(place=place)
    assert response["Location"] == reverse(
        "participation:staff-meeting", args=[place.slug, meeting.pk]
    )
    raised = ContributionFactory(consultation=consultation, title="Evening classes please")
    page = client.get(reverse("participation:staff-meeting", args=[place.slug, meeting.pk]))
    assert "Evening classes please" in page.content.decode()
    client.post(
        reverse("participation:staff-meeting", args=[place.slug, meeting.pk]),
        {"action": "attach", "picked": [str(raised.pk)]},
    )
    raised.refresh_from_db()
    assert raised.meeting == meeting


def test_a_result_links_a_meeting_and_the_staff_meeting_page_lists_it(client, place, admin):
    meeting = MeetingFactory(body__place=place)
    result = results.create_result(admin, place, title="Prayer room", meetings=[meeting])
    client.force_login(admin)
    page = client.get(reverse("participation:staff-meeting", args=[place.slug, meeting.pk]))
    assert result.title in page.content.decode()
