"""Records nobody checked for too long are flagged, and their editors reminded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonhome.directory import freshness
from commonhome.directory.models import Organization, Service
from commonhome.directory.tasks import remind_stale_records
from tests.factories import OrganizationFactory, PlaceFactory, ServiceFactory, UserFactory, member


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 3, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 3, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 15), 12, dt.date(2024, 1, 15)),
        (dt.date(2025, 1, 15), 13, dt.date(2023, 12, 15)),
    ],
)
def test_months_before_stays_within_short_months(day, months, expected):
    assert freshness.months_before(day, months) == expected


def test_stale_records_are_the_never_verified_and_the_too_old(place, organization):
    place.verify_after_months = 6
    fresh = ServiceFactory(organization=organization, last_verified=days_ago(30))
    old = ServiceFactory(organization=organization, last_verified=days_ago(250))
    never = ServiceFactory(organization=organization, last_verified=None)
    stale = set(freshness.stale_services(place))
    assert stale == {old, never}
    assert fresh not in stale
    assert freshness.is_stale(old, place) and not freshness.is_stale(fresh, place)
    assert organization in freshness.stale_organizations(place)  # never verified


def test_a_stricter_place_flags_sooner(place, organization):
    service = ServiceFactory(organization=organization, last_verified=days_ago(100))
    place.verify_after_months = 12
    assert service not in freshness.stale_services(place)
    place.verify_after_months = 3
    assert service in freshness.stale_services(place)


def test_reminder_goes_to_the_organisations_editors(place, organization):
    organization.last_verified = days_ago(1)
    organization.save()
    editor = UserFactory(email="editor@example.org")
    organization.editors.add(editor)
    member(place, "moderator", email="mod@example.org")
    stale = ServiceFactory(organization=organization, last_verified=None, name="Old clinic")
    ServiceFactory(organization=organization, name="Fresh clinic")

    sent = remind_stale_records.enqueue().return_value

    assert sent == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["editor@example.org"]
    assert "Old clinic" in message.body and "Fresh clinic" not in message.body
    assert reverse("directory:staff-service-edit", args=[place.slug, stale.pk]) in message.body
    stale.refresh_from_db()
    assert stale.reminded_at is not None


def test_without_editors_the_place_moderators_are_reminded(place, organization):
    member(place, "moderator", email="mod@example.org")
    member(place, "contributor", email="helper@example.org")
    ServiceFactory(organization=organization, last_verified=None, name="Old clinic")

    remind_stale_records.enqueue(str(place.pk))

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mod@example.org"]
    assert organization.name in mail.outbox[0].body  # the organisation itself is stale too


def test_a_record_is_reminded_at_most_once_in_30_days(place, organization):
    member(place, "moderator", email="mod@example.org")
    service = ServiceFactory(organization=organization, last_verified=None)
    remind_stale_records.enqueue()
    remind_stale_records.enqueue()
    assert len(mail.outbox) == 1

    Service.objects.filter(pk=service.pk).update(reminded_at=timezone.now() - dt.timedelta(days=31))
    Organization.objects.filter(pk=organization.pk).update(
        reminded_at=timezone.now() - dt.timedelta(days=29)
    )
    remind_stale_records.enqueue()
    assert len(mail.outbox) == 2
    assert service.name in mail.outbox[1].body
    assert organization.name + ":" not in mail.outbox[1].body.split("Organisations")[-1]


def test_reminders_stay_within_their_place(place, organization):
    member(place, "moderator", email="mod@example.org")
    elsewhere = PlaceFactory()
    ServiceFactory(organization=OrganizationFactory(place=elsewhere), last_verified=None)
    remind_stale_records.enqueue(str(place.pk))
    assert all("mod@example.org" in m.to for m in mail.outbox)
    body = "".join(m.body for m in mail.outbox)
    assert elsewhere.name not in body


def test_freshness_page_shows_counts_and_the_list(client, place, organization):
    ServiceFactory(organization=organization, name="Old clinic", last_verified=days_ago(900))
    ServiceFactory(organization=organization, name="Fresh clinic")
    client.force_login(member(place, "moderator"))
    response = client.get(reverse("directory:staff-freshness", args=[place.slug]))
    overview = response.context["overview"]
    assert [s.name for s in overview.services] == ["Old clinic"]
    assert overview.total_services == 2
    page = response.content.decode()
    assert "Services: 1 of 2 need checking" in page
    assert "Old clinic" in page and "Fresh clinic" not in page


def test_freshness_page_can_send_reminders_now(client, place, organization):
    moderator = member(place, "moderator", email="mod@example.org")
    ServiceFactory(organization=organization, last_verified=None)
    client.force_login(moderator)
    response = client.post(reverse("directory:staff-freshness", args=[place.slug]))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["mod@example.org"]


def test_reminder_links_are_absolute_when_the_site_address_is_set(place, organization, settings):
    settings.SITE_URL = "https://welcome.example.org/"
    member(place, "moderator", email="mod@example.org")
    service = ServiceFactory(organization=organization, last_verified=None)
    remind_stale_records.enqueue(str(place.pk))
    path = reverse("directory:staff-service-edit", args=[place.slug, service.pk])
    assert f"https://welcome.example.org{path}" in mail.outbox[0].body


def test_remind_command_sends_reminders_for_stale_records(place, organization):
    import datetime as dt

    from django.core import mail
    from django.core.management import call_command

    from tests.factories import ServiceFactory, UserFactory

    editor = UserFactory(email="editor@example.org")
    organization.editors.add(editor)
    ServiceFactory(organization=organization, last_verified=dt.date(2000, 1, 1))
    call_command("remind_stale_records", place=place.slug)
    assert [m.to for m in mail.outbox] == [["editor@example.org"]]
