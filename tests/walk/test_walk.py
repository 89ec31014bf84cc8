"""The walk over every URL (tests/walker.py), on the demo data: declarations, and the URL × role matrix
(tests/walk/matrix.py): the owner's positive control, the outsider's 404 that changes nothing, the
roles' 403, the anonymous visitor's and the deactivated user's login, and no 5xx or 429 anywhere.

A new page joins these tests by being routed: its view's rule says what to expect.
"""

from __future__ import annotations

import re

import pytest

from tests.walk import figures
from tests.walk.matrix import Expect, build_matrix
from tests.walker import all_routes, client_for, rolled_back, url_with

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="package")
def matrix(world, django_db_blocker):
    with django_db_blocker.unblock():
        return build_matrix(world.walk)


def test_every_view_of_our_apps_declares_its_rule_and_the_objects_in_its_url(world):
    walk = world.walk

    assert walk.problems == []
    # The walk is not empty: it found the pages of every app there is.
    names = {target.route.name for target in walk.targets}
    assert {"dashboard", "companies:detail", "companies:visit_update", "partnerships:detail"} <= names
    assert {"activities:list", "partnerships:meeting_detail"} <= names


def test_the_matrix_covers_every_url_pattern_and_every_role_with_get_and_post(world, matrix):
    walked = {cell.route.name for cell in matrix.cells}
    ours = {target.route.name for target in world.walk.targets}

    assert ours <= walked
    assert matrix.roles == 9
    for name in ours:
        cells = [cell for cell in matrix.cells if cell.route.name == name]
        assert len({c.role for c in cells if c.method == "get"}) == matrix.roles, name
        # POST: every role in the full mode; in the CI sample at least every refused role and the owner.
        posts = {c.role for c in cells if c.method == "post"}
        assert {c.role for c in cells if c.method == "get" and c.expect.refused} <= posts, name
        if figures.FULL:
            assert len(posts) == matrix.roles, name
    # Every pattern of allauth and the admin is walked too (with placeholder parameters).
    assert walked == {route.name for route in all_routes()} - set(matrix.skipped)
    assert len(matrix.skipped) <= 5, matrix.skipped


def test_the_owner_of_every_object_reaches_every_page(world, matrix):
    """The positive control: GET and POST (the page's own form) work for the owner."""
    assert world.failures == []
    assert matrix.problems(expects={Expect.OWNER}) == []
    owners = {cell.route.name for cell in matrix.cells if cell.expect is Expect.OWNER}
    assert owners == {target.route.name for target in world.walk.targets if not target.route.public}


def test_a_consultant_of_another_partnership_gets_404_everywhere_and_changes_nothing(matrix):
    foreign = [c for c in matrix.cells if c.role == "foreign consultant" and c.expect is Expect.HIDDEN]

    assert len({c.route.name for c in foreign}) >= 15
    assert matrix.problems(roles={"foreign consultant"}) == []


def test_roles_without_the_permission_of_a_page_get_403(matrix):
    assert sum(c.expect is Expect.FORBIDDEN for c in matrix.cells) >= 20
    assert matrix.problems(expects={Expect.FORBIDDEN}) == []


def test_every_page_but_the_public_ones_sends_anonymous_visitors_and_deactivated_users_to_login(matrix):
    assert matrix.problems(roles={"anonymous", "deactivated"}) == []
    assert sum(c.expect is Expect.LOGIN and c.role == "deactivated" for c in matrix.cells) >= 90


def test_every_cell_of_the_matrix_holds_no_5xx_no_429_and_no_write_by_a_refused_request(matrix):
    assert matrix.problems() == []
    assert not any(c.status == 429 for c in matrix.cells)


def test_the_cpr_revealer_sees_a_full_cpr_number_and_the_others_do_not(world):
    """The reveal needs the permission and a two-factor session: the revealer sees the number;
    management without a second factor this session, a consultant and an outsider do not."""
    target = next(t for t in world.walk.targets if t.route.name == "activities:participant_reveal")
    cast = world.walk.cast
    cpr = re.compile(r"\b\d{6}-\d{4}\b")
    seen = {}
    for label, user in (
        ("cpr revealer", cast.cpr_revealer),
        ("management", cast.management),
        ("own consultant", cast.consultant),
        ("foreign consultant", cast.foreign),
    ):
        client = client_for(user, two_factor=cast.two_factor(user))
        with rolled_back(client):
            response = client.post(target.url, {"reason": "Borgeren har bedt om indsigt"})
        seen[label] = (response.status_code, bool(cpr.search(response.content.decode())))

    assert seen == {
        "cpr revealer": (200, True),
        "management": (200, False),
        "own consultant": (403, False),
        "foreign consultant": (403, False),
    }


def test_the_walk_builds_urls_only_from_the_declared_objects(world):
    # A rule naming the wrong parameter cannot be satisfied: the URL does not resolve.
    route = next(r for r in all_routes() if r.name == "companies:detail")

    assert url_with(route, {"pk": "7"}) == "/virksomheder/7/"
    assert url_with(route, {"other": "7"}) is None
