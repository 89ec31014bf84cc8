"""Spend: what the programme's work cost in a period, as the ESF's Danish rules of 2014-2020 count it.

**What counts** (every rule is data at the ground, read here, never a constant):

* **Staff costs**: approved hours (the hours of *approved* timesheets) times the hourly rate of the
  consultant's organisation on the day (``StaffCostRate``: the organisation's own row, else the
  standard; 250 kr. from 1 September 2018). Hours in a period costed at actual pay without an entered
  rate cannot be priced: they are listed as *uncosted*, never guessed.
* **The flat-rate surcharge**: where the ESF project uses it (``ESFProject.uses_flat_rate``), its
  percentage (40 %) of those staff costs, on the same budget line.
* **Direct costs** entered against activities (``activities.Cost``: course fees, bought services).

**Where it lands**: an activity's hours and costs on the budget line of the activity's type mapping
(the mapping in force on its start), and only when the mapping is charged to the project (RKV
towards an education is the ordinary system's); hours on partnership work (meetings, secretariat:
``TimeEntry.PARTNERSHIP_KINDS``, or hours registered on a partnership) on "Udvikling af
partnerskabet"; hours on a firm outside an activity (outreach) on the line ``FIRM_WORK_LINES`` names
for the hours' ESF project. The ESF project (and hence the axis) is the one the hours were registered
on; a cost's is its activity's.

**How many queries**: a fixed handful whatever the period or the number of rows (the rates, the
financing plans, the lines and projects, one grouped query for hours, one for costs). The grouping is
done in the database; hours are grouped by the spans of days over which no rate or plan changes
(``_segments``), so each group is priced once in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Case, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from activities.models import Cost, TimeEntry, Timesheet
from partnerships.models import BudgetLine, ESFProject, FinancingPlan, StaffCostRate
from reporting.models import PartnershipDeclaration
from reporting.periods import Period

ORE = Decimal("0.01")

# Hours on a firm outside an activity (outreach, follow-up) land on this line of their ESF project.
FIRM_WORK_LINES = {"vaekstrettet": "kompetenceforsyning", "erhvervsfaglige": "efteruddannelse"}


class Kind:
    HOURS = "hours"  # direct staff costs
    SURCHARGE = "surcharge"  # the flat-rate surcharge on them
    COSTS = "costs"  # direct costs on activities

    LABELS = {HOURS: "Direkte lønomkostninger", SURCHARGE: "Fast takst", COSTS: "Direkte udgifter"}


@dataclass(frozen=True)
class SpendRow:
    """One priced group: a span of days (``on`` is its first day) in one year, project, line, partnership."""

    on: dt.date
    year: int
    project: str  # ESF project code
    axis: int
    line: str  # budget line code
    partnership_id: int | None
    organisation_id: int | None  # whose hours (None for direct costs)
    kind: str  # Kind.*
    hours: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Uncosted:
    """Approved hours that could not be priced (no rate in force for the organisation that day)."""

    organisation_id: int | None
    year: int
    hours: Decimal
    reason: Any  # a lazy translation


@dataclass
class Spend:
    """Everything spent in ``period`` (optionally one partnership's), priced, with what could not be."""

    period: Period
    rows: list[SpendRow] = field(default_factory=list)
    uncosted: list[Uncosted] = field(default_factory=list)
    # (organisation id, project code) of hours counted without a signed partnership declaration.
    undeclared: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    # plan id -> {source code: amount} and the plan in force on each row's day (for the split).
    _plans: list[tuple[FinancingPlan, dict[str, Decimal]]] = field(default_factory=list, repr=False)

    # --- totals ---------------------------------------------------------------------------------------
    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), Decimal(0))

    @property
    def hours(self) -> Decimal:
        return sum((row.hours for row in self.rows if row.kind == Kind.HOURS), Decimal(0))

    def by(self, key: Callable[[SpendRow], Any] | str, *, where: Callable[[SpendRow], bool] | None = None) -> dict:
        """Amounts summed by ``key`` (an attribute name of ``SpendRow`` or a function of a row)."""
        get = key if callable(key) else (lambda row: getattr(row, key))
        sums: dict[Any, Decimal] = defaultdict(Decimal)
        for row in self.rows:
            if where is None or where(row):
                sums[get(row)] += row.amount
        return dict(sums)

    def hours_by(self, key: Callable[[SpendRow], Any] | str) -> dict:
        get = key if callable(key) else (lambda row: getattr(row, key))
        sums: dict[Any, Decimal] = defaultdict(Decimal)
        for row in self.rows:
            if row.kind == Kind.HOURS:
                sums[get(row)] += row.hours
        return dict(sums)

    # --- financing ------------------------------------------------------------------------------------
    def financing(self, *, where: Callable[[SpendRow], bool] | None = None) -> dict[str, Decimal]:
        """The spend split over the financing sources by the plan in force on each row's day, in øre.

        Each plan's part of the spend is split once (largest remainders, as
        ``partnerships.programme.financing_split``), so the sources add up to the spend exactly.
        Spend on days no plan covers is under the key ``""``.
        """
        per_plan: dict[int | None, Decimal] = defaultdict(Decimal)
        for row in self.rows:
            if where is None or where(row):
                per_plan[self._plan_for(row.on)] += row.amount
        result: dict[str, Decimal] = defaultdict(Decimal)
        for index, amount in per_plan.items():
            if index is None:
                result[""] += amount
                continue
            for code, part in split(amount, self._plans[index][1]).items():
                result[code] += part
        return dict(result)

    def _plan_for(self, day: dt.date) -> int | None:
        for index, (plan, _amounts) in enumerate(self._plans):
            if plan.valid_from <= day and (plan.valid_until is None or day <= plan.valid_until):
                return index
        return None


