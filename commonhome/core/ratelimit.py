"""A small rate limiter for anonymous submissions, kept in the shared cache.

Clients are told apart by a keyed hash of their address, so the cache never holds an address
in the clear. Counting uses fixed windows: cheap, shared by every worker through the cache, and
precise enough to stop a flood of suggestions.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_key(request: HttpRequest) -> str:
    """A stable, non-reversible key for the client that sent ``request``.

    The address is the one the WSGI server reports; deployments behind a proxy configure the
    server to report the client's address (e.g. gunicorn's ``forwarded_allow_ips``).
    """
    address = request.META.get("REMOTE_ADDR") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int


def hit(scope: str, key: str, limit: int, window: int = 3600) -> Verdict:
    """Count one attempt of ``key`` in ``scope``; allowed while at most ``limit`` per window."""
    now = int(time.time())
    bucket = now // window
    cache_key = f"ratelimit:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 60):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # Expired between add and incr: this attempt opens a new window.
            cache.set(cache_key, 1, timeout=window + 60)
            count = 1
    retry_after = (bucket + 1) * window - now
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)
