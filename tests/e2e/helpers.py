"""Steps the browser journeys share."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from playwright.sync_api import Page

from kompetence import outbox
from kompetence.models import OutboxEntry
from partnerships.demo import DEMO_PASSWORD


def log_in(page: Page, base_url: str, email: str = "konsulent@demo.dk") -> None:
    """Log in through the login form, as a person would, and land on the dashboard."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base_url + "/")


@contextmanager
def rendered_meanwhile(report) -> Iterator[None]:
    """Run the report's render, held back in the outbox after commit (the test patches
    ``outbox._after_commit``), in a thread of its own while the block watches the page, as a worker
    would run it."""
    entry = OutboxEntry.objects.get(dedupe_key=f"report:{report.pk}")

    def work() -> None:
        try:
            outbox.send(entry.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        yield
    finally:
        worker.join(timeout=120)