def split(amount: Decimal, amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """``amount`` split in proportion to ``amounts`` in øre, the parts adding up exactly (largest remainders)."""
    amount = Decimal(amount).quantize(ORE)
    total = sum(amounts.values(), Decimal(0))
    if total <= 0:
        return {}
    exact = {code: amount * part / total for code, part in amounts.items()}
    parts = {code: value.quantize(ORE, rounding=ROUND_DOWN) for code, value in exact.items()}
    left = int((amount - sum(parts.values())) / ORE)
    for code in sorted(exact, key=lambda code: exact[code] - parts[code], reverse=True)[:left]:
        parts[code] += ORE
    return parts


# --- rates ----------------------------------------------------------------------------------------------


class _Rates:
    """The staff-cost rows overlapping a period, resolved in Python by the rule of
    ``partnerships.programme.staff_cost``: the organisation's own row wins; a field it leaves empty is
    taken from the standard row in force the same day."""

    def __init__(self, rows: Iterable[StaffCostRate]):
        self.rows = list(rows)

    @staticmethod
    def _in_force(row: StaffCostRate, day: dt.date) -> bool:
        return row.valid_from <= day and (row.valid_until is None or day <= row.valid_until)

    def rate(self, organisation_id: int | None, day: dt.date) -> Decimal | None:
        standard = own = None
        for row in self.rows:
            if not self._in_force(row, day):
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

    def boundaries(self) -> set[dt.date]:
        days = set()
        for row in self.rows:
            days.add(row.valid_from)
            if row.valid_until is not None:
                days.add(row.valid_until + dt.timedelta(days=1))
        return days


def _segments(period: Period, boundaries: Iterable[dt.date]) -> tuple[list[dt.date], Case | Value]:
    """The first days of the spans of ``period`` over which nothing changes (years always split), and a
    database expression giving a row's span index from its ``day``."""
    cuts = {dt.date(year, 1, 1) for year in period.years}
    cuts |= set(boundaries)
    starts = sorted(day for day in cuts if period.start < day <= period.end)
    firsts = [period.start, *starts]
    if not starts:
        return firsts, Value(0, output_field=IntegerField())
    whens = [When(day__lt=cut, then=Value(index)) for index, cut in enumerate(starts)]
    return firsts, Case(*whens, default=Value(len(starts)), output_field=IntegerField())


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def spend(period: Period, *, partnership: Any = None, project: ESFProject | str | None = None) -> Spend:
    """What was spent in ``period``: the whole programme, or one partnership's, optionally one ESF project's.

    Direct costs have no partnership of their own: they count for the partnership of the activity's firm.
    Hours on partnership work count for that partnership.
    """
    projects = {p.pk: p for p in ESFProject.objects.all()}
    lines = {line.pk: line for line in BudgetLine.objects.all()}
    line_by_code = {line.code: line for line in lines.values()}
    rates = _Rates(StaffCostRate.objects.overlapping(period.start, period.end))
    plans = [
        (plan, {line.source.code: line.amount for line in plan.lines.all()})
        for plan in FinancingPlan.objects.overlapping(period.start, period.end)
        .prefetch_related("lines__source")
        .order_by("valid_from")
    ]
    plan_days = {plan.valid_from for plan, _ in plans} | {
        plan.valid_until + dt.timedelta(days=1) for plan, _ in plans if plan.valid_until
    }
    firsts, segment = _segments(period, rates.boundaries() | plan_days)
    project_id = None
    if project is not None:
        project_id = (
            _pk(project)
            if isinstance(project, ESFProject)
            else next(p.pk for p in projects.values() if p.code == project)
        )

    result = Spend(period=period, _plans=plans)
    partnership_line = line_by_code.get(BudgetLine.PARTNERSHIP_DEVELOPMENT)
    firm_lines = [
        When(project_id=p.pk, then=Value(line_by_code[FIRM_WORK_LINES[p.code]].pk))
        for p in projects.values()
        if FIRM_WORK_LINES.get(p.code) in line_by_code
    ]
    partnership_line_value = Value(partnership_line.pk if partnership_line else None, output_field=IntegerField())
    hours = (
        TimeEntry.objects.filter(timesheet__status=Timesheet.Status.APPROVED, day__range=(period.start, period.end))
        .filter(Q(plan__isnull=True) | Q(plan__type_mapping__charged_to_project=True))
        .annotate(
            partnership_key=Coalesce("plan__company__partnership_id", "company__partnership_id", "partnership_id"),
            line_key=Case(
                When(
                    Q(kind__in=TimeEntry.PARTNERSHIP_KINDS) | Q(partnership__isnull=False), then=partnership_line_value
                ),
                When(plan__isnull=False, then=F("plan__type_mapping__budget_line_id")),
                *firm_lines,
                default=partnership_line_value,
                output_field=IntegerField(),
            ),
            segment=segment,
        )
    )
    costs = Cost.objects.filter(
        incurred_on__range=(period.start, period.end), plan__type_mapping__charged_to_project=True
    ).annotate(
        partnership_key=F("plan__company__partnership_id"),
        line_key=F("plan__type_mapping__budget_line_id"),
        project_key=F("plan__type_mapping__eligible_activity__project_id"),
        segment=Case(
            *(
                [When(incurred_on__lt=cut, then=Value(i)) for i, cut in enumerate(firsts[1:])]
                if len(firsts) > 1
                else []
            ),
            default=Value(len(firsts) - 1),
            output_field=IntegerField(),
        ),
    )
    if partnership is not None:
        hours = hours.filter(partnership_key=_pk(partnership))
        costs = costs.filter(partnership_key=_pk(partnership))
    if project_id is not None:
        hours = hours.filter(project_id=project_id)
        costs = costs.filter(project_key=project_id)

    declared = set(
        PartnershipDeclaration.objects.filter(signed_on__lte=period.end).values_list("organisation_id", "project_id")
    )
    uncosted: dict[tuple[int | None, int], Decimal] = defaultdict(Decimal)
    for group in (
        hours.order_by()
        .values("user__organisation_id", "project_id", "line_key", "partnership_key", "segment")
        .annotate(total=Sum("hours"))
    ):
        on = firsts[group["segment"]]
        org = group["user__organisation_id"]
        esf = projects[group["project_id"]]
        amount_hours = group["total"] or Decimal(0)
        rate = rates.rate(org, on)
        if rate is None:
            uncosted[(org, on.year)] += amount_hours
            continue
        line = lines.get(group["line_key"])
        staff = (amount_hours * rate).quantize(ORE, ROUND_HALF_UP)
        common = {
            "on": on,
            "year": on.year,
            "project": esf.code,
            "axis": esf.axis,
            "line": line.code if line else "",
            "partnership_id": group["partnership_key"],
            "organisation_id": org,
        }
        result.rows.append(SpendRow(kind=Kind.HOURS, hours=amount_hours, amount=staff, **common))
        if esf.uses_flat_rate and esf.flat_rate_percent:
            surcharge = (staff * esf.flat_rate_percent / 100).quantize(ORE, ROUND_HALF_UP)
            result.rows.append(SpendRow(kind=Kind.SURCHARGE, hours=Decimal(0), amount=surcharge, **common))
        if org is not None and (org, esf.pk) not in declared:
            key = (org, esf.code)
            result.undeclared[key] = result.undeclared.get(key, Decimal(0)) + amount_hours

    for group in (
        costs.order_by().values("project_key", "line_key", "partnership_key", "segment").annotate(total=Sum("amount"))
    ):
        on = firsts[group["segment"]]
        esf = projects[group["project_key"]]
        line = lines.get(group["line_key"])
        result.rows.append(
            SpendRow(
                on=on,
                year=on.year,
                project=esf.code,
                axis=esf.axis,
                line=line.code if line else "",
                partnership_id=group["partnership_key"],
                organisation_id=None,
                kind=Kind.COSTS,
                hours=Decimal(0),
                amount=(group["total"] or Decimal(0)).quantize(ORE),
            )
        )
    result.uncosted = [
        Uncosted(
            organisation_id=org,
            year=year,
            hours=amount,
            reason=_("Ingen timesats gælder for organisationen (faktiske lønomkostninger uden indtastet timeløn)."),
        )
        for (org, year), amount in sorted(uncosted.items(), key=lambda item: (item[0][1], item[0][0] or 0))
    ]
    result.rows.sort(key=lambda row: (row.on, row.project, row.line, row.partnership_id or 0, row.kind))
    return result
