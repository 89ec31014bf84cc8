"""/healthz answers whether the database and the Celery broker are reachable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections
from django.test import Client

from kompetence.celery import app as celery_app

DEAD_BROKER = "redis://127.0.0.1:1/0"  # Port 1: nothing listens, so the connection is refused at once.


@pytest.fixture
def client_without_raising() -> Client:
    # Let the response show what a load balancer would see, instead of raising in the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def dead_broker(settings) -> None:
    """Celery pointed at a broker that is not there, in the mode REDIS_URL would give.

    The Celery app reads its CELERY_* configuration from Django's settings on every access, so
    overriding the settings is enough (and setting ``app.conf`` would outlive the test).
    """
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD_BROKER
    assert celery_app.conf.broker_write_url == DEAD_BROKER


@pytest.fixture
def unreachable_database(db) -> Iterator[None]:
    """Swap the default connection for a real one to a database that cannot be reached.

    Nothing is mocked: the driver really tries and fails (SQLite cannot open a file in a missing
    directory; PostgreSQL finds nothing listening on port 1). The test's own connection, holding
    its transaction, is put back afterwards.
    """
    working = connections["default"]
    broken_settings = {**working.settings_dict}
    if working.vendor == "sqlite":
        broken_settings["NAME"] = "/nonexistent-directory/kompetence.sqlite3"
    else:
        broken_settings.update(HOST="127.0.0.1", PORT=1)
    broken = working.__class__(broken_settings, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        connections["default"] = working
        broken.close()


@pytest.mark.django_db
def test_healthz_is_ok_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"].startswith("ok")


@pytest.mark.django_db
def test_healthz_needs_no_login_and_is_never_cached(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_is_503_naming_the_broker_when_redis_is_down(client_without_raising, dead_broker):
    response = client_without_raising.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fejl"
    assert body["broker"].startswith("fejl")
    assert body["database"] == "ok"


def test_healthz_is_503_naming_the_database_when_it_is_unreachable(client_without_raising, unreachable_database):
    response = client_without_raising.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fejl"
    assert body["database"].startswith("fejl")
