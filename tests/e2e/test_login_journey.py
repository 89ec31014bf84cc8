"""A consultant's first minute: the login page, the dashboard, keyboard use and accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partnerships.demo import DEMO_PASSWORD
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def test_consultant_logs_in_and_sees_her_partnerships(page: Page, live_server, demo_data, assert_accessible):
    page.goto(live_server.url + "/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", name="Log ind på Kompetenceportalen")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("E-mail").fill("konsulent@demo.dk")
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goddag, Mette")
    expect(page.get_by_role("heading", name="Mine partnerskaber")).to_be_visible()
    expect(page.get_by_role("link", name="LKS Aarhus", exact=True)).to_be_visible()
    assert_accessible(page)


def test_wrong_password_is_explained_in_danish(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail").fill("konsulent@demo.dk")
    page.get_by_label("Adgangskode").fill("forkert")
    page.get_by_role("button", name="Log ind").click()

    expect(page.get_by_text("Den angivne emailadresse og/eller adgangskode er ikke korrekt.")).to_be_visible()


def test_first_tab_on_the_dashboard_focuses_the_skip_link(page: Page, live_server, demo_data):
    log_in(page, live_server.url)

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Spring til indhold")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#indhold")
    expect(page.locator("main#indhold")).to_be_focused()
