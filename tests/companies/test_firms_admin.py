"""The companies admin: every model registered, and the firm changelist stays cheap."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from companies.models import (
    AgendaProposal,
    Company,
    CompetenceNeed,
    ContactPerson,
    PublicRequest,
    RecruitmentNeed,
    SharingConsent,
    StatusChange,
    Visit,
)
from companies.services import recruitment as recruitment_services
from companies.services import requests as request_services
from partnerships.models import Municipality
from tests.companies.factories import CompanyFactory, VisitFactory, valid_cvr


def test_companies_models_are_registered_in_admin():
    models = (Company, ContactPerson, Visit, CompetenceNeed, AgendaProposal, SharingConsent, StatusChange)
    for model in (*models, PublicRequest, RecruitmentNeed):
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


def test_the_administrator_finds_requests_and_recruitment_needs_in_the_admin(
    client_for, administrator, partnership_a, consultant_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_submit(
            cvr=valid_cvr(45000001),
            company_name="Henvendelse ApS",
            postcode="8000",
            municipality=Municipality.objects.get(code=751),
            contact_name="Lise Holm",
            contact_email="lise@henvendelse.dk",
            contact_phone="12345678",
            needs=["need_upskilling"],
            description="Vi skal have opkvalificeret vores operatører.",
            consent=True,
        )
    firm = CompanyFactory(partnership=partnership_a, lead_consultant=consultant_a)
    recruitment_services.recruitment_create(
        company=firm, by=consultant_a, job_title="CNC-operatør", positions=2, skills="Heidenhain", deadline=None
    )
    client = client_for(administrator)

    requests_page = client.get(reverse("admin:companies_publicrequest_changelist"), {"q": "Henvendelse"})
    assert requests_page.status_code == 200
    assert [r.company_name for r in requests_page.context["cl"].result_list] == ["Henvendelse ApS"]
    request = PublicRequest.objects.get()
    assert client.get(reverse("admin:companies_publicrequest_change", args=[request.pk])).status_code == 200
    # Requests arrive only through the public form.
    assert client.get(reverse("admin:companies_publicrequest_add")).status_code == 403

    needs_page = client.get(reverse("admin:companies_recruitmentneed_changelist"))
    assert needs_page.status_code == 200
    assert [n.job_title for n in needs_page.context["cl"].result_list] == ["CNC-operatør"]
