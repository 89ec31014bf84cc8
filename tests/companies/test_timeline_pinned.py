"""The firm's whole case on one page, pinned entry by entry.

One firm with an event of every kind the apps register (consent, decision, proposal and its end,
activity steps, status, enrolment, training line, competence and recruitment needs, public request,
visit, hours): the timeline and the page's own sections must show exactly these entries, in this order,
whatever way the reads behind them are written (one query per kind, shared reads, merged sources).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from activities.models import ActivityStatusChange, TimeEntry, TrainingLine
from activities.services.time import timesheet_for
from companies import agenda_services, services
from companies.models import AgendaProposal, CaseStatus, CompetenceNeed, SharingConsent, StatusChange, Visit
from companies.selectors.case import case_page
from companies.services import recruitment as recruitment_services
from companies.services import requests as request_services
from partnerships.models import ESFProject, MeetingKind, Municipality
from partnerships.services import meetings as meeting_services
from tests.activities.factories import course, make_enrollment, make_participant, make_plan
from tests.companies.factories import CompetenceNeedFactory, VisitFactory, valid_cvr
from tests.partnerships.meeting_factories import member_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def at(days_ago: int, hour: int = 10) -> dt.datetime:
    day = TODAY - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def day(days_ago: int) -> dt.date:
    return TODAY - dt.timedelta(days=days_ago)


@pytest.fixture
def case(partnership_a, secretariat_a, consultant_a):
    """A firm registered through én indgang with one event of every kind, each on a day of its own."""
    business = member_in(partnership_a, system="business", first_name="Bo", last_name="Erhverv")
    request = request_services.request_submit(
        cvr=valid_cvr(51000100),
        company_name="Hammel Stål ApS",
        postcode="8450",
        municipality=Municipality.objects.get(code=751),
        contact_name="Lise Holm",
        contact_email="lise@hammel.dk",
        contact_phone="12345678",
        needs=["need_other"],
        description="Vi mangler svejsere.",
        consent=True,
    ).request
    request = request_services.request_take(request=request, by=secretariat_a, lead=consultant_a)
    firm = request.company
    type(request).objects.filter(pk=request.pk).update(created_at=at(60), taken_at=at(59))
    StatusChange.objects.filter(company=firm).update(changed_at=at(59, 9))

    services.consent_record(company=firm, by=consultant_a, given_on=day(58), given_by="Ejer", given_to="LKS Alfa")
    services.consent_record(company=firm, by=consultant_a, given_on=day(40), given_by="Direktør", given_to="LKS Alfa")
    SharingConsent.objects.filter(given_by="Ejer").update(withdrawn_on=day(41))

    visit = VisitFactory(
        company=firm,
        visit_date=day(50),
        visit_time=dt.time(13, 30),
        summary="Ny robotcelle, mangler operatører.",
        consultants=[consultant_a, business],
    )
    VisitFactory(company=firm, visit_date=TODAY + dt.timedelta(days=3), status=Visit.Status.DRAFT, summary="Opfølgning")
    need = CompetenceNeedFactory(company=firm, visit=visit, description="Robotsvejsning", staff_skilled=True)
    CompetenceNeed.objects.filter(pk=need.pk).update(created_at=at(50, 14))
    covered = CompetenceNeedFactory(company=firm, description="Truckcertifikat", status=CompetenceNeed.Status.COVERED)
    CompetenceNeed.objects.filter(pk=covered.pk).update(created_at=at(49))
    recruitment = recruitment_services.recruitment_create(
        company=firm, by=consultant_a, job_title="Svejser", positions=2, skills="MIG/MAG", deadline=None
    )
    CompetenceNeed.objects.filter(pk=recruitment.pk).update(created_at=at(48))
    filled = recruitment_services.recruitment_create(
        company=firm, by=business, job_title="Truckfører", positions=1, skills="B-certifikat", deadline=None
    )
    CompetenceNeed.objects.filter(pk=filled.pk).update(created_at=at(46))
    filled.refresh_from_db()
    recruitment_services.recruitment_close(need=filled, outcome="besat", closed_on=day(12), by=consultant_a)
    services.company_set_status(company=firm, status=CaseStatus.VISITED, by=consultant_a, note="Besøgt")
    StatusChange.objects.filter(company=firm, to_status=CaseStatus.VISITED).update(changed_at=at(47))

    proposal = services.agenda_propose(company=firm, by=business, reason="Hvem går ind med uddannelsesplan?")
    AgendaProposal.objects.filter(pk=proposal.pk).update(proposed_at=at(45))
    start = timezone.now() - dt.timedelta(minutes=30)
    meeting = meeting_services.meeting_create(
        partnership=partnership_a,
        kind=MeetingKind.CONSULTANTS,
        start=start,
        end=start + dt.timedelta(hours=2),
        by=secretariat_a,
        lead=None,
    )
    agenda_services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat_a)
    decision = agenda_services.decision_record(
        meeting=meeting,
        company=firm,
        by=secretariat_a,
        text="Uddannelsesplan for seks operatører.",
        lead_consultant=business,
        consultants=[consultant_a],
        deadline=TODAY + dt.timedelta(days=30),
        case_status=CaseStatus.AGREED,
    )
    type(decision).objects.filter(pk=decision.pk).update(created_at=at(44))
    AgendaProposal.objects.filter(pk=proposal.pk).update(closed_at=at(44, 9))
    StatusChange.objects.filter(company=firm, to_status=CaseStatus.AGREED).update(changed_at=at(44, 8))
    later = services.agenda_propose(company=firm, by=consultant_a, reason="Opfølgning på planen")
    AgendaProposal.objects.filter(pk=later.pk).update(proposed_at=at(10))

    plan = make_plan(firm, consultant_a, title="Uddannelsesplan for svejserne", start=day(30), end=day(-60))
    ActivityStatusChange.objects.create(plan=plan, to_status="kladde", changed_by=consultant_a, changed_at=at(35))
    ActivityStatusChange.objects.create(
        plan=plan, from_status="kladde", to_status="godkendt", changed_by=business, changed_at=at(33), note="OK"
    )
    enrollment = make_enrollment(plan, make_participant(partnership_a, n=2, first_name="Jonas"), start_date=day(30))
    TrainingLine.objects.create(
        enrollment=enrollment,
        course=course(number="99901"),
        start_date=day(28),
        end_date=day(24),
        days=5,
        provider="AMU Midt",
    )
    project = ESFProject.objects.order_by("sort_order").first()
    for on, hours, target in ((day(20), "2", {"plan": plan}), (day(19), "1.5", {"company": firm})):
        sheet = timesheet_for(user=consultant_a, on=on)
        TimeEntry.objects.create(
            user=consultant_a, timesheet=sheet, day=on, hours=hours, kind="planlaegning", project=project, **target
        )
    return firm


def entries(page):
    return [
        (
            timezone.localdate(item.when),
            item.kind,
            str(item.kind_label),
            str(item.title),
            str(item.text),
            bool(item.url),
            item.by,
            item.date_only,
            [person.name for person in item.people],
            [str(badge.label) for badge in item.badges],
        )
        for item in page.timeline
    ]


def dmy(on: dt.date) -> str:
    return f"{on:%d.%m.%Y}"


def test_the_firm_page_shows_every_entry_of_the_case_exactly(case, consultant_a, client_for):
    response = client_for(consultant_a).get(case.get_absolute_url())
    page = response.context["page"]
    meeting_day = dmy(TODAY)
    month = formats.date_format(day(19).replace(day=1), "YEAR_MONTH_FORMAT")
    plan_badge = "Uddannelsesplaner for medarbejdere"

    assert entries(page) == [
        (
            TODAY + dt.timedelta(days=3),
            "visit",
            "Besøg",
            "Opsøgende første besøg",
            "Opfølgning",
            True,
            "",
            True,
            [],
            ["Kladde"],
        ),
        (
            day(10),
            "proposal",
            "Dagsorden",
            "Sat på dagsordenen i LKS Alfa",
            "Opfølgning på planen",
            True,
            "Anna Testesen",
            False,
            [],
            ["Afventer behandling"],
        ),
        (day(12), "recruitment", "Rekrutteringsbehov", "Truckfører: Besat", "", False, "Anna Testesen", True, [], []),
        (day(19), "hours", "Timer", f"3,5 timer i {month}", "", False, "Anna Testesen", True, [], []),
        (
            day(28),
            "training",
            "Uddannelse",
            "Jonas Hansen: 99901 Svejsning af stål",
            "AMU Midt",
            True,
            "",
            True,
            [],
            ["Planlagt"],
        ),
        (
            day(30),
            "enrollment",
            "Deltager",
            "Jonas Hansen tilmeldt Uddannelsesplan for svejserne",
            "Medarbejder",
            True,
            "",
            True,
            [],
            [],
        ),
        (
            day(33),
            "activity",
            "Aktivitet",
            "Uddannelsesplan for svejserne: Godkendt",
            "OK",
            True,
            "Bo Erhverv",
            False,
            [],
            [plan_badge, "Godkendt"],
        ),
        (
            day(35),
            "activity",
            "Aktivitet",
            "Aktivitet oprettet: Uddannelsesplan for svejserne",
            "",
            True,
            "Anna Testesen",
            False,
            [],
            [plan_badge, "Kladde"],
        ),
        (
            day(40),
            "consent",
            "Samtykke",
            "Samtykke til datadeling",
            "Givet af Direktør til LKS Alfa.",
            False,
            "Anna Testesen",
            True,
            [],
            [],
        ),
        (
            day(44),
            "decision",
            "Beslutning",
            f"Besluttet på konsulentgruppemøde {meeting_day}",
            "Uddannelsesplan for seks operatører.",
            True,
            "Sara Testesen",
            False,
            ["Bo Erhverv", "Anna Testesen"],
            ["Åben", f"Frist {dmy(TODAY + dt.timedelta(days=30))}"],
        ),
        (
            day(44),
            "proposal_end",
            "Dagsorden",
            "Behandlet i LKS Alfa",
            "",
            False,
            "Sara Testesen",
            False,
            [],
            ["Behandlet"],
        ),
        (
            day(44),
            "status",
            "Status",
            "Status: Besøgt → Aftale om indsats",
            f"Besluttet på konsulentgruppemøde {meeting_day}",
            False,
            "Sara Testesen",
            False,
            [],
            [],
        ),
        (
            day(45),
            "proposal",
            "Dagsorden",
            "Sat på dagsordenen i LKS Alfa",
            "Hvem går ind med uddannelsesplan?",
            False,
            "Bo Erhverv",
            False,
            [],
            ["Behandlet"],
        ),
        (
            day(46),
            "recruitment",
            "Rekrutteringsbehov",
            "Truckfører",
            "B-certifikat",
            False,
            "Bo Erhverv",
            False,
            [],
            ["1 stilling"],
        ),
        (
            day(47),
            "status",
            "Status",
            "Status: Identificeret → Besøgt",
            "Besøgt",
            False,
            "Anna Testesen",
            False,
            [],
            [],
        ),
        (
            day(48),
            "recruitment",
            "Rekrutteringsbehov",
            "Svejser",
            "MIG/MAG",
            False,
            "Anna Testesen",
            False,
            [],
            ["2 stillinger"],
        ),
        (
            day(49),
            "need",
            "Kompetencebehov",
            "Digitalisering og automatisering",
            "Truckcertifikat",
            False,
            "",
            False,
            [],
            ["Dækket", "Ufaglærte"],
        ),
        (
            day(50),
            "need",
            "Kompetencebehov",
            "Digitalisering og automatisering",
            "Robotsvejsning",
            True,
            "",
            False,
            [],
            ["Identificeret", "Ufaglærte, Faglærte"],
        ),
        (
            day(50),
            "visit",
            "Besøg",
            "Opsøgende første besøg",
            "Ny robotcelle, mangler operatører.",
            True,
            "",
            False,
            ["Anna Testesen", "Bo Erhverv"],
            ["Fælles besøg"],
        ),
        (
            day(58),
            "consent",
            "Samtykke",
            "Samtykke til datadeling",
            "Givet af Ejer til LKS Alfa.",
            False,
            "Anna Testesen",
            True,
            [],
            [f"Trukket tilbage {dmy(day(41))}"],
        ),
        (
            day(59),
            "request",
            "Henvendelse",
            "Henvendelsen taget af Sara Testesen",
            "Tovholder: Anna Testesen",  # the lead chosen when it was taken (the decision made Bo lead later)
            False,
            "Sara Testesen",
            False,
            [],
            [],
        ),
        (
            day(59),
            "status",
            "Status",
            "Virksomheden registreret (Identificeret)",
            "Oprettet fra en henvendelse via Én indgang.",
            False,
            "",
            False,
            [],
            [],
        ),
        (
            day(60),
            "request",
            "Henvendelse",
            "Henvendelse via Én indgang fra Lise Holm",
            "Vi mangler svejsere.",
            True,
            "",
            False,
            [],
            ["Taget", "Andet"],
        ),
    ]
    # The page's own sections read the same rows: the open need, the newest consent, the open proposal.
    assert [need.description for need in page.open_needs] == ["Robotsvejsning"]
    assert page.consent.given_by == "Direktør" and page.consent.recorded_by == consultant_a
    assert page.open_proposal.reason == "Opfølgning på planen"
    assert page.open_proposal.proposed_by == consultant_a
    assert [contact.name for contact in page.contacts] == ["Lise Holm"]
    sections = {section.name: section.context for section in page.sections}
    assert [plan.title for plan, _css in sections["activities"]["activity_plans"]] == ["Uddannelsesplan for svejserne"]
    assert [d.text for d in sections["activities"]["open_decisions"]] == ["Uddannelsesplan for seks operatører."]
    assert [row.job_title for row in sections["recruitment"]["recruitment_rows"]] == ["Truckfører", "Svejser"]
    html = response.content.decode()
    assert html.count('class="timeline-item') == 23
    assert "Afventer behandling i partnerskabet" in html


def test_every_entry_links_where_it_did(case, consultant_a):
    page = case_page(case, user=consultant_a)
    visits = {v.visit_date: v for v in Visit.objects.filter(company=case)}
    plan = case.activity_plans.get()
    links = [(item.kind, item.url) for item in page.timeline if item.url]

    assert links == [
        ("visit", visits[TODAY + dt.timedelta(days=3)].get_absolute_url()),
        ("proposal", reverse("companies:agenda_list")),
        ("training", reverse("activities:enrollment_detail", args=[plan.enrollments.get().pk])),
        ("enrollment", plan.enrollments.get().get_absolute_url()),
        ("activity", plan.get_absolute_url()),
        ("activity", plan.get_absolute_url()),
        ("decision", case.decisions.get().meeting.get_absolute_url()),
        ("need", visits[day(50)].get_absolute_url()),
        ("visit", visits[day(50)].get_absolute_url()),
        ("request", reverse("requests:detail", args=[case.public_requests.get().pk])),
    ]


def test_another_user_of_the_partnership_sees_the_same_case_and_an_outsider_nothing(
    case, consultant_a, secretariat_a, management, consultant_b
):
    mine = entries(case_page(case, user=consultant_a))

    assert entries(case_page(case, user=secretariat_a)) == mine
    assert entries(case_page(case, user=management)) == mine
    outsider = case_page(case, user=consultant_b)
    assert outsider.timeline == [] and outsider.open_needs == [] and outsider.consent is None
    assert outsider.open_proposal is None and outsider.contacts == []
