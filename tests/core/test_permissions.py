"""The one permission module: roles per place, organisation editors, tenancy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commonhome.core.permissions import can, is_staff_of, require, roles_in
from tests.factories import (
    ROLES,
    OrganizationFactory,
    PlaceFactory,
    ServiceFactory,
    UserFactory,
    member,
    user_for_role,
)

EDIT = {"anonymous", "contributor", "other_place_admin"}


def test_an_unknown_action_is_a_programming_error(place):
    with pytest.raises(KeyError):
        can(None, "directory.fly", place)


@pytest.mark.parametrize("role", ROLES)
def test_role_decides_every_directory_action(place, organization, service, role):
    user = user_for_role(role, place, organization)
    staff = role in {"moderator", "admin"}
    assert can(user, "directory.suggest", service)
    assert can(user, "directory.view_public", place)
    assert can(user, "directory.edit", service) == (staff or role == "org_editor")
    assert can(user, "directory.edit", organization) == (staff or role == "org_editor")
    assert can(user, "directory.review", place) == staff
    assert can(user, "directory.staff_pages", place) == staff
    assert can(user, "audit.revert", place) == staff
    assert can(user, "place.manage", place) == (role == "admin")


def test_roles_do_not_leak_across_places(place):
    admin = member(place, "admin")
    other = PlaceFactory()
    assert roles_in(admin, place) == {"admin"}
    assert roles_in(admin, other) == set()
    assert not is_staff_of(admin, other)
    assert not can(
        admin, "directory.edit", ServiceFactory(organization=OrganizationFactory(place=other))
    )


def test_an_editor_edits_only_their_own_organisation(place):
    mine, theirs = OrganizationFactory(place=place), OrganizationFactory(place=place)
    editor = UserFactory()
    mine.editors.add(editor)
    assert can(editor, "directory.edit", ServiceFactory(organization=mine))
    assert not can(editor, "directory.edit", ServiceFactory(organization=theirs))
    assert not can(editor, "directory.review", place)


def test_a_superuser_may_review_everywhere_until_deactivated(client, place):
    root = UserFactory(is_superuser=True)
    assert can(root, "directory.review", place)
    client.force_login(root)
    url = reverse("directory:staff-review", args=[place.slug])
    assert client.get(url).status_code == 200
    root.is_active = False
    root.save()
    assert client.get(url).status_code == 302, "a deactivated account is signed out"


def test_a_private_place_is_hidden_from_the_public_but_not_from_its_staff(place):
    place.is_public = False
    assert not can(None, "directory.view_public", place)
    assert can(member(place, "moderator"), "directory.view_public", place)


def test_require_raises_permission_denied(place):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        require(member(place, "contributor"), "directory.review", place)
