"""Time registration: hours per day, the weekly timesheet signed by the consultant and approved by a
superior, and the monthly cap from the reference data (hours over it are flagged, not refused)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActivityPlan, TimeEntry, Timesheet
from activities.services.common import PROGRAMME_START, clean_note, day, raise_if
from companies.models import Company
from kompetence.validation import validate
from partnerships import programme
from partnerships.models import ESFProject, Partnership, User

APPROVE_ALL = "activities.approve_timesheet"
MAX_HOURS_A_DAY = Decimal(24)


def week_start(on: dt.date) -> dt.date:
    return on - dt.timedelta(days=on.weekday())


def timesheet_for(*, user: User, on: dt.date) -> Timesheet:
    """The user's timesheet of the week of ``on`` (created, open, when there is none)."""
    start = week_start(on)
    sheet = Timesheet.objects.filter(user=user, week_start=start).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            return Timesheet.objects.create(user=user, week_start=start)
    except IntegrityError:
        return Timesheet.objects.get(user=user, week_start=start)


def _locked_message(sheet: Timesheet) -> str:
    return _("Ugen (%(week)s) er %(status)s og kan ikke ændres.") % {
        "week": sheet.week_label,
        "status": sheet.get_status_display().lower(),
    }


@transaction.atomic
def time_entry_add(
    *,
    by: User,
    day_: dt.date,
    hours: Decimal,
    kind: str,
    project: ESFProject | None = None,
    plan: ActivityPlan | None = None,
    company: Company | None = None,
    partnership: Partnership | None = None,
    note: str = "",
) -> TimeEntry:
    """Register ``hours`` of ``by``'s work on ``day_`` on one activity, firm or partnership.

    An activity's hours belong to its ESF project; a firm's or a partnership's to the project chosen.
    Hours are more than 0, at most 24 a day in all, not in the future and not in a submitted week.
    """
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if day_ is None:
        errors["day"] = _("Skriv datoen.")
    elif day_ > today:
        errors["day"] = _("Timer kan ikke registreres i fremtiden.")
    elif day_ < PROGRAMME_START:
        errors["day"] = _("Timer kan ikke registreres før programmets start (1. januar 2017).")
    if hours is None:
        errors["hours"] = _("Skriv antal timer.")
    elif hours <= 0:
        errors["hours"] = _("Timer skal være større end 0.")
    elif hours > MAX_HOURS_A_DAY:
        errors["hours"] = _("Der er højst 24 timer på en dag.")
    if kind not in TimeEntry.Kind.values:
        errors["kind"] = _("Vælg hvilket arbejde timerne er brugt på.")
    targets = [t for t in (plan, company, partnership) if t is not None]
    if len(targets) != 1:
        errors["target"] = _("Vælg én aktivitet, én virksomhed eller ét partnerskab.")
    raise_if(errors)

    if plan is not None:
        if not ActivityPlan.objects.for_user(by).filter(pk=plan.pk).exists():
            raise ValidationError({"target": _("Du kan ikke registrere timer på den aktivitet.")})
        if plan.status == ActivityPlan.Status.CANCELLED:
            raise ValidationError({"target": _("Aktiviteten er annulleret.")})
        plan_project = plan.type_mapping.project
        if project is not None and project.pk != plan_project.pk:
            raise ValidationError(
                {"project": _("Aktiviteten hører til ESF-projektet »%(p)s«.") % {"p": plan_project.name}}
            )
        project = plan_project
    elif company is not None and not Company.objects.for_user(by).filter(pk=company.pk).exists():
        raise ValidationError({"target": _("Du kan ikke registrere timer på den virksomhed.")})
    elif partnership is not None and not Partnership.objects.in_partnerships_of(by).filter(pk=partnership.pk).exists():
        raise ValidationError({"target": _("Du kan kun registrere partnerskabstimer i dine egne partnerskaber.")})
    if project is None:
        raise ValidationError({"project": _("Vælg hvilket ESF-projekt timerne hører til.")})

    sheet = timesheet_for(user=by, on=day_)
    sheet = Timesheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.locked:
        raise ValidationError({"day": _locked_message(sheet)})
    that_day = TimeEntry.objects.filter(user=by, day=day_).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if that_day + hours > MAX_HOURS_A_DAY:
        raise ValidationError(
            {
                "hours": _("Du har allerede %(hours)s timer den %(day)s; der er højst 24 timer på en dag.")
                % {"hours": f"{that_day:.2f}".replace(".", ","), "day": day(day_)}
            }
        )
    entry = TimeEntry(
        user=by,
        timesheet=sheet,
        day=day_,
        hours=hours,
        kind=kind,
        project=project,
        plan=plan,
        company=company,
        partnership=partnership,
        note=clean_note(note, limit=300),
    )
    validate(entry, exclude=["user", "timesheet", "project", "plan", "company", "partnership"])
    entry.save()
    return entry


