"""Budget against spend: per budget line, year, ESF axis, partnership and financing source.

The budget is yearly (``BudgetAmount``, the version in force on ``on``, default today), so a period's
budget is the budget of **every year the period touches** (a quarter of 2018 is shown against 2018's
budget), and the financing sources' budget is the financing plans in force in those years. Lines
shared by both ESF projects ("Efter- og videreuddannelse", "Udvikling af partnerskabet" as shipped)
belong to no axis: an axis's budget is its project's own lines, and the shared lines are shown as
their own row. A partnership has no budget of its own: its table shows spend only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import (
    Axis,
    BudgetAmount,
    BudgetLine,
    ESFProject,
    FinancingPlan,
    FinancingSource,
    Organisation,
    Partnership,
)
from reporting.budget.spend import Kind, Spend, spend
from reporting.periods import Period


@dataclass(frozen=True)
class Figure:
    """One row of a budget table: a label, the budget (None: no budget of its own), the spend."""

    key: Any
    label: str
    budget: Decimal | None
    spent: Decimal
    hours: Decimal = Decimal(0)

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spent

    @property
    def percent(self) -> Decimal | None:
        """Spend as a percentage of the budget, one decimal (None without a budget or for a zero one)."""
        if not self.budget:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class BudgetReport:
    period: Period
    partnership_id: int | None
    spend: Spend
    lines: list[Figure] = field(default_factory=list)
    years: dict[int, list[Figure]] = field(default_factory=dict)
    axes: list[Figure] = field(default_factory=list)
    partnerships: list[Figure] = field(default_factory=list)
    sources: list[Figure] = field(default_factory=list)
    kinds: list[Figure] = field(default_factory=list)
    total: Figure | None = None
    # (organisation name, year, hours, reason)
    uncosted: list[tuple[str, int, Decimal, str]] = field(default_factory=list)
    # (organisation name, project name, hours)
    undeclared: list[tuple[str, str, Decimal]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.spend.rows and not self.spend.uncosted


def budget_report(period: Period, *, partnership: Any = None, on: dt.date | None = None) -> BudgetReport:
    """The budget against the spend of ``period`` (a fixed number of queries; see the module docstring)."""
    partnership_id = getattr(partnership, "pk", partnership)
    spent = spend(period, partnership=partnership_id)
    report = BudgetReport(period=period, partnership_id=partnership_id, spend=spent)
    with_budget = partnership_id is None
    lines = list(BudgetLine.objects.select_related("project").order_by("sort_order", "code"))
    amounts: dict[tuple[str, int], Decimal] = {}
    if with_budget:
        for code, year, amount in (
            BudgetAmount.objects.in_force(on or timezone.localdate())
            .filter(year__in=period.years)
            .values_list("budget_line__code", "year", "amount")
        ):
            amounts[(code, year)] = amounts.get((code, year), Decimal(0)) + amount

    def line_budget(code: str, years: list[int]) -> Decimal | None:
        if not with_budget:
            return None
        return sum((amounts.get((code, year), Decimal(0)) for year in years), Decimal(0))

    by_line = spent.by("line")
    hours_by_line = spent.hours_by("line")
    report.lines = [
        Figure(
            line.code,
            line.name,
            line_budget(line.code, period.years),
            by_line.get(line.code, Decimal(0)),
            hours_by_line.get(line.code, Decimal(0)),
        )
        for line in lines
    ]
    by_year_line = spent.by(lambda row: (row.year, row.line))
    for year in period.years:
        report.years[year] = [
            Figure(
                line.code, line.name, line_budget(line.code, [year]), by_year_line.get((year, line.code), Decimal(0))
            )
            for line in lines
        ]

    projects = list(ESFProject.objects.order_by("sort_order", "axis"))
    by_axis = spent.by("axis")
    hours_by_axis = spent.hours_by("axis")
    for project in projects:
        own = [line.code for line in lines if line.project_id == project.pk]
        budget = sum((line_budget(code, period.years) for code in own), Decimal(0)) if with_budget else None
        report.axes.append(
            Figure(
                project.axis,
                str(Axis(project.axis).label),
                budget,
                by_axis.get(project.axis, Decimal(0)),
                hours_by_axis.get(project.axis, Decimal(0)),
            )
        )
    shared = [line.code for line in lines if line.project_id is None]
    if shared and with_budget:
        report.axes.append(
            Figure(
                None,
                str(_("Fælles linjer (begge akser): budget")),
                sum((line_budget(code, period.years) for code in shared), Decimal(0)),
                sum((by_line.get(code, Decimal(0)) for code in shared), Decimal(0)),
            )
        )

    by_partnership = spent.by("partnership_id")
    hours_by_partnership = spent.hours_by("partnership_id")
    names = dict(Partnership.objects.filter(pk__in=[k for k in by_partnership if k]).values_list("pk", "name"))
    report.partnerships = sorted(
        (
            Figure(
                pk, names.get(pk, str(_("Uden partnerskab"))), None, amount, hours_by_partnership.get(pk, Decimal(0))
            )
            for pk, amount in by_partnership.items()
        ),
        key=lambda figure: figure.label,
    )

    financing = spent.financing()
    source_budget: dict[str, Decimal] = {}
    if with_budget:
        for plan in FinancingPlan.objects.overlapping(
            dt.date(period.years[0], 1, 1), dt.date(period.years[-1], 12, 31)
        ).prefetch_related("lines__source"):
            for plan_line in plan.lines.all():
                code = plan_line.source.code
                source_budget[code] = source_budget.get(code, Decimal(0)) + plan_line.amount
    report.sources = [
        Figure(
            source.code,
            source.name,
            source_budget.get(source.code) if with_budget else None,
            financing.get(source.code, Decimal(0)),
        )
        for source in FinancingSource.objects.order_by("sort_order", "code")
    ]
    if financing.get(""):
        report.sources.append(Figure("", str(_("Uden finansieringsplan")), None, financing[""]))

    by_kind = spent.by("kind")
    report.kinds = [
        Figure(kind, str(label), None, by_kind.get(kind, Decimal(0))) for kind, label in Kind.LABELS.items()
    ]
    total_budget = sum((f.budget or Decimal(0) for f in report.lines), Decimal(0)) if with_budget else None
    report.total = Figure("total", str(_("I alt")), total_budget, spent.total, spent.hours)

    org_ids = {u.organisation_id for u in spent.uncosted} | {org for org, _code in spent.undeclared}
    org_names = dict(Organisation.objects.filter(pk__in=[o for o in org_ids if o]).values_list("pk", "name"))
    project_names = {project.code: project.name for project in projects}
    report.uncosted = [
        (org_names.get(u.organisation_id, str(_("Uden organisation"))), u.year, u.hours, str(u.reason))
        for u in spent.uncosted
    ]
    report.undeclared = sorted(
        (org_names.get(org, "?"), project_names.get(code, code), hours)
        for (org, code), hours in spent.undeclared.items()
    )
    return report
