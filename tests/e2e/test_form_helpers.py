"""The shared form helpers in Chromium: Danish numbers in an English browser, the error summary's
focus and links, the character counter, and Enter that does not send a long form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

# The page needs no data, but the live server makes every test transactional: serialized rollback keeps
# its flush from re-creating the role groups that the next browser test restores.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.urls("tests.e2e.form_helpers_urls"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def english_browser_page(browser: Browser, browser_context_args: dict):
    """A page in a browser set to American English (number keys, decimal dot)."""
    context = browser.new_context(**{**browser_context_args, "locale": "en-US"})
    page = context.new_page()
    yield page
    context.close()


def _open(page: Page, live_server) -> None:
    page.goto(live_server.url + "/proeveformular/")
    expect(page.get_by_role("heading", name="Prøveformular")).to_be_visible()


def test_danish_number_survives_an_english_browser(english_browser_page: Page, live_server):
    page = english_browser_page
    _open(page, live_server)
    page.get_by_label("Navn").fill("Smed ApS")
    page.get_by_label("Omsætning (mio. EUR)").fill("3,5")
    page.get_by_label("Tal (Djangos felt)").press_sequentially("3,5")
    page.get_by_role("button", name="Gem").click()

    saved = page.locator("#gemt")
    expect(saved).to_be_visible()
    ours, djangos = (part.strip() for part in saved.inner_text().removeprefix("Gemt:").split("/"))
    assert ours == "3,50"  # stored as 3.5, shown the Danish way
    # The browser parsed Django's <input type="number"> itself: "3,5" never reached the server.
    # (Debian's Chromium, en-US: the comma is taken as a thousands separator and dropped.)
    assert djangos == "35,00"


def test_error_summary_takes_focus_and_its_links_move_to_the_field(page: Page, live_server, assert_accessible):
    _open(page, live_server)
    page.get_by_label("Omsætning (mio. EUR)").fill("3,5 mio")
    page.get_by_role("button", name="Gem").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("Formularen kunne ikke gemmes")
    assert_accessible(page)

    message = "Skriv tallet med cifrene 0-9 og evt. komma, fx 3,5."
    summary.get_by_role("link", name=f"Omsætning (mio. EUR): {message}").click()
    expect(page.get_by_label("Omsætning (mio. EUR)")).to_be_focused()
    summary.get_by_role("link", name="Navn: Dette felt er påkrævet.").click()
    expect(page.get_by_label("Navn")).to_be_focused()
    expect(page.get_by_label("Omsætning (mio. EUR)")).to_have_value("3,5 mio")  # what was typed stays


def test_counter_counts_and_a_long_paste_is_kept_whole(page: Page, live_server):
    _open(page, live_server)
    expect(page.get_by_text("Højst 40 tegn.")).to_be_visible()
    summary = page.get_by_label("Referat")
    counter = page.locator("#id_summary_counter")
    expect(counter).to_have_text("0 af 40 tegn")
    summary.fill("Besøg hos smeden")
    expect(counter).to_have_text("16 af 40 tegn")
    summary.fill("a\nb")
    expect(counter).to_have_text("4 af 40 tegn")  # the browser sends the line break as CR LF, as the server counts
    pasted = "x" * 20 + "\n" + "x" * 24
    summary.fill(pasted)  # as a paste: nothing is cut off
    expect(summary).to_have_value(pasted)
    expect(counter).to_have_text("6 tegn for meget: højst 40")
    expect(counter).to_have_class("form-text char-counter char-counter-over")

    page.get_by_label("Navn").fill("Smed ApS")
    page.get_by_role("button", name="Gem").click()
    expect(page.locator("#error_1_id_summary")).to_have_text("Må højst være 40 tegn (teksten er 46 tegn).")


def test_enter_in_a_field_moves_on_instead_of_sending_the_form(page: Page, live_server):
    _open(page, live_server)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method) if request.method == "POST" else None)
    name = page.get_by_label("Navn")
    expect(name).to_have_attribute("enterkeyhint", "next")
    name.fill("Smed ApS")
    name.press("Enter")

    expect(page.get_by_label("Dato")).to_be_focused()
    page.get_by_label("Omsætning (mio. EUR)").fill("1.234,5")
    page.get_by_label("Omsætning (mio. EUR)").press("Enter")
    expect(page.get_by_label("Tal (Djangos felt)")).to_be_focused()
    page.get_by_label("Referat").fill("Første linje")
    page.get_by_label("Referat").press("Enter")  # a textarea still takes new lines
    expect(page.get_by_label("Referat")).to_have_value("Første linje\n")
    assert requests == []

    page.get_by_role("button", name="Gem").click()
    expect(page.locator("#gemt")).to_contain_text("1.234,50")
    assert requests == ["POST"]
