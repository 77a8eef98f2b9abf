"""Helpers of every staff export: cells that stay text, people who stay pseudonymous."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings

#: A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """A cell value a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def pseudonym(scope: str, prefix: str, record_id: Any) -> str:
    """A stable stand-in for a person in ``scope``, not reversible without the site's secret.

    The scope keeps one person's stand-ins in two exports from being joined together.
    """
    if not record_id:
        return ""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"{scope}:{record_id}".encode(), hashlib.sha256)
    return prefix + digest.hexdigest()[:12]
