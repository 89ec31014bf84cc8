"""Pages of time registration: the consultant's week (register hours, submit = sign), a week as its
approver sees it (approve and lock, or send back), and the weeks waiting for approval."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.access import access_time_entry, access_timesheet
from activities.forms.time import ReturnForm, TimeEntryForm
from activities.selectors.time import entry_targets, iso_week, parse_week, sheets_to_approve, week_page
from activities.views.common import error_messages
from kompetence.forms import apply_service_errors
from kompetence.rules import rule


def _week_url(day: dt.date) -> str:
    return reverse("activities:timesheet") + f"?uge={iso_week(day)}"


@rule(perm="activities.add_timeentry")
def timesheet(request: HttpRequest) -> HttpResponse:
    """The user's own week (``?uge=2018-W36``): the hours by day, the month's cap, a form to add hours."""
    today = timezone.localdate()
    start = parse_week(request.GET.get("uge"), today=today)
    form = TimeEntryForm(
        request.POST or None,
        targets=entry_targets(request.user),
        initial={"day": min(today, start + dt.timedelta(days=6))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.time_entry_add(by=request.user, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"day_": "day"})
        else:
            messages.success(
                request, _("%(hours)s timer er registreret.") % {"hours": f"{entry.hours:.2f}".replace(".", ",")}
            )
            return redirect(_week_url(entry.day))
    page = week_page(owner=request.user, start=start)
    context = {
        "page": page,
        "form": form,
        "owner": request.user,
        "own": True,
        "previous_url": _week_url(start - dt.timedelta(days=7)),
        "next_url": _week_url(start + dt.timedelta(days=7)) if start + dt.timedelta(days=7) <= today else "",
    }
    return render(request, "activities/timesheet.html", context)


@rule(perm="activities.delete_timeentry", objects={"pk": "activities.TimeEntry"})
@require_POST
def time_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    entry = access_time_entry(request.user, pk)
    try:
        services.time_entry_delete(entry=entry, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [])) or _("Du kan kun slette dine egne timer."))
    else:
        messages.success(request, _("Registreringen er slettet."))
    return redirect(_week_url(entry.day))


@rule(perm="activities.view_timesheet", objects={"pk": "activities.Timesheet"})
def timesheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A week as its owner or its approver sees it."""
    sheet = access_timesheet(request.user, pk)
    page = week_page(owner=sheet.user, start=sheet.week_start, sheet=sheet)
    context = {
        "page": page,
        "owner": sheet.user,
        "own": sheet.user_id == request.user.pk,
        "may_approve": services.may_approve(sheet=sheet, by=request.user),
        "return_form": ReturnForm(),
        "week_url": _week_url(sheet.week_start),
    }
    return render(request, "activities/timesheet_detail.html", context)


def _sheet_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    sheet = access_timesheet(request.user, pk)
    try:
        action(sheet)
    except PermissionDenied:
        messages.error(
            request,
            _("Ugen kan kun godkendes af projektledelsen eller organisationens godkender, og aldrig af en selv."),
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect(sheet)


@rule(perm="activities.add_timeentry", objects={"pk": "activities.Timesheet"})
@require_POST
def timesheet_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultant confirms the week; the confirmation is recorded as the signature (who, when)."""
    return _sheet_action(
        request,
        pk,
        lambda s: services.timesheet_submit(sheet=s, by=request.user),
        _("Ugen er indsendt og underskrevet."),
    )


@rule(perm="activities.view_timesheet", objects={"pk": "activities.Timesheet"})
@require_POST
def timesheet_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _sheet_action(
        request, pk, lambda s: services.timesheet_approve(sheet=s, by=request.user), _("Ugen er godkendt og låst.")
    )


@rule(perm="activities.view_timesheet", objects={"pk": "activities.Timesheet"})
@require_POST
def timesheet_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _sheet_action(
        request,
        pk,
        lambda s: services.timesheet_return(sheet=s, by=request.user, note=note),
        _("Ugen er sendt tilbage til rettelse."),
    )


@rule(perm="activities.view_timesheet")
def timesheet_approvals(request: HttpRequest) -> HttpResponse:
    """Submitted weeks waiting for the user's approval."""
    sheets = list(sheets_to_approve(request.user)[:200])
    return render(request, "activities/timesheet_approvals.html", {"sheets": sheets})
