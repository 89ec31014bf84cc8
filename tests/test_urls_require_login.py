"""Every URL requires login, unless its view is on the short list of public views below.

The test walks the whole URL configuration (our apps, allauth, admin), builds a concrete URL for
every pattern and requests it as an anonymous visitor. A new view therefore cannot forget login:
``LoginRequiredMiddleware`` guards it unless it is marked ``@login_not_required``, and marking it
so fails ``test_only_the_allow_listed_views_are_public`` until it is added here on purpose.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize

# Views anyone may open, by URL name. Keep this list short, and say why each is here.
PUBLIC_VIEWS = {
    # Logging in, and the steps allauth may put between the password and the session.
    "account_login",
    "account_confirm_login_code",  # login by e-mailed code (disabled, but the view exists)
    "mfa_authenticate",  # the TOTP step after the password
    "account_inactive",  # where allauth sends an inactive account
    # Logging out must work for a session that has already expired.
    "account_logout",
    # Sign-up is closed: the view only says so (see tests/partnerships/test_login.py).
    "account_signup",
    # Forgotten password: reset by e-mailed link.
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    # E-mail confirmation links, opened from a mail client that may not be logged in.
    "account_confirm_email",
    "account_email_verification_sent",
    # The invitation link, where an invited person chooses a first password.
    "invitation_accept",
    # Load balancers and monitoring.
    "healthz",
    # A redirect to the static icon, asked for by browsers on every site.
    "favicon",
    # The language switcher in the footer, which the login page has too.
    "set_language",
    # Django's admin login: marked public by Django, but kompetence/urls.py wraps it with allauth's
    # secure_admin_login, so it only redirects to the portal login (see the test below).
    "admin:login",
}

# Values tried, in order, for each URL parameter until the URL resolves back to its own view.
CANDIDATE_VALUES = ["1", "x", "partnerships", "00000000-0000-0000-0000-000000000001"]

LOGIN_URL = "/accounts/login/"
# Where an anonymous visitor may be sent. The admin's views name their own login page
# (AdminSite.admin_view sets login_url), which LoginRequiredMiddleware honours.
LOGIN_REDIRECTS = (LOGIN_URL + "?next=", "/admin/login/?next=")


@dataclass
class Route:
    name: str  # "namespace:name", or the route itself for unnamed patterns
    url: str
    callback: object


def leaf_patterns(patterns, prefix=(), namespaces=()) -> Iterator[tuple[tuple, tuple[str, ...]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from leaf_patterns(pattern.url_patterns, (*prefix, pattern), namespaces + namespace)
        elif isinstance(pattern, URLPattern):
            yield (*prefix, pattern), namespaces


def regex_of(chain) -> str:
    parts = []
    for pattern in chain:
        regex = pattern.pattern.regex.pattern
        regex = regex.removeprefix("^").removesuffix(r"\Z").removesuffix("$")
        parts.append(regex)
    return "".join(parts)


def concrete_url(chain) -> str | None:
    """A URL that resolves to the chain's view, with every parameter filled by a dummy value."""
    leaf = chain[-1]
    for template, params in normalize(regex_of(chain)):
        for values in itertools.product(CANDIDATE_VALUES, repeat=len(params)):
            url = "/" + template % dict(zip(params, values, strict=True))
            try:
                match = resolve(url)
            except Resolver404:
                continue
            if match.func is leaf.callback or match.func == leaf.callback:
                return url
    return None


def all_routes() -> list[Route]:
    routes = []
    for chain, namespaces in leaf_patterns(get_resolver().url_patterns):
        leaf = chain[-1]
        route = "".join(str(p.pattern) for p in chain)
        name = ":".join((*namespaces, leaf.name)) if leaf.name else route
        routes.append(Route(name=name, url=concrete_url(chain), callback=leaf.callback))
    return routes


def test_the_walk_finds_our_allauths_and_the_admins_urls():
    names = {route.name for route in all_routes()}

    assert {"dashboard", "partnerships:detail", "account_login", "mfa_index", "admin:index"} <= names


def test_a_concrete_url_can_be_built_for_every_pattern():
    # Otherwise the test below would silently skip a pattern; add a candidate value if this fails.
    assert [route.name for route in all_routes() if route.url is None] == []


def test_only_the_allow_listed_views_are_public():
    public = {route.name for route in all_routes() if not getattr(route.callback, "login_required", True)}

    assert public - PUBLIC_VIEWS == set(), "public views missing from PUBLIC_VIEWS (or a forgotten login)"
    assert PUBLIC_VIEWS - public == set(), "PUBLIC_VIEWS lists views that now require login: remove them"


@pytest.mark.django_db
def test_every_other_url_sends_anonymous_visitors_to_login():
    client = Client(raise_request_exception=False)
    wrong = []
    for route in all_routes():
        if route.name in PUBLIC_VIEWS or route.url is None:
            continue
        response = client.get(route.url)
        location = response.get("Location", "")
        if response.status_code in (404, 405):
            continue
        if response.status_code == 302 and location.startswith(LOGIN_REDIRECTS):
            continue
        wrong.append(f"{route.name} {route.url} -> {response.status_code} {location}")

    assert wrong == [], "reachable without login:\n" + "\n".join(wrong)


@pytest.mark.django_db
def test_public_views_answer_anonymous_visitors_without_an_error():
    client = Client(raise_request_exception=False)
    broken = []
    for route in all_routes():
        if route.name not in PUBLIC_VIEWS:
            continue
        response = client.get(route.url)
        if response.status_code >= 500:
            broken.append(f"{route.name} {route.url} -> {response.status_code}")

    assert broken == []


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
