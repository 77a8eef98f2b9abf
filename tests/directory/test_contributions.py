"""Anyone can suggest an edit or report outdated information, without an account."""

from __future__ import annotations

import pytest
from django import forms
from django.core.cache import cache
from django.urls import reverse

from commonhome.core import ratelimit
from commonhome.core.models import AuditEntry
from commonhome.directory.constants import ChangeKind
from commonhome.directory.forms import SuggestionForm
from commonhome.directory.models import ChangeRequest
from commonhome.directory.services import update_record
from tests.factories import (
    ROLES,
    OrganizationFactory,
    PlaceFactory,
    ServiceFactory,
    member,
    user_for_role,
)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _raw(value):
    return "" if value is None else str(value)


def form_data(record, **changes):
    """What a browser sends for the suggestion form opened now, with ``changes`` typed in."""
    form = SuggestionForm(record=record)
    data = {"base_version": str(record.version), "message": "", "reply_email": "", "homepage": ""}
    for name in form.record_field_names:
        value = form.initial[name]
        data[f"initial-{name}"] = _raw(value)
        new = changes.pop(name, value)
        if isinstance(form.fields[name], forms.BooleanField):
            if new:
                data[name] = "on"
        else:
            data[name] = _raw(new)
    data.update(changes)
    return data


def suggest_url(service):
    return reverse("directory:suggest", args=[service.place.slug, service.pk])


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_open_the_suggestion_form_with_current_values(
    client, place, organization, service, role
):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    response = client.get(suggest_url(service))
    assert response.status_code == 200
    assert f'value="{service.name}"' in response.content.decode()
    assert f'name="base_version" value="{service.version}"' in response.content.decode()


def test_suggestion_stores_only_the_changed_fields_and_the_base_version(client, service):
    response = client.post(
        suggest_url(service),
        form_data(service, name="Legal advice clinic", message="New name since May"),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:suggest-thanks", args=["coventry"])
    change = ChangeRequest.objects.get()
    assert change.service == service
    assert change.kind == ChangeKind.EDIT
    assert change.proposed == {"name": "Legal advice clinic"}
    assert change.base_values == {"name": service.name}
    assert change.base_version == service.version
    assert change.message == "New name since May"
    assert change.email == ""
    assert AuditEntry.objects.filter(action="suggest", object_id=str(change.pk)).exists()
    service.refresh_from_db()
    assert service.name != "Legal advice clinic", "a suggestion never changes the record itself"


def test_email_is_kept_only_when_the_suggester_gives_one(client, service):
    client.post(
        suggest_url(service), form_data(service, message="Closed now", reply_email="a@b.org")
    )
    change = ChangeRequest.objects.get()
    assert change.email == "a@b.org"
    assert change.kind == ChangeKind.OUTDATED
    assert change.proposed == {}


def test_the_form_says_why_the_email_is_asked(client, service):
    page = client.get(suggest_url(service)).content.decode()
    assert "Only if you want to hear what we decide" in page


def test_an_empty_report_is_refused_with_an_error_on_the_message(client, service):
    response = client.post(suggest_url(service), form_data(service))
    assert response.status_code == 200
    assert "say what is wrong or out of date" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def test_invalid_value_names_the_field_and_stores_nothing(client, service):
    response = client.post(suggest_url(service), form_data(service, url="not a web address"))
    assert response.status_code == 200
    assert "Enter a valid URL" in response.content.decode()
    assert response.context["form"].errors.keys() == {"url"}
    assert not ChangeRequest.objects.exists()


def test_honeypot_filled_answers_like_success_but_stores_nothing(client, service):
    response = client.post(
        suggest_url(service), form_data(service, message="Buy now", homepage="http://spam.test")
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/suggest/thanks/")
    assert not ChangeRequest.objects.exists()
    assert not AuditEntry.objects.exists()


def test_honeypot_is_hidden_from_people(client, service):
    page = client.get(suggest_url(service)).content.decode()
    hidden_block = page.split("<div hidden>", 1)[1].split("</div>", 1)[0]
    assert 'name="homepage"' in hidden_block


def test_too_many_suggestions_from_one_client_get_a_clear_429_page(client, service, settings):
    settings.SUGGESTION_RATE_PER_HOUR = 2
    for n in range(2):
        response = client.post(suggest_url(service), form_data(service, message=f"note {n}"))
        assert response.status_code == 302
    response = client.post(suggest_url(service), form_data(service, message="one more"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many suggestions" in response.content.decode()
    assert ChangeRequest.objects.count() == 2


def test_rate_limit_counts_each_client_separately(client, service, settings):
    settings.SUGGESTION_RATE_PER_HOUR = 1
    assert client.post(suggest_url(service), form_data(service, message="a")).status_code == 302
    other = client.post(
        suggest_url(service), form_data(service, message="b"), REMOTE_ADDR="203.0.113.9"
    )
    assert other.status_code == 302
    assert client.post(suggest_url(service), form_data(service, message="c")).status_code == 429


def test_rate_limit_key_does_not_contain_the_address(rf):
    request = rf.get("/", REMOTE_ADDR="198.51.100.23")
    key = ratelimit.client_key(request)
    assert "198.51.100.23" not in key
    assert key == ratelimit.client_key(rf.get("/", REMOTE_ADDR="198.51.100.23"))
    assert key != ratelimit.client_key(rf.get("/", REMOTE_ADDR="198.51.100.24"))


def test_values_the_suggester_saw_are_kept_when_the_record_changed_meanwhile(
    client, place, service
):
    data = form_data(service, description="Now also on Saturdays")
    seen_description = service.description
    update_record(
        member(place, "admin"), service, {"description": "Changed by staff"}, base_version=1
    )
    client.post(suggest_url(service), data)
    change = ChangeRequest.objects.get()
    assert change.base_version == 1
    assert change.base_values == {"description": seen_description}
    assert change.proposed == {"description": "Now also on Saturdays"}


def test_organisation_suggestion_is_stored_for_the_organisation(client, organization):
    url = reverse("directory:suggest-organisation", args=["coventry", organization.pk])
    response = client.post(url, form_data(organization, website="https://example.org/new"))
    assert response.status_code == 302
    change = ChangeRequest.objects.get()
    assert change.organization == organization and change.service is None
    assert change.proposed == {"website": "https://example.org/new"}


def test_service_of_another_place_is_not_found_under_this_place(client, place):
    elsewhere = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))
    url = reverse("directory:suggest", args=[place.slug, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_thank_you_page_explains_what_happens_next(client, place):
    response = client.get(reverse("directory:suggest-thanks", args=[place.slug]))
    assert response.status_code == 200
    assert "A moderator will check it" in response.content.decode()
