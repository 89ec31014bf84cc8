"""Reads for the timesheet pages: one person's week, with its days, the month's hours against the cap,
and what the hours may be registered on; the weeks waiting for the user's approval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from activities.models import ActivityPlan, TimeEntry, Timesheet
from activities.services.time import MonthHours, month_hours, week_start
from companies.models import Company
from partnerships.models import Partnership, User


@dataclass
class WeekDay:
    day: dt.date
    entries: list[TimeEntry]
    total: Decimal


@dataclass
class WeekPage:
    sheet: Timesheet | None
    start: dt.date
    days: list[WeekDay]
    total: Decimal
    months: list[MonthHours]


def week_page(*, owner: User, start: dt.date, sheet: Timesheet | None = None) -> WeekPage:
    """The week from Monday ``start``: entries by day (one query), and the cap of each month it touches."""
    sheet = sheet or Timesheet.objects.filter(user=owner, week_start=start).first()
    entries = list(
        TimeEntry.objects.filter(user=owner, day__gte=start, day__lte=start + dt.timedelta(days=6))
        .select_related("plan", "company", "partnership", "project")
        .order_by("day", "pk")
    )
    days = []
    for offset in range(7):
        day = start + dt.timedelta(days=offset)
        mine = [e for e in entries if e.day == day]
        days.append(WeekDay(day=day, entries=mine, total=sum((e.hours for e in mine), Decimal(0))))
    months = sorted({start.replace(day=1), (start + dt.timedelta(days=6)).replace(day=1)})
    return WeekPage(
        sheet=sheet,
        start=start,
        days=days,
        total=sum((d.total for d in days), Decimal(0)),
        months=[month_hours(user=owner, month=m) for m in months],
    )


def parse_week(value: str | None, *, today: dt.date) -> dt.date:
    """``?uge=2018-W36`` (ISO week) or a date ``2018-09-05``; anything else is this week."""
    text = (value or "").strip()
    try:
        if "-W" in text:
            year, week = text.split("-W", 1)
            return dt.date.fromisocalendar(int(year), int(week), 1)
        if text:
            return week_start(dt.date.fromisoformat(text))
    except ValueError:
        pass
    return week_start(today)


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def entry_targets(user: User) -> dict[str, list]:
    """What ``user`` may register hours on: their open activities, the firms they lead or work with, and
    their own partnerships (meetings and secretariat work)."""
    plans = (
        ActivityPlan.objects.for_user(user)
        .filter(Q(responsible=user) | Q(consultants=user), status__in=ActivityPlan.OPEN_STATUSES)
        .select_related("company")
        .only("pk", "title", "company__name")
        .distinct()
        .order_by("title", "pk")
    )
    firms = (
        Company.objects.for_user(user)
        .filter(Q(lead_consultant=user) | Q(activity_plans__responsible=user))
        .only("pk", "name")
        .distinct()
        .order_by("name", "pk")
    )
    partnerships = Partnership.objects.in_partnerships_of(user).only("pk", "name").order_by("name")
    return {"plans": list(plans[:200]), "firms": list(firms[:200]), "partnerships": list(partnerships)}


def sheets_to_approve(user: User) -> QuerySet[Timesheet]:
    """Submitted weeks the user may approve (management: everyone's; an approver: the organisation's)."""
    sheets = Timesheet.objects.for_user(user).filter(status=Timesheet.Status.SUBMITTED).exclude(user=user)
    if not user.has_perm("activities.approve_timesheet"):
        if not (user.approves_timesheets and user.organisation_id):
            return sheets.none()
        sheets = sheets.filter(user__organisation_id=user.organisation_id)
    return sheets.select_related("user__organisation").order_by("week_start", "user__first_name", "pk")
