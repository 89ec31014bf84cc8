"""Reporting periods: a first and a last day (inclusive), read from what people type and what the
schedule asks for.

``Period.parse`` understands::

    2018                 the calendar year
    2018-K3, 2018-Q3     a quarter (K for kvartal)
    2018-H1              a half-year
    2018-05              a month
    2018-01-01..2018-06-30   any two dates (ISO), inclusive

It raises :class:`PeriodError` (a ``ValueError`` with a Danish message fit to show) for anything
else, and for an end before the start.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# The programme's first and last possible year; periods outside are refused as typing errors.
FIRST_YEAR, LAST_YEAR = 2014, 2100

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[KQkq]([1-4])$")
_HALF = re.compile(r"^(\d{4})-?[Hh]([12])$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(?:\.\.|–|:|/)\s*(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """The text is not a period; the message says why, in Danish."""


def _year(text: str) -> int:
    year = int(text)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PeriodError(_("Året skal ligge mellem %(first)d og %(last)d.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
    return year


@dataclass(frozen=True, order=True)
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("Periodens slutdato må ikke ligge før startdatoen."))

    # --- building ---------------------------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first_month = 3 * (quarter - 1) + 1
        last_month = first_month + 2
        return cls(dt.date(year, first_month, 1), dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return (
            cls(dt.date(year, 1, 1), dt.date(year, 6, 30))
            if half == 1
            else cls(dt.date(year, 7, 1), dt.date(year, 12, 31))
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter_of(cls, day: dt.date) -> Period:
        return cls.quarter(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def previous_quarter(cls, day: dt.date) -> Period:
        """The last full quarter before ``day``'s quarter (the schedule's quarterly report)."""
        return cls.quarter_of(cls.quarter_of(day).start - dt.timedelta(days=1))

    @classmethod
    def parse(cls, text: str) -> Period:
        value = (text or "").strip()
        if not value:
            raise PeriodError(_("Angiv en periode, fx 2018, 2018-K3, 2018-H1 eller 2018-01-01..2018-06-30."))
        if match := _YEAR.match(value):
            return cls.year(_year(match[1]))
        if match := _QUARTER.match(value):
            return cls.quarter(_year(match[1]), int(match[2]))
        if match := _HALF.match(value):
            return cls.half(_year(match[1]), int(match[2]))
        if match := _MONTH.match(value):
            month = int(match[2])
            if not 1 <= month <= 12:
                raise PeriodError(_("Måneden skal være mellem 1 og 12."))
            return cls.month(_year(match[1]), month)
        if match := _RANGE.match(value):
            try:
                start, end = dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2])
            except ValueError:
                raise PeriodError(_("»%(text)s« indeholder en dato, der ikke findes.") % {"text": value}) from None
            _year(str(start.year))
            _year(str(end.year))
            return cls(start, end)
        raise PeriodError(
            _("»%(text)s« er ikke en periode. Skriv fx 2018, 2018-K3, 2018-H1 eller 2018-01-01..2018-06-30.")
            % {"text": value[:40]}
        )

    # --- reading ------------------------------------------------------------------------------------
    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def is_future(self, today: dt.date) -> bool:
        """Nothing of the period has happened yet."""
        return self.start > today

    def elapsed_fraction(self, today: dt.date) -> Decimal:
        """How much of the period has passed by the end of ``today``: 0 before it, 1 after it."""
        if today < self.start:
            return Decimal(0)
        if today >= self.end:
            return Decimal(1)
        return Decimal((today - self.start).days + 1) / Decimal(self.days)

    def until(self, today: dt.date) -> Period:
        """The part of the period up to ``today`` (the whole period when it is over)."""
        return Period(self.start, max(self.start, min(self.end, today)))

    def split_by_year(self) -> list[Period]:
        return [
            Period(max(self.start, dt.date(year, 1, 1)), min(self.end, dt.date(year, 12, 31))) for year in self.years
        ]

    @property
    def code(self) -> str:
        """The shortest text ``parse`` reads back to this period (for URLs and file names)."""
        start, end = self.start, self.end
        if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
            return str(start.year)
        for quarter in range(1, 5):
            if self == Period.quarter(start.year, quarter):
                return f"{start.year}-K{quarter}"
        for half in (1, 2):
            if self == Period.half(start.year, half):
                return f"{start.year}-H{half}"
        if self == Period.month(start.year, start.month):
            return f"{start.year}-{start.month:02d}"
        return f"{start.isoformat()}..{end.isoformat()}"

    @property
    def label(self) -> str:
        """The period as a Danish reader expects it: ``2018``, ``3. kvartal 2018``, ``1. halvår 2018``."""
        code = self.code
        if match := _QUARTER.match(code):
            return _("%(quarter)s. kvartal %(year)s") % {"quarter": match[2], "year": match[1]}
        if match := _HALF.match(code):
            return _("%(half)s. halvår %(year)s") % {"half": match[2], "year": match[1]}
        if match := _MONTH.match(code):
            return f"{int(match[2]):02d}.{match[1]}"
        if _YEAR.match(code):
            return code
        return f"{self.start:%d.%m.%Y}–{self.end:%d.%m.%Y}"
