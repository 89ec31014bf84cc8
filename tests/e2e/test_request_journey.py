"""Én indgang on a phone: a firm's contact asks for help through the public form (a mistake refused
first), the secretariat of the firm's partnership finds it under "Nye henvendelser", takes it with a
lead consultant, and the firm's timeline shows it; a jobcentre consultant closes a recruitment need.
Every page is checked with axe and for sideways scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from companies.models import CompetenceNeed, PublicRequest
from partnerships.models import Organisation, User
from tests.companies.factories import valid_cvr
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}


def assert_no_horizontal_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"


def test_a_firm_asks_for_help_on_a_phone_and_the_right_partnership_takes_it(
    page: Page, live_server, demo_data, assert_accessible
):
    cvr = valid_cvr(48500000)
    page.set_viewport_size(PHONE)

    # The firm's contact, without an account.
    page.goto(live_server.url + "/henvendelse/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Få hjælp til kompetencer og rekruttering")
    expect(page.get_by_text("En konsulent ringer eller skriver til jer")).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("CVR-nummer").fill(cvr)
    page.get_by_label("Postnummer").fill("8450")
    page.get_by_label("Virksomhedens navn").fill("Hammel Stålsmed ApS")
    page.get_by_label("Kommune").select_option(label="Favrskov")
    page.get_by_label("Kontaktperson").fill("Lise Holm")
    page.get_by_label("E-mail").fill("lise@hammelstaal.dk")
    page.get_by_label("Telefon").fill("86 96 12 34")
    page.get_by_label("Rekruttering").check()
    page.get_by_label("Opkvalificering af medarbejdere").check()
    page.get_by_label("Fortæl med jeres egne ord").fill("Vi mangler to svejsere og vil gerne uddanne vores lærlinge.")
    # Consent forgotten: refused, the error summary takes focus and links to the box.
    page.get_by_role("button", name="Send henvendelsen").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Henvendelsen er ikke sendt")
    expect(summary).to_be_focused()
    assert_accessible(page)
    assert not PublicRequest.objects.filter(cvr=cvr).exists()
    summary.get_by_role("link", name=re.compile("Sæt kryds")).click()
    page.get_by_label("Ja, I må kontakte os om henvendelsen").check()
    page.get_by_role("button", name="Send henvendelsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tak for jeres henvendelse")
    assert_accessible(page)
    assert_no_horizontal_scroll(page)

    request = PublicRequest.objects.get(cvr=cvr)
    assert request.partnership.name == "LKS Favrskov"

    # The secretariat of LKS Favrskov.
    page.context.clear_cookies()
    log_in(page, live_server.url, "sekretariat@demo.dk")
    page.goto(live_server.url + "/henvendelser/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nye henvendelser")
    assert_accessible(page)
    page.get_by_role("link", name="Hammel Stålsmed ApS").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hammel Stålsmed ApS")
    assert_accessible(page)
    lead = User.objects.get(email="konsulent@demo.dk")
    page.get_by_label("Tovholder (konsulent)").select_option(value=str(lead.pk))
    page.get_by_role("button", name="Tag henvendelsen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hammel Stålsmed ApS")
    expect(page.get_by_text(f"Henvendelsen er taget. {lead.get_full_name()} er tovholder")).to_be_visible()
    expect(page.get_by_text("Henvendelse via Én indgang fra Lise Holm")).to_be_visible()
    expect(page.get_by_text(re.compile("Henvendelsen taget af"))).to_be_visible()
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    request.refresh_from_db()
    assert request.status == PublicRequest.Status.TAKEN


def test_a_jobcentre_consultant_sees_and_closes_a_recruitment_need(
    page: Page, live_server, demo_data, assert_accessible
):
    me = User.objects.get(email="konsulent@demo.dk")
    assert me.organisation.kind == Organisation.Kind.JOBCENTRE
    need = (
        CompetenceNeed.objects.for_user(me)
        .recruitment()
        .open()
        .select_related("recruitment", "company")
        .order_by("pk")
        .first()
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, me.email)

    page.goto(live_server.url + "/rekrutteringsbehov/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rekrutteringsbehov")
    expect(page.get_by_role("link", name=need.company.name).first).to_be_visible()
    assert_accessible(page)
    page.locator(f"a[href='/rekrutteringsbehov/{need.pk}/luk/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(need.recruitment.job_title)
    assert_accessible(page)
    page.get_by_label("Delvist besat").check()
    page.get_by_role("button", name="Luk behovet").click()
    expect(page.get_by_text(re.compile("er lukket: Delvist besat"))).to_be_visible()
    assert_accessible(page)

    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.COVERED
    assert need.recruitment.outcome == "delvist_besat"
