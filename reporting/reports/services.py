"""Reports: asking for one, rendering it once, and never leaving one stuck.

The life of a ``Report`` row::

    report_request ──► queued ──(task claims it)──► running ──► done  (file, checksum, size, timings)
                         ▲                              │
                         └── retry with backoff ◄───────┴──► failed (after REPORT_MAX_ATTEMPTS, with the reason)

* **Asked for** by ``report_request`` in one transaction: the row and the outbox entry
  (``kompetence.outbox.enqueue``, queue ``pdf``). When the broker is down the entry waits and the
  caller tells the user that the report runs when the queue is back; nothing is lost.
* **Claimed** by ``report_render`` with one conditional UPDATE: a queued row, or a running row
  whose render started more than ``REPORT_TIME_LIMIT`` seconds ago (its worker died). A second or
  third delivery of the same task finds the row running (claimed) or done and returns, so one request
  is one file. Only the claim's holder may finish the row.
* **Rendered** by a pure function of the data and the narrative (``reporting.reports.render``); the
  cover prints the request time, so a retried render gives the same bytes and the same checksum.
* **Stored** through Django's storage API (``Report.file``), so the files may live in object storage.
* **Never stuck**: ``reports_reap`` (Celery beat, every few minutes) requeues rows running past the
  time limit, or marks them failed after the last attempt; Redis redelivers an unacknowledged task
  after its visibility timeout, which the settings set just above the longest task time limit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence import outbox
from partnerships.models import Partnership, User
from partnerships.scoping import user_sees_everything
from reporting.models import FILE_PERMISSIONS, Report
from reporting.periods import Period
from reporting.reports import files
from reporting.reports.files import activity_file_request as activity_file_request
from reporting.reports.files import cpr_file_request as cpr_file_request
from reporting.reports.files import esf_file_request as esf_file_request
from reporting.reports.files import file_request as file_request

logger = logging.getLogger("reporting.reports")

RENDER_TASK = "reporting.render_report"
NOTIFY_TASK = "reporting.notify_report_ready"


def time_limit() -> int:
    return int(settings.REPORT_TIME_LIMIT)


def max_attempts() -> int:
    return int(settings.REPORT_MAX_ATTEMPTS)


# --- asking -----------------------------------------------------------------------------------------


def may_request(user: User, partnership: Partnership | None, *, kind: str | None = None) -> bool:
    """Project management asks for any report; a secretariat for its own partnership's. A file of
    participants or activities takes the right to export them instead (``FILE_PERMISSIONS``)."""
    if not user.has_perm(FILE_PERMISSIONS.get(kind, "reporting.add_report")):
        return False
    if partnership is None:
        # A file without a partnership holds what its requester may see; a report, the programme.
        return kind in FILE_PERMISSIONS or user_sees_everything(user)
    return Partnership.objects.for_user(user).filter(pk=partnership.pk).exists()


def _enqueue(report: Report) -> bool:
    return outbox.enqueue(RENDER_TASK, report.pk, queue="pdf", dedupe_key=f"report:{report.pk}")


@transaction.atomic
def report_request(
    *,
    kind: str,
    period: Period,
    requested_by: User | None,
    partnership: Partnership | None = None,
    project: Any = None,
    narrative: dict[str, str] | None = None,
    parameters: dict[str, Any] | None = None,
    scheduled: bool = False,
    format: str = Report.Format.PDF,
    cpr: bool = False,
    today: dt.date | None = None,
) -> tuple[Report, bool]:
    """Store a request for a report and queue its rendering; returns the row and whether the queue
    answered now (False: it waits in the outbox and runs when the queue is back). ``cpr``: the ESF
    file with full CPR numbers (``files.cpr_file_request`` checks the reveal first)."""
    if requested_by is not None and not may_request(requested_by, partnership, kind=kind):
        raise PermissionDenied
    if cpr and (requested_by is None or kind != Report.Kind.ESF_PARTICIPANTS):
        raise PermissionDenied
    today = today or timezone.localdate()
    if period.is_future(today):
        raise ValidationError({"period": _("Perioden ligger i fremtiden; vælg en periode, der er begyndt.")})
    report = Report(
        kind=kind,
        format=format,
        period_start=period.start,
        period_end=period.end,
        partnership=partnership,
        project=project,
        parameters={"period": period.code, **(parameters or {})},
        requested_by=requested_by,
        requested_at=timezone.now(),
        scheduled=scheduled,
        cpr=cpr,
        stage=_("Venter i køen"),
        **(narrative or {}),
    )
    if kind == Report.Kind.PROGRESS and format != Report.Format.PDF:
        raise ValidationError({"format": _("Fremdriftsrapporten dannes kun som PDF.")})
    report.full_clean()
    report.save()
    sent = _enqueue(report)
    if not sent:
        Report.objects.filter(pk=report.pk).update(stage=_("Venter på, at køen er tilbage"))
    return report, sent


@transaction.atomic
def report_requeue(*, report: Report, by: User) -> tuple[Report, bool]:
    """Ask again for a failed report (same period, parameters and narrative). Not a file with full CPR
    numbers: that is asked for anew, with the two-factor login and a reason."""
    if not may_request(by, report.partnership, kind=report.kind) or report.cpr:
        raise PermissionDenied
    if report.status != Report.Status.FAILED:
        raise ValidationError(_("Kun en fejlet rapport kan bestilles igen."))
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.QUEUED, attempts=0, error="", progress=0, stage=_("Venter i køen"), claim=""
    )
    report.refresh_from_db()
    return report, _enqueue(report)


# --- rendering --------------------------------------------------------------------------------------


def _progress(report_id: int, claim: str, percent: int, stage: str) -> None:
    Report.objects.filter(pk=report_id, claim=claim).update(progress=percent, stage=stage[:100])


def _claim(report_id: int) -> tuple[str, int] | None:
    """Take the row for this render: queued, or running past the time limit (its worker died)."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=time_limit())
    claim = uuid.uuid4().hex
    taken = Report.objects.filter(
        Q(status=Report.Status.QUEUED) | Q(status=Report.Status.RUNNING, started_at__lt=stale),
        pk=report_id,
        attempts__lt=max_attempts(),
    ).update(
        status=Report.Status.RUNNING,
        claim=claim,
        started_at=now,
        attempts=F("attempts") + 1,
        progress=2,
        stage=_("Startet"),
        error="",
    )
    if not taken:
        # A running row that has used its last attempt and is past the limit: it will not finish.
        Report.objects.filter(
            pk=report_id, status=Report.Status.RUNNING, started_at__lt=stale, attempts__gte=max_attempts()
        ).update(
            status=Report.Status.FAILED,
            claim="",
            finished_at=now,
            error=_("Dannelsen blev afbrudt %(n)s gange (arbejdsprocessen stoppede); prøv igen.")
            % {"n": max_attempts()},
        )
        return None
    attempts = Report.objects.filter(pk=report_id).values_list("attempts", flat=True).first()
    return claim, attempts or 1


