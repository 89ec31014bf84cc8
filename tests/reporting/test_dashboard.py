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
