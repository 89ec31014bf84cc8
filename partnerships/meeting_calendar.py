"""The month calendar of the user's partnerships' meetings (two queries, whatever the month holds)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone

from kompetence.rules import rule
from partnerships.localtime import COPENHAGEN, local_datetime
from partnerships.models import Meeting, User


@dataclass
class Day:
    date: dt.date
    in_month: bool
    today: bool
    meetings: list[Meeting] = field(default_factory=list)


def _month(value: str | None, today: dt.date) -> dt.date:
    try:
        year, month = (int(part) for part in (value or "").split("-", 1))
        return dt.date(year, month, 1) if 2000 <= year <= 2100 and 1 <= month <= 12 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


def month_weeks(user: User, first: dt.date) -> list[list[Day]]:
    """The weeks (Monday first) of the month starting ``first``, each day with its meetings."""
    today = timezone.localdate()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start = local_datetime(weeks[0][0], dt.time(0))
    end = local_datetime(weeks[-1][-1] + dt.timedelta(days=1), dt.time(0))
    meetings = (
        Meeting.objects.for_user(user)
        .filter(start__gte=start, start__lt=end)
        .select_related("partnership")
        .order_by("start", "pk")
    )
    by_day: dict[dt.date, list[Meeting]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.start.astimezone(COPENHAGEN).date(), []).append(meeting)
    return [
        [Day(date=d, in_month=d.month == first.month, today=d == today, meetings=by_day.get(d, [])) for d in week]
        for week in weeks
    ]


@rule(perm="partnerships.view_meeting")
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    first = _month(request.GET.get("maaned"), timezone.localdate())
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "partnerships/meeting_calendar.html",
        {
            "weeks": month_weeks(request.user, first),
            "month_label": formats.date_format(first, "F Y"),
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "weekdays": [formats.date_format(dt.date(2024, 1, day), "D") for day in range(1, 8)],
        },
    )
