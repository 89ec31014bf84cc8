"""The report tasks (routed to the ``pdf`` queue by ``CELERY_TASK_ROUTES``): thin, ids only.

``render_report`` is acknowledged late and rejected when its worker is lost, so a killed worker's
task is delivered again (Redis: after the visibility timeout, set just above the time limit); the
service's claim makes a second or third delivery do nothing, and gives up after
``REPORT_MAX_ATTEMPTS`` attempts with the reason. A render that raised is retried with backoff.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from reporting.reports import services


@shared_task(
    bind=True,
    name=services.RENDER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.REPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT,
    max_retries=settings.REPORT_MAX_ATTEMPTS,
    ignore_result=True,
)
def render_report(self, report_id: int) -> bool:
    try:
        return services.report_render(report_id=report_id)
    except services.RenderFailed as exc:
        if not exc.retry:
            return False
        # Growing pauses: 1×, 2×, 4× REPORT_RETRY_BACKOFF seconds.
        countdown = settings.REPORT_RETRY_BACKOFF * (2**self.request.retries)
        raise self.retry(countdown=countdown, exc=None) from None


@shared_task(
    name=services.NOTIFY_TASK,
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
    ignore_result=True,
)
def notify_report_ready(report_id: int) -> int:
    return services.report_notify(report_id=report_id)


@shared_task(name="reporting.reap_reports", ignore_result=True)
def reap_reports() -> dict:
    return services.reports_reap()


@shared_task(name="reporting.quarterly_progress_report", ignore_result=True)
def quarterly_progress_report() -> int | None:
    report = services.quarterly_report()
    return report.pk if report else None
