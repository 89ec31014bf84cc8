"""Administrators invite people; the invited person chooses a password through a one-time link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from partnerships.models import Role, User
from tests.factories import OrganisationFactory

INVITE_URL = reverse("partnerships:user_invite")
NEW_PASSWORD = "Solsikke-Tømrer-2024"


def invitation_form(**overrides) -> dict:
    data = {
        "email": "ny.konsulent@example.dk",
        "first_name": "Nina",
        "last_name": "Nielsen",
        "job_title": "Virksomhedskonsulent",
        "organisation": OrganisationFactory(name="Jobcenter Test").pk,
        "role": Role.CONSULTANT.value,
    }
    data.update(overrides)
    return data


def link_in(message) -> str:
    """The invitation link in the e-mail, as a path the test client can follow."""
    match = re.search(r"http://testserver(/invitation/[^/\s]+/[^/\s]+/)", message.body)
    assert match, f"no invitation link in the e-mail:\n{message.body}"
    return match.group(1)


@pytest.fixture
def invited(client_for, administrator, partnership_a, django_capture_on_commit_callbacks) -> User:
    """Nina, invited as a consultant in partnership A by the administrator."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(INVITE_URL, invitation_form(partnerships=[partnership_a.pk]))
    assert response.status_code == 302, response.content.decode()
    return User.objects.get(email="ny.konsulent@example.dk")


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD):
    # The link redirects to a URL without the token (kept in the session), like Django's
    # password reset, so the token never leaks through the Referer header.
    form_page = client.get(link, follow=True)
    return form_page, client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
        follow=True,
    )


def test_invited_user_exists_without_a_usable_password(invited, administrator, partnership_a):
    assert not invited.has_usable_password()
    assert invited.role == Role.CONSULTANT
    assert list(invited.partnerships.all()) == [partnership_a]
    assert invited.invited_by == administrator
    assert invited.invited_at is not None


def test_invitation_email_contains_a_link_to_choose_a_password(invited):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.konsulent@example.dk"]
    assert message.subject == "[Kompetenceportalen] Invitation til Kompetenceportalen"
    assert "Goddag Nina" in message.body
    assert link_in(message)


def test_administrator_sees_a_confirmation_after_inviting(client_for, administrator, partnership_a):
    response = client_for(administrator).post(INVITE_URL, invitation_form(partnerships=[partnership_a.pk]), follow=True)

    assert response.redirect_chain == [(reverse("partnerships:user_list"), 302)]
    assert "Nina Nielsen er inviteret." in response.content.decode()


def test_no_email_is_sent_before_the_invitation_is_committed(client_for, administrator, partnership_a):
    # The test's transaction never commits, so on_commit callbacks never run: had the view sent
    # the mail directly, it would be in the outbox now.
    client_for(administrator).post(INVITE_URL, invitation_form(partnerships=[partnership_a.pk]))

    assert mail.outbox == []


def test_following_the_link_and_choosing_a_password_logs_in_on_the_dashboard(invited):
    client = Client()

    form_page, response = choose_password(client, link_in(mail.outbox[0]))

    assert "Vælg en adgangskode til ny.konsulent@example.dk" in form_page.content.decode()
    assert response.redirect_chain[-1] == (reverse("dashboard"), 302)
    assert response.context["user"] == invited
    page = response.content.decode()
    assert "Goddag, Nina" in page
    assert "Velkommen til Kompetenceportalen. Din adgangskode er gemt." in page
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)


def test_the_chosen_password_works_for_the_next_login(invited):
    choose_password(Client(), link_in(mail.outbox[0]))

    response = Client().post("/accounts/login/", {"login": "ny.konsulent@example.dk", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_the_link_works_only_once(invited):
    link = link_in(mail.outbox[0])
    choose_password(Client(), link)

    second_visit = Client().get(link, follow=True)

    page = second_visit.content.decode()
    assert "Linket virker ikke længere" in page
    assert 'name="new_password1"' not in page


def test_a_tampered_link_does_not_work(invited):
    link = link_in(mail.outbox[0])
    tampered = link[:-3] + "xx/"

    page = Client().get(tampered, follow=True).content.decode()

    assert "Linket virker ikke længere" in page


def test_consultant_may_not_open_the_invitation_page(client_for, consultant_a):
    client = client_for(consultant_a)

    assert client.get(INVITE_URL).status_code == 403
    assert client.post(INVITE_URL, invitation_form()).status_code == 403
    assert not User.objects.filter(email="ny.konsulent@example.dk").exists()


@pytest.mark.parametrize("cast_member", ["secretariat_a", "management"])
def test_only_administrators_may_invite(client_for, cast_member, request):
    assert client_for(request.getfixturevalue(cast_member)).get(INVITE_URL).status_code == 403


def field_error(page: str, field: str) -> str:
    """The error text crispy renders right under the field (its id ties it to the input)."""
    match = re.search(rf'id="error_\d+_id_{field}"[^>]*>(.*?)</', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def test_inviting_an_existing_email_shows_a_danish_error_at_the_field(
    client_for, administrator, consultant_a, partnership_a
):
    response = client_for(administrator).post(
        INVITE_URL, invitation_form(email="KONSULENT.A@example.dk", partnerships=[partnership_a.pk])
    )

    assert response.status_code == 200
    assert field_error(response.content.decode(), "email") == "Der findes allerede en bruger med denne e-mail."
    assert User.objects.filter(email__iexact="konsulent.a@example.dk").count() == 1
    assert mail.outbox == []


def test_inviting_a_consultant_without_partnerships_shows_an_error(
    client_for, administrator, partnership_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(INVITE_URL, invitation_form())

    assert response.status_code == 200
    assert (
        field_error(response.content.decode(), "partnerships")
        == "Vælg mindst ét partnerskab for en konsulent eller et sekretariat."
    )
    assert not User.objects.filter(email="ny.konsulent@example.dk").exists()
    assert mail.outbox == []


def test_management_can_be_invited_without_partnerships(client_for, administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(administrator).post(INVITE_URL, invitation_form(role=Role.MANAGEMENT.value))

    assert User.objects.get(email="ny.konsulent@example.dk").role == Role.MANAGEMENT
    assert len(mail.outbox) == 1
