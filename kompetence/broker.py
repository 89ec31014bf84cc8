"""Is the Celery broker answering? One bounded probe for /healthz and the outbox.

The probe never waits longer than ``REDIS_TIMEOUT_SECONDS`` to connect and as long again for the
answer, whatever state Redis is in (refusing connections, or accepting them and never answering).
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

_lock = threading.Lock()
_down_until = 0.0
# After a failed probe, ``available()`` answers "no" without asking again for this long.
DOWN_SECONDS = 5.0


def ping(timeout: float | None = None) -> None:
    """Raise if the broker does not answer within ``timeout`` seconds (connect, then reply)."""
    timeout = settings.REDIS_TIMEOUT_SECONDS if timeout is None else timeout
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://", "unix://")):
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client = redis.Redis.from_url(
            url, socket_connect_timeout=timeout, socket_timeout=timeout, retry=Retry(NoBackoff(), 0)
        )
        try:
            client.ping()
        finally:
            client.close()
        return
    from kompetence.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def available() -> bool:
    """Whether work sent now would reach the broker; remembers a failure for ``DOWN_SECONDS``."""
    global _down_until
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True
    if time.monotonic() < _down_until:
        return False
    try:
        ping()
    except Exception:  # Any failure means "not now"; the caller keeps the work for later.
        with _lock:
            _down_until = time.monotonic() + DOWN_SECONDS
        return False
    return True


def forget_failures() -> None:
    """Ask the broker again at the next ``available()`` (after a successful send, and in tests)."""
    global _down_until
    with _lock:
        _down_until = 0.0
