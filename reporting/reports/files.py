"""Big spreadsheets built in the background: an XLSX exists only when it is complete (openpyxl zips at
save), so one over ``reporting.views.exports.XLSX_WEB_LIMIT`` rows is a ``Report`` the report worker
builds (``services.report_request``: the row and its outbox entry in one transaction, sent after the
commit, claimed once, retried with backoff) and the user downloads from the report's page.

=================== ================================== ===========================================
kind                the file                           who may ask
=================== ================================== ===========================================
``esf_deltagere``   ESF participant file, CPR masked   ``activities.export_participant``
``aktiviteter``     the activity list of the period    ``activities.export_activityplan``
=================== ================================== ===========================================

``file_request`` asks for one; the same file asked for again by the same person while it waits or
runs (a reload, a second click) is the same request, also when the two requests come at once. Each
file is written as the person who asked may see it, stamped with the request time
(``reporting.xlsx``), so a retried render gives the same bytes and the same checksum.

**The ESF file with full CPR numbers** (``cpr_file_request``) is asked for like the CSV with them:
``activities.reveal_cpr``, a two-factor login and a reason, checked in the request that asks. Then:

* the row is marked ``cpr``: only the person who asked sees it (``ReportQuerySet.for_user``) and
  downloads it, again only with a two-factor login (``reporting.reports.views.report_download``);
* each number is recorded as exported (``CprReveal``: by the requester, with the reason, at the
  moment of the request) as the file is written, once: a retried build finds the numbers recorded
  for that moment and records none twice (``activities.services.participant_cpr_export``'s ``at``);
* the file is stored only encrypted (``activities.crypto.encrypt_bytes``, the CPR key); the checksum
  is of the XLSX itself, so a retry gives the same one;
* it is deleted ``REPORT_CPR_FILE_HOURS`` (24) after it was made (``delete_expired_cpr_files``, run
  by ``reports_reap``); the row stays, saying when the file was deleted.

Nothing of it passes through the task's arguments (the report id only), the logs or the e-mail.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Partnership, User
from reporting.models import FILE_PERMISSIONS, Report
from reporting.periods import Period


def file_request(
    *,
    kind: str,
    user: User,
    period: Period,
    partnership: Partnership | None,
    cpr: bool = False,
    parameters: dict | None = None,
) -> tuple[Report, bool]:
    """Ask for the file of this kind as XLSX, built in the background. Returns the row and whether the
    queue answered now (False: the request waits in the outbox and runs when the queue is back)."""
    from reporting.reports.services import report_request

    if kind not in FILE_PERMISSIONS or not user.has_perm(FILE_PERMISSIONS[kind]):
        raise PermissionDenied
    with transaction.atomic():
        # One request at a time per person: two clicks at once must not make two files.
        User.objects.select_for_update().filter(pk=user.pk).first()
        waiting = Report.objects.filter(
            kind=kind,
            format=Report.Format.XLSX,
            period_start=period.start,
            period_end=period.end,
            partnership=partnership,
            requested_by=user,
            cpr=cpr,
            status__in=Report.UNFINISHED,
        ).first()
        if waiting is not None:
            return waiting, True
        return report_request(
            kind=kind,
            format=Report.Format.XLSX,
            period=period,
            requested_by=user,
            partnership=partnership,
            cpr=cpr,
            parameters=parameters,
        )


def esf_file_request(*, user: User, period: Period, partnership: Partnership | None) -> tuple[Report, bool]:
    return file_request(kind=Report.Kind.ESF_PARTICIPANTS, user=user, period=period, partnership=partnership)


def cpr_file_request(
    *, user: User, period: Period, partnership: Partnership | None, reason: str, two_factor: bool
) -> tuple[Report, bool]:
    """Ask for the ESF participant file with full CPR numbers, built in the background: refused as the
    CSV with them is (``PermissionDenied``, ``TwoFactorRequired``, a ``ValidationError`` on the reason)
    before anything is stored."""
    from reporting.exports import check_cpr_export

    check_cpr_export(by=user, reason=reason, two_factor=two_factor)
    return file_request(
        kind=Report.Kind.ESF_PARTICIPANTS,
        user=user,
        period=period,
        partnership=partnership,
        cpr=True,
        parameters={"reason": reason.strip()},
    )


def activity_file_request(*, user: User, period: Period, partnership: Partnership | None) -> tuple[Report, bool]:
    return file_request(kind=Report.Kind.ACTIVITIES, user=user, period=period, partnership=partnership)


def _counted(rows: Iterable[Any], *, total: int, word: str, on_progress) -> Iterator[Any]:
    for index, row in enumerate(rows, start=1):
        if on_progress and index % 5000 == 0:
            on_progress(5 + 85 * index // total, word % {"n": index, "total": total})
        yield row


def _requester(report: Report) -> User:
    if report.requested_by is None:
        # The file is what its requester may see; without them nobody can say what that is.
        raise PermissionDenied("The person who asked for the file no longer exists.")
    return report.requested_by


def esf_file_bytes(report: Report, *, generated_at: dt.datetime, on_progress=None) -> bytes:
    """The ESF participant file of the report's period and partnership: CPR masked, or (``report.cpr``)
    full, each number recorded as exported by the requester at the moment they asked, once."""
    from reporting.exports import cpr_rows, esf_participants, esf_rows, write_esf_xlsx
    from reporting.xlsx import with_fixed_times

    period = Period(report.period_start, report.period_end)
    requester = _requester(report)
    participants = esf_participants(period, user=requester, partnership=report.partnership)
    total = participants.count() or 1
    if on_progress:
        on_progress(5, _("Henter deltagere"))
    if report.cpr:
        # The two-factor login and the reason were checked in the request that asked for the file.
        facts = cpr_rows(
            participants,
            by=requester,
            reason=report.parameters.get("reason", ""),
            two_factor=True,
            at=report.requested_at,
        )
    else:
        facts = esf_rows(participants)
    rows = _counted(facts, total=total, word=_("Skriver deltager %(n)s af %(total)s"), on_progress=on_progress)
    buffer = io.BytesIO()
    write_esf_xlsx(buffer, rows, sheet_title=_("ESF-deltagere %(period)s") % {"period": period.label})
    return with_fixed_times(buffer.getvalue(), moment=generated_at)


def activity_file_bytes(report: Report, *, generated_at: dt.datetime, on_progress=None) -> bytes:
    """The activity list of the report's period and partnership, as ``export_activities`` writes it."""
    from kompetence.exports import write_xlsx
    from reporting.exports import CHUNK, activity_columns, activity_rows
    from reporting.xlsx import with_fixed_times

    period = Period(report.period_start, report.period_end)
    activities = activity_rows(period, user=_requester(report), partnership=report.partnership)
    total = activities.count() or 1
    if on_progress:
        on_progress(5, _("Henter aktiviteter"))
    rows = _counted(
        activities.iterator(chunk_size=CHUNK),
        total=total,
        word=_("Skriver aktivitet %(n)s af %(total)s"),
        on_progress=on_progress,
    )
    buffer = io.BytesIO()
    write_xlsx(buffer, activity_columns(), rows, sheet_title=_("Aktiviteter"))
    return with_fixed_times(buffer.getvalue(), moment=generated_at)


