"""Competence needs registered straight on the firm page, and their status (identificeret, i gang,
dækket, droppet)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies import services
from companies.models import CompetenceNeed
from tests.companies.factories import CompanyFactory, CompetenceNeedFactory


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def create_url(firm) -> str:
    return reverse("companies:need_create", args=[firm.pk])


def status_url(need) -> str:
    return reverse("companies:need_set_status", args=[need.pk])


def test_need_is_registered_on_the_firm_page_with_staff_groups(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(
        create_url(firm),
        {
            "area": "groen",
            "description": "Energistyring i produktionen",
            "employees_affected": "12",
            "staff_groups": ["staff_skilled", "staff_salaried"],
            "urgency": "lav",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == firm.get_absolute_url() + "#behov"
    need = CompetenceNeed.objects.get()
    assert (need.company, need.visit, need.created_by) == (firm, None, consultant_a)
    assert (need.area, need.employees_affected, need.urgency) == ("groen", 12, "lav")
    assert need.staff_groups == ["Faglærte", "Funktionærer"]
    assert need.status == CompetenceNeed.Status.IDENTIFIED


def test_need_form_has_the_danish_labels(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(create_url(firm)).content.decode()

    for label in ("Område", "Beskrivelse", "Antal medarbejdere", "Ufaglærte", "Faglærte", "Funktionærer", "Ledere"):
        assert label in html, label


def test_need_needs_an_area_and_a_description(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(create_url(firm), {"area": "", "description": "", "urgency": "middel"})

    errors = response.context["form"].errors
    assert errors["area"] == ["Dette felt er påkrævet."]
    assert errors["description"] == ["Dette felt er påkrævet."]
    assert not CompetenceNeed.objects.exists()


def test_need_refuses_zero_employees(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(
        create_url(firm), {"area": "it", "description": "IT", "employees_affected": "0", "urgency": "middel"}
    )

    assert "employees_affected" in response.context["form"].errors


@pytest.mark.parametrize(
    "status", [CompetenceNeed.Status.IN_PROGRESS, CompetenceNeed.Status.COVERED, CompetenceNeed.Status.DROPPED]
)
def test_need_status_changes_from_the_firm_page(client_for, consultant_a, firm, status):
    need = CompetenceNeedFactory(company=firm)

    response = client_for(consultant_a).post(status_url(need), {"status": status})

    assert response.status_code == 302
    assert response["Location"] == firm.get_absolute_url() + "#behov"
    need.refresh_from_db()
    assert need.status == status


def test_covered_and_dropped_needs_leave_the_open_list(client_for, consultant_a, firm):
    open_need = CompetenceNeedFactory(company=firm, description="Stadig åbent")
    CompetenceNeedFactory(company=firm, description="Dækket", status=CompetenceNeed.Status.COVERED)
    CompetenceNeedFactory(company=firm, description="Droppet", status=CompetenceNeed.Status.DROPPED)

    page = client_for(consultant_a).get(firm.get_absolute_url()).context["page"]

    assert page.open_needs == [open_need]


def test_need_status_refuses_an_unknown_status(client_for, consultant_a, firm):
    need = CompetenceNeedFactory(company=firm)

    client_for(consultant_a).post(status_url(need), {"status": "slettet"})

    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.IDENTIFIED
    with pytest.raises(services.ValidationError):
        services.need_set_status(need=need, status="slettet", by=None)


def test_need_of_another_partnership_is_404(client_for, consultant_b, firm):
    need = CompetenceNeedFactory(company=firm)

    assert client_for(consultant_b).post(status_url(need), {"status": "droppet"}).status_code == 404
    assert client_for(consultant_b).get(create_url(firm)).status_code == 404
    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.IDENTIFIED


def test_management_cannot_register_or_change_needs(client_for, management, firm):
    need = CompetenceNeedFactory(company=firm)
    client = client_for(management)

    assert client.get(create_url(firm)).status_code == 403
    assert client.post(status_url(need), {"status": "droppet"}).status_code == 403
    assert "Registrér kompetencebehov" not in client.get(firm.get_absolute_url()).content.decode()
