"""Periodic housekeeping of the infrastructure models (scheduled in CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kompetence import outbox
from kompetence.models import AuditEvent


@shared_task(name="kompetence.outbox_flush", ignore_result=True)
def outbox_flush() -> int:
    """Send outbox entries that waited while the broker was down."""
    return outbox.flush()


@shared_task(name="kompetence.housekeeping", ignore_result=True)
def housekeeping() -> None:
    """Delete sent outbox entries after 30 days and audit events after AUDIT_KEEP_DAYS."""
    outbox.prune()
    AuditEvent.objects.filter(at__lt=timezone.now() - dt.timedelta(days=settings.AUDIT_KEEP_DAYS)).delete()
