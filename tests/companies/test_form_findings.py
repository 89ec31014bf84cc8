"""Findings on the firm and case forms: registering a firm outside one's own partnerships asks first
(naming the partnership), own municipalities first; a step back in the case status offers the reason
field; the visit form offers only active, logged-in colleagues and refuses dates before 2017 next to
the field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from companies.forms.firms import CompanyForm
from companies.models import CaseStatus, Company, StatusChange, Visit
from tests.companies.factories import CompanyFactory, visit_post_data
from tests.companies.test_firms_register import CREATE, form_data
from tests.companies.test_visits import error_next_to
from tests.factories import MembershipFactory, UserFactory

HERNING = 657  # partnership_b's municipality


# ---------------------------------------------------------------------------
# A firm outside one's own partnerships
# ---------------------------------------------------------------------------
def test_registering_in_another_partnerships_municipality_asks_first_naming_it(
    client_for, consultant_a, partnership_a, partnership_b
):
    response = client_for(consultant_a).post(CREATE, form_data(municipality=HERNING, name="Herning Værk ApS"))

    assert response.status_code == 200
    assert not Company.objects.exists()
    html = response.content.decode()
    assert "Registrér virksomheden i LKS Beta?" in html
    assert "Du er ikke medlem af LKS Beta, så du vil ikke kunne åbne virksomheden" in html
    assert f'name="bekraeft_partnerskab" value="{partnership_b.pk}"' in html
    assert '<input type="hidden" name="name" value="Herning Værk ApS">' in html


def test_confirming_registers_the_firm_in_the_named_partnership(client_for, consultant_a, partnership_a, partnership_b):
    data = form_data(municipality=HERNING, bekraeft_partnerskab=partnership_b.pk)
    response = client_for(consultant_a).post(CREATE, data, follow=True)

    company = Company.objects.get()
    assert company.partnership == partnership_b
    assert response.redirect_chain[-1][0] == reverse("companies:list")
    assert "som du ikke er medlem af, så du kan ikke åbne den" in response.content.decode()


def test_a_confirmation_for_another_partnership_asks_again(client_for, consultant_a, partnership_a, partnership_b):
    response = client_for(consultant_a).post(
        CREATE, form_data(municipality=HERNING, bekraeft_partnerskab=partnership_a.pk)
    )

    assert "Registrér virksomheden i LKS Beta?" in response.content.decode()
    assert not Company.objects.exists()


def test_going_back_from_the_confirmation_shows_the_form_as_filled_in(
    client_for, consultant_a, partnership_a, partnership_b
):
    response = client_for(consultant_a).post(CREATE, form_data(municipality=HERNING, name="Tilbage ApS", ret="1"))

    assert response.templates[0].name == "companies/company_form.html"
    assert 'value="Tilbage ApS"' in response.content.decode()
    assert not Company.objects.exists()


def test_own_partnership_registers_without_asking(client_for, consultant_a, partnership_a):
    assert client_for(consultant_a).post(CREATE, form_data()).status_code == 302
    assert Company.objects.get().partnership == partnership_a


def _municipality_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="municipality".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)


def test_own_municipalities_come_first_in_the_select(client_for, consultant_a, partnership_a, management):
    options = _municipality_options(client_for(consultant_a).get(CREATE).content.decode())
    assert options[0] == "Aarhus"
    assert options[1:] == sorted(options[1:])
    assert "Herning" in options
    # Who sees every partnership (management) gets them alphabetically.
    everyone = [m.name for m in CompanyForm(user=management).fields["municipality"].queryset]
    assert everyone == sorted(everyone) and len(everyone) == 19


# ---------------------------------------------------------------------------
# A step back in the case status
# ---------------------------------------------------------------------------
@pytest.fixture
def visited(partnership_a):
    return CompanyFactory(partnership=partnership_a, status=CaseStatus.VISITED)


def test_a_step_back_without_a_reason_offers_the_reason_field_with_the_message(client_for, consultant_a, visited):
    url = reverse("companies:set_status", args=[visited.pk])
    response = client_for(consultant_a).post(url, {"status": CaseStatus.IDENTIFIED, "note": ""})

    assert response.status_code == 200
    assert error_next_to(response, "id_note") == "Skriv hvorfor sagen går tilbage fra »Besøgt« til »Identificeret«."
    html = response.content.decode()
    assert "data-error-summary" in html and '<a href="#id_note" class="alert-link">' in html
    assert re.search(r'<option value="identificeret" selected>', html)
    visited.refresh_from_db()
    assert visited.status == CaseStatus.VISITED
    assert not StatusChange.objects.exists()

    client_for(consultant_a).post(url, {"status": CaseStatus.IDENTIFIED, "note": "Ejeren skiftet"})
    visited.refresh_from_db()
    assert visited.status == CaseStatus.IDENTIFIED
    assert StatusChange.objects.get().note == "Ejeren skiftet"


# ---------------------------------------------------------------------------
# The visit form's participants and dates
# ---------------------------------------------------------------------------
def test_visit_form_offers_neither_invited_nor_inactive_members(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a)
    invited = UserFactory(first_name="Inviteret", last_name="Endnu")
    invited.set_unusable_password()
    invited.save()
    MembershipFactory(user=invited, partnership=partnership_a)
    former = UserFactory(first_name="Fratrådt", last_name="Før", is_active=False)
    MembershipFactory(user=former, partnership=partnership_a)

    html = client_for(consultant_a).get(reverse("companies:visit_create", args=[firm.pk])).content.decode()

    assert "Anna" in html
    assert "Inviteret" not in html and "Fratrådt" not in html

    data = visit_post_data(consultants=[consultant_a, invited])
    response = client_for(consultant_a).post(reverse("companies:visit_create", args=[firm.pk]), data)
    assert response.status_code == 200
    assert "consultants" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_visit_before_2017_is_refused_next_to_the_date(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a)
    data = visit_post_data(consultants=[consultant_a], visit_date="1900-01-01")

    response = client_for(consultant_a).post(reverse("companies:visit_create", args=[firm.pk]), data)

    assert error_next_to(response, "id_visit_date") == (
        "Besøgsdatoen kan ikke ligge før programmets start (1. januar 2017)."
    )
    assert not Visit.objects.exists()
