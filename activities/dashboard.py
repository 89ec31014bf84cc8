"""The activities app's panel on the dashboard: the user's own open activities and this week's and
month's hours against the monthly cap (three queries, whatever the numbers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityPlan, TimeEntry
from activities.selectors.plans import STATUS_CSS
from activities.services.time import MonthHours, week_start
from kompetence.registry import Section
from partnerships import programme
from partnerships.models import User

ROWS = 8


@dataclass(frozen=True)
class ActivityRow:
    """An open activity in the panel: plain values, so the context can be cached."""

    url: str
    title: str
    company: str
    status: str
    css: str
    planned_end: dt.date | None


def my_activities(*, user: User) -> dict[str, Any] | None:
    if not user.has_perm("activities.add_timeentry"):
        return None
    today = timezone.localdate()
    detail = reverse("activities:detail", args=[987654321])
    statuses = dict(ActivityPlan.Status.choices)
    plans = (
        ActivityPlan.objects.for_user(user)
        .filter(responsible=user, status__in=ActivityPlan.OPEN_STATUSES)
        .order_by("planned_end", "pk")
        .values_list("pk", "title", "company__name", "status", "planned_end")[:ROWS]
    )
    rows = [
        ActivityRow(
            url=detail.replace("987654321", str(pk)),
            title=title,
            company=company or "",
            status=str(statuses.get(status, status)),
            css=STATUS_CSS.get(status, ""),
            planned_end=planned_end,
        )
        for pk, title, company, status, planned_end in plans
    ]
    # The week (Monday to today) and the month in one read of the user's entries.
    week, month = week_start(today), today.replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    hours = TimeEntry.objects.filter(user=user, day__gte=min(week, month), day__lt=following).aggregate(
        week=Sum("hours", filter=Q(day__gte=week, day__lte=today)),
        month=Sum("hours", filter=Q(day__gte=month)),
    )
    try:
        cap = programme.monthly_cap(on=month, organisation=user.organisation_id)
    except programme.NotInForce:
        cap = None
    return {
        "my_activities": rows,
        "hours_week": hours["week"] or Decimal(0),
        "month": MonthHours(month=month, hours=hours["month"] or Decimal(0), cap=cap),
        "timesheet_url": reverse("activities:timesheet"),
    }


SECTIONS = [
    Section(
        "activities",
        "activities/_dashboard.html",
        my_activities,
        order=15,
        # The monthly cap is the staff cost rule in force (partnerships.programme).
        depends_on=(
            "activities.ActivityPlan",
            "activities.TimeEntry",
            "companies.Company",
            "partnerships.StaffCostRate",
        ),
    ),
]
