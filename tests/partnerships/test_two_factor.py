"""Two-factor login (TOTP) is available to every user: set it up, and from then on the password
alone is not enough."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def log_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": DEFAULT_PASSWORD})


@pytest.mark.django_db
def test_consultant_sets_up_totp_and_then_needs_a_code_to_log_in(client, consultant_a):
    log_in(client, consultant_a)
    # Setting up a second factor asks for the password once more (allauth's reauthentication).
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})

    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    assert "Autentificeringsapp" in setup.content.decode() or "autentificeringsapp" in setup.content.decode()
    secret = client.session[SECRET_SESSION_KEY]

    wrong = client.post(
        reverse("mfa_activate_totp"), {"code": "000000" if current_code(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=consultant_a).exists()

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert Authenticator.objects.filter(user=consultant_a, type=Authenticator.Type.TOTP).exists()

    client.post(reverse("account_logout"))
    cache.clear()  # a code may be used once; the next login is in the same 30-second window
    response = log_in(client, consultant_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in on the password alone

    done = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
