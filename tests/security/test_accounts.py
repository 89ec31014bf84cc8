"""Accounts (issue 7, items 3, 4 and 8): login addresses change only through administrators and
never to an unverified address; two-factor login is required for administrators and CPR-revealing
roles; a deactivated user's invitation link is dead."""

from __future__ import annotations

import importlib
import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse

from kompetence.mfa import two_factor_required
from kompetence.models import AuditEvent
from partnerships import services
from tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


def log_in(client: Client, email: str, password: str = DEFAULT_PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


# ---------------------------------------------------------------------------
# The login address
# ---------------------------------------------------------------------------
def test_users_cannot_add_or_switch_login_addresses(client_for, consultant_a):
    client = client_for(consultant_a)

    page = client.get("/accounts/email/")
    added = client.post("/accounts/email/", {"action_add": "", "email": "ny@ondsindet.example"})
    primary = client.post("/accounts/email/", {"action_primary": "", "email": "ny@ondsindet.example"})

    assert page.status_code == 200
    assert "bed en administrator" in page.content.decode()
    assert added.status_code == primary.status_code == 405
    assert not EmailAddress.objects.filter(email="ny@ondsindet.example").exists()
    consultant_a.refresh_from_db()
    assert consultant_a.email == "konsulent.a@example.dk"


def test_an_unverified_address_row_never_logs_in(consultant_a):
    # As if a user had added one through allauth before the page was closed.
    EmailAddress.objects.create(user=consultant_a, email="ikke.bekraeftet@example.dk", verified=False, primary=False)

    response = log_in(Client(), "ikke.bekraeftet@example.dk")

    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_an_administrator_changes_the_login_address_and_the_old_one_stops_working(consultant_a, administrator):
    services.user_email_change(user=consultant_a, email="Anna.Ny@Example.dk", by=administrator)

    old, new = Client(), Client()
    assert log_in(old, "konsulent.a@example.dk").status_code == 200
    assert log_in(new, "anna.ny@example.dk").status_code == 302
    address = EmailAddress.objects.get(user=consultant_a)
    assert (address.email, address.verified, address.primary) == ("anna.ny@example.dk", True, True)
    assert AuditEvent.objects.filter(kind="email_changed", user=consultant_a).exists()


def test_the_admin_page_keeps_the_allauth_address_in_step(client_for, administrator, consultant_a):
    client = client_for(administrator)
    url = reverse("admin:partnerships_user_change", args=[consultant_a.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(email="anna.admin@example.dk", groups=[g.pk for g in consultant_a.groups.all()])
    for prefix in ("memberships",):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert EmailAddress.objects.get(user=consultant_a, primary=True).email == "anna.admin@example.dk"


def test_the_data_migration_marks_present_addresses_verified(db):
    users = [UserFactory(email="gammel@example.dk"), UserFactory(email="inviteret@example.dk")]
    EmailAddress.objects.create(user=users[0], email="gammel@example.dk", verified=False, primary=False)
    migration = importlib.import_module("kompetence.migrations.0003_verify_present_addresses")

    migration.verify_present_addresses(apps, None)

    for user in users:
        address = EmailAddress.objects.get(user=user)
        assert (address.email, address.verified, address.primary) == (user.email, True, True)


# ---------------------------------------------------------------------------
# Deactivated users
# ---------------------------------------------------------------------------
def test_a_deactivated_users_invitation_link_is_dead(client_for, administrator, partnership_a):
    from partnerships.models import Role, User
    from tests.factories import OrganisationFactory

    user, _sent = services.user_invite(
        email="stoppes@example.dk",
        first_name="Sten",
        last_name="Stop",
        organisation=OrganisationFactory(name="Jobcenter Test"),
        role=Role.CONSULTANT,
        partnerships=[partnership_a],
        invited_by=administrator,
    )
    link = services.invitation_url(user=user).removeprefix("http://testserver")
    User.objects.filter(pk=user.pk).update(is_active=False)

    client = Client()
    page = client.get(link, follow=True)
    posted = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": "Solsikke-Tømrer-2024", "new_password2": "Solsikke-Tømrer-2024"},
        follow=True,
    )

    assert "Linket virker ikke længere" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert posted.status_code == 200
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_deactivated_user_gets_no_invitation_mail(administrator, django_capture_on_commit_callbacks):
    from partnerships.models import User

    user = UserFactory(email="stoppet@example.dk", is_active=False)
    User.objects.filter(pk=user.pk).update(password="!")

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_send(user=user, invited_by=administrator)

    assert mail.outbox == []


# ---------------------------------------------------------------------------
# Two-factor login required
# ---------------------------------------------------------------------------
def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def cpr_permission(db) -> Permission:
    """The permission the activities work will create (made here; the app has no models yet)."""
    content_type, _created = ContentType.objects.get_or_create(app_label="activities", model="participant")
    permission, _created = Permission.objects.get_or_create(
        codename="reveal_cpr", content_type=content_type, defaults={"name": "Kan se CPR-numre"}
    )
    return permission


def test_with_enforcement_on_an_administrator_is_sent_to_set_up_totp_before_anything_else(settings, administrator):
    settings.MFA_REQUIRED = True
    client = Client()
    log_in(client, administrator.email)

    for path in ("/", "/virksomheder/", "/partnerskaber/brugere/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp"), path

    setup = client.get(reverse("mfa_activate_totp"), follow=True)
    assert setup.status_code == 200
    assert "Din rolle kræver totrinsbekræftelse" in setup.content.decode()


def test_after_setting_up_totp_the_administrator_works_as_usual(settings, administrator):
    settings.MFA_REQUIRED = True
    client = Client()
    log_in(client, administrator.email)
    client.get(reverse("mfa_activate_totp"))  # may ask for the password again
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]

    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})

    assert Authenticator.objects.filter(user=administrator, type=Authenticator.Type.TOTP).exists()
    assert client.get("/").status_code == 200


