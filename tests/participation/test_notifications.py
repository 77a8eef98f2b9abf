"""Notifications: who hears about what, once each, and who gets an e-mail in which language."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from commonhome.core import events
from commonhome.core.constants import Role
from commonhome.participation.constants import AnswerState, NotificationKind, Visibility
from commonhome.participation.models import Answer, Comment, Follow, Notification
from tests.factories import member
from tests.participation.factories import (
    ContributionFactory,
    MilestoneFactory,
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
def author(place):
    return VerifiedParticipantFactory(place=place, language="en")


@pytest.fixture
def contribution(consultation, author):
    return ContributionFactory(
        consultation=consultation, participant=author, title="Evening classes"
    )


@pytest.fixture
def follower(place, contribution):
    person = ParticipantFactory(place=place)  # no e-mail: listed only
    Follow.objects.create(contribution=contribution, participant=person)
    return person


def emit(django_capture_on_commit_callbacks, name, **payload):
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(name, **payload)


def kinds_for(person):
    return list(Notification.objects.filter(participant=person).values_list("kind", flat=True))


def publish(contribution):
    return Answer.objects.create(
        contribution=contribution,
        state=AnswerState.ACCEPTED,
        state_group=AnswerState.ACCEPTED,
        text="Yes.",
        published_at=timezone.now(),
    )


def test_answer_published_tells_author_and_followers_and_emails_the_verified(
    django_capture_on_commit_callbacks, contribution, author, follower, settings
):
    settings.SITE_URL = "https://city.example"
    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    assert kinds_for(author) == [NotificationKind.ANSWER_PUBLISHED]
    assert kinds_for(follower) == [NotificationKind.ANSWER_PUBLISHED]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [author.email]
    link = "https://city.example" + reverse(
        "participation:contribution", args=[contribution.place.slug, contribution.pk]
    )
    assert link in message.body
    assert "Evening classes" in message.body
    assert Notification.objects.get(participant=author).emailed_at is not None
    assert Notification.objects.get(participant=follower).emailed_at is None


def test_author_who_also_follows_hears_once(
    django_capture_on_commit_callbacks, contribution, author
):
    Follow.objects.create(contribution=contribution, participant=author)
    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    assert kinds_for(author) == [NotificationKind.ANSWER_PUBLISHED]
    assert len(mail.outbox) == 1


def test_no_email_without_opt_in_or_verification(
    django_capture_on_commit_callbacks, place, contribution, author
):
    author.notify_by_email = False
    author.save()
    unverified = ParticipantFactory(place=place, email="unverified@example.org")
    Follow.objects.create(contribution=contribution, participant=unverified)
    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    assert Notification.objects.count() == 2
    assert mail.outbox == []


def test_email_is_in_the_participants_language(
    django_capture_on_commit_callbacks, contribution, author
):
    author.language = "fr"
    author.save()
    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    body = mail.outbox[0].body
    assert body.startswith("Bonjour")  # the greeting's catalogue translation
    assert "/fr/participate/" in body  # links open the site in French


def test_result_linked_tells_the_people_of_the_newly_linked_contributions(
    django_capture_on_commit_callbacks, place, consultation, contribution, author, follower
):
    other_author = VerifiedParticipantFactory(place=place)
    other = ContributionFactory(consultation=consultation, participant=other_author)
    not_linked = ContributionFactory(consultation=consultation)
    result = ResultFactory(place=place)
    emit(
        django_capture_on_commit_callbacks,
        "participation.result_linked",
        result=result,
        contributions=[contribution, other],
    )
    for person in (author, follower, other_author):
        assert kinds_for(person) == [NotificationKind.JOINED_RESULT]
    assert kinds_for(not_linked.participant) == []
    assert Notification.objects.get(participant=author).result == result
    assert len(mail.outbox) == 2


def test_one_notification_per_person_even_with_two_contributions_in_one_event(
    django_capture_on_commit_callbacks, place, consultation, author, contribution
):
    second = ContributionFactory(consultation=consultation, participant=author)
    result = ResultFactory(place=place)
    emit(
        django_capture_on_commit_callbacks,
        "participation.result_linked",
        result=result,
        contributions=[contribution, second],
    )
    assert kinds_for(author) == [NotificationKind.JOINED_RESULT]


def test_progress_and_milestones_reach_everyone_linked(
    django_capture_on_commit_callbacks, place, contribution, author, follower
):
    result = ResultFactory(place=place)
    result.contributions.add(contribution)
    emit(
        django_capture_on_commit_callbacks,
        "participation.result_progress",
        result=result,
        before=10.0,
        after=50.0,
    )
    emit(
        django_capture_on_commit_callbacks,
        "participation.milestone_added",
        milestone=MilestoneFactory(result=result, title="Opened"),
    )
    assert sorted(kinds_for(follower)) == sorted(
        [NotificationKind.RESULT_PROGRESS, NotificationKind.MILESTONE]
    )
    assert len(kinds_for(author)) == 2
    assert any("from 10 to 50 out of 100" in m.body for m in mail.outbox)
    assert any("Opened" in m.body for m in mail.outbox)


def test_unpublished_result_tells_nobody(
    django_capture_on_commit_callbacks, place, contribution, author
):
    result = ResultFactory(place=place, is_published=False)
    result.contributions.add(contribution)
    emit(
        django_capture_on_commit_callbacks,
        "participation.result_linked",
        result=result,
        contributions=[contribution],
    )
    emit(
        django_capture_on_commit_callbacks,
        "participation.result_progress",
        result=result,
        before=0.0,
        after=20.0,
    )
    assert Notification.objects.count() == 0


def test_moderation_tells_only_the_author_with_the_reason(
    django_capture_on_commit_callbacks, contribution, author, follower
):
    emit(
        django_capture_on_commit_callbacks,
        "participation.moderated",
        target=contribution,
        hidden=True,
        reason="Contains a phone number",
    )
    assert kinds_for(author) == [NotificationKind.MODERATED]
    assert kinds_for(follower) == []
    assert Notification.objects.get(participant=author).data["reason"] == "Contains a phone number"
    assert "Contains a phone number" in mail.outbox[0].body


def test_comment_tells_author_and_followers_but_not_the_commenter(
    django_capture_on_commit_callbacks, contribution, author, follower
):
    comment = Comment.objects.create(contribution=contribution, participant=follower, body="Me too")
    emit(django_capture_on_commit_callbacks, "participation.comment_added", comment=comment)
    assert kinds_for(author) == [NotificationKind.COMMENT]
    assert kinds_for(follower) == []


def test_hidden_comment_tells_nobody(django_capture_on_commit_callbacks, contribution, author):
    comment = Comment.objects.create(
        contribution=contribution, body="spam", visibility=Visibility.PENDING
    )
    emit(django_capture_on_commit_callbacks, "participation.comment_added", comment=comment)
    assert Notification.objects.count() == 0


def test_notifications_are_listed_and_marked_read_on_the_me_page(
    client, django_capture_on_commit_callbacks, place, contribution, follower
):
    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    session = client.session
    session[f"participation:{place.pk}"] = str(follower.pk)
    session.save()
    html = client.get(reverse("participation:me", args=[place.slug])).content.decode()
    assert str(NotificationKind.ANSWER_PUBLISHED.label) in html
    assert contribution.title in html
    assert Notification.objects.get(participant=follower).read_at is not None


def test_an_email_is_sent_once(django_capture_on_commit_callbacks, contribution, author):
    from commonhome.participation.tasks import send_notification_email

    emit(
        django_capture_on_commit_callbacks,
        "participation.answer_published",
        answer=publish(contribution),
    )
    notification = Notification.objects.get(participant=author)
    send_notification_email.enqueue(notification.pk)
    assert len(mail.outbox) == 1


def test_the_staff_workflow_reaches_the_author_end_to_end(
    django_capture_on_commit_callbacks, place, contribution, author, follower
):
    """Through the real services: publish an answer, link to a result, add a milestone."""
    from commonhome.participation import answers, results

    staff = member(place, Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        draft = answers.answer(staff, contribution, state=AnswerState.ACCEPTED, text="Yes.")
        answers.publish(staff, [draft])
    with django_capture_on_commit_callbacks(execute=True):
        result = results.create_result(staff, place, title="Evening classes at the library")
        results.link_contributions(staff, result, [contribution])
    with django_capture_on_commit_callbacks(execute=True):
        results.add_milestone(staff, result, date=timezone.localdate(), title="First class")
    assert sorted(kinds_for(author)) == sorted(
        [
            NotificationKind.ANSWER_PUBLISHED,
            NotificationKind.JOINED_RESULT,
            NotificationKind.MILESTONE,
        ]
    )
    assert len(kinds_for(follower)) == 3
    assert len(mail.outbox) == 3
