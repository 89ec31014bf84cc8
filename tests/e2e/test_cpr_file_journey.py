"""Project management asks for the ESF participant file with full CPR numbers as Excel, too big for
the request (``XLSX_WEB_LIMIT`` made small here), so it is built in the background: logged in with the
password and a code from an authenticator app, she chooses the period and a partnership in the CPR section, writes why,
lands on the report page with its warning, waits for the file and downloads it; every number in it is
a full CPR number. Another management user neither finds the report nor its page. Without the second
factor the button says why in Danish and asks for nothing. Every page is checked with axe.

As in ``test_report_journey``, the build is held back after commit and then run in a thread of its own
while the page polls, as a worker would run it.

Screenshots of the pages at desktop width and at 375 px go to ``/tmp/cprweb/`` (not kept).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from activities.models import CprReveal
from kompetence import outbox
from partnerships.demo import DEMO_PASSWORD
from partnerships.models import Partnership, Role, User
from reporting.exports import esf_participants
from reporting.models import Report
from reporting.periods import Period
from tests.e2e.helpers import log_in, rendered_meanwhile
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e

PERIOD = "2018"
PARTNERSHIP = "LKS Aarhus"
REASON = "ESF-indberetning 2018 til Erhvervsstyrelsen"
FULL_CPR = re.compile(r"^\d{6}-\d{4}$")
SHOTS = Path("/tmp/cprweb")  # noqa: S108 (screenshots to look at, never committed)
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def small_limit(monkeypatch) -> int:
    """A handful of participants is "too many" for an Excel file in the request."""
    monkeypatch.setattr("reporting.views.exports.XLSX_WEB_LIMIT", 5)
    return 5


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def log_in_with_code(page: Page, base_url: str, email: str, secret: str, assert_accessible) -> None:
    """The login form with the password, then the two-factor step with the app's code."""
    page.goto(base_url + "/accounts/login/")
    assert_accessible(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("To-faktor-autentificering")
    assert_accessible(page)
    shoot(page, "two-factor-step")
    page.get_by_label("Kode").fill(totp_code(secret))
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base_url + "/")
    assert_accessible(page)


def shoot(page: Page, name: str) -> None:
    """A screenshot of the whole page at the current width, and one at 375 px."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=SHOTS / f"{name}-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=SHOTS / f"{name}-375.png", full_page=True)
    page.set_viewport_size(size)


def context_logged_in_on_the_password_alone(browser: Browser, base_url: str, user: User) -> BrowserContext:
    """A browser whose session has the password but not the second factor, as one opened before the
    authenticator app was set up (the login form itself asks her for the code now)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return context


def another_manager() -> User:
    manager = UserFactory(email="ledelse2@demo.dk", first_name="Karin", role=Role.MANAGEMENT)
    manager.set_password(DEMO_PASSWORD)
    manager.save(update_fields=["password"])
    return manager


def ask_for_the_cpr_file(page: Page, base_url: str) -> None:
    """On the export page, in the CPR section (its own period and partnership, shown, so the file is
    what she sees chosen): the period, the partnership, the reason and Excel, then its button."""
    page.goto(base_url + "/rapportering/eksport/")
    section = page.get_by_role("region", name="ESF-deltagerfil med fulde CPR-numre")
    section.get_by_label("Periode").fill(PERIOD)
    section.get_by_label("Partnerskab").select_option(label=PARTNERSHIP)
    section.get_by_label("Begrundelse for at eksportere CPR-numre").fill(REASON)
    section.get_by_label("Excel (XLSX)").check()