def test_a_user_who_may_reveal_cpr_numbers_must_set_up_totp(settings, management, cpr_permission):
    settings.MFA_REQUIRED = True
    management.user_permissions.add(cpr_permission)
    client = Client()
    log_in(client, management.email)

    assert client.get("/")["Location"] == reverse("mfa_activate_totp")


def test_a_consultant_is_not_required_to_use_two_factor_login(settings, consultant_a):
    settings.MFA_REQUIRED = True
    client = Client()
    log_in(client, consultant_a.email)

    assert client.get("/").status_code == 200


def test_a_missing_permission_in_the_setting_requires_nobody_and_breaks_nothing(settings, consultant_a):
    settings.MFA_REQUIRED = True
    settings.MFA_REQUIRED_PERMISSIONS = ["nosuchapp.nosuchperm"]

    assert two_factor_required(consultant_a) is False


def test_management_may_reveal_cpr_numbers_and_so_must_use_two_factor_login(settings, management):
    # The activities app grants activities.reveal_cpr to Projektledelse.
    settings.MFA_REQUIRED = True

    assert management.has_perm("activities.reveal_cpr")
    assert two_factor_required(management) is True


def test_with_enforcement_off_demo_logins_work_without_a_second_factor(settings, administrator):
    settings.MFA_REQUIRED = False
    client = Client()
    log_in(client, administrator.email)

    assert client.get("/").status_code == 200


def test_enforcement_is_on_in_production_mode_and_off_in_development():
    import os
    import subprocess
    import sys
    from pathlib import Path

    base = Path(__file__).resolve().parents[2]
    code = "import django; django.setup(); from django.conf import settings; print(settings.MFA_REQUIRED)"

    def setting(**env):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        clean.update(DJANGO_SETTINGS_MODULE="kompetence.settings", **env)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], cwd=base, env=clean, capture_output=True, text=True, timeout=60, check=True
        )
        return result.stdout.strip().splitlines()[-1]

    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "example.org",
        "FIELD_ENCRYPTION_KEY": "a29tcGV0ZW5jZS1kZXYta2V5LW5vdC1mb3ItcHJvZCE=",
        "FIELD_HASH_KEY": "y" * 64,
    }
    assert setting(**production) == "True"
    assert setting() == "False"


def test_a_required_user_cannot_remove_the_last_authenticator_app(settings, administrator):
    from kompetence.mfa import MfaAdapter

    settings.MFA_REQUIRED = True
    totp = Authenticator.objects.create(user=administrator, type=Authenticator.Type.TOTP, data={"secret": "x"})

    assert MfaAdapter().can_delete_authenticator(totp) is False


def test_the_login_page_shows_no_address_change_link(client, db):
    assert not re.search(r"/accounts/email/", client.get(LOGIN_URL).content.decode())


def test_system_checks_report_a_dropped_safeguard(settings):
    from kompetence.checks import portal_security_checks

    settings.DEBUG = False
    settings.MFA_REQUIRED = True
    assert {p.id for p in portal_security_checks(None)} <= {"kompetence.W002"}  # W002: tests run tasks inline

    settings.MFA_REQUIRED = False
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}
    }
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/9"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "kompetence.mfa.RequireTwoFactorMiddleware"]

    ids = {p.id for p in portal_security_checks(None)}

    assert {"kompetence.E003", "kompetence.E004", "kompetence.E005", "kompetence.E008"} <= ids