@transaction.atomic
def time_entry_delete(*, entry: TimeEntry, by: User) -> None:
    if entry.user_id != by.pk:
        raise PermissionDenied
    sheet = Timesheet.objects.select_for_update().get(pk=entry.timesheet_id)
    if sheet.locked:
        raise ValidationError({"__all__": _locked_message(sheet)})
    entry.delete()


@transaction.atomic
def timesheet_submit(*, sheet: Timesheet, by: User) -> Timesheet:
    """The consultant confirms the week: the confirmation is the signature (who: the owner; when: now)."""
    sheet = Timesheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.user_id != by.pk:
        raise PermissionDenied
    if sheet.status != Timesheet.Status.OPEN:
        raise ValidationError({"__all__": _locked_message(sheet)})
    if not sheet.entries.exists():
        raise ValidationError({"__all__": _("Der er ingen timer i ugen at indsende.")})
    sheet.status, sheet.submitted_at, sheet.returned_note = Timesheet.Status.SUBMITTED, timezone.now(), ""
    sheet.save()
    return sheet


def may_approve(*, sheet: Timesheet, by: User) -> bool:
    """Project management approves anyone's week; an organisation's approver its colleagues'; nobody their own."""
    if sheet.user_id == by.pk:
        return False
    if by.has_perm(APPROVE_ALL):
        return True
    owner_organisation = User.objects.filter(pk=sheet.user_id).values_list("organisation_id", flat=True).first()
    return bool(by.approves_timesheets and by.organisation_id and by.organisation_id == owner_organisation)


@transaction.atomic
def timesheet_approve(*, sheet: Timesheet, by: User) -> Timesheet:
    """Approve and lock a submitted week."""
    sheet = Timesheet.objects.select_for_update().get(pk=sheet.pk)
    if not may_approve(sheet=sheet, by=by):
        raise PermissionDenied
    if sheet.status != Timesheet.Status.SUBMITTED:
        raise ValidationError({"__all__": _("Kun indsendte uger kan godkendes.")})
    sheet.status, sheet.approved_by, sheet.approved_at = Timesheet.Status.APPROVED, by, timezone.now()
    sheet.save()
    return sheet


@transaction.atomic
def timesheet_return(*, sheet: Timesheet, by: User, note: str) -> Timesheet:
    """Send a submitted week back to its owner to correct, with a note."""
    sheet = Timesheet.objects.select_for_update().get(pk=sheet.pk)
    if not may_approve(sheet=sheet, by=by):
        raise PermissionDenied
    if sheet.status != Timesheet.Status.SUBMITTED:
        raise ValidationError({"__all__": _("Kun indsendte uger kan sendes tilbage.")})
    note = clean_note(note)
    if not note:
        raise ValidationError({"note": _("Skriv hvad der skal rettes.")})
    sheet.status, sheet.submitted_at, sheet.returned_note = Timesheet.Status.OPEN, None, note
    sheet.save()
    return sheet


# ---------------------------------------------------------------------------
# The monthly cap
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MonthHours:
    """A person's hours in a month against the cap in force (None: no cap)."""

    month: dt.date  # the first day
    hours: Decimal
    cap: Decimal | None

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.hours > self.cap

    @property
    def over_by(self) -> Decimal:
        return self.hours - self.cap if self.over_cap else Decimal(0)


def month_hours(*, user: User, month: dt.date) -> MonthHours:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    total = TimeEntry.objects.filter(user=user, day__gte=first, day__lt=following).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)
    try:
        cap = programme.monthly_cap(on=first, organisation=user.organisation_id)
    except programme.NotInForce:
        cap = None
    return MonthHours(month=first, hours=total, cap=cap)
