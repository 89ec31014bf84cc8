"""Browser journeys in real Chromium (Debian's /usr/bin/chromium) against Django's live server.

Playwright keeps an event loop running in the test process, which makes Django refuse ORM calls
(SynchronousOnlyOperation). Allowing them per test fails at database teardown, so it is allowed
for the whole session, here, at import time. It is a test-only switch: ``check --deploy``
reports async.E001 if it ever reaches production.

The live server needs ``transactional_db``, which empties the database after each test. These
tests therefore also ask for ``django_db_serialized_rollback``, which puts back the reference data
of the data migrations (municipalities, systems) and the role groups before each test. See
``_serialized_rollback_under_playwright`` for why that needs help here.

Without /usr/bin/chromium the tests are skipped, unless E2E_REQUIRED=1 (as in CI): then they fail.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, connections

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        if item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _missing(what: str) -> None:
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"{what}, and E2E_REQUIRED=1 says the browser tests must run.")
    pytest.skip(f"{what}: browser tests skipped (set E2E_REQUIRED=1 to make this an error).")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright's launch options, pointed at Debian's Chromium."""
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": browser_type_launch_args.get("headless", True),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup) -> dict[str, str]:
    """The test database's contents as serialized after migrating, taken before Playwright starts."""
    return {
        connection.alias: connection._test_serialized_contents
        for connection in connections.all()
        if hasattr(connection, "_test_serialized_contents")
    }


@pytest.fixture(autouse=True)
def _serialized_rollback_under_playwright(_serialized_database, playwright) -> None:
    """Make serialized rollback work while Playwright's event loop runs.

    Django keeps connections in an asgiref ``Local``, which gives code running under an event
    loop connection objects of its own. pytest-django stores the serialized database on the
    connection of the thread that set the database up, so when other tests ran first, the
    browser tests' connection lacks it and ``serialized_rollback`` silently restores nothing.
    Copying it across (an autouse fixture runs before ``transactional_db`` sets the test up)
    lets each browser test start from the migrated reference data.
    """
    for alias, contents in _serialized_database.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture
def assert_accessible() -> Callable:
    """``assert_accessible(page)``: run axe-core on the page and fail on serious or critical
    WCAG 2.1 A/AA violations, listing each with the elements it found."""
    if not AXE_JS.exists():
        _missing(f"{AXE_JS} is missing (npm ci)")
    axe_source = AXE_JS.read_text(encoding="utf-8")

    def check(page) -> None:
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern; an injected <script> tag would be refused, as it should be.
        page.evaluate(axe_source)
        results = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        violations = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
        if violations:
            report = [
                f"{v['impact']}: {v['id']} ({v['help']}) at "
                + json.dumps([node["target"] for node in v["nodes"]], ensure_ascii=False)
                for v in violations
            ]
            pytest.fail(f"accessibility violations on {page.url}:\n" + "\n".join(report), pytrace=False)

    return check


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(request):
    """Fail a browser test whose pages broke the Content-Security-Policy (an inline script or
    style, or a file from another site), which users would see as a page that half works."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    yield
    assert refused == [], "Content-Security-Policy violations:\n" + "\n".join(refused)


@pytest.fixture
def demo_data(transactional_db, django_db_serialized_rollback, _serialized_database) -> None:
    """The demo data of ``seed_demo`` (demo logins, partnerships, firms), fresh for each journey."""
    from django.core.management import call_command

    from partnerships.models import Municipality

    # The first browser test after a transactional test that flushed the database (the no-clear-CPR
    # test) was seen starting without the migrated reference data although serialized rollback was
    # asked for; seed_demo then failed on the municipalities. Restore it here when it is missing.
    if not Municipality.objects.exists():
        connection.creation.deserialize_db_from_string(_serialized_database[connection.alias])

    call_command("seed_demo", verbosity=0)
