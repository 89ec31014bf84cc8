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
(``reporting.xlsx``), so a retried render gives the same bytes and the same checksum. Full CPR numbers
are never built here: they are recorded as exported while they are written, in the request that has
the two-factor login (they stream as CSV).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.models import Partnership, User
from reporting.models import Report
from reporting.periods import Period

PERMISSIONS = {
    Report.Kind.ESF_PARTICIPANTS: "activities.export_participant",
    Report.Kind.ACTIVITIES: "activities.export_activityplan",
}


def file_request(*, kind: str, user: User, period: Period, partnership: Partnership | None) -> tuple[Report, bool]:
    """Ask for the file of this kind as XLSX, built in the background. Returns the row and whether the
    queue answered now (False: the request waits in the outbox and runs when the queue is back)."""
    from reporting.reports.services import report_request

    if kind not in PERMISSIONS or not user.has_perm(PERMISSIONS[kind]):
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
            status__in=Report.UNFINISHED,
        ).first()
        if waiting is not None:
            return waiting, True
        return report_request(
            kind=kind, format=Report.Format.XLSX, period=period, requested_by=user, partnership=partnership
        )


def esf_file_request(*, user: User, period: Period, partnership: Partnership | None) -> tuple[Report, bool]:
    return file_request(kind=Report.Kind.ESF_PARTICIPANTS, user=user, period=period, partnership=partnership)


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
    """The ESF participant file of the report's period and partnership (CPR masked)."""
    from reporting.exports import esf_participants, esf_rows, write_esf_xlsx
    from reporting.xlsx import with_fixed_times

    period = Period(report.period_start, report.period_end)
    participants = esf_participants(period, user=_requester(report), partnership=report.partnership)
    total = participants.count() or 1
    if on_progress:
        on_progress(5, _("Henter deltagere"))
    rows = _counted(
        esf_rows(participants), total=total, word=_("Skriver deltager %(n)s af %(total)s"), on_progress=on_progress
    )
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
