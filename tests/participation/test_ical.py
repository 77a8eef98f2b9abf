"""A meeting in people's own calendars: iCalendar that calendar programs read."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from commonhome.participation import ical
from tests.participation.factories import BodyFactory, MeetingFactory


def test_text_is_escaped_for_property_values():
    assert ical.escape("Agenda; rooms, and C:\\ notes\nline two") == (
        "Agenda\\; rooms\\, and C:\\\\ notes\\nline two"
    )


def test_long_lines_fold_without_splitting_a_character():
    line = "SUMMARY:" + "اجتماع مجلس القادمين الجدد " * 6
    folded = ical.fold(line)
    parts = folded.split("\r\n ")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert "".join(parts) == line


def test_public_meeting_downloads_as_an_event_in_utc(client, place):
    body = BodyFactory(place=place)
    starts = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
    meeting = MeetingFactory(
        body=body,
        place=place,
        title="Winter meeting, open to all",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        agenda="Housing; evening classes",
    )
    response = client.get(reverse("participation:meeting-ics", args=[place.slug, meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    unfolded = text.replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261203T183000Z" in text and "DTEND:20261203T203000Z" in text
    assert "SUMMARY:Winter meeting\\, open to all" in text
    assert "DESCRIPTION:Housing\\; evening classes" in text
    assert f"/participate/{place.slug}/meetings/{meeting.pk}/" in unfolded


def test_meeting_of_a_private_body_is_not_given_to_the_public(client, place):
    meeting = MeetingFactory(body=BodyFactory(place=place, is_public=False), place=place)
    url = reverse("participation:meeting-ics", args=[place.slug, meeting.pk])
    assert client.get(url).status_code == 404


def test_meeting_page_links_its_calendar_file(client, place):
    meeting = MeetingFactory(body=BodyFactory(place=place), place=place)
    html = client.get(reverse("participation:meeting", args=[place.slug, meeting.pk])).content
    assert reverse("participation:meeting-ics", args=[place.slug, meeting.pk]).encode() in html
