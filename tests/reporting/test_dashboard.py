"""The landing page: each role sees its own dashboard, built from what it may see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import CompanyFactory


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.mark.django_db
def test_consultant_sees_own_overdue_follow_up_first_and_not_other_partnerships(
    client_for, consultant_a, consultant_b, partnership_a, partnership_b, today
):
    CompanyFactory(
        name="Forfalden Maskinfabrik A/S",
        partnership=partnership_a,
        lead_consultant=consultant_a,
        next_follow_up_on=today - dt.timedelta(days=3),
    )
    CompanyFactory(
        name="Senere Smedie ApS",
        partnership=partnership_a,
        lead_consultant=consultant_a,
        next_follow_up_on=today + dt.timedelta(days=5),
    )
    CompanyFactory(
        name="Fjern Fremtid ApS",
        partnership=partnership_a,
        lead_consultant=consultant_a,
        next_follow_up_on=today + dt.timedelta(days=60),
    )
    CompanyFactory(
        name="Anden Partner A/S",
        partnership=partnership_b,
        lead_consultant=consultant_b,
        next_follow_up_on=today - dt.timedelta(days=1),
    )

    html = client_for(consultant_a).get(reverse("dashboard")).content.decode()

    assert "Dine opfølgninger" in html
    assert html.index("Forfalden Maskinfabrik A/S") < html.index("Senere Smedie ApS")
    assert "Overskredet" in html
    assert "Fjern Fremtid ApS" not in html
    assert "Anden Partner A/S" not in html


@pytest.mark.django_db
def test_management_sees_programme_totals_but_no_personal_follow_ups(
    client_for, management, partnership_a, partnership_b
):
    CompanyFactory.create_batch(2, partnership=partnership_a)
    CompanyFactory.create_batch(3, partnership=partnership_b)

    response = client_for(management).get(reverse("dashboard"))
    html = response.content.decode()

    assert "Virksomheder i programmet" in html
    assert response.context["case_totals"]["firms"] == 5
    assert "Dine opfølgninger" not in html


@pytest.mark.django_db
def test_consultant_counts_only_firms_of_own_partnerships(client_for, consultant_a, partnership_a, partnership_b):
    CompanyFactory.create_batch(2, partnership=partnership_a)
    CompanyFactory.create_batch(3, partnership=partnership_b)

    response = client_for(consultant_a).get(reverse("dashboard"))

    assert response.context["case_totals"]["firms"] == 2


@pytest.mark.django_db
def test_the_cached_firm_figures_follow_every_change(
    client_for, consultant_a, consultant_b, partnership_a, partnership_b, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from companies.models import CompetenceNeed, Visit
    from tests.companies.factories import CompetenceNeedFactory, VisitFactory

    client = client_for(consultant_a)

    def totals():
        return client.get(reverse("dashboard")).context["case_totals"]

    firm = CompanyFactory(partnership=partnership_a)
    assert totals() == {"firms": 1, "visits_this_year": 0, "joint_visits_this_year": 0, "open_needs": 0}

    VisitFactory(company=firm, visit_date=today, kind=Visit.Kind.JOINT)
    need = CompetenceNeedFactory(company=firm)
    CompanyFactory(partnership=partnership_b)
    assert totals() == {"firms": 1, "visits_this_year": 1, "joint_visits_this_year": 1, "open_needs": 1}

    # Unchanged data: counted once, then read from the cache.
    with CaptureQueriesContext(connection) as queries:
        assert totals()["open_needs"] == 1
    joint_counts = [q for q in queries.captured_queries if 'FILTER (WHERE "companies_visit"."kind"' in q["sql"]]
    assert joint_counts == []

    need.status = CompetenceNeed.Status.COVERED
    need.save()
    assert totals()["open_needs"] == 0

    firm.partnership = partnership_b
    firm.save()
    assert totals() == {"firms": 0, "visits_this_year": 0, "joint_visits_this_year": 0, "open_needs": 0}
    # The cache is keyed by the partnerships: another partnership's consultant gets its own figures.
    assert client_for(consultant_b).get(reverse("dashboard")).context["case_totals"]["firms"] == 2
