"""Redis is a help, never a single point of failure (issue 7, item 2).

With Redis unreachable (a port nothing listens on) and with Redis hanging (a socket of the test's
own that accepts connections and never answers), login, logout, password reset and pages answer
without a 5xx, and /healthz reports the broker as failing instead of hanging. Nothing shared is
stopped. The bound asserted is generous (the aim, measured and reported, is under 3 s a request);
the configured timeouts are asserted exactly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from django.core import mail
from django.test import Client

from kompetence.models import OutboxEntry
from tests.companies.factories import CompanyFactory
from tests.factories import DEFAULT_PASSWORD

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GENEROUS = 10.0  # seconds; a hang would be 30 s (gunicorn's timeout) or forever


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def report(name: str, fault: str, seconds: float) -> None:
    print(f"[redis {fault}] {name}: {seconds:.2f} s")


def test_login_logout_and_reset_answer_without_5xx(redis_fault, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Smedjen ApS")
    client = Client(raise_request_exception=False)

    steps = [
        ("login page", lambda: client.get("/accounts/login/"), {200}),
        (
            "wrong password",
            lambda: client.post("/accounts/login/", {"login": consultant_a.email, "password": "forkert-123"}),
            {200},
        ),
        (
            "login",
            lambda: client.post("/accounts/login/", {"login": consultant_a.email, "password": DEFAULT_PASSWORD}),
            {302},
        ),
        ("dashboard", lambda: client.get("/"), {200}),
        ("firm list", lambda: client.get("/virksomheder/", {"q": "Smed"}), {200}),
        ("logout", lambda: client.post("/accounts/logout/"), {302}),
        ("password reset", lambda: client.post("/accounts/password/reset/", {"email": consultant_a.email}), {302}),
    ]
    for name, call, expected in steps:
        response, seconds = timed(call)
        report(name, redis_fault, seconds)
        assert response.status_code in expected, (name, response.status_code)
        assert seconds < GENEROUS, (name, seconds)
    assert len(mail.outbox) == 1  # the reset mail is sent directly, not through Redis


def test_the_failed_login_lockout_still_holds_without_redis(redis_fault, consultant_a):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _attempt in range(5):
        attacker.post("/accounts/login/", {"login": consultant_a.email, "password": "forkert-123"})

    response = attacker.post("/accounts/login/", {"login": consultant_a.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 429


def test_healthz_reports_the_broker_failing_within_the_timeout(redis_fault, db):
    response, seconds = timed(lambda: Client(raise_request_exception=False).get("/healthz"))
    report("healthz", redis_fault, seconds)

    assert response.status_code == 503
    assert response.json()["broker"].startswith("fejl")
    assert response.json()["database"] == "ok"
    assert seconds < GENEROUS


def test_inviting_a_user_answers_and_keeps_the_mail_for_later(
    redis_fault, client_for, administrator, django_capture_on_commit_callbacks
):
    from tests.factories import OrganisationFactory

    client = client_for(administrator)
    client.raise_request_exception = False
    data = {
        "email": "ny@example.dk",
        "first_name": "Nina",
        "last_name": "Nielsen",
        "organisation": OrganisationFactory(name="Jobcenter Test").pk,
        "role": "Projektledelse",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response, seconds = timed(lambda: client.post("/partnerskaber/brugere/inviter/", data))
    report("invite (outbox)", redis_fault, seconds)

    assert response.status_code == 302
    assert seconds < GENEROUS
    assert OutboxEntry.objects.get().status == OutboxEntry.Status.PENDING
    assert mail.outbox == []


def test_a_page_reading_the_cache_many_times_waits_for_one_timeout_at_most(redis_fault):
    from django.core.cache import cache

    started = time.monotonic()
    for number in range(20):
        assert cache.get(f"key-{number}", "default") == "default"
        cache.set(f"key-{number}", 1)
        assert cache.add(f"other-{number}", 1) is True  # as an empty cache would answer
    elapsed = time.monotonic() - started

    assert elapsed < 2 * 1.0 + 1, elapsed


def test_every_redis_client_has_short_timeouts_configured():
    """The real settings, with REDIS_URL set, in a fresh process (settings are read once)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(DJANGO_SETTINGS_MODULE="kompetence.settings", REDIS_URL="redis://:s3cret@127.0.0.1:6399/3")
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'timeout': s.REDIS_TIMEOUT_SECONDS, 'cache': s.CACHES['default'], "
        "'broker': s.CELERY_BROKER_TRANSPORT_OPTIONS, 'broker_connection_timeout': s.CELERY_BROKER_CONNECTION_TIMEOUT, "
        "'result': [s.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT, s.CELERY_REDIS_SOCKET_TIMEOUT], "
        "'visibility': s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'], 'limit': s.CELERY_TASK_TIME_LIMIT}))"
    )
    result = subprocess.run(  # noqa: S603 (our interpreter, a fixed snippet)
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    config = json.loads(result.stdout.strip().splitlines()[-1])

    assert 0 < config["timeout"] <= 2
    assert config["cache"]["BACKEND"] == "kompetence.cache.FailSoftRedisCache"
    assert config["cache"]["OPTIONS"] == {
        "socket_connect_timeout": config["timeout"],
        "socket_timeout": config["timeout"],
    }
    assert config["broker"]["socket_connect_timeout"] == config["broker"]["socket_timeout"] == config["timeout"]
    assert config["broker_connection_timeout"] <= 2
    assert config["result"] == [config["timeout"], config["timeout"]]
    assert config["limit"] < config["visibility"] <= config["limit"] + 120
