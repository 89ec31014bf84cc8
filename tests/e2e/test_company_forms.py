"""The firm and visit forms in Chromium: after a failed save the visit form's error summary takes focus
and its links reach the fields; Enter in a field does not save a half-done visit; "3,5" in the firm
form's Omsætning is 3.5 million in a Danish and in an English browser. Each page is checked with axe."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from companies.models import Company, SizeClass, Visit
from tests.companies.factories import CompanyFactory, valid_cvr
from tests.factories import DEFAULT_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _log_in(page: Page, live_server, user) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("form:has(input[name=password]) button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def test_failed_visit_save_moves_focus_to_the_error_summary_whose_links_reach_the_fields(
    page: Page, live_server, consultant_a, firm, assert_accessible
):
    _log_in(page, live_server, consultant_a)
    page.goto(live_server.url + reverse("companies:visit_create", args=[firm.pk]))
    page.get_by_label("Besøgsdato").fill("1900-01-01")
    page.get_by_role("checkbox", name="Anna").uncheck()
    page.get_by_label("Resumé").fill("Godt møde.")
    page.get_by_role("button", name="Gem og afslut").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Besøget er ikke gemt")
    assert_accessible(page)
    assert Visit.objects.count() == 0

    summary.get_by_role("link", name="Deltagende konsulenter: Vælg mindst én deltagende konsulent.").click()
    expect(page.get_by_role("checkbox", name="Anna")).to_be_focused()
    summary.get_by_role("link", name="Besøgsdato: Besøgsdatoen kan ikke ligge før programmets start").click()
    expect(page.get_by_label("Besøgsdato")).to_be_focused()
    expect(page.get_by_label("Resumé")).to_have_value("Godt møde.")  # what was typed stays


def test_enter_in_a_field_of_the_visit_form_moves_on_and_saves_nothing(page: Page, live_server, consultant_a, firm):
    _log_in(page, live_server, consultant_a)
    url = live_server.url + reverse("companies:visit_create", args=[firm.pk])
    page.goto(url)
    other = page.get_by_label("Andre deltagere")
    expect(other).to_have_attribute("enterkeyhint", "next")
    other.fill("Ekstern rådgiver")
    other.press("Enter")

    expect(page.get_by_label("Virksomhedens vækstplaner")).to_be_focused()
    assert page.url == url
    assert Visit.objects.count() == 0


@pytest.fixture
def english_page(browser: Browser, browser_context_args: dict):
    context = browser.new_context(**{**browser_context_args, "locale": "en-US"})
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("locale", ["da-DK", "en-US"])
def test_turnover_three_comma_five_is_three_and_a_half_million_in_danish_and_english_browsers(
    request, locale, live_server, consultant_a, partnership_a, assert_accessible
):
    page: Page = request.getfixturevalue("page" if locale == "da-DK" else "english_page")
    _log_in(page, live_server, consultant_a)
    page.goto(live_server.url + reverse("companies:create"))
    page.get_by_label("CVR-nummer").fill(valid_cvr(31000000))
    page.get_by_label("Virksomhedsnavn").fill("Komma ApS")
    page.get_by_label("Kommune").select_option(label="Aarhus")
    page.get_by_label("Antal ansatte", exact=True).fill("35")
    page.get_by_label("Omsætning (mio. EUR)").press_sequentially("3,5")
    page.get_by_label("Balance (mio. EUR)").press_sequentially("1.234,5")
    assert_accessible(page)
    page.get_by_role("button", name="Registrér virksomhed").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Komma ApS")
    company = Company.objects.get(name="Komma ApS")
    assert company.turnover_eur_m == Decimal("3.5")
    assert company.balance_eur_m == Decimal("1234.5")
    # 35 employees and a turnover of 3.5 (not 35) million EUR: a small firm (EU: under 50, at most 10).
    assert company.size_class == SizeClass.SMALL
