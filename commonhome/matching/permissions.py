"""Matching permission rules, registered with the one permission module.

Coordinators are the place's administrators and moderators. People in a programme have no
account to check: what they may do is decided by their own profile, which their private link
(a token) identifies; the services take that profile, never a user.
"""

from __future__ import annotations

from typing import Any

from commonhome.core.permissions import is_staff_of, register


@register("matching.coordinate")
def _coordinate(user: Any, place: Any) -> bool:
    """Run matching, see pools and contacts, force or forbid pairs, end matches."""
    return is_staff_of(user, place)
