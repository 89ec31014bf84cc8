"""A fixed-window rate limit per client, in the cache: ``allow(scope, who, limit=, window=)``.

Used where people without an account may post (the public request form). The client is identified
by whatever the caller passes (``kompetence.audit.client_ip(request)``); only a digest of it is used
as the cache key, so no address is stored in Redis.

Fail-soft: with the cache down (``kompetence.cache`` answers as an empty cache) every call is
allowed. Refusing everyone while Redis is away would turn an outage into a closed front door; the
other protections (CSRF, the honeypot, the duplicate check in the service) still hold.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def _key(scope: str, who: str) -> str:
    digest = hashlib.sha256(f"{scope}:{who}".encode()).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def allow(scope: str, who: str | None, *, limit: int, window: int) -> bool:
    """Count one attempt by ``who`` in ``scope``; False once more than ``limit`` fell in ``window`` seconds."""
    key = _key(scope, who or "unknown")
    try:
        if cache.add(key, 1, timeout=window):
            return True
        count = cache.incr(key)
    except ValueError:
        # The window ran out between add() and incr(), or the cache is unavailable: a fresh start.
        return True
    return count <= limit
