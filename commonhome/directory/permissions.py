"""The directory's permission rules, registered with the one permission module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonhome.core.models import Place
from commonhome.core.permissions import is_staff_of, place_or_404, register

from .models import Organization, Service


def _organization_of(obj: Any) -> Organization | None:
    if isinstance(obj, Organization):
        return obj
    if isinstance(obj, Service):
        return obj.organization
    return None


def is_editor_of(user: Any, obj: Any) -> bool:
    org = _organization_of(obj)
    if org is None or not getattr(user, "is_authenticated", False):
        return False
    return org.editors.filter(pk=user.pk).exists()


@register("directory.view_public")
def _view_public(user: Any, place: Any) -> bool:
    return bool(place is not None and place.is_public) or is_staff_of(user, place)


@register("directory.suggest")
def _suggest(user: Any, obj: Any) -> bool:
    # Anyone, without an account, may suggest an edit or report outdated information.
    return True


@register("directory.edit")
def _edit(user: Any, obj: Any) -> bool:
    """Place staff edit every record of their place; organisation editors their own."""
    return is_staff_of(user, obj.place) or is_editor_of(user, obj)


@register("directory.create")
def _create(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("directory.review")
def _review(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("directory.staff_pages")
def _staff_pages(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


def public_place_or_404(request: HttpRequest, slug: str) -> Place:
    """The place ``slug`` if the requester may see its public directory, else 404."""
    return place_or_404(request, slug, "directory.view_public")
