"""The companies forms use the shared form helpers (kompetence/forms.py): Danish numbers, the error
summary linked to the fields, length limits stated and refused (never cut), and the visit form that
Enter does not send."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from companies.models import Company, SizeClass, Visit
from tests.companies.factories import CompanyFactory, visit_post_data
from tests.companies.test_firms_register import CREATE, form_data


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def _input(html: str, name: str) -> str:
    match = re.search(rf'<(?:input|textarea)[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


# ---------------------------------------------------------------------------
# Danish numbers
# ---------------------------------------------------------------------------
def test_turnover_typed_with_a_decimal_comma_is_three_and_a_half_million_and_the_firm_stays_small(
    client_for, consultant_a, partnership_a
):
    response = client_for(consultant_a).post(CREATE, form_data(employees="35", turnover_eur_m="3,5"))

    assert response.status_code == 302, response.context["form"].errors
    company = Company.objects.get(name="Nyfirma ApS")
    assert company.turnover_eur_m == Decimal("3.5")
    assert company.size_class == SizeClass.SMALL  # 35 (million) would have made it medium-sized


def test_firm_numbers_read_with_thousands_separators(client_for, consultant_a, partnership_a):
    client_for(consultant_a).post(CREATE, form_data(employees="1.234", turnover_eur_m="1.234,5", balance_eur_m="2,25"))

    company = Company.objects.get(name="Nyfirma ApS")
    assert (company.employees, company.turnover_eur_m, company.balance_eur_m) == (
        1234,
        Decimal("1234.5"),
        Decimal("2.25"),
    )
    assert company.size_class == SizeClass.LARGE


def test_firm_form_numbers_are_text_inputs_shown_with_a_decimal_comma(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a, turnover_eur_m=Decimal("3.5"), employees=1250)
    html = client_for(consultant_a).get(reverse("companies:update", args=[company.pk])).content.decode()

    turnover = _input(html, "turnover_eur_m")
    assert 'type="text"' in turnover and 'inputmode="decimal"' in turnover
    assert 'value="3,50"' in turnover
    employees = _input(html, "employees")
    assert 'inputmode="numeric"' in employees and 'value="1.250"' in employees


def test_a_number_that_is_not_one_gets_a_danish_message_next_to_the_field(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(turnover_eur_m="3,5 mio"))

    assert response.status_code == 200
    assert response.context["form"].errors["turnover_eur_m"] == ["Skriv tallet med cifrene 0-9 og evt. komma, fx 3,5."]
    assert not Company.objects.filter(name="Nyfirma ApS").exists()


def test_need_employees_affected_reads_danish_thousands(client_for, consultant_a, firm):
    data = {
        "area": "digitalisering",
        "description": "Robotter",
        "employees_affected": "1.200",
        "urgency": "middel",
    }
    response = client_for(consultant_a).post(reverse("companies:need_create", args=[firm.pk]), data)

    assert response.status_code == 302
    assert firm.needs.get().employees_affected == 1200


# ---------------------------------------------------------------------------
# The error summary
# ---------------------------------------------------------------------------
def test_failed_visit_save_shows_a_summary_linking_each_error_to_its_field(client_for, consultant_a, firm):
    data = visit_post_data(
        consultants=[],
        visit_date="1900-01-01",
        needs=[{"area": "digitalisering", "description": "", "employees_affected": "mange"}],
    )
    response = client_for(consultant_a).post(reverse("companies:visit_create", args=[firm.pk]), data)

    assert response.status_code == 200
    assert not Visit.objects.exists()
    html = response.content.decode()
    summary = re.search(r"<div[^>]*data-error-summary.*?</div>", html, re.S)
    assert summary, "no error summary"
    summary_html = summary.group(0)
    assert "Besøget er ikke gemt" in summary_html
    assert summary_html.index("Besøget er ikke gemt") < html.index('name="visit_date"') - summary.start()
    links = dict(re.findall(r'<a href="#([^"]+)" class="alert-link">(.*?)</a>', summary_html))
    assert "Besøgsdato: Besøgsdatoen kan ikke ligge før programmets start (1. januar 2017)." in links["id_visit_date"]
    assert links["id_consultants_0"].endswith("Vælg mindst én deltagende konsulent.")
    assert links["id_behov-0-employees_affected"].startswith("Behov 1: ")
    assert "id_behov-0-description" in links


def test_firm_form_summary_links_to_the_field(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(name="", turnover_eur_m="x"))

    html = response.content.decode()
    assert "data-error-summary" in html
    assert '<a href="#id_name" class="alert-link">' in html
    assert '<a href="#id_turnover_eur_m" class="alert-link">' in html


def test_contact_form_has_the_error_summary(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(
        reverse("companies:contact_create", args=[firm.pk]), {"name": "", "role": "leder"}
    )

    assert response.status_code == 200
    assert '<a href="#id_name" class="alert-link">' in response.content.decode()


# ---------------------------------------------------------------------------
# Length limits: stated, counted, refused with a message, never cut
# ---------------------------------------------------------------------------
def test_visit_summary_states_its_limit_and_the_browser_is_not_told_to_cut(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(reverse("companies:visit_create", args=[firm.pk])).content.decode()

    summary = _input(html, "summary")
    assert " maxlength=" not in summary
    assert 'data-char-counter=""' in summary and 'data-maxlength="10000"' in summary
    assert "Højst 10.000 tegn." in html
    assert 'data-maxlength="2000"' in _input(html, "growth_plans")


def test_a_too_long_pasted_summary_is_refused_whole_with_a_message(client_for, consultant_a, firm):
    pasted = "Referat af besøget. " * 1000  # 20,000 characters
    data = visit_post_data(consultants=[consultant_a], summary=pasted)
    response = client_for(consultant_a).post(reverse("companies:visit_create", args=[firm.pk]), data)

    assert response.status_code == 200
    assert not Visit.objects.exists()
    assert response.context["form"].errors["summary"] == ["Må højst være 10000 tegn (teksten er 19999 tegn)."]
    assert pasted.strip() in response.content.decode()  # what was pasted is shown again, whole


# ---------------------------------------------------------------------------
# Enter does not send the visit form
# ---------------------------------------------------------------------------
def test_visit_form_is_marked_so_enter_does_not_send_it(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(reverse("companies:visit_create", args=[firm.pk])).content.decode()

    form_tag = re.search(r'<form[^>]*id="besoegsformular"[^>]*>', html).group(0)
    assert "data-no-enter-submit" in form_tag
    # Without JavaScript, Enter presses the first submit button: it must only save a draft.
    first_button = re.search(r'<button type="submit"[^>]*>', html[html.index(form_tag) :]).group(0)
    assert 'value="draft"' in first_button
