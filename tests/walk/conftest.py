"""The demo world the walk tests share: ``seed_demo`` and the cast, loaded once for the package (one
transaction, rolled back after it), and the owners' walk over every URL.

The fixture runs before the function-scoped ones of ``tests/conftest.py``, so it sets for itself what
they set for each test: a private cache (throttle counts never come from an earlier run's Redis),
Celery inline with no broker, media in a temporary folder.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from uuid import uuid4

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.walk import figures
from tests.walker import Walk, build_cast, walk_as_owners


@dataclass
class World:
    walk: Walk
    failures: list[str]
    media_root: str


def isolated_settings(media_root) -> override_settings:
    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"walk-{uuid4()}"}},
        CELERY_TASK_ALWAYS_EAGER=True,
        CELERY_BROKER_URL="memory://",
        MEDIA_ROOT=str(media_root),
    )


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from tests.celery_helpers import reset_celery_connections

    media_root = str(tmp_path_factory.mktemp("walk-media"))
    with django_db_blocker.unblock(), isolated_settings(media_root), transaction.atomic():
        reset_celery_connections()
        started = time.monotonic()
        call_command("seed_demo", stdout=io.StringIO())
        cast = build_cast()
        figures.timed("demo world", time.monotonic() - started)
        started = time.monotonic()
        walk, failures = walk_as_owners(cast)
        figures.timed("owners' walk", time.monotonic() - started)
        figures.count(
            "owners' walk",
            pages=len(walk.targets),
            post_forms=len(walk.forms),
            get_forms=len(walk.get_forms),
            fields=sum(len(f) for f in walk.forms.values()) + sum(len(f) for f in walk.get_forms.values()),
        )
        yield World(walk, failures, media_root)
        transaction.set_rollback(True)
    reset_celery_connections()


@pytest.fixture(autouse=True)
def _world_media(request, settings) -> None:
    """A test on the world sees the demo world's files (its documents and scans), not the empty
    media folder every other test gets."""
    if "world" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("world").media_root


def pytest_terminal_summary(terminalreporter):
    lines = figures.summary_lines()
    if lines:
        terminalreporter.section("security walk figures")
        for line in lines:
            terminalreporter.write_line(line)
    path = figures.write_report()
    if path:
        terminalreporter.write_line(f"written to {path}")
