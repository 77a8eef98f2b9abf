"""Supports, follows, threaded comments and reports."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from commonhome.core.models import AuditEntry
from commonhome.participation import identity, services
from commonhome.participation.constants import Level, Phase, Visibility
from commonhome.participation.models import Comment, Contribution, Follow, Report, Support
from tests.factories import member
from tests.participation.factories import (
    ContributionFactory,
    ParticipantFactory,
    VerifiedParticipantFactory,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contribution(consultation):
    return ContributionFactory(consultation=consultation)


def url(name, contribution):
    return reverse(f"participation:{name}", args=[contribution.place.slug, contribution.pk])


def count_of(contribution, field):
    return getattr(Contribution.objects.get(pk=contribution.pk), field)


# --- Supports ------------------------------------------------------------------------------


def test_support_is_counted_once_however_often_it_is_given(contribution):
    person = ParticipantFactory(place=contribution.place)
    assert services.support(person, contribution) is True
    assert services.support(person, contribution) is False
    assert Support.objects.filter(contribution=contribution).count() == 1
    assert count_of(contribution, "support_count") == 1
    assert AuditEntry.objects.filter(action="participation.support").count() == 1


def test_supports_of_different_people_add_up_and_can_be_taken_back(contribution):
    people = [ParticipantFactory(place=contribution.place) for _ in range(3)]
    for person in people:
        services.support(person, contribution)
    assert count_of(contribution, "support_count") == 3
    assert services.unsupport(people[0], contribution) is True
    assert services.unsupport(people[0], contribution) is False
    assert count_of(contribution, "support_count") == 2


def test_double_click_on_support_never_errors_and_counts_once(client, contribution):
    first = client.post(url("support", contribution))
    second = client.post(url("support", contribution))
    assert first.status_code == second.status_code == 302
    assert count_of(contribution, "support_count") == 1
    page = client.get(url("contribution", contribution)).content.decode()
    assert "Supports: 1" in page and "Take my support back" in page
    client.post(url("support", contribution), {"undo": "1"})
    assert count_of(contribution, "support_count") == 0


def test_support_needing_an_e_mail_code_explains_and_links_to_sign_in(client, contribution):
    settings = identity.settings_for(contribution.place)
    settings.support_level = Level.EMAIL
    settings.save()
    response = client.post(url("support", contribution))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Sign in with an e-mail code to support" in page
    assert reverse("participation:sign-in", args=[contribution.place.slug]) in page
    assert count_of(contribution, "support_count") == 0


def test_verified_participant_supports_when_e_mail_is_required(contribution):
    settings = identity.settings_for(contribution.place)
    settings.support_level = Level.EMAIL
    services.support(VerifiedParticipantFactory(place=contribution.place), contribution)
    assert count_of(contribution, "support_count") == 1


def test_supports_close_with_the_phase(contribution):
    contribution.consultation.phase = Phase.ANSWERED
    with pytest.raises(identity.ActionRefused, match="Supporting is closed"):
        services.support(ParticipantFactory(place=contribution.place), contribution)


def test_hidden_contribution_cannot_be_supported(contribution):
    contribution.visibility = Visibility.PENDING
    with pytest.raises(identity.ActionRefused):
        services.support(ParticipantFactory(place=contribution.place), contribution)


# --- Follows -------------------------------------------------------------------------------


def test_follow_needs_only_a_session_and_says_e_mail_needs_a_code(client, contribution):
    contribution.consultation.phase = Phase.CLOSED
    contribution.consultation.save()
    response = client.post(url("follow", contribution), follow=True)
    assert Follow.objects.filter(contribution=contribution).count() == 1
    assert "To be told by e-mail, sign in with an e-mail code" in response.content.decode()
    client.post(url("follow", contribution))
    assert Follow.objects.filter(contribution=contribution).count() == 1
    client.post(url("follow", contribution), {"undo": "1"})
    assert not Follow.objects.exists()


# --- Comments ------------------------------------------------------------------------------


def test_comments_thread_and_are_counted(contribution):
    person = VerifiedParticipantFactory(place=contribution.place, display_name="Amal")
    top = services.add_comment(person, contribution, "Me too, the evenings suit me.", "en")
    reply = services.add_comment(person, contribution, "The library would work.", "en", parent=top)
    deeper = services.add_comment(person, contribution, "On Thursdays?", "en", parent=reply)
    assert deeper.parent == reply and reply.parent == top
    assert top.author_name == "Amal"
    assert count_of(contribution, "comment_count") == 3


def test_reply_must_belong_to_the_same_contribution(consultation, contribution):
    person = VerifiedParticipantFactory(place=contribution.place)
    elsewhere = services.add_comment(
        person, ContributionFactory(consultation=consultation), "Elsewhere", "en"
    )
    with pytest.raises(ValidationError) as error:
        services.add_comment(person, contribution, "A reply", "en", parent=elsewhere)
    assert "parent" in error.value.message_dict
    assert count_of(contribution, "comment_count") == 0


def test_empty_comment_names_the_field(contribution):
    with pytest.raises(ValidationError) as error:
        services.add_comment(
            VerifiedParticipantFactory(place=contribution.place), contribution, " ", "en"
        )
    assert "body" in error.value.message_dict


def test_official_comment_needs_staff_and_is_marked(contribution):
    from django.core.exceptions import PermissionDenied

    staff = member(contribution.place, "moderator")
    official = services.add_comment(
        None, contribution, "We are looking into it.", "en", official_by=staff
    )
    assert official.official
    with pytest.raises(PermissionDenied):
        services.add_comment(
            None, contribution, "Fake", "en", official_by=member(contribution.place, "contributor")
        )


def test_comment_page_flow_with_replies(client, contribution):
    settings = identity.settings_for(contribution.place)
    settings.comment_level = Level.NONE
    settings.save()
    response = client.post(
        url("comment", contribution), {"body": "First thoughts", "language": "en"}
    )
    assert response.status_code == 302
    top = Comment.objects.get()
    client.post(
        url("comment", contribution),
        {"body": "A reply to that", "language": "en", "parent": str(top.pk)},
    )
    reply = Comment.objects.exclude(pk=top.pk).get()
    assert reply.parent == top
    page = client.get(url("contribution", contribution)).content.decode()
    assert page.index("First thoughts") < page.index("A reply to that")
    assert "Comments: 2" in page


def test_comment_needing_sign_in_keeps_the_text(client, contribution):
    response = client.post(
        url("comment", contribution), {"body": "My careful words", "language": "en"}
    )
    assert response.status_code == 403
    assert "Sign in with an e-mail code to comment" in response.content.decode()
    page = client.get(url("contribution", contribution)).content.decode()
    assert "My careful words" in page
    assert not Comment.objects.exists()


def test_invalid_comment_shows_the_error_on_the_page(client, contribution):
    settings = identity.settings_for(contribution.place)
    settings.comment_level = Level.NONE
    settings.save()
    response = client.post(url("comment", contribution), {"body": "", "language": "en"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


# --- Reports -------------------------------------------------------------------------------


def test_reports_are_one_per_reporter(contribution):
    assert services.report("a", contribution, reason="spam") is True
    assert services.report("a", contribution, reason="offensive") is False
    assert Report.objects.count() == 1
    assert count_of(contribution, "report_count") == 1


def test_reaching_the_threshold_hides_until_a_moderator_looks(contribution):
    settings = identity.settings_for(contribution.place)
    settings.reports_to_hide = 2
    services.report("a", contribution, reason="spam")
    assert Contribution.objects.get(pk=contribution.pk).visibility == Visibility.PUBLISHED
    services.report("b", contribution, reason="offensive", details="Insults a group")
    assert Contribution.objects.get(pk=contribution.pk).visibility == Visibility.PENDING


def test_comment_reports_hide_only_the_comment(contribution):
    settings = identity.settings_for(contribution.place)
    settings.reports_to_hide = 1
    person = VerifiedParticipantFactory(place=contribution.place)
    comment = services.add_comment(person, contribution, "Buy cheap watches", "en")
    services.report("a", contribution, comment, reason="spam")
    assert Comment.objects.get(pk=comment.pk).visibility == Visibility.PENDING
    assert Contribution.objects.get(pk=contribution.pk).visibility == Visibility.PUBLISHED


def test_report_reason_is_checked(contribution):
    with pytest.raises(ValidationError) as error:
        services.report("a", contribution, reason="boring")
    assert "reason" in error.value.message_dict


def test_report_pages_dedupe_per_client_and_hide_at_the_threshold(client, contribution):
    from django.test import Client

    settings = identity.settings_for(contribution.place)
    settings.reports_to_hide = 2
    settings.save()
    page = client.get(url("report", contribution))
    assert page.status_code == 200 and "Spam or advertising" in page.content.decode()
    for _ in range(2):
        client.post(url("report", contribution), {"reason": "spam"}, REMOTE_ADDR="10.0.0.1")
    assert count_of(contribution, "report_count") == 1
    done = Client().post(url("report", contribution), {"reason": "spam"}, REMOTE_ADDR="10.0.0.2")
    assert done.status_code == 302
    assert Contribution.objects.get(pk=contribution.pk).visibility == Visibility.PENDING
    assert client.get(url("contribution", contribution)).status_code == 404


def test_report_page_for_a_comment(client, contribution):
    person = VerifiedParticipantFactory(place=contribution.place)
    comment = services.add_comment(person, contribution, "Something rude", "en")
    page = client.get(url("report", contribution) + f"?comment={comment.pk}")
    assert "Report a comment" in page.content.decode()
    client.post(url("report", contribution), {"reason": "offensive", "comment": str(comment.pk)})
    assert Report.objects.get().comment == comment
