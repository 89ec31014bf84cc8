"""The companies admin: every model registered, and the firm changelist stays cheap."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from companies.models import AgendaProposal, Company, CompetenceNeed, ContactPerson, SharingConsent, StatusChange, Visit
from tests.companies.factories import CompanyFactory, VisitFactory


def test_companies_models_are_registered_in_admin():
    for model in (Company, ContactPerson, Visit, CompetenceNeed, AgendaProposal, SharingConsent, StatusChange):
        assert admin.site.is_registered(model)


@pytest.mark.parametrize("n", [3, 40])
def test_admin_company_changelist_query_count_is_constant(
    client_for, administrator, partnership_a, consultant_a, django_assert_max_num_queries, n
):
    CompanyFactory.create_batch(n, partnership=partnership_a, lead_consultant=consultant_a, industry_section_id="C")
    client = client_for(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("admin:companies_company_changelist"), {"q": "Test"})
    assert response.status_code == 200


def test_admin_visit_has_history(client_for, administrator, partnership_a):
    visit = VisitFactory(company=CompanyFactory(partnership=partnership_a))
    url = reverse("admin:companies_visit_history", args=[visit.pk])
    assert client_for(administrator).get(url).status_code == 200


def test_admin_company_search_by_cvr_is_exact(client_for, administrator, partnership_a):
    wanted = CompanyFactory(partnership=partnership_a, name="Fundet")
    CompanyFactory(partnership=partnership_a, name="Ikke fundet")
    response = client_for(administrator).get(reverse("admin:companies_company_changelist"), {"q": wanted.cvr})
    assert [c.name for c in response.context["cl"].result_list] == ["Fundet"]
