"""Project management asks for the Vækstforum progress report, watches the progress bar move while it
is rendered in the background (no reload), and downloads the PDF. Every page is checked with axe.

The browser tests run tasks inline; to see the bar move, the render is held back after commit and
then run in a thread of its own while the page polls, as a worker would run it.
"""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import Page, expect

from kompetence import outbox
from reporting.models import Report
from tests.e2e.helpers import log_in, rendered_meanwhile

pytestmark = pytest.mark.e2e


def test_management_asks_for_a_progress_report_watches_it_run_and_downloads_it(
    page: Page, live_server, demo_data, assert_accessible, monkeypatch, tmp_path
):
    # Keep the request in the outbox after commit (the worker picks it up below).
    monkeypatch.setattr(outbox, "_after_commit", lambda pk: None)
    log_in(page, live_server.url, "ledelse@demo.dk")

    page.goto(live_server.url + "/rapportering/rapporter/")
    assert_accessible(page)
    page.get_by_role("link", name="Bestil en rapport").click()
    assert_accessible(page)
    page.get_by_label("Periode").fill("sidste år")
    page.get_by_role("button", name="Dan rapporten").click()
    expect(page.get_by_text("er ikke en periode").first).to_be_visible()
    page.get_by_label("Periode").fill("2018")
    page.get_by_label("Sammenfatning").fill("Partnerskaberne har nået flere virksomheder end ventet.")
    page.get_by_role("button", name="Dan rapporten").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Fremdriftsrapport til Vækstforum")
    expect(page.get_by_text("Rapporten er bestilt og dannes nu")).to_be_visible()
    assert page.locator("progress").evaluate("bar => bar.value") == 0
    assert_accessible(page)
    report = Report.objects.get(parameters__period="2018", requested_by__email="ledelse@demo.dk")
    with rendered_meanwhile(report):
        # The bar moves while the report renders, without a reload.
        page.wait_for_function("() => { const v = document.querySelector('progress').value; return v > 0 && v < 100; }")
        expect(page.locator("[data-report-field='stage']")).not_to_be_empty()
        link = page.get_by_role("link", name="Hent rapporten")
        expect(link).to_be_visible(timeout=120_000)
    assert page.locator("progress").evaluate("bar => bar.value") == 100
    expect(page.locator("[data-report-live]")).to_have_text("Rapporten er færdig.")
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "fremdriftsrapport-til-vaekstforum-2018.pdf"
    pdf = tmp_path / "rapport.pdf"
    download.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "Fremdriftsrapport til" in text and "flere virksomheder end ventet" in text
    assert "LKS Aarhus" in text and "LKS Viborg" in text
