"""Issue 3's whole journey for a consultant, in Chromium on a desktop screen.

Find a firm by part of its name and by CVR; register a new firm (an invalid CVR is refused first);
log a joint visit with a colleague from another system and two competence needs; put the firm on
the partnership's agenda; see it all on the firm's timeline. Then a consultant of another
partnership cannot open the firm (404). Every page visited is checked with axe.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from partnerships.models import Partnership, System, User
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

NEW_CVR = "29403473"  # valid modulus-11 check digits; outside the demo data's CVR range
BAD_CVR = "29403474"  # the same with a wrong check digit


def search(page: Page, text: str) -> None:
    page.get_by_label("Søg på navn, CVR- eller P-nummer").fill(text)
    page.get_by_role("button", name="Søg", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_consultant_finds_registers_visits_and_proposes_a_firm_and_an_outsider_gets_404(
    page: Page, live_server, demo_data, assert_accessible, browser
):
    base = live_server.url
    me = User.objects.get(email="konsulent@demo.dk")
    aarhus = Partnership.objects.get(name="LKS Aarhus")
    colleague = (
        User.objects.filter(memberships__partnership=aarhus, is_active=True, organisation__system=System.BUSINESS)
        .order_by("pk")
        .first()
    )
    known = next(c for c in Company.objects.filter(partnership=aarhus).order_by("name") if len(c.name.split()[0]) >= 7)
    fragment = known.name.split()[0][1:6].lower()  # part of the name, not its start, in other case
    log_in(page, base, me.email)

    # Find a known firm by part of its name, then by its CVR number.
    page.get_by_role("button", name="Virksomheder", exact=True).click()  # the menu's firm drop-down
    page.get_by_role("link", name="Virksomheder", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Virksomheder")
    assert_accessible(page)
    search(page, fragment)
    expect(page.get_by_role("link", name=known.name, exact=True)).to_be_visible()
    search(page, known.cvr)
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=known.name, exact=True)).to_be_visible()

    # Register a new firm: the invalid CVR is refused next to the field, nothing is saved.
    page.get_by_role("link", name="Registrér virksomhed").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registrér virksomhed")
    page.get_by_label("CVR-nummer").fill(BAD_CVR)
    page.get_by_label("Virksomhedsnavn").fill("Åbyhøj Robotteknik ApS")
    page.get_by_label("Adresse").fill("Silkeborgvej 260")
    page.get_by_label("Postnummer").fill("8230")
    page.get_by_label("By", exact=True).fill("Åbyhøj")
    page.get_by_label("Kommune").select_option(label="Aarhus")
    page.get_by_label("Antal ansatte", exact=True).fill("34")
    page.get_by_role("button", name="Registrér virksomhed").click()
    cvr_field = page.get_by_label("CVR-nummer")
    expect(cvr_field).to_have_attribute("aria-invalid", "true")
    # The message stands under the field itself (and in the summary at the top of the form).
    expect(page.locator("#error_1_id_cvr")).to_contain_text("kontrolcifferet passer ikke")
    assert not Company.objects.filter(name="Åbyhøj Robotteknik ApS").exists()
    assert_accessible(page)

    cvr_field.fill(f"DK {NEW_CVR[:2]} {NEW_CVR[2:4]} {NEW_CVR[4:6]} {NEW_CVR[6:]}")
    page.get_by_role("button", name="Registrér virksomhed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Åbyhøj Robotteknik ApS")
    firm = Company.objects.get(cvr=NEW_CVR)
    assert firm.partnership == aarhus  # chosen from the municipality
    expect(page).to_have_url(base + firm.get_absolute_url())

    # A joint visit with a colleague from business service and two competence needs.
    page.get_by_role("link", name="Registrér besøg").click()
    page.get_by_label("Besøgsdato").fill((dt.date.today() - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Type besøg").select_option(label="Fælles besøg")
    page.get_by_label(re.compile(colleague.get_full_name())).check()
    page.get_by_label("Resumé").fill("Robotcellen kræver nye kompetencer hos operatørerne.")
    page.locator("[name='behov-0-area']").select_option(label="Digitalisering og automatisering")
    page.locator("[name='behov-0-description']").fill("Programmering af robotcellen.")
    page.get_by_role("button", name="Tilføj behov").click()
    page.locator("[name='behov-1-area']").select_option(label="Sprog")
    page.locator("[name='behov-1-description']").fill("Dansk for udenlandske operatører.")
    page.get_by_label("Næste skridt").fill("Uddannelsesplan og RKV.")
    page.get_by_label("Opfølgningsdato").fill((dt.date.today() + dt.timedelta(days=21)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Gem og afslut").click()
    expect(page.get_by_text("Besøget er gemt og afsluttet.")).to_be_visible()

    # Put the firm on the partnership's agenda.
    page.get_by_role("link", name="Sæt på dagsorden").click()
    page.get_by_label("Hvad skal partnerskabet tage stilling til?").fill("Fælles tilbud: AMU-kurser og jobrotation?")
    page.get_by_role("button", name="Sæt på dagsorden").click()

    # Everything is on the firm's timeline, newest first.
    timeline = page.locator("ol.timeline")
    expect(timeline.locator("li.timeline-visit", has_text="Robotcellen kræver")).to_contain_text("Fælles besøg")
    expect(timeline.locator("li.timeline-need", has_text="Programmering af robotcellen")).to_be_visible()
    expect(timeline.locator("li.timeline-need", has_text="Dansk for udenlandske operatører")).to_be_visible()
    expect(timeline.locator("li.timeline-proposal", has_text="AMU-kurser og jobrotation")).to_be_visible()
    assert timeline.locator("li").first.get_attribute("class").count("timeline-proposal") == 1
    assert_accessible(page)

    visit = Visit.objects.get(company=firm)
    assert {c.organisation.system_id for c in visit.consultants.all()} == {System.EMPLOYMENT, System.BUSINESS}
    assert CompetenceNeed.objects.filter(company=firm).count() == 2
    assert AgendaProposal.objects.filter(company=firm, status=AgendaProposal.Status.PENDING).count() == 1

    # A consultant of another partnership cannot open the firm.
    outsider = User.objects.filter(memberships__partnership__name="LKS Herning", groups__name="Konsulent").first()
    other = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen").new_page()
    log_in(other, base, outsider.email)
    response = other.goto(base + firm.get_absolute_url())
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("Siden findes ikke")
    expect(other.get_by_text("Åbyhøj Robotteknik")).to_have_count(0)
    other.context.close()
