"""A consultant's visit, on a phone: open a firm, log a joint visit with a colleague from another
system and two competence needs, complete it, put the firm on the agenda, and see it all on the
firm's timeline. The visit form and the firm page are checked with axe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from partnerships.models import Partnership, System, User
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}


def assert_no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"


def test_consultant_logs_a_joint_visit_on_a_phone_and_puts_the_firm_on_the_agenda(
    page: Page, live_server, demo_data, assert_accessible
):
    me = User.objects.get(email="konsulent@demo.dk")
    aarhus = Partnership.objects.get(name="LKS Aarhus")
    colleague = (
        User.objects.filter(memberships__partnership=aarhus, is_active=True, organisation__system=System.BUSINESS)
        .exclude(pk=me.pk)
        .order_by("pk")
        .first()
    )
    assert me.organisation.system_id != colleague.organisation.system_id
    firm = (
        Company.objects.filter(partnership=aarhus)
        .exclude(agenda_proposals__status__in=AgendaProposal.OPEN_STATUSES)
        .order_by("name")
        .first()
    )
    visits_before = Visit.objects.filter(company=firm).count()
    yesterday = dt.date.today() - dt.timedelta(days=1)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, me.email)

    # The firm page.
    page.goto(live_server.url + firm.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(firm.name)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("link", name="Registrér besøg").click()

    # The visit form, filled in on the phone right after the visit.
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrér besøg")
    page.get_by_label("Besøgsdato").fill(yesterday.isoformat())
    page.get_by_label("Tidspunkt").fill("09:30")
    page.get_by_label("Type besøg").select_option(label="Fælles besøg")
    expect(page.get_by_label(re.compile(me.get_full_name()))).to_be_checked()
    page.get_by_label(re.compile(colleague.get_full_name())).check()
    systems = page.locator("#deltagende-systemer")
    expect(systems).to_contain_text("Beskæftigelse")
    expect(systems).to_contain_text("Erhverv")
    expect(systems).to_contain_text("Fælles besøg")
    page.get_by_label("Virksomhedens vækstplaner").fill("Vil automatisere svejsningen og øge eksporten.")
    page.get_by_label("Resumé").fill("Fælles besøg med erhvervsservice: robotcelle og ledelse.")

    page.locator("[name='behov-0-area']").select_option(label="Digitalisering og automatisering")
    page.locator("[name='behov-0-description']").fill("Operatører skal kunne programmere robotcellen.")
    page.locator("[name='behov-0-employees_affected']").fill("6")
    page.locator("#kompetencebehov").get_by_label("Ufaglærte").first.check()
    page.get_by_role("button", name="Tilføj behov").click()
    expect(page.locator("[name='behov-1-area']")).to_be_focused()
    page.locator("[name='behov-1-area']").select_option(label="Ledelse")
    page.locator("[name='behov-1-description']").fill("Mellemledere skal kunne lave kompetenceplaner.")
    page.locator("[name='behov-1-staff_groups'][value='staff_managers']").check()

    page.get_by_label("Næste skridt").fill("Uddannelsesplan for operatørerne.")
    page.get_by_label("Opfølgningsdato").fill((dt.date.today() + dt.timedelta(days=14)).isoformat())
    assert_no_horizontal_scroll(page)
    assert_accessible(page)
    page.get_by_role("button", name="Gem og afslut").click()

    # Back on the firm page: put it on the partnership's agenda.
    expect(page).to_have_url(live_server.url + firm.get_absolute_url())
    expect(page.get_by_text("Besøget er gemt og afsluttet.")).to_be_visible()
    page.get_by_role("link", name="Sæt på dagsorden").click()
    page.get_by_label("Hvad skal partnerskabet tage stilling til?").fill("Skal vi tilbyde RKV og en uddannelsesplan?")
    page.get_by_role("button", name="Sæt på dagsorden").click()
    expect(page.get_by_text(f"{firm.name} er sat på listen til næste møde i LKS Aarhus.")).to_be_visible()

    # The timeline shows the visit (joint, both consultants), both needs and the proposal.
    timeline = page.locator("ol.timeline")
    visit_item = timeline.locator("li.timeline-visit", has_text="robotcelle og ledelse")
    expect(visit_item).to_contain_text("Fælles besøg")
    expect(visit_item).to_contain_text(me.get_full_name())
    expect(visit_item).to_contain_text(colleague.get_full_name())
    expect(timeline.locator("li.timeline-need", has_text="programmere robotcellen")).to_be_visible()
    expect(timeline.locator("li.timeline-need", has_text="kompetenceplaner")).to_be_visible()
    expect(timeline.locator("li.timeline-proposal", has_text="RKV og en uddannelsesplan")).to_be_visible()
    expect(page.get_by_text("Afventer behandling i partnerskabet")).to_be_visible()
    assert_no_horizontal_scroll(page)
    assert_accessible(page)

    visit = Visit.objects.filter(company=firm).order_by("-pk").first()
    assert Visit.objects.filter(company=firm).count() == visits_before + 1
    assert visit.status == Visit.Status.COMPLETED
    assert set(visit.consultants.all()) == {me, colleague}
    assert sorted(CompetenceNeed.objects.filter(visit=visit).values_list("area", flat=True)) == [
        "digitalisering",
        "ledelse",
    ]
    assert AgendaProposal.objects.get(company=firm, status=AgendaProposal.Status.PENDING).proposed_by == me
