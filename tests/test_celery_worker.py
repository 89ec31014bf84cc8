"""One round trip through a real Celery worker and Redis: the wiring, not the tasks.

Runs only when REDIS_URL is set (CI sets it); without it Celery runs tasks inline and there is
nothing to start. The worker uses the normal settings with the same DATABASE_URL, so it sees the
real database, not the test database: a round-trip task must not depend on rows made in a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from kompetence.celery import ping

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: there is no broker to start a worker on"
    ),
]

PROJECT_DIR = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")


def start_worker(tmp_path: Path) -> subprocess.Popen:
    """A worker process with the same REDIS_URL and DATABASE_URL as the tests."""
    # The browser tests' conftest allows sync ORM calls under an event loop for this process;
    # the worker is a stand-in for production and must not inherit that.
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env["DJANGO_SETTINGS_MODULE"] = "kompetence.settings"
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (a fixed command line)
        [
            str(CELERY),
            "-A",
            "kompetence",
            "worker",
            "--pool",
            "solo",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test-{uuid.uuid4().hex[:8]}@%h",
            "--loglevel",
            "INFO",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log_file = log  # type: ignore[attr-defined]
    return process


def stop_worker(process: subprocess.Popen, tmp_path: Path) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
    process.log_file.close()  # type: ignore[attr-defined]
    if process.returncode not in (0, -15):
        print((tmp_path / "worker.log").read_text())  # shown by pytest when the test fails


@pytest.fixture
def worker(tmp_path) -> Iterator[subprocess.Popen]:
    """A worker process with the same REDIS_URL and DATABASE_URL as the tests; stopped afterwards."""
    process = start_worker(tmp_path)
    try:
        yield process
    finally:
        stop_worker(process, tmp_path)


def test_settings_send_tasks_to_the_broker_when_redis_is_set():
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert os.environ["REDIS_URL"] == settings.CELERY_BROKER_URL


def test_ping_goes_through_a_real_worker_and_returns_pong(worker, tmp_path):
    result = ping.delay()

    try:
        answer = result.get(timeout=20)
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise

    assert answer == "pong"
    assert worker.poll() is None, "the worker died"
    result.forget()
