"""A Redis cache that fails soft: while Redis is down or hangs, it answers like an empty cache.

Django's ``RedisCache`` raises when Redis cannot be reached, and without a socket timeout it waits
forever on a Redis that accepts connections and never answers. Everything that uses the cache on
the request path (allauth's rate limits on login and password reset, cached pages) would then turn a
Redis outage into 500s or hung workers. This backend:

* is given connect and read timeouts in ``OPTIONS`` (settings: ``REDIS_TIMEOUT_SECONDS``);
* turns every Redis error into the answer of an empty cache (``get`` gives the default, ``add``
  succeeds, ``delete`` gives False, ``set`` does nothing), logging one warning;
* after an error, does not ask Redis again for ``DOWN_SECONDS`` (per process), so a page that reads
  the cache ten times waits for one timeout, not ten.

What degrades while Redis is away: allauth's cache-based rate limits let everything through. The
failed-login limits do not depend on it (django-axes and the audit log count in the database).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("kompetence.cache")

# How long a failure keeps this process from asking Redis again.
DOWN_SECONDS = 10.0

_lock = threading.Lock()
_down_until: dict[str, float] = {}


class CacheUnavailable(ValueError):
    """Raised by ``incr``/``decr`` while Redis is away: for callers it is a missing key."""


class FailSoftRedisCache(RedisCache):
    def _is_down(self) -> bool:
        until = _down_until.get(self._server_key)
        return until is not None and time.monotonic() < until

    @property
    def _server_key(self) -> str:
        return ",".join(self._servers)

    def _failed(self, exc: BaseException) -> None:
        with _lock:
            first = not self._is_down()
            _down_until[self._server_key] = time.monotonic() + DOWN_SECONDS
        if first:
            # The class name only: a Redis error message may repeat the URL, password included.
            logger.warning("Redis cache unavailable (%s); answering as an empty cache.", type(exc).__name__)

    def _call(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if self._is_down():
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (RedisError, OSError) as exc:
            self._failed(exc)
            return default

    def add(self, key, value, timeout=None, version=None) -> bool:
        # An empty cache accepts an add. Answering False would read as "somebody holds this key":
        # allauth takes its rate-limit lock with add() and refuses the request (429) when it cannot.
        return self._call(True, "add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, "get", key, default, version)

    def set(self, key, value, timeout=None, version=None) -> None:
        self._call(None, "set", key, value, timeout, version)

    def touch(self, key, timeout=None, version=None) -> bool:
        return self._call(False, "touch", key, timeout, version)

    def delete(self, key, version=None) -> bool:
        return self._call(False, "delete", key, version)

    def get_many(self, keys, version=None) -> dict:
        return self._call({}, "get_many", keys, version)

    def has_key(self, key, version=None) -> bool:
        return self._call(False, "has_key", key, version)

    def set_many(self, data, timeout=None, version=None) -> list:
        return self._call(list(data), "set_many", data, timeout, version)

    def delete_many(self, keys, version=None) -> None:
        self._call(None, "delete_many", keys, version)

    def clear(self) -> bool:
        return self._call(False, "clear")

    def incr(self, key, delta=1, version=None) -> int:
        marker = object()
        value = self._call(marker, "incr", key, delta, version)
        if value is marker:
            raise CacheUnavailable(f"Key '{key}' not found (the cache is unavailable).")
        return value


def reset_state() -> None:
    """Forget remembered failures (tests)."""
    with _lock:
        _down_until.clear()


def shared_version(key: str) -> str | None:
    """The version held under ``key`` in the default cache, made at its first use.

    Caches of figures and options keep their entries under such a version and replace it
    (``new_version``) when what they hold changes. ``None`` when the cache cannot be reached.
    """
    from django.core.cache import cache

    version = cache.get(key)
    if version is None:
        cache.add(key, new_version(), None)
        version = cache.get(key)
    return version


def new_version() -> str:
    import uuid

    return uuid.uuid4().hex
