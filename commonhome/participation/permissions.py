"""Participation permission rules, registered with the one permission module.

These rules are about accounts (staff roles). What a participant without an account may do
is the verification ladder's business (``identity.check_action``), not a permission.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from commonhome.core.constants import Role
from commonhome.core.models import Place
from commonhome.core.permissions import is_staff_of, place_or_404, register, roles_in


@register("participation.view_public")
def _view_public(user: Any, place: Any) -> bool:
    return bool(place is not None and place.is_public) or is_staff_of(user, place)


@register("participation.staff_pages")
def _staff_pages(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.manage")
def _manage(user: Any, place: Any) -> bool:
    """Consultations, bodies, the verification ladder and catalogues: place administrators."""
    return Role.ADMIN in roles_in(user, place)


@register("participation.moderate")
def _moderate(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.answer")
def _answer(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.publish")
def _publish(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.results")
def _results(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.desk")
def _desk(user: Any, place: Any) -> bool:
    """Record a contribution for someone at a desk, or check that someone is a resident."""
    return is_staff_of(user, place)


@register("participation.export")
def _export(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("participation.view_body")
def _view_body(user: Any, body: Any) -> bool:
    return bool(body.is_public and body.place.is_public) or is_staff_of(user, body.place)


def public_place_or_404(request: HttpRequest, slug: str) -> Place:
    """The place ``slug`` if the requester may see its participation pages, else 404."""
    return place_or_404(request, slug, "participation.view_public")
