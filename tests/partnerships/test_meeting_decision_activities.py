"""A decision names the activities to offer from the programme's catalogue; through the
``decision_recorded`` hook (registered by the activities app) each becomes a draft activity plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityPlan
from companies.models import CaseStatus, Decision
from partnerships.models import ActivityType
from tests.companies.factories import AgendaProposalFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def _case_item(client, meeting, firm, proposer):
    proposal = AgendaProposalFactory(company=firm, proposed_by=proposer)
    client.post(reverse("companies:meeting_add_cases", args=[meeting.pk]), {"proposal": proposal.pk})
    return proposal.agenda_items.get()


def _values(lead, **fields):
    return {
        "text": "Vækststrategi og uddannelsesplaner for operatørerne.",
        "lead_consultant": lead.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
        "case_status": CaseStatus.AGREED,
        **fields,
    }


def test_the_decision_form_offers_the_catalogue_and_each_chosen_activity_becomes_a_draft_plan(
    running_meeting, client_for, secretariat_a, business_a, partnership_a
):
    firm = CompanyFactory(partnership=partnership_a, name="Hammel Stål ApS", status=CaseStatus.VISITED)
    client = client_for(secretariat_a)
    case_item = _case_item(client, running_meeting, firm, business_a)
    url = reverse("companies:decision_create", args=[case_item.pk])
    strategy = ActivityType.objects.get(code="vaekststrategi")
    plan_type = ActivityType.objects.get(code="uddannelsesplan")

    form = client.get(url).content.decode()
    assert "Aktiviteter, der tilbydes" in form
    assert strategy.name in form and plan_type.name in form

    response = client.post(url, _values(business_a, activity_types=[strategy.pk, plan_type.pk]))

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert set(decision.activity_types.values_list("code", flat=True)) == {"vaekststrategi", "uddannelsesplan"}
    plans = ActivityPlan.objects.filter(company=firm)
    assert sorted(p.activity_type.code for p in plans) == ["uddannelsesplan", "vaekststrategi"]
    assert all(p.status == ActivityPlan.Status.DRAFT and p.responsible == business_a for p in plans)
    assert all(p.decision_id == decision.pk for p in plans)


def test_an_activity_outside_the_catalogue_is_refused_next_to_the_field_and_nothing_is_saved(
    running_meeting, client_for, secretariat_a, business_a, partnership_a
):
    firm = CompanyFactory(partnership=partnership_a, name="Hammel Stål ApS", status=CaseStatus.VISITED)
    client = client_for(secretariat_a)
    case_item = _case_item(client, running_meeting, firm, business_a)
    retired = ActivityType.objects.get(code="vaekststrategi")
    ActivityType.objects.filter(pk=retired.pk).update(is_active=False)

    response = client.post(
        reverse("companies:decision_create", args=[case_item.pk]), _values(business_a, activity_types=[retired.pk])
    )

    assert response.status_code == 200
    assert "activity_types" in response.context["form"].errors
    assert not Decision.objects.exists()
    assert not ActivityPlan.objects.exists()


def test_a_decision_without_activities_makes_no_plan(
    running_meeting, client_for, secretariat_a, business_a, partnership_a
):
    firm = CompanyFactory(partnership=partnership_a, name="Hammel Stål ApS", status=CaseStatus.VISITED)
    client = client_for(secretariat_a)
    case_item = _case_item(client, running_meeting, firm, business_a)
    assert (
        client.post(reverse("companies:decision_create", args=[case_item.pk]), _values(business_a)).status_code == 302
    )
    assert Decision.objects.get().activity_types.count() == 0
    assert not ActivityPlan.objects.exists()
