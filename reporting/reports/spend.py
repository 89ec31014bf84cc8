"""Spend against the budget for the reports: a small, self-contained reading of the facts.

Spend in a period is (ESF.md, issue 11):

* **hours**: approved hours (the timesheet is *godkendt*) dated in the period, times the hourly rate
  of the consultant's organisation on that day (``StaffCostRate``: the organisation's own row, the
  standard row for what it leaves empty); plus the project's flat-rate surcharge (40 %) when the
  hour's ESF project uses it. An hour lands on the budget line of its activity's type mapping;
  meetings and secretariat work on "Udvikling af partnerskabet"; a firm's hours without an activity
  on the first line of its project (outreach is the firms' competence supply).
* **direct costs**: ``Cost`` rows dated in the period, on their activity's budget line.

Hours in a period whose rule is actual pay without an entered rate cannot be priced; they are
counted in ``unpriced_hours`` and left out of the kroner (the report says so).

Spend is split over the financing sources by the plan in force on each year's last day in the period
(``partnerships.programme.financing_split``). The rates are read once (a small table) and resolved in
Python, so the whole computation is a fixed number of grouped queries.

This module exists until the reporting app's budget functions are in place; the reports call only
``spend`` and ``budget_rows`` below, so switching them over is one place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from activities.models import Cost, TimeEntry, Timesheet
from partnerships import programme
from partnerships.models import BudgetLine, ESFProject, FinancingSource, StaffCostRate
from reporting.periods import Period

ZERO = Decimal(0)
KR = Decimal("0.01")


@dataclass
class Spend:
    """Kroner spent in a period, by budget line code, by partnership id and by financing source code."""

    period: Period
    by_line: dict[str, Decimal] = field(default_factory=dict)
    by_partnership: dict[int | None, Decimal] = field(default_factory=dict)
    by_source: dict[str, Decimal] = field(default_factory=dict)
    by_axis: dict[int, Decimal] = field(default_factory=dict)
    hours: Decimal = ZERO
    hours_by_partnership: dict[int | None, Decimal] = field(default_factory=dict)
    unpriced_hours: Decimal = ZERO
    staff: Decimal = ZERO
    surcharge: Decimal = ZERO
    direct: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.staff + self.surcharge + self.direct


class _Rates:
    """``hourly_rate(organisation, day)`` from the rate table read once."""

    def __init__(self) -> None:
        self.rows = list(StaffCostRate.objects.all().order_by("valid_from"))

    @staticmethod
    def _applies(row, day: dt.date) -> bool:
        return row.valid_from <= day and (row.valid_until is None or day <= row.valid_until)

    def rate(self, organisation_id: int | None, day: dt.date) -> Decimal | None:
        own = standard = None
        for row in self.rows:
            if not self._applies(row, day):
                continue
            if row.organisation_id is None:
                standard = row
            elif row.organisation_id == organisation_id:
                own = row
        first = own or standard
        if first is None:
            return None
        if first.hourly_rate is not None:
            return first.hourly_rate
        return getattr(standard, "hourly_rate", None)


def _line_of_hours(row: dict, first_line_of_project: dict[int, str]) -> str:
    if row["kind"] in TimeEntry.PARTNERSHIP_KINDS:
        return BudgetLine.PARTNERSHIP_DEVELOPMENT
    return row["plan__type_mapping__budget_line__code"] or first_line_of_project.get(row["project_id"], "")


def _hours_partnership(row: dict) -> int | None:
    return row["plan__company__partnership_id"] or row["company__partnership_id"] or row["partnership_id"]


def spend(period: Period, *, partnership=None, project=None) -> Spend:
    """What was spent in ``period`` (the whole programme, or one partnership's, or one ESF project's)."""
    result = Spend(period=period)
    projects = {project.pk: project for project in ESFProject.objects.all()}
    lines = list(BudgetLine.objects.order_by("sort_order", "code").values("code", "project_id"))
    first_line_of_project: dict[int, str] = {}
    for line in lines:
        if line["project_id"] and line["project_id"] not in first_line_of_project:
            first_line_of_project[line["project_id"]] = line["code"]
    by_line: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_partnership: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    by_axis: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    hours_by_partnership: dict[int | None, Decimal] = defaultdict(lambda: ZERO)
    rates = _Rates()

    entries = TimeEntry.objects.filter(
        timesheet__status=Timesheet.Status.APPROVED, day__range=(period.start, period.end)
    )
    if partnership is not None:
        pk = getattr(partnership, "pk", partnership)
        from django.db.models import Q

        entries = entries.filter(
            Q(plan__company__partnership_id=pk) | Q(company__partnership_id=pk) | Q(partnership_id=pk)
        )
    if project is not None:
        entries = entries.filter(project_id=getattr(project, "pk", project))
    grouped = (
        entries.order_by()
        .values(
            "user__organisation_id",
            "day",
            "kind",
            "project_id",
            "plan__type_mapping__budget_line__code",
            "plan__company__partnership_id",
            "company__partnership_id",
            "partnership_id",
        )
        .annotate(total=Sum("hours"))
    )
    for row in grouped:
        hours = row["total"] or ZERO
        result.hours += hours
        owner = _hours_partnership(row)
        hours_by_partnership[owner] += hours
        rate = rates.rate(row["user__organisation_id"], row["day"])
        if rate is None:
            result.unpriced_hours += hours
            continue
        staff = hours * rate
        project = projects.get(row["project_id"])
        surcharge = staff * project.flat_rate_percent / 100 if project and project.uses_flat_rate else ZERO
        amount = staff + surcharge
        result.staff += staff
        result.surcharge += surcharge
        by_line[_line_of_hours(row, first_line_of_project)] += amount
        by_partnership[owner] += amount
        if project:
            by_axis[project.axis] += amount
        by_year[row["day"].year] += amount

    costs = Cost.objects.filter(incurred_on__range=(period.start, period.end))
    if partnership is not None:
        costs = costs.filter(plan__company__partnership_id=getattr(partnership, "pk", partnership))
    if project is not None:
        costs = costs.filter(plan__type_mapping__eligible_activity__project_id=getattr(project, "pk", project))
    for row in (
        costs.order_by()
        .values(
            "plan__type_mapping__budget_line__code",
            "plan__type_mapping__eligible_activity__project__axis",
            "plan__company__partnership_id",
            "incurred_on__year",
        )
        .annotate(total=Sum("amount"))
    ):
        amount = row["total"] or ZERO
        result.direct += amount
        by_line[row["plan__type_mapping__budget_line__code"] or ""] += amount
        by_partnership[row["plan__company__partnership_id"]] += amount
        if row["plan__type_mapping__eligible_activity__project__axis"]:
            by_axis[row["plan__type_mapping__eligible_activity__project__axis"]] += amount
        by_year[row["incurred_on__year"]] += amount

    by_source: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for year, amount in by_year.items():
        on = min(period.end, dt.date(year, 12, 31))
        try:
            parts = programme.financing_split(amount=amount, on=on)
        except programme.NotInForce:
            parts = {}
        for code, part in parts.items():
            by_source[code] += part
    result.by_line = {code: value.quantize(KR, ROUND_HALF_UP) for code, value in by_line.items()}
    result.by_partnership = {key: value.quantize(KR, ROUND_HALF_UP) for key, value in by_partnership.items()}
    result.by_axis = {key: value.quantize(KR, ROUND_HALF_UP) for key, value in by_axis.items()}
    result.by_source = dict(by_source)
    result.hours_by_partnership = dict(hours_by_partnership)
    result.staff = result.staff.quantize(KR, ROUND_HALF_UP)
    result.surcharge = result.surcharge.quantize(KR, ROUND_HALF_UP)
    return result


@dataclass(frozen=True)
class BudgetRow:
    """One budget line (or financing source) against its spend."""

    code: str
    name: str
    budget: Decimal
    spent: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def percent(self) -> Decimal | None:
        if not self.budget:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _period_budget(period: Period, *, on: dt.date | None = None, project=None) -> dict[str, Decimal]:
    """The budget of the period's years in kroner per line; a part of a year counts its share of days."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for part in period.split_by_year():
        year_days = Decimal(366 if part.start.year % 4 == 0 else 365)
        share = Decimal(part.days) / year_days
        for code, amount in programme.budget(year=part.start.year, on=on, project=project).items():
            totals[code] += amount * share
    return {code: value.quantize(Decimal(1), ROUND_HALF_UP) for code, value in totals.items()}


def budget_rows(period: Period, spent: Spend, *, project=None) -> tuple[list[BudgetRow], list[BudgetRow]]:
    """The budget lines and the financing sources of the period, each against its spend. With
    ``project``, the lines with spend on that project or a budget of its own."""
    budget = _period_budget(period, project=project)
    lines = [
        BudgetRow(line.code, line.name, budget.get(line.code, ZERO), spent.by_line.get(line.code, ZERO))
        for line in BudgetLine.objects.order_by("sort_order", "code")
    ]
    if project is not None:
        lines = [row for row in lines if row.budget or row.spent]
    total_budget = sum(budget.values(), ZERO)
    sources = []
    try:
        shares = programme.financing_shares(on=period.end)
    except programme.NotInForce:
        shares = {}
    for source in FinancingSource.objects.order_by("sort_order", "code"):
        share = shares.get(source.code, ZERO)
        sources.append(
            BudgetRow(
                source.code,
                source.name,
                (total_budget * share).quantize(Decimal(1), ROUND_HALF_UP),
                spent.by_source.get(source.code, ZERO),
            )
        )
    return lines, sources