def render_bytes(report: Report, *, on_progress=None) -> bytes:
    """The report's file: a pure function of the facts, the period and the narrative."""
    from reporting.reports import esf_status
    from reporting.reports.data import progress_data
    from reporting.reports.render import Narrative, progress_pdf

    period = Period(report.period_start, report.period_end)
    generated_at = timezone.localtime(report.requested_at)
    if report.kind == Report.Kind.ESF_STATUS:
        return esf_status.render(report, generated_at=generated_at, on_progress=on_progress)
    if report.kind in files.BUILDERS:
        return files.BUILDERS[report.kind](report, generated_at=generated_at, on_progress=on_progress)
    if on_progress:
        on_progress(10, _("Henter tal"))
    data = progress_data(period, partnership=report.partnership, today=generated_at.date())
    if on_progress:
        on_progress(40, _("Sætter rapporten op"))
    return progress_pdf(data, narrative=Narrative.of(report), generated_at=generated_at, on_progress=on_progress)


class RenderFailed(Exception):
    """The render failed; ``retry`` says whether another attempt is left."""

    def __init__(self, message: str, *, retry: bool):
        super().__init__(message)
        self.retry = retry


def report_render(*, report_id: int) -> bool:
    """Render and store report ``report_id`` once. Returns True when this call stored the file.

    Safe to call any number of times for the same report (duplicate deliveries, retries): only the
    call that claims the row renders it. Raises ``RenderFailed`` when rendering failed (the row is
    queued again for the retry, or failed with the reason after the last attempt).
    """
    report = Report.objects.filter(pk=report_id).select_related("partnership", "project").first()
    if report is None or report.status in (Report.Status.DONE, Report.Status.FAILED):
        return False
    claimed = _claim(report_id)
    if claimed is None:
        return False
    claim, attempt = claimed
    started = time.monotonic()
    try:
        content = render_bytes(report, on_progress=lambda pct, stage: _progress(report_id, claim, pct, stage))
    except Exception as exc:
        retry = attempt < max_attempts()
        reason = f"{type(exc).__name__}: {str(exc)[:300]}"
        logger.warning("Report %s attempt %s failed: %s", report_id, attempt, type(exc).__name__)
        if retry:
            Report.objects.filter(pk=report_id, claim=claim).update(
                status=Report.Status.QUEUED,
                claim="",
                error=_("Forsøg %(n)s fejlede (%(reason)s); prøver igen.") % {"n": attempt, "reason": reason},
                stage=_("Venter på nyt forsøg"),
            )
        else:
            Report.objects.filter(pk=report_id, claim=claim).update(
                status=Report.Status.FAILED, claim="", finished_at=timezone.now(), error=reason[:500]
            )
        raise RenderFailed(reason, retry=retry) from exc
    _progress(report_id, claim, 95, _("Gemmer filen"))
    checksum = hashlib.sha256(content).hexdigest()
    name = f"{report.filename.rsplit('.', 1)[0]}-{checksum[:12]}.{report.format}"
    stored = report.file.storage.save(
        report.file.field.generate_filename(report, name), ContentFile(files.stored_content(report, content))
    )
    with transaction.atomic():
        finished = Report.objects.filter(pk=report_id, claim=claim, status=Report.Status.RUNNING).update(
            status=Report.Status.DONE,
            claim="",
            file=stored,
            checksum=checksum,
            size=len(content),
            progress=100,
            stage=_("Færdig"),
            error="",
            finished_at=timezone.now(),
            render_seconds=round(time.monotonic() - started, 2),
        )
        if finished and report.scheduled:
            outbox.enqueue(NOTIFY_TASK, report_id, dedupe_key=f"report-notify:{report_id}")
    if not finished:
        # The claim was taken over (the reaper decided this render was dead): keep one file only.
        report.file.storage.delete(stored)
        return False
    return True


