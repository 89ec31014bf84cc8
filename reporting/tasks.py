"""Background work of the reporting app: thin tasks that take ids and call a service.

The report tasks live with the reports (``reporting.reports.tasks``); they are imported here so the
worker's autodiscovery (``<app>.tasks``) finds them.
"""

from celery import shared_task
from django.db import DatabaseError

from reporting.reports.tasks import notify_report_ready, quarterly_progress_report, reap_reports, render_report

__all__ = [
    "count_dashboards_ahead",
    "notify_report_ready",
    "quarterly_progress_report",
    "reap_reports",
    "recount_figures",
    "render_report",
]


@shared_task(
    name="reporting.recount_figures",
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=60,
    max_retries=3,
    ignore_result=True,
)
def recount_figures(period: str, partnership_id: int | None, with_budget: bool, today: str, language: str) -> bool:
    """Count a dashboard's figures again after a change (queued by ``reporting.figures.counted``)."""
    from reporting.boards import draw_again
    from reporting.selectors import recount_facts

    return recount_facts(period, partnership_id, with_budget, today, language, then=draw_again)


@shared_task(
    name="reporting.count_dashboards_ahead",
    autoretry_for=(DatabaseError, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=3,
    ignore_result=True,
)
def count_dashboards_ahead() -> int:
    """Early each morning: today's default dashboards counted before anyone asks (``reporting.ahead``).
    A second delivery counts nothing: what is current is left."""
    from django.utils import timezone

    from reporting import ahead
    from reporting.boards import draw_again

    return ahead.count_dashboards_ahead(timezone.localdate(), then=draw_again)
