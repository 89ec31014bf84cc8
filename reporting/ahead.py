"""The day's dashboards counted before anyone asks.

A dashboard's figures are kept per day (targets are judged on today's date), so the first dashboard
of the day for each partnership would count them in the request: a few tenths of a second of database
work for a year at ``seed_demo --scale 50`` (``bench/notes/dash3.md``). Early each morning (``CELERY_BEAT_SCHEDULE``:
``dashboards-ahead``) the worker counts the ones people open first: the default period and each
calendar year of the ESF projects up to this one (the periods the reports are made for), for the
programme (as project management sees it, with the budget) and for each active partnership, with
the budget and without (secretariat and consultants), in Danish. Any other period (a quarter, a
month, two dates) is counted when someone first asks for it that day. Later changes are counted again in
the background as usual (``reporting.figures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import Max, Min

from partnerships.models import ESFProject, Partnership
from reporting.periods import Period
from reporting.selectors import default_period, recount_facts


def periods_ahead(today: dt.date) -> list[Period]:
    """The default period first, then the ESF projects' calendar years up to this year, newest first."""
    span = ESFProject.objects.aggregate(first=Min("period_start"), last=Max("period_end"))
    periods = [default_period(today)]
    if span["first"] is not None:
        for year in range(min(span["last"].year, today.year), span["first"].year - 1, -1):
            if Period.year(year) not in periods:
                periods.append(Period.year(year))
    return periods


def count_dashboards_ahead(today: dt.date, *, then: Callable[..., None] | None = None) -> int:
    """Count today's usual dashboards that are not current; returns how many were counted."""
    wanted: list[tuple[int | None, bool]] = [(None, True)]
    for pk in Partnership.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True):
        wanted += [(pk, True), (pk, False)]
    return sum(
        recount_facts(period.code, pk, with_budget, today.isoformat(), settings.LANGUAGE_CODE, then=then)
        for period in periods_ahead(today)
        for pk, with_budget in wanted
    )
