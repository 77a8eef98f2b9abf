"""Staff pages: home, direct edits with version checks, translation status, audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from commonhome.core import translation
from commonhome.core.constants import TranslationOrigin
from commonhome.core.models import AuditEntry
from commonhome.directory.models import Service
from commonhome.directory.services import update_record
from tests.factories import (
    ROLES,
    OrganizationFactory,
    PlaceFactory,
    ServiceFactory,
    UserFactory,
    member,
    user_for_role,
)


def login(client, role, place, organization):
    user = user_for_role(role, place, organization)
    if user is not None:
        client.force_login(user)
    return user


STAFF_ONLY = {
    "anonymous": 302,
    "contributor": 403,
    "org_editor": 403,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 403,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["staff-translations", "staff-freshness", "staff-audit"])
def test_place_staff_pages_are_for_staff_of_that_place(
    client, place, organization, service, role, name
):
    login(client, role, place, organization)
    response = client.get(reverse(f"directory:{name}", args=[place.slug]))
    assert response.status_code == STAFF_ONLY[role]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("core:login"))


EDITORS = {**STAFF_ONLY, "org_editor": 200}


@pytest.mark.parametrize("role", ROLES)
def test_edit_pages_are_for_place_staff_and_the_organisations_editors(
    client, place, organization, service, role
):
    login(client, role, place, organization)
    for url in (
        reverse("directory:staff-service-edit", args=[place.slug, service.pk]),
        reverse("directory:staff-organisation-edit", args=[place.slug, organization.pk]),
    ):
        assert client.get(url).status_code == EDITORS[role], url


def test_an_organisation_editor_cannot_edit_another_organisations_service(client, place):
    mine = OrganizationFactory(place=place)
    theirs = ServiceFactory(organization=OrganizationFactory(place=place))
    editor = user_for_role("org_editor", place, mine)
    client.force_login(editor)
    url = reverse("directory:staff-service-edit", args=[place.slug, theirs.pk])
    assert client.get(url).status_code == 403


HOME = {
    "anonymous": 302,
    "contributor": 403,
    "org_editor": 200,
    "moderator": 200,
    "admin": 200,
    "other_place_admin": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_staff_home_lists_the_places_the_person_looks_after(client, place, organization, role):
    login(client, role, place, organization)
    response = client.get(reverse("directory:staff-home"))
    assert response.status_code == HOME[role]
    if response.status_code == 200:
        places = [p for p, _pending in response.context["rows"]]
        assert (place in places) == (role in {"moderator", "admin"})
        orgs = response.context["organizations"]
        assert (organization in orgs) == (role == "org_editor")


# --- Direct edits -------------------------------------------------------------------------


def edit_data(service, **changes):
    data = {
        "version": str(service.version),
        "name": service.name,
        "description": service.description,
        "status": service.status,
        "is_free": "on" if service.is_free else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_staff_edit_saves_and_is_audited(client, place, service):
    admin = member(place, "admin")
    client.force_login(admin)
    url = reverse("directory:staff-service-edit", args=[place.slug, service.pk])
    response = client.post(url, edit_data(service, name="Legal advice"))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Legal advice"
    assert service.version == 2
    assert AuditEntry.objects.get(action="update").actor == admin


def test_stale_edit_is_refused_names_who_changed_what_and_keeps_input(client, place, service):
    first = member(place, "moderator", username="amira")
    second = member(place, "admin")
    client.force_login(second)
    url = reverse("directory:staff-service-edit", args=[place.slug, service.pk])
    opened = edit_data(service, description="My longer description")
    update_record(first, service, {"name": "Amira's name"}, base_version=1)

    response = client.post(url, opened)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "amira" in page and "name" in response.context["conflict"][0].changed_fields
    assert "My longer description" in page, "the person's input is kept"
    assert "Amira&#x27;s name" in page, "the current value is shown beside it"
    assert response.context["form"]["version"].value() == "2"
    service.refresh_from_db()
    assert service.name == "Amira's name"
    assert service.description != "My longer description"
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_minor_edit_keeps_translations_current(client, place, service):
    translation.save_translation(service, "ar", {"name": "استشارة"})
    client.force_login(member(place, "admin"))
    url = reverse("directory:staff-service-edit", args=[place.slug, service.pk])
    client.post(url, edit_data(service, description="Free advise", minor="on"))
    service.refresh_from_db()
    assert service.description == "Free advise"
    assert translation.status_of(service, "ar") == "human"
    client.post(url, edit_data(service, description="Free advice and help"))
    service.refresh_from_db()
    assert translation.status_of(service, "ar") == "outdated"


def test_mark_as_verified_today_button(client, place, organization, service):
    editor = user_for_role("org_editor", place, organization)
    client.force_login(editor)
    url = reverse("directory:staff-service-edit", args=[place.slug, service.pk])
    response = client.post(url, {"verify": "1"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified == timezone.localdate()
    assert AuditEntry.objects.filter(action="verify", actor=editor).exists()


def test_organisation_edit_page_saves_organisation_fields(client, place, organization):
    editor = user_for_role("org_editor", place, organization)
    client.force_login(editor)
    url = reverse("directory:staff-organisation-edit", args=[place.slug, organization.pk])
    response = client.post(
        url,
        {
            "version": "1",
            "name": organization.name,
            "description": organization.description,
            "kind": "diaspora",
            "website": "https://example.org",
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.kind == "diaspora"
    assert organization.website == "https://example.org"


# --- Translation status -------------------------------------------------------------------


def _services_in_every_status(organization):
    services = {
        status: ServiceFactory(organization=organization, name=f"S {status}")
        for status in ["missing", "outdated", "machine", "human", "reviewed"]
    }
    translation.save_translation(services["outdated"], "ar", {"name": "قديم"})
    Service.objects.filter(pk=services["outdated"].pk).update(content_version=2)
    translation.save_translation(
        services["machine"], "ar", {"name": "آلي"}, origin=TranslationOrigin.MACHINE
    )
    translation.save_translation(services["human"], "ar", {"name": "بشري"})
    reviewer = member(organization.place, "moderator")
    translation.save_translation(
        services["reviewed"], "ar", {"name": "مراجع"}, reviewed_by=reviewer
    )
    return services


def test_translation_overview_counts_each_status_per_language(client, place, organization):
    _services_in_every_status(organization)
    client.force_login(member(place, "admin"))
    response = client.get(reverse("directory:staff-translations", args=[place.slug]))
    rows = {row["language"]: row for row in response.context["table"]}
    assert list(rows) == place.content_languages
    ar_services = rows["ar"]["kinds"][0]
    assert ar_services["kind"] == "service"
    assert dict(ar_services["cells"]) == {
        "missing": 1,
        "outdated": 1,
        "machine": 1,
        "human": 1,
        "reviewed": 1,
    }
    assert rows["en"]["kinds"][0]["original"] == 5
    assert dict(rows["fa"]["kinds"][0]["cells"])["missing"] == 5
    assert dict(rows["ar"]["kinds"][1]["cells"])["missing"] == 1  # the one organisation


def test_translation_overview_lists_records_of_one_status_with_links(client, place, organization):
    services = _services_in_every_status(organization)
    client.force_login(member(place, "admin"))
    url = reverse("directory:staff-translations", args=[place.slug])
    response = client.get(url, {"language": "ar", "kind": "service", "status": "outdated"})
    assert response.context["listing"] == [services["outdated"]]
    edit = reverse("directory:staff-service-edit", args=[place.slug, services["outdated"].pk])
    assert edit in response.content.decode()


TRANSLATION_OVERVIEW_QUERIES = 8


@pytest.mark.parametrize("extra", [0, 10])
def test_translation_overview_query_count_is_pinned(
    client, place, organization, django_assert_num_queries, extra
):
    _services_in_every_status(organization)
    for n in range(extra):
        s = ServiceFactory(organization=organization)
        translation.save_translation(s, "uk", {"name": f"Послуга {n}"})
    client.force_login(member(place, "admin"))
    url = reverse("directory:staff-translations", args=[place.slug])
    with django_assert_num_queries(TRANSLATION_OVERVIEW_QUERIES):
        client.get(url)


# --- Audit log ----------------------------------------------------------------------------


def test_audit_log_reverts_a_change(client, place, service):
    admin = member(place, "admin")
    original = service.name
    update_record(admin, service, {"name": "Wrong name"}, base_version=1)
    entry = AuditEntry.objects.get(action="update")
    client.force_login(admin)
    url = reverse("directory:staff-audit", args=[place.slug])
    assert "Wrong name" in client.get(url).content.decode()
    response = client.post(url, {"entry": entry.pk}, follow=True)
    service.refresh_from_db()
    assert service.name == original
    assert "Reverted" in response.content.decode()
    assert AuditEntry.objects.filter(action="revert", reverts=entry).exists()


def test_refused_revert_shows_the_reason_and_changes_nothing(client, place, service):
    admin = member(place, "admin")
    update_record(admin, service, {"name": "First"}, base_version=1)
    first = AuditEntry.objects.get(action="update")
    update_record(admin, service, {"name": "Second"}, base_version=2)
    client.force_login(admin)
    url = reverse("directory:staff-audit", args=[place.slug])
    response = client.post(url, {"entry": first.pk}, follow=True)
    assert "Not reverted" in response.content.decode()
    assert "changed again since" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Second"


def test_audit_log_shows_only_this_places_entries(client, place, service):
    other = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))
    update_record(None, other, {"name": "Elsewhere edit"}, base_version=1, check_permission=False)
    client.force_login(member(place, "admin"))
    page = client.get(reverse("directory:staff-audit", args=[place.slug])).content.decode()
    assert "Elsewhere edit" not in page


def test_an_entry_of_another_place_cannot_be_reverted_from_this_place(client, place):
    other = ServiceFactory(organization=OrganizationFactory(place=PlaceFactory()))
    update_record(None, other, {"name": "Elsewhere"}, base_version=1, check_permission=False)
    entry = AuditEntry.objects.get(action="update")
    client.force_login(member(place, "admin"))
    response = client.post(reverse("directory:staff-audit", args=[place.slug]), {"entry": entry.pk})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.name == "Elsewhere"


def test_a_save_in_the_django_admin_is_audited_and_bumps_the_version(rf, service):
    from django.contrib import admin

    root = UserFactory(is_superuser=True, is_staff=True)
    request = rf.post("/")
    request.user = root
    model_admin = admin.site._registry[Service]
    form_class = model_admin.get_form(request, service, change=True, fields=["name", "status"])
    data = {"name": "Renamed by an operator", "status": service.status}
    form = form_class(data, instance=service)
    assert form.is_valid(), form.errors
    model_admin.save_model(request, form.save(commit=False), form, change=True)
    service.refresh_from_db()
    assert service.name == "Renamed by an operator"
    assert service.version == 2
    entry = AuditEntry.objects.get(action="admin_change")
    assert entry.actor == root
    assert entry.after["name"] == "Renamed by an operator"


@pytest.mark.parametrize(
    "model",
    ["directory/service", "directory/organization", "directory/changerequest", "core/auditentry"],
)
def test_admin_lists_open_for_operators(client, service, model):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/en/admin/{model}/")
    assert response.status_code == 200
