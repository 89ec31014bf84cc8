"""Wall-clock time in Copenhagen, and the dates of a recurring series.

A meeting "every second Tuesday at 9:00" means 9:00 on the clock in Copenhagen on every date, winter
and summer: 08:00 UTC in winter, 07:00 UTC in summer. So a series is expanded in local dates and times
and each occurrence is turned into an aware datetime on its own date (never by adding 14 days to an
aware datetime, which would drift an hour across the change).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import dates, formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local_datetime(day: dt.date, time: dt.time, *, field: str = "start") -> dt.datetime:
    """The aware datetime of ``time`` on the clock in Copenhagen on ``day``.

    The hour skipped when summer time starts (02:00-03:00 on the last Sunday of March) does not exist;
    such a time is refused with a message keyed by ``field`` rather than silently moved.
    """
    value = dt.datetime.combine(day, time, tzinfo=COPENHAGEN)
    round_trip = value.astimezone(dt.UTC).astimezone(COPENHAGEN)
    if round_trip.replace(tzinfo=None) != value.replace(tzinfo=None):
        message = _("Klokken %(time)s findes ikke den %(day)s (overgang til sommertid). Vælg et andet tidspunkt.") % {
            "time": formats.time_format(time, "TIME_FORMAT"),
            "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
        }
        raise ValidationError({field: message})
    return value


def as_local(value: dt.datetime) -> dt.datetime:
    """An aware datetime (from the database, in UTC) as Copenhagen wall-clock time."""
    return value.astimezone(COPENHAGEN)


def series_dates(
    *, starts_on: dt.date, ends_on: dt.date, interval_weeks: int, exceptions: Iterable[dt.date] = ()
) -> list[dt.date]:
    """Every ``interval_weeks``-th week from ``starts_on`` (same weekday) up to ``ends_on``, minus the exceptions."""
    skipped = set(exceptions)
    step = dt.timedelta(weeks=interval_weeks)
    dates, day = [], starts_on
    while day <= ends_on:
        if day not in skipped:
            dates.append(day)
        day += step
    return dates


def format_span(start: dt.datetime, end: dt.datetime) -> str:
    """ "24.03.2026 kl. 09:00-11:00" in Copenhagen time (the end date too when it is another day)."""
    start, end = as_local(start), as_local(end)
    day = formats.date_format(start, "SHORT_DATE_FORMAT")
    begins = formats.time_format(start, "TIME_FORMAT")
    ends = formats.time_format(end, "TIME_FORMAT")
    if end.date() != start.date():
        ends = f"{formats.date_format(end, 'SHORT_DATE_FORMAT')} {ends}"
    return _("%(day)s kl. %(start)s–%(end)s") % {"day": day, "start": begins, "end": ends}


@functools.cache
def _day_names(language: str | None) -> tuple[dict[int, str], dict[int, str]]:
    # Django's names, translated into ``language`` (the active one) once per process.
    return (
        {number: str(name) for number, name in dates.WEEKDAYS.items()},
        {number: str(name) for number, name in dates.MONTHS.items()},
    )


def long_day_formatter() -> Callable[[dt.datetime], str]:
    """A function writing a moment's Copenhagen date as ``tirsdag 4. maj 2027`` in the active language:
    the same text as the template filter ``date:"l j. F Y"``, with the day and month names looked up
    once for a whole list rather than once per row (Django's date format translates both every time)."""
    weekdays, months = _day_names(get_language())

    def write(value: dt.datetime) -> str:
        local = as_local(value)
        return f"{weekdays[local.weekday()]} {local.day}. {months[local.month]} {local.year}"

    return write
