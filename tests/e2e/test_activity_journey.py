"""A consultant turns a partnership decision into a training plan with two AMU courses for an employee
registered as a participant (an invalid CPR number refused first), makes an RKV for another employee,
registers hours, and sees it all on the firm's timeline. Every page visited is checked with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from activities.models import ActivityPlan, Participant, TimeEntry
from companies.models import CaseStatus, Company, Decision
from partnerships.models import Meeting, Partnership, User
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

# Born in 2005 (seventh digit 4, year 05): never one of the demo's numbers, which are all 1900s births.
FIRST_CPR, SECOND_CPR = "150305-4321", "220605-4412"


def register_participant(page: Page, *, cpr: str, first: str, last: str) -> None:
    page.get_by_label("CPR-nummer").fill(cpr)
    page.get_by_label("Fornavn").fill(first)
    page.get_by_label("Efternavn").fill(last)
    page.get_by_label("Startdato").fill(dt.date.today().isoformat())
    page.get_by_label("Beskæftigelsesstatus ved start").select_option("employed")
    page.get_by_role("button", name="Registrér deltager").click()


def test_consultant_turns_a_decision_into_a_training_plan_and_an_rkv_and_registers_hours(
    page: Page, live_server, demo_data, assert_accessible
):
    me = User.objects.get(email="konsulent@demo.dk")
    aarhus = Partnership.objects.get(name="LKS Aarhus")
    firm = Company.objects.filter(partnership=aarhus, activity_plans__isnull=True).order_by("name").first()
    meeting = Meeting.objects.filter(partnership=aarhus, start__lt=timezone.now()).order_by("-start").first()
    Decision.objects.create(
        company=firm,
        meeting=meeting,
        text="Partnerskabet tilbyder uddannelsesplaner for operatørerne og RKV for lagermedarbejderne.",
        lead_consultant=me,
        deadline=dt.date.today() + dt.timedelta(days=90),
        case_status=CaseStatus.AGREED,
    )
    today = dt.date.today()
    log_in(page, live_server.url, me.email)

    # The firm page shows the decision waiting for an activity.
    page.goto(live_server.url + firm.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Opret aktivitet ud fra beslutningen").click()

    # The plan form is pre-filled from the decision.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny aktivitet")
    expect(page.get_by_text("Fra partnerskabets beslutning")).to_be_visible()
    expect(page.get_by_label("Ansvarlig konsulent")).to_have_value(str(me.pk))
    page.get_by_label("Aktivitetstype").select_option(label="Uddannelsesplaner for medarbejdere")
    page.get_by_label("Titel").fill("Uddannelsesplan for operatørerne")
    page.get_by_label("Planlagt start").fill(today.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Opret som kladde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uddannelsesplan for operatørerne")
    plan = ActivityPlan.objects.get(company=firm, title="Uddannelsesplan for operatørerne")
    assert plan.decision is not None and plan.type_mapping.axis == 4
    assert_accessible(page)

    # Register the employee: an invalid CPR number first.
    page.get_by_role("link", name="Registrér og tilmeld ny deltager").click()
    register_participant(page, cpr="320205-4321", first="Jonas", last="Operatørsen")
    expect(page.locator("#fejloversigt-titel")).to_be_visible()
    expect(page.get_by_text("De første seks cifre skal være en gyldig fødselsdato (ddmmåå).").first).to_be_visible()
    assert not Participant.objects.filter(last_name="Operatørsen").exists()
    assert_accessible(page)
    register_participant(page, cpr=FIRST_CPR, first="Jonas", last="Operatørsen")
    expect(page.get_by_text("Jonas Operatørsen er registreret som deltager.")).to_be_visible()
    expect(page.get_by_text("150305-****")).to_be_visible()

    # Two AMU courses on his training plan.
    page.get_by_role("link", name="Jonas Operatørsen").click()
    for number, start in (("40123", today), ("48700", today + dt.timedelta(days=7))):
        page.get_by_role("link", name="Tilføj AMU-kursus eller anden uddannelse").click()
        page.get_by_label("AMU-nummer").fill(number)
        page.get_by_label("Start", exact=True).fill(start.isoformat())
        page.get_by_label("Slut", exact=True).fill((start + dt.timedelta(days=4)).isoformat())
        page.get_by_label("Udbyder").fill("Aarhus Tech")
        page.get_by_role("button", name="Gem").click()
        expect(page.get_by_text(re.compile(rf"»{number} .+« er føjet til uddannelsesplanen"))).to_be_visible()
    expect(page.locator("table")).to_contain_text("40123")
    expect(page.locator("table")).to_contain_text("48700")
    assert_accessible(page)

    # An RKV for another employee, from the firm page.
    page.goto(live_server.url + firm.get_absolute_url())
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Aktivitetstype").select_option(label="RKV i forhold til job")
    page.get_by_label("Titel").fill("RKV for lagermedarbejder")
    page.get_by_label("Formål i virksomhedens vækststrategi").fill(
        "Lageret automatiseres; medarbejderne skal afklares til nye job."
    )
    page.get_by_label("Planlagt start").fill(today.isoformat())
    page.get_by_label("Planlagt slut").fill((today + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Opret som kladde").click()
    page.get_by_role("link", name="Registrér og tilmeld ny deltager").click()
    register_participant(page, cpr=SECOND_CPR, first="Sara", last="Lagerholm")
    page.get_by_role("link", name="Sara Lagerholm").click()
    page.get_by_role("link", name="Registrér RKV-resultat").click()
    page.get_by_label("Bedømmer").fill("AMU Østjylland")
    page.get_by_label("Vurderet den").fill(today.isoformat())
    page.get_by_label("Bevis").select_option(label="Kompetencebevis")
    page.get_by_label("Anbefalede AMU-kurser (numre)").fill("47590")
    assert_accessible(page)
    page.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("RKV-resultatet er gemt.")).to_be_visible()

    # Hours on the training plan.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Registrér timer").click()
    page.get_by_label("Dato").fill(today.isoformat())
    page.get_by_label("Timer", exact=True).fill("2,5")
    page.get_by_label("Arbejde").select_option(label="Planlægning")
    page.get_by_label("Brugt på").select_option(label=f"Uddannelsesplan for operatørerne ({firm.name})")
    assert_accessible(page)
    page.get_by_role("button", name="Registrér timer").click()
    expect(page.get_by_text("2,50 timer er registreret.")).to_be_visible()
    assert TimeEntry.objects.get(user=me, plan=plan).hours == 2.5

    # The firm's timeline shows it all.
    page.goto(live_server.url + firm.get_absolute_url())
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Aktivitet oprettet: Uddannelsesplan for operatørerne")
    expect(timeline).to_contain_text("Aktivitet oprettet: RKV for lagermedarbejder")
    expect(timeline).to_contain_text("Jonas Operatørsen tilmeldt Uddannelsesplan for operatørerne")
    expect(timeline).to_contain_text("Sara Lagerholm tilmeldt RKV for lagermedarbejder")
    expect(timeline).to_contain_text("Jonas Operatørsen: 40123")
    expect(timeline).to_contain_text("Jonas Operatørsen: 48700")
    expect(timeline).to_contain_text("2,5 timer i")
    assert_accessible(page)
    assert FIRST_CPR.replace("-", "") not in page.content()