# --- housekeeping -----------------------------------------------------------------------------------


def reports_reap(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Rows running past the time limit (plus a minute): requeued while attempts are left, else failed.
    Files with full CPR numbers past their day are deleted. Returns the counts."""
    from reporting.reports.files import delete_expired_cpr_files

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=time_limit() + 60)
    counts = {"requeued": 0, "failed": 0, "cpr_files_deleted": delete_expired_cpr_files(now=now)}
    for report in Report.objects.filter(status=Report.Status.RUNNING, started_at__lt=stale):
        if report.attempts >= max_attempts():
            counts["failed"] += Report.objects.filter(
                pk=report.pk, status=Report.Status.RUNNING, claim=report.claim
            ).update(
                status=Report.Status.FAILED,
                claim="",
                finished_at=now,
                error=_("Dannelsen blev afbrudt og nåede ikke at blive færdig efter %(n)s forsøg.")
                % {"n": report.attempts},
            )
            continue
        with transaction.atomic():
            if Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, claim=report.claim).update(
                status=Report.Status.QUEUED, claim="", stage=_("Sat i kø igen efter et afbrudt forsøg")
            ):
                counts["requeued"] += 1
                _enqueue(report)
    return counts


def quarterly_report(*, today: dt.date | None = None) -> Report | None:
    """The schedule's report: the last full quarter, for the whole programme, once."""
    today = today or timezone.localdate()
    period = Period.previous_quarter(today)
    exists = Report.objects.filter(
        kind=Report.Kind.PROGRESS,
        scheduled=True,
        partnership__isnull=True,
        period_start=period.start,
        period_end=period.end,
    ).exists()
    if exists:
        return None
    report, _sent = report_request(
        kind=Report.Kind.PROGRESS, period=period, requested_by=None, scheduled=True, today=today
    )
    return report


def report_notify(*, report_id: int) -> int:
    """E-mail project management that a scheduled report is ready (once). Returns mails sent."""
    from django.core.mail import EmailMessage
    from django.urls import reverse

    from partnerships.models import Role

    report = Report.objects.filter(pk=report_id, status=Report.Status.DONE, notified_at__isnull=True).first()
    if report is None:
        return 0
    recipients = sorted(
        User.objects.filter(groups__name=Role.MANAGEMENT, is_active=True).values_list("email", flat=True).distinct()
    )
    if not recipients:
        return 0
    if not Report.objects.filter(pk=report_id, notified_at__isnull=True).update(notified_at=timezone.now()):
        return 0
    link = settings.PORTAL_URL.rstrip("/") + reverse("reporting:report_detail", args=[report.pk])
    body = _(
        "Fremdriftsrapporten for %(period)s er dannet automatisk og ligger klar i Kompetenceportalen:\n\n%(link)s\n"
    ) % {"period": report.period_label, "link": link}
    message = EmailMessage(
        subject=_("Fremdriftsrapport for %(period)s er klar") % {"period": report.period_label},
        body=body,
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=recipients,
    )
    message.send()
    return len(recipients)
