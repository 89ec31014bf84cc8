"""One name per system, natural Danish messages, and no membership notice for project management."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from partnerships.models import System
from tests.factories import UserFactory


@pytest.mark.django_db
def test_every_system_has_one_name():
    assert {s.code: (s.name, s.short_name) for s in System.objects.all()} == {
        "business": ("Erhvervsservice", "Erhvervsservice"),
        "employment": ("Beskæftigelse", "Beskæftigelse"),
        "education": ("Uddannelse", "Uddannelse"),
        "operator": ("Projektoperatør", "Projektoperatør"),
    }


def test_login_says_in_plain_danish_who_is_logged_in(client, consultant_a):
    consultant_a.set_password("en-god-adgangskode-1")
    consultant_a.save()

    response = client.post(
        reverse("account_login"), {"login": consultant_a.email, "password": "en-god-adgangskode-1"}, follow=True
    )

    page = response.content.decode()
    assert f"Du er logget ind som {consultant_a.get_full_name()}." in page
    assert "succesfuldt" not in page


def test_logout_and_password_change_messages_are_danish(client_for, consultant_a):
    client = client_for(consultant_a)
    consultant_a.set_password("en-god-adgangskode-1")
    consultant_a.save()
    client.force_login(consultant_a)

    changed = client.post(
        reverse("account_change_password"),
        {"oldpassword": "en-god-adgangskode-1", "password1": "Et-nyt-kodeord-2026", "password2": "Et-nyt-kodeord-2026"},
        follow=True,
    )
    assert "Din adgangskode er skiftet." in changed.content.decode()

    out = client.post(reverse("account_logout"), follow=True)
    assert "Du er logget ud." in out.content.decode()


def test_management_is_not_told_it_is_in_no_partnership(client_for, management):
    page = client_for(management).get(reverse("dashboard")).content.decode()

    assert "ikke medlem af noget partnerskab" not in page


def test_a_consultant_without_partnerships_is_told_so(client_for, partnership_a):
    loner = UserFactory(role="Konsulent")

    page = client_for(loner).get(reverse("dashboard")).content.decode()

    assert "Du er ikke medlem af noget partnerskab." in page


def test_the_firm_timeline_names_the_business_system_in_full(client_for, consultant_a, partnership_a):
    from tests.companies.factories import CompanyFactory, VisitFactory, consultant_in

    business = consultant_in(partnership_a, system=System.BUSINESS)
    company = CompanyFactory(partnership=partnership_a)
    VisitFactory(company=company, consultants=[consultant_a, business])

    page = client_for(consultant_a).get(reverse("companies:detail", args=[company.pk])).content.decode()

    assert "Erhvervsservice</span>" in page
    assert not re.search(r">Erhverv</span>", page)
