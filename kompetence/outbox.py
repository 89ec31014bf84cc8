"""The one outbox: how every app asks for background work (e-mail, PDFs, exports).

Call ``enqueue`` inside the service's transaction, with the task's name and primary keys only::

    from kompetence import outbox

    @transaction.atomic
    def meeting_invite(*, meeting: Meeting, by: User) -> bool:
        ...                                   # the business write
        return outbox.enqueue("partnerships.send_meeting_invitation", meeting.pk, by.pk)

and let the view tell the user what happened::

    if services.meeting_invite(meeting=meeting, by=request.user):
        messages.success(request, _("Invitationen er sendt."))
    else:
        messages.warning(request, _("Invitationen sendes, når køen er tilbage."))

What it guarantees:

* **Atomic with the business write.** The request is a row (``OutboxEntry``) written in the caller's
  transaction: rolled back with it, committed with it. Nothing reaches the broker before commit, so a
  task never looks for a row that is not there yet.
* **Sent after commit**, from ``transaction.on_commit``. When that works, older entries still waiting
  are sent too (a few, see ``FLUSH_ON_ENQUEUE``).
* **Nothing lost while Redis is down.** If the broker cannot be reached (refused, or silent for
  ``REDIS_TIMEOUT_SECONDS``) the entry stays ``pending``; ``enqueue`` returns False so the caller can
  say the work goes out later. The periodic task ``kompetence.outbox_flush`` (Celery beat, every
  minute, ``CELERY_BEAT_SCHEDULE`` in settings) and the next successful send flush what waits.
* **Sent once.** An entry is claimed with one conditional UPDATE (``pending`` → ``sending``) before it
  is sent, so two flushers never send the same entry. Only a process that dies between the broker's
  acknowledgement and marking the entry ``sent`` leaves it ``sending``; after ``STALE_AFTER`` it is
  sent again, which is why tasks must be idempotent anyway (they are, by the project's rules).
* **Ids only.** ``enqueue`` refuses anything but ints (and boolean flags) and short strings: a task
  loads its rows itself and returns quietly when they have gone.
* ``dedupe_key``: at most one unsent entry per key (asking twice for the same report before it went
  out is one task).
* ``queue``: the Celery queue (``"pdf"`` for PDF rendering); default the task's own routing.

Without ``REDIS_URL`` (development, tests) Celery runs tasks inline, so the task runs right after
commit, in the request.

This module imports no app of ours: tasks are named by string (or passed as the task object).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from kompetence import broker
from kompetence.models import OutboxEntry

logger = logging.getLogger("kompetence.outbox")

Status = OutboxEntry.Status

# Entries sent after a successful send, besides its own (the periodic flush does the rest).
FLUSH_ON_ENQUEUE = 20
# A pending entry older than this missed its own send after commit (the broker was down).
WAITING_AFTER = dt.timedelta(seconds=30)
# A "sending" entry older than this was claimed by a process that died; it is sent again.
STALE_AFTER = dt.timedelta(minutes=10)


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError
    from redis.exceptions import RedisError

    return (OperationalError, RedisError, OSError, TimeoutError)


def _task_name(task: Any) -> str:
    name = task if isinstance(task, str) else getattr(task, "name", None)
    if not name or not isinstance(name, str):
        raise TypeError("enqueue() takes a task or a task's name.")
    return name


def _check_ids(ids: tuple[Any, ...]) -> list[int | str]:
    for value in ids:
        # Booleans are allowed as flags ("send after rendering"); anything else must be an id.
        if not isinstance(value, int | str) or (isinstance(value, str) and len(value) > 100):
            raise TypeError(f"Tasks take ids only (ints, flags or short strings), not {type(value).__name__}.")
    return list(ids)


def enqueue(task: Any, *ids: int | str, queue: str | None = None, dedupe_key: str | None = None) -> bool:
    """Ask for ``task(*ids)``; sent to the broker when the caller's transaction commits.

    Returns True when the broker answers now (the task will be queued right after commit), False
    when it does not: the request is kept and sent when the broker is back. Either way the request
    is stored; see the module docstring.
    """
    name = _task_name(task)
    args = _check_ids(ids)
    entry = None
    if dedupe_key:
        entry = OutboxEntry.objects.filter(dedupe_key=dedupe_key, status__in=[Status.PENDING, Status.SENDING]).first()
    if entry is None:
        try:
            with transaction.atomic():
                entry = OutboxEntry.objects.create(
                    task_name=name, args=args, queue=queue or "", dedupe_key=dedupe_key or ""
                )
        except IntegrityError:
            # Another request stored the same dedupe_key between our look and our insert.
            entry = OutboxEntry.objects.filter(dedupe_key=dedupe_key).exclude(status=Status.SENT).first()
            if entry is None:
                raise
        pk = entry.pk
        transaction.on_commit(lambda: _after_commit(pk))
    return broker.available()


def _after_commit(pk: int) -> None:
    # enqueue() has just asked; a broker that did not answer is not made to time out twice.
    if broker.available() and send(pk):
        # The broker answers: send what waited since an outage (entries whose own send after commit
        # failed; younger ones are still being sent by the request that made them).
        flush(limit=FLUSH_ON_ENQUEUE, older_than=WAITING_AFTER)


def _apply(entry: OutboxEntry) -> None:
    from kompetence.celery import app

    options: dict[str, Any] = {"task_id": entry.task_id}
    if entry.queue:
        options["queue"] = entry.queue
    task = app.tasks.get(entry.task_name)
    if task is None:
        # The apps' tasks modules are imported lazily (on a worker, at start); a web process
        # imports them the first time it sends.
        app.loader.import_default_modules()
        task = app.tasks.get(entry.task_name)
    if task is not None:
        task.apply_async(args=entry.args, **options)
    elif app.conf.task_always_eager:
        raise LookupError(f"No task named {entry.task_name!r}.")
    else:  # A task only the workers know; sent by name (a worker rejects an unknown one).
        app.send_task(entry.task_name, args=entry.args, **options)


def send(pk: int) -> bool:
    """Claim entry ``pk`` and send it; True if this call sent it. Safe to call from anywhere, twice."""
    now = timezone.now()
    claimed = OutboxEntry.objects.filter(pk=pk, status=Status.PENDING).update(
        status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False  # sent already, or another process has it
    entry = OutboxEntry.objects.get(pk=pk)
    try:
        _apply(entry)
    except _broker_errors() as exc:
        OutboxEntry.objects.filter(pk=pk, status=Status.SENDING).update(
            status=Status.PENDING, claimed_at=None, last_error=type(exc).__name__
        )
        logger.warning("Outbox: broker unavailable (%s); %s stays pending.", type(exc).__name__, entry.task_name)
        return False
    except Exception as exc:
        # Not the broker: the task is unknown or failed inline (no REDIS_URL). Sending it again
        # would fail again; it is marked failed with the reason (the class name, never the message,
        # which may hold data).
        OutboxEntry.objects.filter(pk=pk).update(status=Status.FAILED, last_error=type(exc).__name__)
        logger.exception("Outbox: %s failed.", entry.task_name)
        return False
    OutboxEntry.objects.filter(pk=pk).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    broker.forget_failures()
    return True


def flush(*, limit: int | None = None, older_than: dt.timedelta | None = None) -> int:
    """Send waiting entries, oldest first; stop at the first broker failure. Returns how many were sent."""
    OutboxEntry.objects.filter(status=Status.SENDING, claimed_at__lt=timezone.now() - STALE_AFTER).update(
        status=Status.PENDING, claimed_at=None
    )
    waiting = OutboxEntry.objects.filter(status=Status.PENDING)
    if older_than is not None:
        waiting = waiting.filter(created_at__lt=timezone.now() - older_than)
    waiting = waiting.order_by("created_at", "pk").values_list("pk", flat=True)
    if limit is not None:
        waiting = waiting[:limit]
    sent = 0
    for pk in list(waiting):
        if send(pk):
            sent += 1
        elif OutboxEntry.objects.filter(pk=pk, status=Status.PENDING).exists():
            break  # the broker is down: the rest waits for the next flush
    return sent


def pending_count() -> int:
    return OutboxEntry.objects.filter(status__in=[Status.PENDING, Status.SENDING]).count()


def prune(*, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Delete sent entries older than ``older_than`` (failed ones stay for inspection)."""
    deleted, _per_model = OutboxEntry.objects.filter(
        status=Status.SENT, sent_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
