"""Putting a firm on its partnership's agenda ("Sæt på dagsorden") and the list "Til behandling"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from companies import services
from companies.models import AgendaProposal, CompetenceNeed, Visit
from tests.companies.factories import (
    AgendaProposalFactory,
    CompanyFactory,
    CompetenceNeedFactory,
    visit_post_data,
)

AGENDA = reverse("companies:agenda_list")


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def propose_url(firm) -> str:
    return reverse("companies:propose", args=[firm.pk])


# ---------------------------------------------------------------------------
# "Sæt på dagsorden"
# ---------------------------------------------------------------------------
def test_propose_page_asks_what_the_partnership_should_decide(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(propose_url(firm)).content.decode()

    assert "Hvad skal partnerskabet tage stilling til?" in html
    assert "LKS Alfa" in html


def test_propose_creates_one_pending_proposal(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(propose_url(firm), {"reason": "Skal vi tilbyde RKV?"}, follow=True)

    proposal = AgendaProposal.objects.get()
    assert (proposal.company, proposal.partnership, proposal.status) == (
        firm,
        firm.partnership,
        AgendaProposal.Status.PENDING,
    )
    assert (proposal.reason, proposal.proposed_by) == ("Skal vi tilbyde RKV?", consultant_a)
    assert response.redirect_chain == [(firm.get_absolute_url(), 302)]
    assert "Alfa Smed ApS er sat på listen til næste møde i LKS Alfa." in response.content.decode()


def test_second_propose_does_not_duplicate_and_says_the_firm_is_pending(client_for, consultant_a, secretariat_a, firm):
    client_for(consultant_a).post(propose_url(firm), {"reason": "Første"})

    response = client_for(secretariat_a).post(propose_url(firm), {"reason": "Anden"}, follow=True)

    assert AgendaProposal.objects.count() == 1
    assert AgendaProposal.objects.get().reason == "Første"
    assert "Alfa Smed ApS afventer allerede behandling i LKS Alfa." in response.content.decode()


def test_propose_page_says_when_the_firm_is_already_pending(client_for, consultant_a, firm):
    AgendaProposalFactory(company=firm, proposed_by=consultant_a, reason="Uddannelsesplan?")

    response = client_for(consultant_a).get(propose_url(firm))

    html = response.content.decode()
    assert "afventer allerede behandling i LKS Alfa" in html
    assert "Uddannelsesplan?" in html
    assert "<textarea" not in html


def test_a_treated_firm_can_be_proposed_again(consultant_a, firm):
    AgendaProposalFactory(company=firm, status=AgendaProposal.Status.TREATED)

    services.agenda_propose(company=firm, by=consultant_a, reason="Ny sag")

    assert AgendaProposal.objects.filter(status=AgendaProposal.Status.PENDING).count() == 1


def test_propose_requires_a_reason_with_a_danish_message(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(propose_url(firm), {"reason": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Dette felt er påkrævet."]
    assert not AgendaProposal.objects.exists()


def test_propose_refuses_a_reason_that_is_too_long(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(propose_url(firm), {"reason": "x" * 2001})

    assert response.context["form"].errors["reason"] == ["Må højst være 2000 tegn (teksten er 2001 tegn)."]


def test_two_proposals_racing_end_as_one(consultant_a, firm, monkeypatch):
    # Both requests saw no open proposal; the database constraint lets one in, the other gets it back.
    AgendaProposalFactory(company=firm, proposed_by=consultant_a, reason="Vinderen")
    real_lookup = services.agenda_open_proposal
    calls = []

    def lookup_that_missed_it_first(company):
        calls.append(company)
        return None if len(calls) == 1 else real_lookup(company)

    monkeypatch.setattr(services, "agenda_open_proposal", lookup_that_missed_it_first)

    proposal = services.agenda_propose(company=firm, by=consultant_a, reason="Taberen")

    assert proposal.reason == "Vinderen"
    assert AgendaProposal.objects.count() == 1


# ---------------------------------------------------------------------------
# A visit marked "Til behandling i partnerskabet"
# ---------------------------------------------------------------------------
def test_completed_visit_for_the_partnership_creates_a_proposal(client_for, consultant_a, firm):
    client_for(consultant_a).post(
        reverse("companies:visit_create", args=[firm.pk]),
        visit_post_data(consultants=[consultant_a], for_partnership=True, next_step="Tilbyd uddannelsesplan"),
    )

    proposal = AgendaProposal.objects.get()
    assert proposal.visit == Visit.objects.get()
    assert proposal.reason == "Tilbyd uddannelsesplan"
    assert proposal.proposed_by == consultant_a


def test_draft_visit_for_the_partnership_proposes_only_when_completed(client_for, consultant_a, firm):
    client = client_for(consultant_a)
    client.post(
        reverse("companies:visit_create", args=[firm.pk]),
        visit_post_data(consultants=[consultant_a], for_partnership=True, action="draft"),
    )
    visit = Visit.objects.get()
    assert not AgendaProposal.objects.exists()

    client.post(
        reverse("companies:visit_update", args=[visit.pk]),
        visit_post_data(consultants=[consultant_a], for_partnership=True, action="complete", version=visit.version),
    )

    assert AgendaProposal.objects.get().visit == visit


def test_editing_a_completed_visit_does_not_propose_the_firm_again(client_for, consultant_a, firm):
    client = client_for(consultant_a)
    client.post(
        reverse("companies:visit_create", args=[firm.pk]),
        visit_post_data(consultants=[consultant_a], for_partnership=True),
    )
    # The partnership treats the case; then someone corrects a typo in the visit.
    AgendaProposal.objects.update(status=AgendaProposal.Status.TREATED)
    visit = Visit.objects.get()

    client.post(
        reverse("companies:visit_update", args=[visit.pk]),
        visit_post_data(consultants=[consultant_a], for_partnership=True, summary="Rettet", version=visit.version),
    )

    assert AgendaProposal.objects.count() == 1


# ---------------------------------------------------------------------------
# "Til behandling": the pending proposals, grouped by partnership
# ---------------------------------------------------------------------------
@pytest.fixture
def proposals(partnership_a, partnership_b, consultant_a, consultant_b):
    alfa = CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    CompetenceNeedFactory(company=alfa)
    CompetenceNeedFactory(company=alfa)
    CompetenceNeedFactory(company=alfa, status=CompetenceNeed.Status.COVERED)
    return [
        AgendaProposalFactory(company=alfa, proposed_by=consultant_a, reason="Uddannelsesplan til operatører"),
        AgendaProposalFactory(company=CompanyFactory(partnership=partnership_b, name="Beta Bager ApS")),
        AgendaProposalFactory(
            company=CompanyFactory(partnership=partnership_a, name="Behandlet ApS"),
            status=AgendaProposal.Status.TREATED,
        ),
    ]


def test_agenda_list_shows_the_users_partnerships_pending_proposals(client_for, secretariat_a, proposals):
    response = client_for(secretariat_a).get(AGENDA)

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g.partnership.name for g in groups] == ["LKS Alfa"]
    (proposal,) = groups[0].proposals
    assert proposal.company.name == "Alfa Smed ApS"
    assert proposal.open_needs == 2
    html = response.content.decode()
    assert "Uddannelsesplan til operatører" in html
    assert "Foreslået af Anna Testesen" in html
    assert "2 åbne kompetencebehov" in html
    assert "Beta Bager" not in html and "Behandlet ApS" not in html


def test_agenda_list_groups_every_partnership_for_management(client_for, management, proposals):
    groups = client_for(management).get(AGENDA).context["groups"]

    assert [(g.partnership.name, [p.company.name for p in g.proposals]) for g in groups] == [
        ("LKS Alfa", ["Alfa Smed ApS"]),
        ("LKS Beta", ["Beta Bager ApS"]),
    ]


def test_agenda_list_is_empty_with_a_message(client_for, consultant_a):
    response = client_for(consultant_a).get(AGENDA)

    assert response.context["groups"] == []
    assert "Der er ingen virksomheder til behandling lige nu." in response.content.decode()


def test_navigation_offers_the_case_pages_by_role(client_for, consultant_a, management):
    consultant_nav = [i["label"] for i in client_for(consultant_a).get(AGENDA).context["nav_items"]]
    management_nav = [i["label"] for i in client_for(management).get(AGENDA).context["nav_items"]]

    assert {"Virksomheder", "Mine virksomheder", "Til behandling"} <= set(map(str, consultant_nav))
    assert {"Virksomheder", "Til behandling"} <= set(map(str, management_nav))
    assert "Mine virksomheder" not in map(str, management_nav)  # management does no case work


@pytest.mark.parametrize("size", [2, 30])
def test_agenda_list_uses_a_constant_number_of_queries(
    client_for, secretariat_a, partnership_a, consultant_a, size, django_assert_max_num_queries
):
    for i in range(size):
        firm = CompanyFactory(partnership=partnership_a)
        CompetenceNeedFactory(company=firm)
        AgendaProposalFactory(company=firm, proposed_by=consultant_a if i % 2 else secretariat_a)
    client = client_for(secretariat_a)
    client.get(AGENDA)

    with django_assert_max_num_queries(9):
        response = client.get(AGENDA)

    assert response.context["count"] == size


def test_proposal_older_than_today_shows_its_date(client_for, secretariat_a, partnership_a):
    proposal = AgendaProposalFactory(company=CompanyFactory(partnership=partnership_a))
    AgendaProposal.objects.filter(pk=proposal.pk).update(proposed_at=dt.datetime(2018, 5, 4, 10, 0, tzinfo=dt.UTC))

    assert "04.05.2018" in client_for(secretariat_a).get(AGENDA).content.decode()
