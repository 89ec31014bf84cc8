"""Background work of the reporting app: thin tasks that take ids and call a service.

The report tasks live with the reports (``reporting.reports.tasks``); they are imported here so the
worker's autodiscovery (``<app>.tasks``) finds them.
"""

from reporting.reports.tasks import notify_report_ready, quarterly_progress_report, reap_reports, render_report

__all__ = ["notify_report_ready", "quarterly_progress_report", "reap_reports", "render_report"]