def test_management_gets_the_big_file_with_full_cpr_numbers_and_no_one_else_sees_it(
    page: Page, browser: Browser, live_server, demo_data, small_limit, assert_accessible, monkeypatch, tmp_path
):
    # Keep the build in the outbox after commit (the "worker" below runs it).
    monkeypatch.setattr(outbox, "_after_commit", lambda pk: None)
    manager = User.objects.get(email="ledelse@demo.dk")
    secret = generate_totp_secret()
    TOTP.activate(manager, secret)
    aarhus = Partnership.objects.get(name=PARTNERSHIP)
    expected = esf_participants(Period.parse(PERIOD), user=manager, partnership=aarhus)
    numbered = expected.filter(cpr_token__gt="", anonymised_at__isnull=True).count()
    assert numbered > small_limit, "the demo's participants of the period must exceed the limit"

    log_in_with_code(page, live_server.url, "ledelse@demo.dk", secret, assert_accessible)
    ask_for_the_cpr_file(page, live_server.url)
    assert_accessible(page)
    shoot(page, "export-page")
    page.get_by_role("button", name="Hent filen med CPR-numre").click()

    # The report page: what the file is, who sees it, and when it goes.
    report = Report.objects.get(requested_by=manager, cpr=True)
    expect(page).to_have_url(live_server.url + report.get_absolute_url())
    year = Period.parse(PERIOD)
    assert (report.partnership, report.period_start, report.period_end) == (aarhus, year.start, year.end)
    assert report.parameters["reason"] == REASON
    expect(page.get_by_text("Filen med fulde CPR-numre dannes i baggrunden")).to_be_visible()
    warning = page.get_by_role("note")
    expect(warning).to_contain_text("Filen indeholder fulde CPR-numre.")
    expect(warning).to_contain_text("Kun du kan se og hente den")
    expect(warning).to_contain_text("24 timer")
    assert_accessible(page)
    shoot(page, "report-page-waiting")

    with rendered_meanwhile(report):
        link = page.get_by_role("link", name=re.compile("Hent filen"))
        expect(link).to_be_visible(timeout=120_000)
    expect(page.locator("[data-report-live]")).to_have_text("Rapporten er færdig.")
    expect(page.get_by_role("note")).to_contain_text("Filen slettes automatisk")
    assert_accessible(page)
    shoot(page, "report-page-done")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "med-cpr" in download.suggested_filename
    path = tmp_path / "cpr.xlsx"
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("CPR-nummer")
    numbers = [row[column] for row in rows[1:]]
    assert len(numbers) == expected.count()
    assert sum(1 for n in numbers if n and FULL_CPR.match(n)) == numbered
    assert all(FULL_CPR.match(n) for n in numbers if n)
    # Each number was recorded as exported by her, with her reason.
    exported = CprReveal.objects.filter(kind=CprReveal.Kind.EXPORT)
    assert exported.count() == numbered
    assert set(exported.values_list("by", "reason")) == {(manager.pk, REASON)}

    # Her own file, in a session without the second factor: not handed out.
    unconfirmed = context_logged_in_on_the_password_alone(browser, live_server.url, manager)
    try:
        again = unconfirmed.new_page()
        again.goto(live_server.url + report.get_absolute_url())
        expect(again.get_by_role("note")).to_contain_text("Filen indeholder fulde CPR-numre.")
        downloads: list = []
        again.on("download", lambda download: downloads.append(download))
        again.get_by_role("link", name=re.compile("Hent filen")).click()
        expect(again.get_by_text("Du skal være logget ind med totrinsbekræftelse for at hente en fil")).to_be_visible()
        expect(again).to_have_url(live_server.url + report.get_absolute_url())
        assert downloads == []
        assert_accessible(again)
        shoot(again, "report-page-without-second-factor")
    finally:
        unconfirmed.close()

    # Another management user: no such report, not on the list.
    another_manager()
    other = browser.new_context(locale="da-DK", timezone_id="Europe/Copenhagen")
    try:
        them = other.new_page()
        log_in(them, live_server.url, "ledelse2@demo.dk")
        assert_accessible(them)
        response = them.goto(live_server.url + report.get_absolute_url())
        assert response.status == 404
        assert_accessible(them)
        shoot(them, "report-page-other-manager")
        for url in (report.get_absolute_url() + "status/", report.get_absolute_url() + "hent/"):
            assert them.request.get(live_server.url + url).status == 404, url
        them.goto(live_server.url + "/rapportering/rapporter/")
        expect(them.get_by_role("heading", level=1)).to_be_visible()
        # Other reports are listed (the demo's), hers is not.
        expect(them.locator("main a[href^='/rapportering/rapporter/']").first).to_be_visible()
        expect(them.locator(f"a[href='{report.get_absolute_url()}']")).to_have_count(0)
        assert_accessible(them)
        shoot(them, "report-list-other-manager")
    finally:
        other.close()
    # She sees it on her own list.
    page.goto(live_server.url + "/rapportering/rapporter/")
    expect(page.locator(f"a[href='{report.get_absolute_url()}']")).to_have_count(1)
    row = page.get_by_role("row").filter(has=page.locator(f"a[href='{report.get_absolute_url()}']"))
    expect(row).to_contain_text("med fulde CPR-numre")
    assert_accessible(page)
    shoot(page, "report-list")


def test_without_the_second_factor_the_cpr_file_is_refused_in_danish(
    page: Page, live_server, demo_data, small_limit, assert_accessible
):
    another_manager()
    reports = set(Report.objects.values_list("pk", flat=True))  # the demo's own
    log_in(page, live_server.url, "ledelse2@demo.dk")
    ask_for_the_cpr_file(page, live_server.url)
    page.get_by_role("button", name="Hent filen med CPR-numre").click()

    # The page again with what she chose and typed, and why at the top of the CPR form.
    expect(page.get_by_text("Du skal være logget ind med totrinsbekræftelse").first).to_be_visible()
    section = page.get_by_role("region", name="ESF-deltagerfil med fulde CPR-numre")
    expect(section.get_by_label("Periode")).to_have_value(PERIOD)
    expect(section.get_by_label("Begrundelse for at eksportere CPR-numre")).to_have_value(REASON)
    assert_accessible(page)
    shoot(page, "export-page-refused")
    assert set(Report.objects.values_list("pk", flat=True)) == reports
    assert not CprReveal.objects.filter(kind=CprReveal.Kind.EXPORT).exists()
