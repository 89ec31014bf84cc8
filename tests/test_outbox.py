"""The outbox (kompetence/outbox.py): work asked for inside a transaction reaches the broker after
commit, waits while the broker is down, goes out once when it is back, and takes ids only."""

from __future__ import annotations

import os
import time

import pytest
from django.core import mail
from django.db import transaction

from kompetence import outbox
from kompetence.models import OutboxEntry
from partnerships import services
from partnerships.models import Role
from tests.celery_helpers import celery_broker
from tests.factories import OrganisationFactory
from tests.faults import hanging_redis, unused_port

Status = OutboxEntry.Status


@pytest.fixture
def dead_broker(settings):
    with celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"):
        yield


def invite(administrator, **fields):
    return services.user_invite(
        email=fields.get("email", "ny@example.dk"),
        first_name="Nina",
        last_name="Nielsen",
        organisation=OrganisationFactory(name="Jobcenter Test"),
        role=Role.MANAGEMENT,
        invited_by=administrator,
    )


# ---------------------------------------------------------------------------
# Atomic with the business write, sent after commit
# ---------------------------------------------------------------------------
def test_work_is_sent_after_commit_and_marked_sent(administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user, sent_now = invite(administrator)
        entry = OutboxEntry.objects.get()
        assert (entry.task_name, entry.args, entry.status) == (
            "partnerships.send_invitation",
            [user.pk, administrator.pk],
            Status.PENDING,
        )
        assert mail.outbox == []  # nothing before commit

    for callback in callbacks:
        callback()

    assert sent_now is True
    assert len(mail.outbox) == 1
    entry.refresh_from_db()
    assert entry.status == Status.SENT and entry.sent_at is not None and entry.attempts == 1


def test_work_asked_for_in_a_rolled_back_transaction_is_never_sent(administrator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        invite(administrator)
        raise RuntimeError("the business write failed")

    assert not OutboxEntry.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [object(), 1.5, None, ["1"], "x" * 101])
def test_tasks_take_ids_only(bad):
    with pytest.raises(TypeError, match="ids only"):
        outbox.enqueue("kompetence.ping", bad)
    assert not OutboxEntry.objects.exists()


@pytest.mark.django_db
def test_a_task_object_or_its_name_may_be_given(django_capture_on_commit_callbacks):
    from kompetence.celery import ping

    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue(ping)

    assert OutboxEntry.objects.get().task_name == "kompetence.ping"


@pytest.mark.django_db
def test_dedupe_key_keeps_one_unsent_request(dead_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("kompetence.ping", dedupe_key="rapport-7")
        outbox.enqueue("kompetence.ping", dedupe_key="rapport-7")

    assert OutboxEntry.objects.filter(dedupe_key="rapport-7").count() == 1


# ---------------------------------------------------------------------------
# Broker down: stored, the caller is told, sent once when the broker is back
# ---------------------------------------------------------------------------
def test_invitation_while_the_broker_is_down_waits_and_goes_out_once_when_it_is_back(
    settings, administrator, django_capture_on_commit_callbacks
):
    with celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            user, sent_now = invite(administrator)
        elapsed = time.monotonic() - started
        assert outbox.flush() == 0  # still down: nothing sent, nothing lost

    assert sent_now is False
    assert elapsed < 10, f"{elapsed:.1f} s"
    entry = OutboxEntry.objects.get()
    assert entry.status == Status.PENDING and entry.last_error
    assert mail.outbox == []

    # The broker is back (here: tasks run inline, as without REDIS_URL).
    with celery_broker(settings, "memory://", eager=True):
        assert outbox.flush() == 1
        assert outbox.flush() == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    entry.refresh_from_db()
    assert entry.status == Status.SENT


def test_the_page_says_the_invitation_goes_out_when_the_queue_is_back(
    client_for, administrator, partnership_a, dead_broker, django_capture_on_commit_callbacks
):
    data = {
        "email": "ny.konsulent@example.dk",
        "first_name": "Nina",
        "last_name": "Nielsen",
        "organisation": OrganisationFactory(name="Jobcenter Test").pk,
        "role": Role.CONSULTANT.value,
        "partnerships": [partnership_a.pk],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post("/partnerskaber/brugere/inviter/", data, follow=True)

    page = response.content.decode()
    assert "sendes først, når køen er tilbage" in page
    assert OutboxEntry.objects.get().status == Status.PENDING


def test_enqueue_with_a_hanging_broker_answers_within_the_timeout(settings, db, django_capture_on_commit_callbacks):
    with hanging_redis() as server, celery_broker(settings, server.url):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            sent_now = outbox.enqueue("kompetence.ping")
        elapsed = time.monotonic() - started

    assert sent_now is False
    assert elapsed < 3 * settings.REDIS_TIMEOUT_SECONDS + 2, f"{elapsed:.1f} s"
    assert OutboxEntry.objects.get().status == Status.PENDING


# ---------------------------------------------------------------------------
# Sent once
# ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_an_entry_is_claimed_once(settings, django_capture_on_commit_callbacks):
    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        outbox.enqueue("kompetence.ping")
    entry = OutboxEntry.objects.get()

    with celery_broker(settings, "memory://", eager=True):
        assert outbox.send(entry.pk) is True
        assert outbox.send(entry.pk) is False

    entry.refresh_from_db()
    assert entry.attempts == 1  # not tried while the broker was known to be down; sent once


@pytest.mark.django_db
def test_an_entry_left_sending_by_a_dead_process_is_sent_again(settings):
    from django.utils import timezone

    entry = OutboxEntry.objects.create(
        task_name="kompetence.ping", status=Status.SENDING, claimed_at=timezone.now() - outbox.STALE_AFTER * 2
    )
    fresh = OutboxEntry.objects.create(task_name="kompetence.ping", status=Status.SENDING, claimed_at=timezone.now())

    with celery_broker(settings, "memory://", eager=True):
        assert outbox.flush() == 1

    entry.refresh_from_db()
    fresh.refresh_from_db()
    assert entry.status == Status.SENT
    assert fresh.status == Status.SENDING  # another process is sending it right now


@pytest.mark.django_db
def test_an_unknown_task_inline_is_marked_failed_not_retried_forever(settings, django_capture_on_commit_callbacks):
    with celery_broker(settings, "memory://", eager=True), django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("kompetence.no_such_task", 1)

    entry = OutboxEntry.objects.get()
    assert (entry.status, entry.last_error) == (Status.FAILED, "LookupError")
    assert outbox.flush() == 0


def test_the_periodic_flush_is_scheduled_every_minute(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["outbox-flush"]
    assert schedule["task"] == "kompetence.outbox_flush"
    assert schedule["schedule"] <= 60


@pytest.mark.django_db
def test_the_flush_task_sends_what_waits(settings):
    from kompetence.tasks import outbox_flush

    OutboxEntry.objects.create(task_name="kompetence.ping")
    with celery_broker(settings, "memory://", eager=True):
        assert outbox_flush() == 1


# ---------------------------------------------------------------------------
# Through a real worker and Redis (CI)
# ---------------------------------------------------------------------------
@pytest.mark.celery_worker
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: no broker to start a worker on")
@pytest.mark.django_db
def test_work_asked_while_the_broker_was_down_reaches_a_real_worker_once(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    from celery.result import AsyncResult

    from tests.test_celery_worker import start_worker, stop_worker

    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert outbox.enqueue("kompetence.ping") is False
    entry = OutboxEntry.objects.get()
    assert entry.status == Status.PENDING

    worker = start_worker(tmp_path)
    try:
        with celery_broker(settings, os.environ["REDIS_URL"]):
            assert outbox.flush() == 1
            assert outbox.flush() == 0
            result = AsyncResult(entry.task_id)
            assert result.get(timeout=30) == "pong"
            result.forget()
    finally:
        stop_worker(worker, tmp_path)
    entry.refresh_from_db()
    assert entry.status == Status.SENT


@pytest.mark.django_db
def test_a_successful_send_also_sends_what_waited_since_an_outage(settings, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    waited = OutboxEntry.objects.create(
        task_name="kompetence.ping", created_at=timezone.now() - dt.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outbox.enqueue("kompetence.ping")

    waited.refresh_from_db()
    assert waited.status == Status.SENT
    assert OutboxEntry.objects.filter(status=Status.SENT).count() == 2
