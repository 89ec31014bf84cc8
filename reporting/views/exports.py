"""Exports of a period as CSV (streamed, semicolons, UTF-8 with BOM) or XLSX (openpyxl write-only):
the ESF participant file, the indicator table, budget against spend and the activity list.

A period in the future, an end before the start or a text that is no period: the export page again
with the message next to the field, nothing exported.

An XLSX exists only when it is complete, so one of more than ``XLSX_WEB_LIMIT`` rows (the ESF
participant file with masked CPR numbers, the activity list) is built in the background
(``reporting.reports.files``) and downloaded from the report's page. Asking for it makes a record, so
it is a POST: a GET over the limit shows the export page with the explanation and the button "Dan
filen i baggrunden", whose form posts to ``export_esf_background``/``export_activities_background``.
The ESF file with full CPR numbers over the limit is asked for by the same POST that gives a smaller
one (the reveal permission, the two-factor login and a reason checked in it) and built in the
background too, for the asker alone (``reporting.reports.files``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from activities.forms.participants import CprExportForm
from activities.services import TwoFactorRequired
from activities.views.participants import logged_in_with_two_factors
from kompetence.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_response
from kompetence.forms import apply_service_errors
from kompetence.rules import rule
from partnerships.access import access_partnership
from partnerships.models import Partnership
from partnerships.scoping import member_partnership_ids
from reporting import exports, selectors
from reporting.budget import budget_report
from reporting.forms import PeriodForm
from reporting.periods import PeriodError
from reporting.reports import services as report_services

XLSX_WEB_LIMIT = 50_000
PROGRAMME_PERM = "reporting.view_programme_dashboard"


CPR_IDS = "cpr_%s"  # the CPR section's fields: ids of their own beside the form above


def _form(request: HttpRequest, data=None, *, auto_id: str = "id_%s") -> PeriodForm:
    today = timezone.localdate()
    return PeriodForm(
        data,
        auto_id=auto_id,
        partnerships=Partnership.objects.for_user(request.user).order_by("name"),
        default=selectors.default_period(today),
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


@rule(perm="reporting.export_indicators")
def export_page(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _page(
    request: HttpRequest,
    *,
    form: PeriodForm | None = None,
    status: int = 200,
    background: dict | None = None,
    cpr_period: PeriodForm | None = None,
    cpr_form: CprExportForm | None = None,
) -> HttpResponse:
    """The export page; ``background``: a file too big for the request, offered to be built in the
    background (``{"action": url name, "text": why}``); ``cpr_period``/``cpr_form``: the CPR section as
    it was sent (with its errors)."""
    user = request.user
    form = form or _form(request, request.GET or None)
    may_reveal = user.has_perm("activities.reveal_cpr")
    if may_reveal:
        cpr_period = cpr_period or _form(request, request.GET or None, auto_id=CPR_IDS)
        cpr_form = cpr_form or CprExportForm(auto_id=CPR_IDS)
    context = {
        "form": form,
        "summary_forms": [f for f in (form, cpr_period, cpr_form) if f is not None],
        "background": background,
        "may_export_people": user.has_perm("activities.export_participant"),
        "cpr_period": cpr_period if may_reveal else None,
        "cpr_form": cpr_form if may_reveal else None,
        "cpr_xlsx": request.method == "POST" and request.POST.get("format") == "xlsx",
        "may_export_budget": user.has_perm("reporting.view_budget"),
        "may_export_activities": user.has_perm("activities.export_activityplan"),
        "cpr_hours": settings.REPORT_CPR_FILE_HOURS,
        "limit": _limit(),
    }
    return render(request, "reporting/exports.html", context, status=status)


def _checked(request: HttpRequest, data, *, auto_id: str = "id_%s") -> tuple[PeriodForm, bool]:
    """The period form, valid and not in the future (else with the message on the field)."""
    form = _form(request, data, auto_id=auto_id)
    if not form.is_valid():
        return form, False
    try:
        exports.check_period(form.cleaned_data["periode"], today=timezone.localdate())
    except PeriodError as exc:
        form.add_error("periode", str(exc))
        return form, False
    return form, True


def _partnership(request: HttpRequest, form: PeriodForm) -> Partnership | None:
    chosen = form.cleaned_data.get("partnerskab")
    if chosen is not None:
        return access_partnership(request.user, chosen.pk, perm="reporting.view_partnership_dashboard")
    if request.user.has_perm(PROGRAMME_PERM):
        return None
    # A partnership's own people export their partnership (the first of theirs when none is chosen).
    own = Partnership.objects.filter(pk__in=member_partnership_ids(request.user)).order_by("name").first()
    if own is None:
        raise PermissionDenied
    return own


def _format(data) -> str:
    return "xlsx" if data.get("format") == "xlsx" else "csv"


def _filename(kind: str, form: PeriodForm, fmt: str) -> str:
    return f"{kind}-{form.cleaned_data['periode'].code.replace('..', '_')}.{fmt}"


@rule(perm="activities.export_participant")
def export_esf(request: HttpRequest) -> HttpResponse:
    """GET: the file with CPR numbers masked. POST (reveal permission, two-factor login, a reason): with
    full CPR numbers, each recorded as exported (``_export_esf_with_cpr``)."""
    if request.method == "POST":
        return _export_esf_with_cpr(request)
    form, ok = _checked(request, request.GET)
    if not ok:
        return _page(request, form=form, status=400)
    period, partnership = form.cleaned_data["periode"], _partnership(request, form)
    fmt = _format(request.GET)
    participants = exports.esf_participants(period, user=request.user, partnership=partnership)
    if fmt == "xlsx" and participants.count() > XLSX_WEB_LIMIT:
        return _offer_background(
            request,
            form,
            action="reporting:export_esf_background",
            text=_("Filen har over %(limit)s deltagere. Så stor en Excel-fil dannes i baggrunden.")
            % {"limit": _limit()},
        )
    return _esf_file(form, fmt, exports.esf_rows(participants))


def _export_esf_with_cpr(request: HttpRequest) -> HttpResponse:
    """The CPR section's form: its own period and partnership (shown, so the file is what the user
    chose), a reason and the format. A refusal shows the page again with what was typed and the
    message next to the field; nothing is recorded. Over the limit as XLSX: built in the background
    for the asker alone (``reporting.reports.files.cpr_file_request``)."""
    form, ok = _checked(request, request.POST, auto_id=CPR_IDS)
    cpr_form = CprExportForm(request.POST, auto_id=CPR_IDS)
    cpr_form.is_valid()
    if not ok:
        return _page(request, cpr_period=form, cpr_form=cpr_form, status=400)
    reason, two_factor = cpr_form.cleaned_data.get("reason", ""), logged_in_with_two_factors(request)
    try:
        exports.check_cpr_export(by=request.user, reason=reason, two_factor=two_factor)
    except TwoFactorRequired:
        cpr_form.add_error(
            None,
            _(
                "Du skal være logget ind med totrinsbekræftelse for at eksportere CPR-numre: log ud, og log "
                "ind igen med koden fra din godkendelsesapp."
            ),
        )
        return _page(request, cpr_period=form, cpr_form=cpr_form, status=400)
    except ValidationError as exc:
        apply_service_errors(cpr_form, exc)
        return _page(request, cpr_period=form, cpr_form=cpr_form, status=400)
    period, partnership = form.cleaned_data["periode"], _partnership(request, form)
    fmt = _format(request.POST)
    participants = exports.esf_participants(period, user=request.user, partnership=partnership)
    if fmt == "xlsx" and participants.count() > XLSX_WEB_LIMIT:
        return _cpr_in_background(request, period=period, partnership=partnership, reason=reason)
    rows = exports.cpr_rows(participants, by=request.user, reason=reason, two_factor=two_factor)
    return _esf_file(form, fmt, rows)


def _esf_file(form: PeriodForm, fmt: str, rows) -> HttpResponse:
    filename = _filename("esf-deltagere", form, fmt)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.esf_xlsx_bytes(rows, sheet_title=_("ESF-deltagere")), content_type=XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = exports.esf_csv_response(filename, rows)
    return _no_store(response)


def _cpr_in_background(request: HttpRequest, *, period, partnership, reason: str) -> HttpResponse:
    """The XLSX with full CPR numbers over the limit: asked for here (the reveal checked already, with
    the two-factor login), built in the background, downloaded by the asker alone within a day."""
    report, sent = report_services.cpr_file_request(
        user=request.user,
        period=period,
        partnership=partnership,
        reason=reason,
        two_factor=logged_in_with_two_factors(request),
    )
    hours = settings.REPORT_CPR_FILE_HOURS
    started = ngettext(
        "Filen med fulde CPR-numre dannes i baggrunden. Kun du kan hente den, og den slettes "
        "automatisk %(hours)s time efter, at den er dannet.",
        "Filen med fulde CPR-numre dannes i baggrunden. Kun du kan hente den, og den slettes "
        "automatisk %(hours)s timer efter, at den er dannet.",
        hours,
    ) % {"hours": hours}
    return _to_the_report(request, report, sent=sent, started=started)


def _to_the_report(request: HttpRequest, report, *, sent: bool, started: str) -> HttpResponse:
    """To the report's page of a file asked for, telling the user that it is being built (``started``)
    or, broker down, that it waits for the queue."""
    if sent:
        messages.success(request, started)
    else:
        messages.warning(
            request, _("Køen svarer ikke lige nu. Bestillingen er gemt, og filen dannes, når køen er tilbage.")
        )
    return redirect(report)


def _limit() -> str:
    return number_format(XLSX_WEB_LIMIT, force_grouping=True)


def _offer_background(request: HttpRequest, form: PeriodForm, *, action: str, text: str) -> HttpResponse:
    """The export page with the explanation and the button that asks for the file in the background
    (a GET creates nothing)."""
    return _no_store(_page(request, form=form, background={"action": action, "text": text}))


def _in_background(request: HttpRequest, request_file) -> HttpResponse:
    """POST: ask for the big XLSX (``reporting.reports.files``); the user follows it on the report's
    page and downloads it there. Broker down: the request waits in the outbox, the user is told."""
    form, ok = _checked(request, request.POST)
    if not ok:
        return _page(request, form=form, status=400)
    period, partnership = form.cleaned_data["periode"], _partnership(request, form)
    report, sent = request_file(user=request.user, period=period, partnership=partnership)
    return _to_the_report(
        request, report, sent=sent, started=_("Filen dannes i baggrunden. Du kan hente den her, når den er klar.")
    )


@rule(perm="activities.export_participant")  # before the method: no right, 403 also on a GET
@require_POST
def export_esf_background(request: HttpRequest) -> HttpResponse:
    return _in_background(request, report_services.esf_file_request)


@rule(perm="activities.export_activityplan")  # before the method: no right, 403 also on a GET
@require_POST
def export_activities_background(request: HttpRequest) -> HttpResponse:
    return _in_background(request, report_services.activity_file_request)


@rule(perm="reporting.export_indicators")
def export_indicators(request: HttpRequest) -> HttpResponse:
    form, ok = _checked(request, request.GET)
    if not ok:
        return _page(request, form=form, status=400)
    period, partnership = form.cleaned_data["periode"], _partnership(request, form)
    board = selectors.dashboard(user=request.user, period=period, partnership=partnership, today=timezone.localdate())
    rows = [
        {
            "group": group,
            "code": line.code,
            "label": line.label,
            "value": line.value,
            "woman": line.woman,
            "man": line.man,
            "target": line.target,
            "status": str(line.progress.status.label) if line.progress else "",
        }
        for group, lines in board.groups
        for line in lines
    ]
    fmt = _format(request.GET)
    filename = _filename("indikatorer", form, fmt)
    if fmt == "xlsx":
        return xlsx_response(filename, exports.indicator_columns(), rows, sheet_title=_("Indikatorer"))
    return csv_response(filename, exports.indicator_columns(), rows)


@rule(perm="reporting.view_budget")
def export_budget(request: HttpRequest) -> HttpResponse:
    form, ok = _checked(request, request.GET)
    if not ok:
        return _page(request, form=form, status=400)
    period, partnership = form.cleaned_data["periode"], _partnership(request, form)
    report = budget_report(period, partnership=partnership)
    fmt = _format(request.GET)
    filename = _filename("budget-forbrug", form, fmt)
    rows = list(exports.budget_rows(report))
    if fmt == "xlsx":
        return xlsx_response(filename, exports.budget_columns(), rows, sheet_title=_("Budget og forbrug"))
    return csv_response(filename, exports.budget_columns(), rows)


@rule(perm="activities.export_activityplan")
def export_activities(request: HttpRequest) -> HttpResponse:
    form, ok = _checked(request, request.GET)
    if not ok:
        return _page(request, form=form, status=400)
    period = form.cleaned_data["periode"]
    chosen = form.cleaned_data.get("partnerskab")
    partnership = access_partnership(request.user, chosen.pk) if chosen is not None else None
    rows = exports.activity_rows(period, user=request.user, partnership=partnership)
    fmt = _format(request.GET)
    filename = _filename("aktiviteter", form, fmt)
    if fmt == "xlsx":
        if rows.count() > XLSX_WEB_LIMIT:
            return _offer_background(
                request,
                form,
                action="reporting:export_activities_background",
                text=_("Listen har over %(limit)s aktiviteter. Så stor en Excel-fil dannes i baggrunden.")
                % {"limit": _limit()},
            )
        return xlsx_response(
            filename, exports.activity_columns(), rows.iterator(chunk_size=2000), sheet_title=_("Aktiviteter")
        )
    return csv_response(filename, exports.activity_columns(), rows.iterator(chunk_size=2000))
