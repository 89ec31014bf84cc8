"""Sessions stay in the database and are read with SQL compiled once (kompetence.sessions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.urls("tests.kompetence.urls")


def test_sessions_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "kompetence.sessions"


def test_a_logged_in_user_stays_logged_in(client_for, consultant_a):
    client = client_for(consultant_a)
    assert client.get("/test/tom/").status_code == 200
    assert client.get("/test/tom/").status_code == 200


def test_an_expired_session_is_logged_out(client_for, consultant_a):
    client = client_for(consultant_a)
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/test/tom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_session_key_is_logged_out(db):
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "x" * 32
    response = client.get("/test/tom/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_logging_in_through_the_form_keeps_the_session(db, consultant_a):
    client = Client()
    response = client.post("/accounts/login/", {"login": consultant_a.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.content
    assert client.get("/test/tom/").status_code == 200
