"""Point the Celery app at another broker for one test, and back."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from kompetence import broker
from kompetence.celery import app as celery_app


def reset_celery_connections() -> None:
    """Drop the app's cached connection and producer pools, so the next send uses the current settings."""
    # Values set on app.conf directly would hide the settings; the settings are the one source.
    for key in ("task_always_eager", "task_eager_propagates", "broker_url"):
        with contextlib.suppress(KeyError):
            del celery_app.conf.changes[key]
    celery_app._pool = None
    with contextlib.suppress(AttributeError, KeyError):
        celery_app.__dict__["amqp"]._producer_pool = None
    broker.forget_failures()


@contextlib.contextmanager
def celery_broker(settings, url: str, *, eager: bool = False) -> Iterator[None]:
    """Celery sends to ``url`` (tasks not run inline unless ``eager``) within the block."""
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    settings.CELERY_BROKER_URL = url
    reset_celery_connections()
    try:
        yield
    finally:
        reset_celery_connections()
