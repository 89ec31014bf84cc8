"""Failed logins are limited per (account, client address), and more loosely per address, in the
database; nobody elsewhere can lock a user out; everything lands in the audit log (issue 7, item 1).
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from kompetence.audit import client_ip
from kompetence.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"
WRONG = "forkert-adgangskode-42"
LOCKED = "Log ind er midlertidigt spærret"
TOO_MANY = "Der er for mange mislykkede logonforsøg. Prøv igen senere."


def log_in(client: Client, email: str, password: str):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def from_address(ip: str, **extra) -> Client:
    return Client(REMOTE_ADDR=ip, **extra)


def test_five_wrong_passwords_lock_the_account_from_that_address_with_a_danish_page(consultant_a):
    attacker = from_address("203.0.113.5")
    for _attempt in range(4):
        assert log_in(attacker, consultant_a.email, WRONG).status_code == 200

    fifth = log_in(attacker, consultant_a.email, WRONG)
    right_password = log_in(attacker, consultant_a.email, DEFAULT_PASSWORD)

    assert fifth.status_code == 429
    assert right_password.status_code == 429
    assert LOCKED in right_password.content.decode()
    assert not logged_in(attacker)


def test_a_lockout_elsewhere_does_not_lock_the_user_out(consultant_a):
    attacker = from_address("203.0.113.5")
    for _attempt in range(10):
        log_in(attacker, consultant_a.email, WRONG)

    at_work = from_address("198.51.100.7")
    response = log_in(at_work, consultant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert logged_in(at_work)


def test_a_locked_address_can_still_log_in_to_other_accounts(consultant_a, consultant_b):
    shared = from_address("203.0.113.5")
    for _attempt in range(5):
        log_in(shared, consultant_a.email, WRONG)

    response = log_in(shared, consultant_b.email, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored(settings, consultant_a):
    settings.TRUSTED_PROXY_COUNT = 0
    for forged in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"):
        log_in(from_address("203.0.113.5", HTTP_X_FORWARDED_FOR=forged), consultant_a.email, WRONG)

    # Every attempt counted against the real address, whatever the header said.
    response = log_in(from_address("203.0.113.5"), consultant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 429


def test_behind_a_trusted_proxy_users_are_told_apart_by_the_forwarded_address(settings, consultant_a):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    attacker = from_address(proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _attempt in range(6):
        log_in(attacker, consultant_a.email, WRONG)

    colleague = from_address(proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = log_in(colleague, consultant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="login_failed", ip_address="203.0.113.5").count() >= 5
    assert not AuditEvent.objects.filter(kind="login_failed", ip_address=proxy).exists()


def test_client_ip_takes_the_address_the_trusted_proxy_saw(settings, rf):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    assert client_ip(request) == "203.0.113.5"  # the client wrote "6.6.6.6" itself

    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"

    settings.TRUSTED_PROXY_COUNT = 3  # fewer entries than proxies: did not come through them
    assert client_ip(request) == "10.0.0.2"

    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")) is None


def test_many_failures_from_one_address_on_many_accounts_close_that_address_only(settings, consultant_a, db):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    sprayer = from_address("203.0.113.9")
    for number in range(8):
        log_in(sprayer, f"gaet{number}@example.dk", WRONG)

    refused = log_in(sprayer, consultant_a.email, DEFAULT_PASSWORD)
    elsewhere = log_in(from_address("198.51.100.7"), consultant_a.email, DEFAULT_PASSWORD)

    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert not logged_in(sprayer)
    assert elsewhere.status_code == 302
    assert AuditEvent.objects.filter(kind="locked_out", detail__scope="address").exists()


def test_failed_logins_and_lockouts_are_audited_without_the_password(consultant_a):
    attacker = from_address("203.0.113.5")
    for _attempt in range(5):
        log_in(attacker, consultant_a.email.upper(), WRONG)

    failed = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert failed.count() == 5
    event = failed.first()
    assert (event.identifier, event.ip_address) == (consultant_a.email, "203.0.113.5")
    assert event.at is not None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT, identifier=consultant_a.email).exists()
    for row in AuditEvent.objects.values_list("identifier", "detail"):
        assert WRONG not in str(row)


def test_successful_login_is_audited(consultant_a):
    log_in(from_address("198.51.100.7"), consultant_a.email, DEFAULT_PASSWORD)

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN)
    assert (event.user, event.ip_address) == (consultant_a, "198.51.100.7")


def test_password_reset_request_is_audited_and_unknown_addresses_get_no_mail(consultant_a):
    client = from_address("198.51.100.7")

    client.post("/accounts/password/reset/", {"email": consultant_a.email})
    client.post("/accounts/password/reset/", {"email": "ukendt@example.dk"})

    assert [message.to for message in mail.outbox] == [[consultant_a.email]]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PASSWORD_RESET_REQUESTED)
    assert (event.user, event.ip_address) == (consultant_a, "198.51.100.7")


@pytest.mark.django_db
def test_reset_password_mail_is_not_sent_to_a_deactivated_user():
    user = UserFactory(email="stoppet@example.dk", is_active=False)

    Client().post("/accounts/password/reset/", {"email": user.email})

    assert mail.outbox == []
