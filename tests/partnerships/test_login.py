"""Logging in and out with allauth: e-mail and password, Danish messages, throttling, no sign-up."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from partnerships.models import User
from tests.factories import DEFAULT_PASSWORD

LOGIN_URL = "/accounts/login/"
WRONG_CREDENTIALS = "Den angivne emailadresse og/eller adgangskode er ikke korrekt."
LOCKED_OUT = "Log ind er midlertidigt spærret"


def log_in(client, email: str, password: str):
    return client.post(LOGIN_URL, {"login": email, "password": password}, follow=True)


def test_login_page_is_danish(client, db):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert '<html lang="da">' in response.content.decode()
    assert "Log ind på Kompetenceportalen" in response.content.decode()


def test_login_with_email_and_password_lands_on_the_dashboard(client, consultant_a):
    response = log_in(client, "konsulent.a@example.dk", DEFAULT_PASSWORD)

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert response.context["user"] == consultant_a
    page = response.content.decode()
    assert "Goddag, Anna" in page
    assert "Mine partnerskaber" in page
    assert "LKS Alfa" in page


def test_login_accepts_the_email_in_any_case(client, consultant_a):
    response = log_in(client, "Konsulent.A@Example.DK", DEFAULT_PASSWORD)

    assert response.context["user"] == consultant_a


def test_wrong_password_shows_a_danish_error_and_stays_on_the_login_page(client, consultant_a):
    response = log_in(client, "konsulent.a@example.dk", "forkert-adgangskode")

    assert response.status_code == 200
    assert response.redirect_chain == []
    assert WRONG_CREDENTIALS in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_unknown_email_gets_the_same_error_as_a_wrong_password(client, db):
    # The same message for both, so the login form does not reveal who has an account.
    response = log_in(client, "ukendt@example.dk", "forkert-adgangskode")

    assert WRONG_CREDENTIALS in response.content.decode()


def test_inactive_user_cannot_log_in(client, consultant_a):
    consultant_a.is_active = False
    consultant_a.save()

    response = log_in(client, "konsulent.a@example.dk", DEFAULT_PASSWORD)

    assert not response.context["user"].is_authenticated


def test_login_is_locked_for_this_account_and_address_after_five_failed_attempts(client, consultant_a):
    # django-axes locks the (account, address) pair on the fifth failure; from then on even the
    # right password is refused with the Danish lockout page (see tests/security/test_throttle.py).
    for _attempt in range(4):
        response = log_in(client, "konsulent.a@example.dk", "forkert-adgangskode")
        assert WRONG_CREDENTIALS in response.content.decode()

    response = log_in(client, "konsulent.a@example.dk", "forkert-adgangskode")
    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()

    response = log_in(client, "konsulent.a@example.dk", DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_throttling_one_account_does_not_lock_out_another_from_elsewhere(client, consultant_a, consultant_b):
    for _attempt in range(6):
        log_in(client, "konsulent.a@example.dk", "forkert-adgangskode")

    other_place = Client(REMOTE_ADDR="192.0.2.10")
    response = log_in(other_place, "konsulent.b@example.dk", DEFAULT_PASSWORD)

    assert response.context["user"] == consultant_b


def test_logout_by_post_ends_the_session(client_for, consultant_a):
    client = client_for(consultant_a)

    response = client.post("/accounts/logout/", follow=True)

    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert not response.context["user"].is_authenticated
    assert client.get("/").status_code == 302


def test_logout_by_get_asks_for_confirmation_and_keeps_the_session(client_for, consultant_a):
    # A link or an image must not be able to log the user out; only the form's POST does.
    client = client_for(consultant_a)

    client.get("/accounts/logout/")

    assert client.get("/").status_code == 200


def test_signup_is_closed(client, db):
    users_before = User.objects.count()

    page = client.get("/accounts/signup/")
    posted = client.post(
        "/accounts/signup/",
        {"email": "ny@example.dk", "password1": "Et-langt-kodeord-42", "password2": "Et-langt-kodeord-42"},
        follow=True,
    )

    assert "Lukket for nye konti" in page.content.decode()
    assert "Lukket for nye konti" in posted.content.decode()
    assert not posted.context["user"].is_authenticated
    assert User.objects.count() == users_before
    assert not User.objects.filter(email="ny@example.dk").exists()


def test_login_page_does_not_offer_signup(client, db):
    assert "/accounts/signup/" not in client.get(LOGIN_URL).content.decode()


@pytest.mark.parametrize("path", ["/", "/partnerskaber/"])
def test_anonymous_visitor_is_sent_to_login_and_back_afterwards(client, consultant_a, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next={path}"

    response = client.post(response["Location"], {"login": "konsulent.a@example.dk", "password": DEFAULT_PASSWORD})
    assert response["Location"] == path
