"""A firm's case at its partnership's meetings: firms on the agenda, how each proposal ends, decisions
(companies.agenda_services), their place on the firm's timeline and in the minutes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies import agenda_services as services
from companies.models import AgendaProposal, CaseAgendaItem, CaseStatus, Decision, StatusChange
from companies.selectors.case import case_timeline
from companies.selectors.meetings import case_suggestions, meeting_cases, my_decisions
from kompetence import registry
from partnerships.localtime import local_datetime
from partnerships.models import AgendaItem, Meeting, MeetingKind
from partnerships.services import meetings as meeting_services
from partnerships.services import minutes as minutes_services
from tests.companies.factories import AgendaProposalFactory, CompanyFactory, CompetenceNeedFactory, VisitFactory
from tests.partnerships.meeting_factories import member_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def business(partnership_a):
    return member_in(partnership_a, system="business", first_name="Bo", last_name="Erhverv")


@pytest.fixture
def employment(partnership_a):
    return member_in(partnership_a, system="employment", first_name="Eva", last_name="Jobcenter")


@pytest.fixture
def firm(partnership_a, business):
    company = CompanyFactory(partnership=partnership_a, name="Hammel Stål ApS", status=CaseStatus.VISITED)
    VisitFactory(company=company, consultants=[business], summary="Ny robotcelle, mangler operatører.")
    CompetenceNeedFactory(company=company)
    return company


@pytest.fixture
def proposal(firm, business):
    return AgendaProposalFactory(company=firm, proposed_by=business, reason="Hvem går ind med uddannelsesplan?")


def _meeting(secretariat, partnership, *, start_in: dt.timedelta, hours: int = 2) -> Meeting:
    start = timezone.now() + start_in
    return meeting_services.meeting_create(
        partnership=partnership,
        kind=MeetingKind.CONSULTANTS,
        start=start,
        end=start + dt.timedelta(hours=hours),
        by=secretariat,
        lead=None,
    )


@pytest.fixture
def meeting(secretariat_a, partnership_a) -> Meeting:
    """A meeting under way: it began half an hour ago."""
    return _meeting(secretariat_a, partnership_a, start_in=-dt.timedelta(minutes=30))


@pytest.fixture
def later(secretariat_a, partnership_a) -> Meeting:
    start = local_datetime(timezone.localdate() + dt.timedelta(days=14), dt.time(13))
    return meeting_services.meeting_create(
        partnership=partnership_a,
        kind=MeetingKind.CONSULTANTS,
        start=start,
        end=start + dt.timedelta(hours=2),
        by=secretariat_a,
        lead=None,
    )


def _decide(meeting, firm, by, **fields):
    values = {
        "text": "Fælles besøg med uddannelsesplan for seks operatører og RKV.",
        "lead_consultant": None,
        "consultants": (),
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "case_status": CaseStatus.AGREED,
    }
    return services.decision_record(meeting=meeting, company=firm, by=by, **{**values, **fields})


# ---------------------------------------------------------------------------
# Firms on the agenda
# ---------------------------------------------------------------------------
def test_the_agenda_suggests_firms_waiting_with_a_digest_of_visits_and_needs(meeting, proposal):
    (suggestion,) = case_suggestions(meeting)
    assert suggestion.proposal == proposal and suggestion.since_last_meeting
    assert suggestion.digest.visits[0].summary.startswith("Ny robotcelle")
    assert suggestion.digest.visits[0].systems == "Erhvervsservice"
    assert suggestion.digest.open_needs == 1


def test_a_firm_put_on_the_agenda_is_no_longer_waiting(meeting, proposal, secretariat_a):
    case_item = services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.ON_AGENDA and proposal.meeting == meeting
    assert case_item.agenda_item.kind == AgendaItem.Kind.FIRM_CASE
    assert case_item.agenda_item.title == "Hammel Stål ApS"
    assert case_suggestions(meeting) == []
    assert list(AgendaProposal.objects.pending()) == []


def test_a_firm_of_another_partnership_cannot_go_on_the_agenda(meeting, secretariat_a, partnership_b):
    foreign = AgendaProposalFactory(company=CompanyFactory(partnership=partnership_b))
    with pytest.raises(ValidationError) as error:
        services.agenda_add_case(meeting=meeting, proposal=foreign, by=secretariat_a)
    assert "LKS Beta" in error.value.message_dict["proposal"][0]
    assert not CaseAgendaItem.objects.exists()


def test_add_all_waiting_firms_at_once(meeting, proposal, secretariat_a, partnership_a):
    other = AgendaProposalFactory(company=CompanyFactory(partnership=partnership_a))
    added = services.agenda_add_pending_cases(meeting=meeting, by=secretariat_a)
    assert [i.proposal for i in added] == [proposal, other]


def test_removing_a_firm_from_the_agenda_puts_it_back_on_the_list(meeting, proposal, secretariat_a):
    case_item = services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    meeting_services.agenda_item_remove(item=case_item.agenda_item, by=secretariat_a)
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.PENDING and proposal.meeting is None
    assert not CaseAgendaItem.objects.exists()


def test_cancelling_the_meeting_puts_its_firms_back_on_the_list(later, proposal, secretariat_a):
    services.agenda_add_case(meeting=later, proposal=proposal, by=secretariat_a)
    meeting_services.meeting_cancel(meeting=later, by=secretariat_a)
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.PENDING


# ---------------------------------------------------------------------------
# Every proposal ends
# ---------------------------------------------------------------------------
def test_withdrawing_needs_a_reason_and_ends_the_proposal(meeting, proposal, secretariat_a, firm):
    case_item = services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    with pytest.raises(ValidationError) as error:
        services.case_item_withdraw(case_item=case_item, by=secretariat_a, reason="  ")
    assert "reason" in error.value.message_dict
    services.case_item_withdraw(case_item=case_item, by=secretariat_a, reason="Virksomheden er solgt.")
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.WITHDRAWN and proposal.close_reason == "Virksomheden er solgt."
    items = case_timeline(firm, user=secretariat_a)
    assert any(i.kind == "proposal_end" and i.text == "Virksomheden er solgt." for i in items)


def test_a_proposal_can_be_withdrawn_before_any_meeting(proposal, secretariat_a):
    services.proposal_withdraw(proposal=proposal, by=secretariat_a, reason="Dobbeltregistreret.")
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.WITHDRAWN


def test_moving_a_firm_to_a_later_meeting(meeting, later, proposal, secretariat_a):
    case_item = services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    moved = services.case_item_move(case_item=case_item, to_meeting=later, by=secretariat_a)
    case_item.refresh_from_db()
    proposal.refresh_from_db()
    assert case_item.outcome == CaseAgendaItem.Outcome.MOVED and case_item.moved_to == later
    assert moved.meeting == later and moved.proposal == proposal
    assert proposal.meeting == later and proposal.status == AgendaProposal.Status.ON_AGENDA
    with pytest.raises(ValidationError):
        services.case_item_move(case_item=moved, to_meeting=meeting, by=secretariat_a)


def test_minutes_cannot_be_approved_while_a_firm_has_no_outcome(meeting, proposal, secretariat_a, business):
    services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    meeting_services.attendance_record(meeting=meeting, present=[secretariat_a, business], by=secretariat_a)
    with pytest.raises(ValidationError) as error:
        minutes_services.minutes_approve(meeting=meeting, by=secretariat_a)
    assert "Hammel Stål ApS" in error.value.message_dict["agenda"][0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


# ---------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------
def test_a_decision_needs_a_lead_consultant(meeting, firm, secretariat_a):
    with pytest.raises(ValidationError) as error:
        _decide(meeting, firm, secretariat_a, lead_consultant=None)
    assert "lead_consultant" in error.value.message_dict
    assert not Decision.objects.exists()


def test_a_decision_on_a_firm_of_another_partnership_is_refused(meeting, secretariat_a, partnership_b, business):
    foreign = CompanyFactory(partnership=partnership_b, name="Herning Træ A/S")
    with pytest.raises(ValidationError) as error:
        _decide(meeting, foreign, secretariat_a, lead_consultant=business)
    assert "LKS Beta" in error.value.message_dict["company"][0]
    assert not Decision.objects.exists()


def test_a_decision_sends_in_members_only_and_not_before_the_meeting(
    meeting, firm, secretariat_a, business, consultant_b
):
    with pytest.raises(ValidationError) as error:
        _decide(meeting, firm, secretariat_a, lead_consultant=business, consultants=[consultant_b])
    assert "Bent" in error.value.message_dict["consultants"][0]
    with pytest.raises(ValidationError) as error:
        _decide(meeting, firm, secretariat_a, lead_consultant=business, deadline=timezone.localdate() - dt.timedelta(3))
    assert "deadline" in error.value.message_dict


def test_a_decision_is_recorded_only_once_the_meeting_has_begun(later, firm, secretariat_a, business):
    with pytest.raises(ValidationError):
        _decide(later, firm, secretariat_a, lead_consultant=business)


def test_a_decision_ends_the_proposal_moves_the_case_and_assigns_two_systems(
    meeting, proposal, firm, secretariat_a, business, employment
):
    case_item = services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    heard = []
    registry.add_hook("decision_recorded", "test", lambda decision, by: heard.append(decision))
    try:
        decision = _decide(meeting, firm, secretariat_a, lead_consultant=business, consultants=[employment, business])
    finally:
        registry._hooks["decision_recorded"].pop("test")
    assert heard == [decision]
    assignments = {a.user: (a.system_id, a.is_lead) for a in decision.assignments.all()}
    assert assignments == {business: ("business", True), employment: ("employment", False)}
    case_item.refresh_from_db()
    proposal.refresh_from_db()
    firm.refresh_from_db()
    assert case_item.outcome == CaseAgendaItem.Outcome.TREATED
    assert proposal.status == AgendaProposal.Status.TREATED and proposal.closed_by == secretariat_a
    assert firm.status == CaseStatus.AGREED and firm.lead_consultant == business
    change = StatusChange.objects.filter(company=firm).latest("changed_at")
    assert change.to_status == CaseStatus.AGREED and "Besluttet på" in change.note
    assert list(AgendaProposal.objects.pending()) == []


def test_the_decision_is_on_the_firms_timeline_and_the_consultants_dashboards(
    meeting, proposal, firm, secretariat_a, business, employment, consultant_a
):
    services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    decision = _decide(meeting, firm, secretariat_a, lead_consultant=business, consultants=[employment])
    (item,) = [i for i in case_timeline(firm, user=employment) if i.kind == "decision"]
    assert item.text == decision.text
    assert {p.name for p in item.people} == {"Bo Erhverv", "Eva Jobcenter"}
    assert [t.company for t in my_decisions(user=employment)["decision_tasks"]] == [firm]
    assert my_decisions(user=business)["decision_tasks"][0].is_lead
    assert my_decisions(user=consultant_a)["decision_tasks"] == []


def test_open_decisions_come_back_on_the_next_agenda_until_done(
    meeting, later, proposal, firm, secretariat_a, business
):
    services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    decision = _decide(meeting, firm, secretariat_a, lead_consultant=business)
    (follow_up,) = services.agenda_add_decision_follow_ups(meeting=later, by=secretariat_a)
    assert services.agenda_add_decision_follow_ups(meeting=later, by=secretariat_a) == []
    assert follow_up.decision == decision and follow_up.agenda_item.presenter == business
    assert follow_up.agenda_item.kind == AgendaItem.Kind.DECISION_FOLLOW_UP
    services.decision_complete(decision=decision, by=business, note="Uddannelsesplan lavet.")
    third = _meeting(secretariat_a, meeting.partnership, start_in=dt.timedelta(days=30))
    assert services.agenda_add_decision_follow_ups(meeting=third, by=secretariat_a) == []


def test_the_meeting_lists_its_firm_cases_with_their_decisions(
    meeting, proposal, firm, secretariat_a, business, employment
):
    services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    _decide(meeting, firm, secretariat_a, lead_consultant=business, consultants=[employment])
    (row,) = meeting_cases(meeting)
    assert row.company == firm and row.outcome == CaseAgendaItem.Outcome.TREATED
    (line,) = row.decisions
    assert line.lead.name == "Bo Erhverv" and [p.name for p in line.consultants] == ["Eva Jobcenter"]
    assert line.systems == "Beskæftigelse, Erhvervsservice"


def test_the_minutes_pdf_holds_the_decision(
    meeting, proposal, firm, secretariat_a, business, employment, eager_tasks, django_capture_on_commit_callbacks
):
    from tests.partnerships.test_minutes_services import pdf_text

    services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    _decide(meeting, firm, secretariat_a, lead_consultant=business, consultants=[employment])
    meeting_services.attendance_record(meeting=meeting, present=[secretariat_a, business, employment], by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_approve(meeting=meeting, by=secretariat_a)
    minutes = minutes_services.minutes_of(meeting)
    minutes.refresh_from_db()
    text = " ".join(pdf_text(minutes.pdf.read()).split())
    assert "Beslutninger om virksomheder" in text
    assert "Fælles besøg med uddannelsesplan for seks operatører og RKV." in text
    assert "Bo Erhverv (Erhvervsservice)" in text and "Eva Jobcenter (Beskæftigelse)" in text


def test_the_agenda_query_count_does_not_grow_with_the_firms(
    meeting, partnership_a, business, secretariat_a, django_assert_max_num_queries
):
    for _i in range(2):
        company = CompanyFactory(partnership=partnership_a)
        VisitFactory(company=company, consultants=[business])
        AgendaProposalFactory(company=company)
    with django_assert_max_num_queries(6) as small:
        assert len(case_suggestions(meeting)) == 2
    for _i in range(8):
        company = CompanyFactory(partnership=partnership_a)
        VisitFactory(company=company, consultants=[business])
        CompetenceNeedFactory(company=company)
        AgendaProposalFactory(company=company)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(case_suggestions(meeting)) == 10
