"""Every permission decision of the platform, in one place.

Apps register rules for their actions in ``AppConfig.ready``; views, API and services only ever
call :func:`can` or :func:`require`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

from .constants import Role

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def register(action: str) -> Callable[[Rule], Rule]:
    def decorate(rule: Rule) -> Rule:
        _rules[action] = rule
        return rule

    return decorate


def actions() -> list[str]:
    return sorted(_rules)


def roles_in(user: Any, place: Any) -> set[str]:
    """The roles ``user`` holds in ``place`` (cached on the user object for the request)."""
    if user is None or not user.is_authenticated or place is None:
        return set()
    cache: dict[Any, set[str]] = user.__dict__.setdefault("_place_roles", {})
    key = place.pk
    if key not in cache:
        cache[key] = set(user.memberships.filter(place_id=key).values_list("role", flat=True))
    return cache[key]


def is_staff_of(user: Any, place: Any) -> bool:
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return bool(roles_in(user, place) & {Role.ADMIN, Role.MODERATOR})


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` (anonymous included) may do ``action`` on ``obj``."""
    rule = _rules.get(action)
    if rule is None:
        raise KeyError(f"no permission rule for action '{action}'")
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    return bool(rule(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(action)


def place_or_404(request: Any, slug: str, action: str) -> Any:
    """The place ``slug`` if the requester may do ``action`` on it, else 404.

    A place the requester may not see is indistinguishable from one that does not exist.
    """
    from django.http import Http404
    from django.shortcuts import get_object_or_404

    from .models import Place

    place = get_object_or_404(Place, slug=slug)
    if not can(request.user, action, place):
        raise Http404("No such place")
    return place


@register("place.manage")
def _manage_place(user: Any, place: Any) -> bool:
    return Role.ADMIN in roles_in(user, place)


@register("place.moderate")
def _moderate_place(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("audit.view")
def _view_audit(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)


@register("audit.revert")
def _revert(user: Any, place: Any) -> bool:
    return is_staff_of(user, place)
