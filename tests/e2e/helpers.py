"""Steps the browser journeys share."""

from __future__ import annotations

from playwright.sync_api import Page

from partnerships.demo import DEMO_PASSWORD


def log_in(page: Page, base_url: str, email: str = "konsulent@demo.dk") -> None:
    """Log in through the login form, as a person would, and land on the dashboard."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base_url + "/")
