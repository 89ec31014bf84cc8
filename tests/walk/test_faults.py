"""Faults on the walk (issue 7, item 9): with Redis unreachable (a port nothing listens on) and with
Redis hanging (a socket of the test's own that accepts and never answers), the login and one page of
every URL pattern answer without a 5xx and within a generous bound. Nothing shared is stopped or
flushed: the cache and the Celery broker are pointed at the fault for the test only.

The page is the walk's URL opened by its owner (GET; a POST-only view gets its form's POST instead),
allauth's and the admin's pages by the administrator. /healthz answers 503 by design when the
broker fails (tests/security/test_redis_faults.py checks that it says so quickly).
"""

from __future__ import annotations

import time

import pytest
from django.test import Client

from partnerships.demo import DEMO_PASSWORD
from tests.walk import figures
from tests.walker import all_routes, client_for, placeholder_url, rolled_back

pytestmark = pytest.mark.django_db

GENEROUS = 10.0  # seconds for one answer; a hang would be 30 s (gunicorn's timeout) or forever
EXPECTED_5XX = {"healthz": 503}  # the health check reports the failing broker


def test_login_and_one_page_of_every_url_pattern_answer_while_redis_fails(world, redis_fault):
    walk = world.walk
    section = f"Redis {redis_fault}"
    started = time.monotonic()
    wrong, timings = [], []

    def check(label: str, name: str, call, allowed: set[int] | None = None) -> int:
        begun = time.monotonic()
        response = call()
        seconds = time.monotonic() - begun
        timings.append(seconds)
        status = response.status_code
        expected_error = EXPECTED_5XX.get(name)
        if (status >= 500 and status != expected_error) or status == 429:
            wrong.append(f"{label}: {status}")
        elif allowed is not None and status not in allowed:
            wrong.append(f"{label}: {status}, expected {sorted(allowed)}")
        if seconds > GENEROUS:
            wrong.append(f"{label}: {seconds:.1f} s")
        return status

    anonymous = Client(raise_request_exception=False, REMOTE_ADDR="198.19.0.1")
    email = walk.cast.consultant.email
    check("login page", "account_login", lambda: anonymous.get("/accounts/login/"), {200})
    check(
        "wrong password",
        "account_login",
        lambda: anonymous.post("/accounts/login/", {"login": email, "password": "forkert-123"}),
        {200},
    )
    check(
        "login",
        "account_login",
        lambda: anonymous.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}),
        {302},
    )
    check("first page after login", "dashboard", lambda: anonymous.get("/"), {200})

    clients = {}

    def client_of(user):
        if user.pk not in clients:
            clients[user.pk] = client_for(user, two_factor=walk.cast.two_factor(user))
        return clients[user.pk]

    targets = {target.route.name: target for target in walk.targets}
    pages = 0
    for index, route in enumerate(all_routes()):
        # The CI sample opens the admin's generated pages (a handful per model, all alike) under one
        # fault or the other, alternating; every other pattern under both. The full mode: all, both.
        if route.is_error_preview or (route.is_admin and not figures.FULL and index % 2 != (redis_fault == "hanging")):
            continue
        target = targets.get(route.name)
        if target is not None:
            client, url = client_of(walk.owners[route.name]), target.url
        elif not route.ours and (url := placeholder_url(route)):
            client = client_of(walk.cast.administrator)
        else:
            continue
        pages += 1
        with rolled_back(client):
            if check(f"GET {url} ({route.name})", route.name, lambda c=client, u=url: c.get(u)) == 405:
                check(f"POST {url} ({route.name})", route.name, lambda c=client, u=url: c.post(u, walk.body_for(u)))

    figures.timed(section, time.monotonic() - started)
    figures.count(
        section,
        url_patterns=pages,
        requests=len(timings),
        wrong=len(wrong),
        slowest_ms=int(max(timings) * 1000),
        mean_ms=int(sum(timings) / len(timings) * 1000),
    )
    for text in wrong:
        figures.note(section, text)

    assert pages >= len(walk.targets) + 100
    assert wrong == []
