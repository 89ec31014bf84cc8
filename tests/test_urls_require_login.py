"""Every page requires login unless its view says it is public.

``LoginRequiredMiddleware`` guards every view; a view is public only by its rule
(``kompetence.rules.rule(public=True)``) or, for third-party views, by being on the short list in
``tests/walker.py`` (``EXTERNAL_PUBLIC``). The anonymous walk over every URL with real objects is in
``tests/walk/test_walk.py``.
"""

from __future__ import annotations

import pytest

from tests.walker import EXTERNAL_PUBLIC, LOGIN_URL, all_routes


def test_a_view_is_public_only_when_its_rule_or_the_external_list_says_so():
    wrong = []
    for route in all_routes():
        public = not getattr(route.callback, "login_required", True)
        declared = route.public
        if public != declared:
            wrong.append(f"{route.name}: login_not_required={public}, declared public={declared}")

    assert wrong == []


def test_our_public_views_are_few_and_named():
    ours = sorted(route.name for route in all_routes() if route.ours and route.public)

    # The calendar feed: calendar programs cannot log in; its secret address is the credential.
    # The request form (én indgang) and its thank-you page: firms without an account ask for help there.
    # The accessibility statement: anyone must be able to read it, before logging in too.
    assert ours == [
        "accessibility_statement",
        "favicon",
        "healthz",
        "invitation_accept",
        "partnerships:calendar_feed",
        "requests:public",
        "requests:thanks",
        "set_language",
    ]


def test_the_external_list_names_only_views_that_exist():
    names = {route.name for route in all_routes()}

    assert EXTERNAL_PUBLIC - names == set()


@pytest.mark.django_db
def test_admin_login_sends_visitors_to_the_portal_login(client):
    # Django's own admin login form would skip allauth's throttling and two-factor step.
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == LOGIN_URL + "?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_admin_pages_lead_anonymous_visitors_to_the_portal_login(client):
    response = client.get("/admin/partnerships/partnership/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN_URL + "?next=")
    assert "Log ind på Kompetenceportalen" in response.content.decode()
