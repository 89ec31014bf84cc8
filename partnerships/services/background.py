"""Asking for background work (e-mail, PDFs) from inside a service's transaction.

The one function every meeting service calls. It sends the task to Celery only after the transaction
has committed, so a worker never looks for a row that was rolled back, and it passes ids only.

Until the shared outbox (``kompetence.outbox``) is on main, a broker that is down is logged and the
work is lost for that attempt; switching this function to the outbox keeps the request stored and
sends it when Redis answers again. Nothing else changes when that happens.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def queue_after_commit(task: Any, *args: int | str | bool) -> None:
    """Run ``task.delay(*args)`` once the surrounding transaction commits (at once outside one)."""

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:
            # The broker is down (kombu OperationalError) or refused the message. The user's change
            # is saved; the work is not. See the module docstring.
            logger.exception("Could not queue %s%r", getattr(task, "name", task), args)

    transaction.on_commit(send)
