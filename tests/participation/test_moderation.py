"""Moderation: hide and restore with a reason, reports resolved, the author told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonhome.core import events
from commonhome.core.constants import Role
from commonhome.core.models import AuditEntry
from commonhome.participation import moderation
from commonhome.participation.constants import Visibility
from commonhome.participation.models import Comment, Report
from tests.factories import PlaceFactory, member
from tests.participation.factories import ContributionFactory, ParticipantFactory


@pytest.fixture
def moderator(place):
    return member(place, Role.MODERATOR)


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation, report_count=3)


@pytest.fixture
def moderated_events():
    seen: list = []

    def handler(**payload):
        seen.append(payload)

    events.subscribe("participation.moderated", handler)
    yield seen
    events._handlers["participation.moderated"].remove(handler)


def report(contribution, who, comment=None, reason=Report.Reason.OTHER):
    return Report.objects.create(
        place=contribution.place,
        contribution=contribution,
        comment=comment,
        reporter=who,
        reason=reason,
    )


def test_hiding_needs_a_reason(moderator, contribution):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as err:
            moderation.hide(moderator, contribution, reason)
        assert "reason" in err.value.message_dict
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.PUBLISHED
    with pytest.raises(ValidationError):
        moderation.restore(moderator, contribution, "")


def test_hiding_resolves_the_reports_and_tells_the_author(
    moderator, contribution, moderated_events, django_capture_on_commit_callbacks
):
    reports = [report(contribution, f"client-{n}") for n in range(3)]
    comment = Comment.objects.create(contribution=contribution, body="Fine comment")
    on_comment = report(contribution, "client-9", comment=comment)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = moderation.hide(moderator, contribution, "Names a neighbour.")
    assert hidden.visibility == Visibility.HIDDEN
    assert hidden.moderation_reason == "Names a neighbour."
    assert hidden.moderated_by == moderator and hidden.moderated_at is not None
    for r in reports:
        r.refresh_from_db()
        assert r.resolved_at is not None
    on_comment.refresh_from_db()
    assert on_comment.resolved_at is None  # the comment's own report still waits
    assert moderated_events == [{"target": hidden, "hidden": True, "reason": "Names a neighbour."}]
    entry = AuditEntry.objects.get(action="moderation.hide", object_id=str(contribution.pk))
    assert entry.before["visibility"] == "published" and entry.after["visibility"] == "hidden"


def test_restoring_shows_it_again_and_starts_counting_reports_afresh(
    moderator, contribution, moderated_events, django_capture_on_commit_callbacks
):
    contribution.visibility = Visibility.PENDING
    contribution.save()
    open_one = report(contribution, "client-1")
    with django_capture_on_commit_callbacks(execute=True):
        restored = moderation.restore(moderator, contribution, "Reports were unfounded.")
    assert restored.visibility == Visibility.PUBLISHED
    assert restored.report_count == 0
    open_one.refresh_from_db()
    assert open_one.resolved_at is not None
    assert moderated_events[0]["hidden"] is False
    assert moderated_events[0]["reason"] == "Reports were unfounded."


def test_comments_are_hidden_and_restored_the_same_way(moderator, contribution):
    comment = Comment.objects.create(contribution=contribution, body="Rude words")
    r = report(contribution, "client-1", comment=comment)
    hidden = moderation.hide(moderator, comment, "Insults another participant.")
    assert hidden.visibility == Visibility.HIDDEN
    r.refresh_from_db()
    assert r.resolved_at is not None
    assert moderation.restore(moderator, hidden, "On reflection, fine.").visibility == (
        Visibility.PUBLISHED
    )


def test_only_staff_of_the_place_moderate(place, contribution):
    for user in (member(place, Role.CONTRIBUTOR), member(PlaceFactory(), Role.ADMIN), None):
        with pytest.raises(PermissionDenied):
            moderation.hide(user, contribution, "Spam")
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.PUBLISHED


def test_what_its_author_erased_stays_erased(moderator, contribution):
    contribution.visibility = Visibility.ERASED
    contribution.save()
    with pytest.raises(ValidationError):
        moderation.restore(moderator, contribution, "Bring it back")
    contribution.refresh_from_db()
    assert contribution.visibility == Visibility.ERASED


# --- The moderation queue -------------------------------------------------------------------


def test_the_queue_lists_waiting_hidden_and_reported_items_with_reasons(
    client, place, moderator, consultation
):
    waiting = ContributionFactory(
        consultation=consultation, visibility=Visibility.PENDING, report_count=3
    )
    report(waiting, "client-1", reason=Report.Reason.SPAM)
    hidden = ContributionFactory(consultation=consultation, visibility=Visibility.HIDDEN)
    quiet = ContributionFactory(consultation=consultation)
    comment = Comment.objects.create(
        contribution=quiet,
        body="<script>alert(1)</script>",
        visibility=Visibility.PENDING,
        participant=ParticipantFactory(place=place),
    )
    client.force_login(moderator)
    response = client.get(reverse("participation:staff-moderation", args=[place.slug]))
    assert response.status_code == 200
    assert set(response.context["items"]) == {waiting, hidden}
    assert response.context["comments"] == [comment]
    html = response.content.decode()
    assert "Spam or advertising" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_the_queue_hides_and_restores_with_a_reason(client, place, moderator, consultation):
    waiting = ContributionFactory(consultation=consultation, visibility=Visibility.PENDING)
    comment = Comment.objects.create(contribution=waiting, body="Hello")
    client.force_login(moderator)
    url = reverse("participation:staff-moderation", args=[place.slug])
    response = client.post(
        url, {"kind": "contribution", "pk": waiting.pk, "action": "restore", "reason": ""}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.visibility == Visibility.PENDING  # no reason, no decision
    client.post(
        url, {"kind": "contribution", "pk": waiting.pk, "action": "restore", "reason": "Fine"}
    )
    client.post(url, {"kind": "comment", "pk": comment.pk, "action": "hide", "reason": "Spam"})
    waiting.refresh_from_db()
    comment.refresh_from_db()
    assert waiting.visibility == Visibility.PUBLISHED
    assert (comment.visibility, comment.moderation_reason) == (Visibility.HIDDEN, "Spam")


def test_the_queue_cannot_reach_another_places_items(client, place, moderator):
    theirs = ContributionFactory(consultation__place=PlaceFactory())
    client.force_login(moderator)
    response = client.post(
        reverse("participation:staff-moderation", args=[place.slug]),
        {"kind": "contribution", "pk": theirs.pk, "action": "hide", "reason": "Spam"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.visibility == Visibility.PUBLISHED
