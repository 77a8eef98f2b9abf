"""Moderators review suggestions: accept, amend or reject, with every decision audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonhome.core.models import AuditEntry
from commonhome.directory import changes
from commonhome.directory.constants import ChangeStatus
from commonhome.directory.models import ChangeRequest
from commonhome.directory.services import StaleVersion, update_record
from tests.factories import ROLES, ServiceFactory, member, user_for_role


def suggest(service, proposed=None, *, email="", message="", language="en"):
    proposed = proposed or {}
    return changes.submit_change_request(
        None,
        service,
        proposed=proposed,
        base_values={name: getattr(service, name) for name in proposed},
        base_version=service.version,
        message=message,
        email=email,
        language=language,
    )


@pytest.fixture
def moderator(place):
    return member(place, "moderator")


def test_accept_applies_the_proposal_audits_and_tells_the_suggester(
    service, moderator, django_capture_on_commit_callbacks
):
    change = suggest(service, {"name": "Legal advice clinic"}, email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        changes.accept(moderator, change)
    service.refresh_from_db()
    change.refresh_from_db()
    assert service.name == "Legal advice clinic"
    assert service.version == 2
    assert change.status == ChangeStatus.ACCEPTED
    assert change.decided_by == moderator
    assert change.applied == {"name": "Legal advice clinic"}
    assert AuditEntry.objects.filter(action="accept_suggestion", actor=moderator).exists()
    assert AuditEntry.objects.filter(action="suggestion_accepted", object_id=str(change.pk))
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "made the change" in mail.outbox[0].body
    assert change.email == "", "the address is deleted once the outcome is sent"


def test_accept_is_refused_when_a_proposed_field_changed_since(service, place, moderator):
    change = suggest(service, {"name": "From the suggester"})
    update_record(member(place, "admin"), service, {"name": "From staff"}, base_version=1)
    with pytest.raises(changes.ChangedSince) as exc:
        changes.accept(moderator, change)
    assert exc.value.fields == ["name"]
    service.refresh_from_db()
    change.refresh_from_db()
    assert service.name == "From staff"
    assert change.status == ChangeStatus.PENDING


def test_accept_applies_when_only_other_fields_changed_since(service, place, moderator):
    change = suggest(service, {"name": "From the suggester"})
    update_record(member(place, "admin"), service, {"alert": "Closed in August"}, base_version=1)
    changes.accept(moderator, change)
    service.refresh_from_db()
    assert service.name == "From the suggester"
    assert service.alert == "Closed in August"


def test_suggestion_without_seen_values_counts_any_later_save_as_a_change(
    service, place, moderator
):
    change = ChangeRequest.objects.create(
        place=place, service=service, base_version=1, proposed={"name": "X"}
    )
    assert not any(fc.changed_since for fc in changes.field_changes(change))
    update_record(member(place, "admin"), service, {"alert": "Closed"}, base_version=1)
    service.refresh_from_db()
    change.refresh_from_db()
    assert all(fc.changed_since for fc in changes.field_changes(change))


def test_amend_applies_the_moderators_values(
    service, moderator, django_capture_on_commit_callbacks
):
    change = suggest(service, {"name": "Legal advise"}, email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        changes.amend(
            moderator, change, {"name": "Legal advice"}, base_version=1, reason="Fixed a typo"
        )
    service.refresh_from_db()
    change.refresh_from_db()
    assert service.name == "Legal advice"
    assert change.status == ChangeStatus.AMENDED
    assert change.applied == {"name": "Legal advice"}
    assert "Fixed a typo" in mail.outbox[0].body


def test_amend_against_a_stale_version_writes_nothing(service, place, moderator):
    change = suggest(service, {"name": "Legal advise"})
    update_record(member(place, "admin"), service, {"name": "Staff name"}, base_version=1)
    with pytest.raises(StaleVersion):
        changes.amend(moderator, change, {"name": "Legal advice"}, base_version=1)
    service.refresh_from_db()
    change.refresh_from_db()
    assert service.name == "Staff name"
    assert change.status == ChangeStatus.PENDING


def test_reject_needs_a_reason(service, moderator):
    change = suggest(service, {"name": "Nonsense"})
    with pytest.raises(ValidationError) as exc:
        changes.reject(moderator, change, "   ")
    assert "reason" in exc.value.message_dict
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_rejection_reason_reaches_the_suggester_in_their_language(
    service, moderator, django_capture_on_commit_callbacks
):
    change = suggest(service, {"name": "Nonsense"}, email="sam@example.org", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        changes.reject(moderator, change, "The service kept its name.")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert change.decision_reason == "The service kept its name."
    assert "did not make the change" in mail.outbox[0].body
    assert "The service kept its name." in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="suggestion_rejected").count() == 1


def test_no_email_is_sent_when_the_suggester_left_none(
    service, moderator, django_capture_on_commit_callbacks
):
    change = suggest(service, {"name": "New"})
    with django_capture_on_commit_callbacks(execute=True):
        changes.accept(moderator, change)
    assert mail.outbox == []


def test_a_decided_suggestion_cannot_be_decided_again(service, moderator):
    change = suggest(service, {"name": "New"})
    changes.reject(moderator, change, "No")
    with pytest.raises(changes.AlreadyDecided):
        changes.accept(moderator, change)
    service.refresh_from_db()
    assert service.name != "New"


@pytest.mark.parametrize("role", ["contributor", "org_editor", "other_place_admin"])
def test_people_who_are_not_moderators_cannot_decide(service, place, organization, role):
    change = suggest(service, {"name": "New"})
    with pytest.raises(PermissionDenied):
        changes.accept(user_for_role(role, place, organization), change)


# --- Pages --------------------------------------------------------------------------------

EXPECTED = {
    "anonymous": 302,
    "contributor": 403,
    "org_editor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["queue", "detail"])
def test_review_pages_are_for_moderators_only(client, place, organization, service, role, page):
    change = suggest(service, {"name": "New"})
    url = (
        reverse("directory:staff-review", args=[place.slug])
        if page == "queue"
        else reverse("directory:staff-review-detail", args=[place.slug, change.pk])
    )
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == EXPECTED[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("core:login"))


def test_review_page_renders_user_input_inert(client, service, moderator):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    change = suggest(service, {"description": payload}, message=payload)
    client.force_login(moderator)
    page = client.get(
        reverse("directory:staff-review-detail", args=["coventry", change.pk])
    ).content.decode()
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_review_page_shows_current_and_proposed_values_and_changes_since(
    client, service, place, moderator
):
    original = service.name
    change = suggest(service, {"name": "Suggested name"})
    staff = member(place, "admin", username="amira")
    update_record(staff, service, {"name": "Staff name"}, base_version=1)
    client.force_login(moderator)
    response = client.get(reverse("directory:staff-review-detail", args=["coventry", change.pk]))
    page = response.content.decode()
    assert response.context["drifted"] is True
    assert "Changed since the suggestion was made" in page
    assert "Staff name" in page and "Suggested name" in page and original in page
    assert "amira" in page
    assert 'value="accept"' not in page, "accepting as is is not offered once fields drifted"


def test_accepting_from_the_review_page_applies_and_returns_to_the_queue(
    client, service, moderator
):
    change = suggest(service, {"name": "Suggested name"})
    client.force_login(moderator)
    url = reverse("directory:staff-review-detail", args=["coventry", change.pk])
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:staff-review", args=["coventry"])
    service.refresh_from_db()
    assert service.name == "Suggested name"


def test_accept_of_a_drifted_suggestion_on_the_page_explains_and_writes_nothing(
    client, service, place, moderator
):
    change = suggest(service, {"name": "Suggested"})
    update_record(member(place, "admin"), service, {"name": "Staff"}, base_version=1)
    client.force_login(moderator)
    url = reverse("directory:staff-review-detail", args=["coventry", change.pk])
    response = client.post(url, {"decision": "accept"})
    assert response.status_code == 200
    assert "Nothing was applied" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Staff"


def test_amend_from_the_review_page_uses_the_moderators_values(client, service, moderator):
    change = suggest(service, {"name": "Legal advise"})
    client.force_login(moderator)
    url = reverse("directory:staff-review-detail", args=["coventry", change.pk])
    response = client.post(
        url, {"decision": "amend", "name": "Legal advice", "version": "1", "reason": ""}
    )
    assert response.status_code == 302
    service.refresh_from_db()
    change.refresh_from_db()
    assert service.name == "Legal advice"
    assert change.status == ChangeStatus.AMENDED


def test_reject_without_reason_on_the_page_shows_the_error(client, service, moderator):
    change = suggest(service, {"name": "New"})
    client.force_login(moderator)
    url = reverse("directory:staff-review-detail", args=["coventry", change.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200
    assert response.context["reject_form"].errors.keys() == {"reason"}
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_suggestion_of_another_place_is_not_found(client, service, moderator):
    other = ServiceFactory()
    change = suggest(other, {"name": "New"})
    client.force_login(moderator)
    url = reverse("directory:staff-review-detail", args=["coventry", change.pk])
    assert client.get(url).status_code == 404


REVIEW_QUEUE_QUERIES = 6


@pytest.mark.parametrize("pending", [1, 8])
def test_review_queue_query_count_is_pinned(
    client, organization, moderator, django_assert_num_queries, pending
):
    for _ in range(pending):
        suggest(ServiceFactory(organization=organization), {"name": "New"})
    org_change = changes.submit_change_request(
        None, organization, proposed={}, base_values={}, base_version=1, message="Moved"
    )
    changes.reject(moderator, org_change, "Not moved")
    client.force_login(moderator)
    url = reverse("directory:staff-review", args=["coventry"])
    with django_assert_num_queries(REVIEW_QUEUE_QUERIES):
        response = client.get(url)
    assert len(response.context["pending"]) == pending
    assert len(response.context["decided"]) == 1
