"""The walk over every URL (tests/walker.py), on the demo data: declarations, the owner's positive
control, the outsider's 404 that changes nothing, the roles' 403, and the anonymous visitor's login.

A new page joins these tests by being routed: its view's rule says what to expect.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.walker import (
    LOGIN_REDIRECTS,
    all_routes,
    build_cast,
    changed_tables,
    client_for,
    fresh,
    placeholder_url,
    succeeded,
    table_checksums,
    url_with,
    walk_as_owners,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo data and the cast, loaded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        cast = build_cast()
        walk, failures = walk_as_owners(cast)
        yield walk, failures
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_every_view_of_our_apps_declares_its_rule_and_the_objects_in_its_url(world):
    walk, _failures = world

    assert walk.problems == []
    # The walk is not empty: it found the pages of every app there is.
    names = {target.route.name for target in walk.targets}
    assert {"dashboard", "companies:detail", "companies:visit_update", "partnerships:detail"} <= names


def test_the_owner_of_every_object_reaches_every_page(world):
    walk, failures = world

    assert failures == []
    # POST-only views answered the owner's GET with 405: their POST must succeed for the owner too.
    post_failures = []
    for target in walk.targets:
        owner = walk.owners[target.route.name]
        client = client_for(owner)
        if client.get(target.url).status_code == 405:
            response = client.post(target.url, walk.body_for(target.url))
            if not succeeded(response.status_code):
                post_failures.append(f"{target.route.name} POST {target.url}: {response.status_code}")
    assert post_failures == []


def test_a_consultant_of_another_partnership_gets_404_everywhere_and_changes_nothing(world):
    walk, _failures = world
    foreign = fresh(walk.cast.foreign)
    client = client_for(foreign)
    wrong = []
    walked = 0
    for target in walk.targets:
        if not target.scoped_objects:
            continue
        walked += 1
        expected = 403 if target.route.rule.perm and not foreign.has_perm(target.route.rule.perm) else 404
        before = table_checksums()
        for method in ("get", "post"):
            data = walk.body_for(target.url) if method == "post" else {}
            status = getattr(client, method)(target.url, data).status_code
            if status != expected and not (method == "get" and status == 405):
                wrong.append(f"{method.upper()} {target.url} ({target.route.name}): {status}, expected {expected}")
        changed = changed_tables(before, table_checksums())
        if changed:
            wrong.append(f"{target.route.name}: the refused requests changed {', '.join(changed)}")

    assert walked >= 15
    assert wrong == []


def test_roles_without_the_permission_of_a_page_get_403(world):
    walk, _failures = world
    wrong = []
    for target in walk.targets:
        perm = target.route.rule.perm
        if not perm:
            continue
        for user in walk.cast.members():
            user = fresh(user)
            if user.has_perm(perm):
                continue
            client = client_for(user)
            for method in ("get", "post"):
                status = getattr(client, method)(target.url, walk.body_for(target.url)).status_code
                if status != 403:
                    wrong.append(f"{user.email} {method.upper()} {target.url}: {status}")

    assert wrong == []


def test_every_page_but_the_public_ones_sends_anonymous_visitors_and_deactivated_users_to_login(world):
    walk, _failures = world
    urls = {target.route.name: target.url for target in walk.targets}
    wrong = []
    for user_label, user in (("anonymous", None), ("deactivated", walk.cast.deactivated)):
        client = client_for(user) if user is not None else client_for(walk.cast.everyone()["anonymous"])
        for route in all_routes():
            url = urls.get(route.name) or (placeholder_url(route) if not route.ours else None)
            if url is None:
                continue
            response = client.get(url)
            status, location = response.status_code, response.get("Location", "")
            if route.public:
                if status >= 500:
                    wrong.append(f"{user_label}: public {route.name} {url} -> {status}")
            elif not (status == 302 and location.startswith(LOGIN_REDIRECTS)) and status not in (404, 405):
                wrong.append(f"{user_label}: {route.name} {url} -> {status} {location}")

    assert wrong == []


def test_the_walk_builds_urls_only_from_the_declared_objects(world):
    # A rule naming the wrong parameter cannot be satisfied: the URL does not resolve.
    route = next(r for r in all_routes() if r.name == "companies:detail")

    assert url_with(route, {"pk": "7"}) == "/virksomheder/7/"
    assert url_with(route, {"other": "7"}) is None
