"""Progress reports through a real Celery worker and Redis (marked ``celery_worker``; needs REDIS_URL).

The worker is a separate process with the tests' database (the test database's name in its
DATABASE_URL) and media folder, consuming the ``pdf`` queue. The rows are committed
(``transaction=True``) so the worker sees them. Short limits are set in the workers' environment so
that a killed worker's task comes back within seconds (visibility timeout = the longest time limit
plus a margin of two seconds).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from reporting.models import Report
from reporting.periods import Period
from reporting.reports import services
from tests.reporting.world import build_world

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker to start a worker on"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT_DIR = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
# Short limits for the kill test: a render "running" for more than 6 s has lost its worker, and
# Redis gives an unacknowledged task back after 8 + 2 s.
SHORT_LIMITS = {
    "REPORT_TIME_LIMIT": "6",
    "REPORT_SOFT_TIME_LIMIT": "5",
    "CELERY_TASK_TIME_LIMIT": "8",
    "CELERY_TASK_SOFT_TIME_LIMIT": "7",
    "CELERY_VISIBILITY_MARGIN": "2",
    "REPORT_RETRY_BACKOFF": "1",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}


def _test_database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def start_worker(tmp_path: Path, name: str, **extra_env: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="kompetence.settings",
        DATABASE_URL=_test_database_url(),
        MEDIA_DIR=str(settings.MEDIA_ROOT),
        **extra_env,
    )
    log = (tmp_path / f"{name}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [
            str(CELERY), "-A", "kompetence", "worker", "--pool", "solo", "--concurrency", "1",
            "-Q", "pdf", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"{name}-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "INFO",
        ],
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    process.log_file = log  # type: ignore[attr-defined]
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    process.log_file.close()  # type: ignore[attr-defined]


def wait_for(report: Report, condition, *, timeout: float, logs: list[Path]) -> Report:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        time.sleep(0.2)
    for log in logs:
        print(log.read_text()[-5000:])
    raise AssertionError(f"report {report.pk} stayed {report.status} ({report.progress} %, {report.error})")


def built_by_a_worker(tmp_path: Path, ask) -> Report:
    """A big file asked for (``ask()`` returns the service's ``(report, sent)``) while a worker runs,
    waited for until it is finished; it must be done."""
    worker = start_worker(tmp_path, "worker")
    try:
        report, sent = ask()
        assert sent
        report = wait_for(report, lambda r: r.is_finished, timeout=120, logs=[tmp_path / "worker.log"])
    finally:
        stop(worker)
    assert report.status == Report.Status.DONE, report.error
    return report


def pdf_text(report: Report, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    with report.file.open("rb") as handle:
        path.write_bytes(handle.read())
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_world(partnership_a, partnership_b)


def _request(user) -> Report:
    report, sent = services.report_request(
        kind=Report.Kind.PROGRESS, period=Period.year(2018), requested_by=user, narrative={"summary": "Et godt år."}
    )
    assert sent
    return report


def test_a_report_asked_for_is_rendered_by_a_worker_with_cover_budget_and_every_partnership(
    world, management, tmp_path
):
    worker = start_worker(tmp_path, "worker")
    try:
        report = _request(management)
        report = wait_for(report, lambda r: r.is_finished, timeout=120, logs=[tmp_path / "worker.log"])
    finally:
        stop(worker)

    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(report, tmp_path)
    assert "Fremdriftsrapport til" in text and "Vækstforum" in text and "Et godt år." in text
    # The seed's budget lines (thousand kroner a year: 2.500, 1.000, 10.000, 1.500; 15.000 in all).
    for amount in ("2.500.000", "1.000.000", "10.000.000", "1.500.000", "15.000.000"):
        assert amount in text, amount
    assert "Styrkelse af virksomhedernes" in text and "Region Midtjylland" in text
    for partnership in (world.a, world.b):
        assert text.count(partnership.name) >= 3, partnership.name  # contents, tables and its own section


def test_a_worker_killed_mid_render_leaves_a_report_that_ends_done_never_stuck(world, management, tmp_path):
    first = start_worker(tmp_path, "first", **SHORT_LIMITS)
    second = None
    try:
        report = _request(management)
        wait_for(
            report,
            lambda r: r.status == Report.Status.RUNNING and r.progress >= 10,
            timeout=60,
            logs=[tmp_path / "first.log"],
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        report.refresh_from_db()
        assert report.status == Report.Status.RUNNING  # what the dead worker left behind

        second = start_worker(tmp_path, "second", **SHORT_LIMITS)
        report = wait_for(report, lambda r: r.is_finished, timeout=90, logs=[tmp_path / "second.log"])
    finally:
        stop(first)
        if second is not None:
            stop(second)

    assert report.status == Report.Status.DONE, report.error
    assert report.attempts == 2
    assert pdf_text(report, tmp_path).count("LKS Alfa") >= 3


def test_the_same_task_delivered_three_times_gives_one_report_and_one_file(world, management, tmp_path):
    from reporting.reports.tasks import render_report

    report = Report.objects.create(
        kind=Report.Kind.PROGRESS,
        period_start=Period.year(2018).start,
        period_end=Period.year(2018).end,
        requested_by=management,
        requested_at=timezone.now(),
    )
    worker = start_worker(tmp_path, "worker")
    try:
        for _ in range(3):
            render_report.apply_async(args=[report.pk], queue="pdf")
        report = wait_for(report, lambda r: r.is_finished, timeout=120, logs=[tmp_path / "worker.log"])
        time.sleep(3)  # the two duplicates are handled after the first
        report.refresh_from_db()
    finally:
        stop(worker)

    assert report.status == Report.Status.DONE and report.attempts == 1
    files = list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))
    assert len(files) == 1
    import hashlib

    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == report.checksum
    log = (tmp_path / "worker.log").read_text()
    assert log.count("reporting.render_report") >= 3 and log.count("succeeded") == 3


def test_a_big_esf_file_asked_for_is_built_by_a_worker_with_masked_cpr(
    partnership_a, partnership_b, management, tmp_path
):
    from openpyxl import load_workbook

    from reporting.exports import esf_participants
    from tests.reporting.world import build_activities, build_participants

    build_participants(build_activities(build_world(partnership_a, partnership_b)))
    report = built_by_a_worker(
        tmp_path, lambda: services.esf_file_request(user=management, period=Period.year(2018), partnership=None)
    )
    with report.file.open("rb") as handle:
        sheet = load_workbook(handle).active
    assert sheet.max_row == esf_participants(Period.year(2018), user=management).count() + 1
    assert all(row[1].value.endswith("-****") for row in sheet.iter_rows(min_row=2))


def test_a_big_activity_list_asked_for_is_built_by_a_worker(partnership_a, partnership_b, management, tmp_path):
    from openpyxl import load_workbook

    from reporting.exports import activity_rows
    from tests.reporting.world import build_activities

    build_activities(build_world(partnership_a, partnership_b))
    report = built_by_a_worker(
        tmp_path, lambda: services.activity_file_request(user=management, period=Period.year(2018), partnership=None)
    )
    with report.file.open("rb") as handle:
        sheet = load_workbook(handle).active
    titles = {row[1].value for row in sheet.iter_rows(min_row=2)}
    assert titles == set(activity_rows(Period.year(2018), user=management).values_list("title", flat=True))
    assert sheet.freeze_panes == "A2"


def test_a_big_esf_file_with_full_cpr_numbers_is_built_by_a_worker_encrypted_and_recorded_once(
    partnership_a, partnership_b, management, tmp_path
):
    import io

    from openpyxl import load_workbook

    from activities.models import CprReveal
    from reporting.exports import esf_participants
    from reporting.reports import files
    from tests.reporting.world import build_activities, build_participants

    build_participants(build_activities(build_world(partnership_a, partnership_b)))
    report = built_by_a_worker(
        tmp_path,
        lambda: services.cpr_file_request(
            user=management, period=Period.year(2018), partnership=None, reason="ESF-indberetning", two_factor=True
        ),
    )
    with report.file.open("rb") as handle:
        assert handle.read(2) != b"PK"  # encrypted at rest, no workbook
    sheet = load_workbook(io.BytesIO(files.file_content(report))).active
    numbers = [row[1].value for row in sheet.iter_rows(min_row=2)]
    taking_part = esf_participants(Period.year(2018), user=management).count()
    assert len(numbers) == taking_part and not any(number.endswith("-****") for number in numbers)
    exported = CprReveal.objects.filter(kind=CprReveal.Kind.EXPORT, by=management, at=report.requested_at)
    assert exported.count() == len([n for n in numbers if n])
    assert "ESF-indberetning" not in (tmp_path / "worker.log").read_text()
    assert not any(number and number in (tmp_path / "worker.log").read_text() for number in numbers)
