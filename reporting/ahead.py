"""The day's dashboards counted before anyone asks.

A dashboard's figures are kept per day (targets are judged on today's date), so the first dashboard
of the day for each partnership would count them in the request: about a second of database work at
``seed_demo --scale 50`` (``bench/notes/dash2.md``). Early each morning (``CELERY_BEAT_SCHEDULE``:
``dashboards-ahead``) the worker counts the ones people open first: the default period for the
programme (as project management sees it, with the budget) and for each active partnership, with
the budget and without (secretariat and consultants), in Danish. Later changes are counted again in
the background as usual (``reporting.figures``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings

from partnerships.models import Partnership
from reporting.selectors import default_period, recount_facts


def count_dashboards_ahead(today: dt.date, *, then: Callable[..., None] | None = None) -> int:
    """Count today's default dashboards that are not current; returns how many were counted."""
    period = default_period(today)
    wanted: list[tuple[int | None, bool]] = [(None, True)]
    for pk in Partnership.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True):
        wanted += [(pk, True), (pk, False)]
    return sum(
        recount_facts(period.code, pk, with_budget, today.isoformat(), settings.LANGUAGE_CODE, then=then)
        for pk, with_budget in wanted
    )
