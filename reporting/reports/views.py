"""The report pages: ask for a report, watch it run (a progress bar that polls a small JSON
endpoint, no reload), download it when done. Rendering never happens in a request."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.views.participants import logged_in_with_two_factors
from kompetence.forms import apply_service_errors
from kompetence.rules import rule
from reporting.models import Report
from reporting.reports import files, services
from reporting.reports.access import access_report, reports_for
from reporting.reports.forms import ReportRequestForm

LIST_LIMIT = 50


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


def _queued_message(request: HttpRequest, sent: bool) -> None:
    if sent:
        messages.success(request, _("Rapporten er bestilt og dannes nu. Siden viser, hvor langt den er."))
    else:
        messages.warning(
            request,
            _("Køen svarer ikke lige nu. Bestillingen er gemt, og rapporten dannes, når køen er tilbage."),
        )


# The report pages: what a user sees is ``reports_for`` (``ReportQuerySet.for_user``), which also lets
# a consultant follow the big file they asked for without the right to see the partnership's reports.
@rule()
def report_list(request: HttpRequest) -> HttpResponse:
    reports = list(
        reports_for(request.user)
        .select_related("partnership", "requested_by")
        .only(
            "pk",
            "kind",
            "format",
            "period_start",
            "period_end",
            "status",
            "progress",
            "requested_at",
            "scheduled",
            "cpr",
            "partnership__name",
            "requested_by__first_name",
            "requested_by__last_name",
            "requested_by__email",
        )
        .order_by("-requested_at", "-pk")[:LIST_LIMIT]
    )
    can_request = request.user.has_perm("reporting.add_report")
    return render(request, "reporting/reports/report_list.html", {"reports": reports, "can_request": can_request})


@rule(perm="reporting.add_report")
def report_create(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(
        request.POST or None, user=request.user, initial={"period": request.GET.get("periode", "")[:40]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, sent = services.report_request(
                kind=data["kind"],
                period=data["period"],
                requested_by=request.user,
                partnership=data["partnership"],
                project=data["project"] if data["kind"] == Report.Kind.ESF_STATUS else None,
                format=data["format"],
                narrative=form.narrative,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            _queued_message(request, sent)
            return redirect(report)
    return render(request, "reporting/reports/report_form.html", {"form": form})


@rule(objects={"pk": "reporting.Report"})
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    can_retry = (
        report.status == Report.Status.FAILED
        and not report.cpr
        and services.may_request(request.user, report.partnership, kind=report.kind)
    )
    context = {
        "report": report,
        "can_retry": can_retry,
        "deleted_at": files.cpr_file_deleted_at(report),
        "cpr_hours": settings.REPORT_CPR_FILE_HOURS,
    }
    return _no_store(render(request, "reporting/reports/report_detail.html", context))


def status_payload(report: Report) -> dict:
    finished = report.status == Report.Status.DONE
    done = finished and bool(report.file)
    return {
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "progress": 100 if finished else report.progress,
        "stage": report.stage,
        "error": report.error if report.status == Report.Status.FAILED else "",
        "finished": report.is_finished,
        "download_url": reverse("reporting:report_download", args=[report.pk]) if done else "",
        "filename": report.filename if done else "",
    }


@rule(objects={"pk": "reporting.Report"})
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The small JSON the progress bar polls."""
    report = access_report(request.user, pk)
    return _no_store(JsonResponse(status_payload(report)))


@rule(objects={"pk": "reporting.Report"})
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk)
    if report.file_deleted_at:
        messages.info(request, _("Filen er slettet."))
        return redirect(report)
    if report.status != Report.Status.DONE or not report.file:
        messages.info(request, _("Rapporten er ikke færdig endnu."))
        return redirect(report)
    content_type = (
        "application/pdf"
        if report.format == Report.Format.PDF
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    if report.cpr:
        return _cpr_download(request, report, content_type)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=report.filename, content_type=content_type)
    return _no_store(response)


def _cpr_download(request: HttpRequest, report: Report, content_type: str) -> HttpResponse:
    """A file with full CPR numbers: its requester alone sees the row (``ReportQuerySet.for_user``);
    downloading it takes the reveal permission and a two-factor login, as showing a number does."""
    if not request.user.has_perm("activities.reveal_cpr"):
        raise PermissionDenied
    if not logged_in_with_two_factors(request):
        messages.error(
            request,
            _(
                "Du skal være logget ind med totrinsbekræftelse for at hente en fil med CPR-numre: log ud, og "
                "log ind igen med koden fra din godkendelsesapp."
            ),
        )
        return redirect(report)
    try:
        content = files.file_content(report)
    except FileNotFoundError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, report.filename)
    return _no_store(response)


@rule(perm="reporting.add_report", objects={"pk": "reporting.Report"})
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(request.user, pk, perm="reporting.add_report")
    try:
        report, sent = services.report_requeue(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Du kan ikke bestille denne rapport igen."))
    else:
        _queued_message(request, sent)
    return redirect(report)
