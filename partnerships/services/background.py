"""Asking for background work (e-mail, PDFs) from inside a service's transaction.

The one function every meeting service calls. It goes through the shared outbox
(``kompetence.outbox.enqueue``): the request is stored in the service's transaction, sent to Celery
after commit, and, when Redis is down, kept and sent when it answers again. Ids (and flags) only.
"""

from __future__ import annotations

from typing import Any

from kompetence import outbox


def queue_after_commit(task: Any, *args: int | str | bool) -> bool:
    """Ask for ``task(*args)`` after the surrounding transaction commits; False if it waits for the queue."""
    return outbox.enqueue(task, *args)