BUILDERS: dict[str, Callable[..., bytes]] = {
    Report.Kind.ESF_PARTICIPANTS: esf_file_bytes,
    Report.Kind.ACTIVITIES: activity_file_bytes,
}


# --- files with full CPR numbers: stored encrypted, deleted after a day ---------------------------------


def stored_content(report: Report, content: bytes) -> bytes:
    """What is written to storage for the file ``content``: a file with full CPR numbers encrypted."""
    from activities.crypto import encrypt_bytes

    return encrypt_bytes(content) if report.cpr else content


def file_content(report: Report) -> bytes:
    """The file as it was made (a CPR file decrypted). ``FileNotFoundError`` when it is gone."""
    from activities.crypto import decrypt_bytes

    with report.file.open("rb") as handle:
        stored = handle.read()
    return decrypt_bytes(stored) if report.cpr else stored


def cpr_file_deleted_at(report: Report) -> dt.datetime | None:
    """When a CPR file is (or will be) deleted: ``REPORT_CPR_FILE_HOURS`` after it was made."""
    if not report.cpr or report.finished_at is None:
        return None
    return report.file_deleted_at or report.finished_at + dt.timedelta(hours=settings.REPORT_CPR_FILE_HOURS)


def delete_expired_cpr_files(*, now: dt.datetime | None = None) -> int:
    """Delete the files with full CPR numbers made more than ``REPORT_CPR_FILE_HOURS`` ago; the rows
    stay, saying when. Returns how many files were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.REPORT_CPR_FILE_HOURS)
    deleted = 0
    expired = Report.objects.filter(cpr=True, file_deleted_at__isnull=True, finished_at__lt=cutoff).exclude(file="")
    for report in expired.only("pk", "file"):
        name = report.file.name
        if Report.objects.filter(pk=report.pk, file=name).update(file="", file_deleted_at=now):
            report.file.storage.delete(name)
            deleted += 1
    return deleted
