"""What the progress report shows, read from the facts into plain dataclasses (no formatting).

``progress_data(period, partnership=None, today=...)`` runs a fixed number of grouped queries,
whatever the number of partnerships, firms or participants: the indicators (``reporting.indicators``),
budget against spend (``reporting.budget.budget_report``), participants and results by axis, activities by type and
status, maturity, the partnerships' goals, and the programme targets of the period's years. The
report's HTML (``render``) only lays this out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from activities.models import ActivityPlan, Participant
from partnerships.models import Partnership
from partnerships.models.programme import Axis
from reporting.budget import BudgetReport, Figure, Spend, budget_report
from reporting.indicators import all_indicators, compute
from reporting.indicators.maturity import Maturity, maturity
from reporting.indicators.targets import Progress, target_status
from reporting.models import PartnershipGoal, Target
from reporting.periods import Period

# The indicators the summary names in words, in this order.
KEY_INDICATORS = ("firms_reached", "smes_reached", "visits", "joint_visits", "needs_found", "decisions")
# The indicators each partnership's page shows (the programme's table has them all, by group).
SECTION_INDICATORS = (
    "firms_reached",
    "smes_reached",
    "visits",
    "joint_visits",
    "needs_found",
    "needs_covered",
    "decisions",
    "meetings_held",
    "activities_started",
    "participants",
)


@dataclass
class AxisFigures:
    """Participants and their results for one ESF axis."""

    axis: int
    label: str
    started: int = 0
    exited: int = 0
    women: int = 0
    men: int = 0
    unemployed: int = 0
    employed: int = 0
    result_qualification: int = 0
    result_in_education: int = 0
    result_employed: int = 0
    missing_result: int = 0
    spent: Decimal = Decimal(0)


@dataclass
class IndicatorRow:
    code: str
    label: str
    value: int
    target: Progress | None = None
    group: str = ""


@dataclass
class PartnershipSection:
    """One partnership's page of the report."""

    partnership: Partnership
    indicators: list[IndicatorRow]
    activities_started: int
    activities_completed: int
    participants_started: int
    participants_exited: int
    spent: Decimal
    hours: Decimal
    maturity: Maturity | None
    goals: list[PartnershipGoal]

    @property
    def has_data(self) -> bool:
        return bool(
            any(row.value for row in self.indicators)
            or self.activities_started
            or self.participants_started
            or self.spent
            or self.hours
        )


@dataclass
class ProgressData:
    period: Period
    partnership: Partnership | None
    today: dt.date
    indicators: list[IndicatorRow]
    budget: BudgetReport
    axes: list[AxisFigures]
    activities_by_type: list[tuple[str, dict[str, int]]]
    activity_statuses: list[tuple[str, str]]
    sections: list[PartnershipSection]
    maturity: dict[int, Maturity]
    level_counts: dict[int, int] = field(default_factory=dict)

    @property
    def spend(self) -> Spend:
        return self.budget.spend

    @property
    def budget_lines(self) -> list[Figure]:
        return self.budget.lines

    @property
    def financing(self) -> list[Figure]:
        return self.budget.sources

    @property
    def uncosted_hours(self) -> Decimal:
        return sum((hours for _name, _year, hours, _reason in self.budget.uncosted), Decimal(0))

    @property
    def has_data(self) -> bool:
        return bool(
            any(row.value for row in self.indicators)
            or not self.budget.is_empty
            or any(axis.started or axis.exited for axis in self.axes)
            or self.activities_by_type
        )

    def figure(self, code: str) -> int:
        for row in self.indicators:
            if row.code == code:
                return row.value
        return 0

    @property
    def budget_total(self) -> Decimal:
        """The budget of the years the period touches (none for one partnership: it has no budget)."""
        return (self.budget.total.budget if self.budget.total else None) or Decimal(0)

    @property
    def participants_started(self) -> int:
        return sum(axis.started for axis in self.axes)

    @property
    def participants_exited(self) -> int:
        return sum(axis.exited for axis in self.axes)

    @property
    def activities_started(self) -> int:
        return sum(sum(counts.values()) for _name, counts in self.activities_by_type)


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def _axis_of_participant():
    return "enrollments__plan__type_mapping__eligible_activity__project__axis"


def participants_by_axis(period: Period, *, partnership=None) -> tuple[list[AxisFigures], dict[int, tuple[int, int]]]:
    """Participants who started / left in the period, by axis (two grouped queries), and per partnership."""
    axis_path = _axis_of_participant()
    base = Participant.objects.all()
    if partnership is not None:
        base = base.filter(partnership_id=_pk(partnership))
    in_period = (period.start, period.end)
    started = Q(entry_date__range=in_period)
    exited = Q(exit_date__range=in_period)
    figures = {axis.value: AxisFigures(axis=axis.value, label=str(axis.label)) for axis in Axis}
    rows = (
        base.filter(started | exited)
        .exclude(**{f"{axis_path}__isnull": True})
        .order_by()
        .values(axis_path)
        .annotate(
            started=Count("pk", distinct=True, filter=started),
            exited=Count("pk", distinct=True, filter=exited),
            women=Count("pk", distinct=True, filter=started & Q(gender=Participant.Gender.WOMAN)),
            men=Count("pk", distinct=True, filter=started & Q(gender=Participant.Gender.MAN)),
            unemployed=Count(
                "pk", distinct=True, filter=started & Q(employment_status=Participant.EmploymentStatus.UNEMPLOYED)
            ),
            employed=Count(
                "pk", distinct=True, filter=started & Q(employment_status=Participant.EmploymentStatus.EMPLOYED)
            ),
            result_qualification=Count("pk", distinct=True, filter=exited & Q(result_qualification=True)),
            result_in_education=Count("pk", distinct=True, filter=exited & Q(result_in_education=True)),
            result_employed=Count("pk", distinct=True, filter=exited & Q(result_employed=True)),
            missing_result=Count("pk", distinct=True, filter=exited & Q(exit_result_on__isnull=True)),
        )
    )
    for row in rows:
        entry = figures.get(row[axis_path])
        if entry is None:
            continue
        for name in (
            "started",
            "exited",
            "women",
            "men",
            "unemployed",
            "employed",
            "result_qualification",
            "result_in_education",
            "result_employed",
            "missing_result",
        ):
            setattr(entry, name, row[name])
    per_partnership = {
        row["partnership_id"]: (row["started"], row["exited"])
        for row in base.filter(started | exited)
        .order_by()
        .values("partnership_id")
        .annotate(started=Count("pk", filter=started), exited=Count("pk", filter=exited))
    }
    return list(figures.values()), per_partnership


def activities(period: Period, *, partnership=None):
    """Activities started in the period by type and status (one grouped query), and per partnership."""
    plans = ActivityPlan.objects.filter(actual_start__range=(period.start, period.end))
    if partnership is not None:
        plans = plans.filter(company__partnership_id=_pk(partnership))
    by_type: dict[str, dict[str, int]] = defaultdict(dict)
    per_partnership: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        plans.order_by()
        .values("activity_type__name", "activity_type__sort_order", "status", "company__partnership_id")
        .annotate(n=Count("pk"))
        .order_by("activity_type__sort_order", "activity_type__name")
    ):
        counts = by_type[row["activity_type__name"]]
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        per_partnership[row["company__partnership_id"]][0] += row["n"]
        if row["status"] == ActivityPlan.Status.COMPLETED:
            per_partnership[row["company__partnership_id"]][1] += row["n"]
    return list(by_type.items()), per_partnership


def _targets(period: Period, values: dict[str, int], today: dt.date) -> dict[str, Progress]:
    """The programme targets of a one-year period, against the values (none for other periods)."""
    if len(period.years) != 1:
        return {}
    year = period.years[0]
    span = Period.year(year)
    return {
        target.indicator: target_status(
            actual=values.get(target.indicator, 0), target=target.value, span=span, today=today
        )
        for target in Target.objects.filter(year=year)
    }


def progress_data(period: Period, *, partnership: Partnership | None = None, today: dt.date) -> ProgressData:
    """Everything the progress report shows for ``period`` (the programme, or one partnership)."""
    indicators = list(all_indicators())
    figures = compute(indicators, period, partnership=partnership)
    targets = _targets(period, figures.totals, today) if partnership is None else {}
    indicator_rows = [
        IndicatorRow(item.code, str(item.label), figures[item.code], targets.get(item.code), str(item.group))
        for item in indicators
    ]
    budget = budget_report(period, partnership=partnership, on=today)
    spent = budget.spend
    spent_by_axis, spent_by_partnership = spent.by("axis"), spent.by("partnership_id")
    hours_by_partnership = spent.hours_by("partnership_id")
    axes, participants_per = participants_by_axis(period, partnership=partnership)
    for axis in axes:
        axis.spent = spent_by_axis.get(axis.axis, Decimal(0))
    by_type, activities_per = activities(period, partnership=partnership)
    found = maturity(period, partnership=partnership)

    partnerships = Partnership.objects.order_by("name")
    if partnership is not None:
        partnerships = partnerships.filter(pk=partnership.pk)
    partnerships = list(partnerships)
    goals: dict[int, list[PartnershipGoal]] = defaultdict(list)
    for goal in PartnershipGoal.objects.filter(
        partnership__in=partnerships, status=PartnershipGoal.Status.ACTIVE
    ).order_by("partnership_id", "due_on", "pk"):
        goals[goal.partnership_id].append(goal)
    sections = []
    for item in partnerships:
        started, exited = participants_per.get(item.pk, (0, 0))
        sections.append(
            PartnershipSection(
                partnership=item,
                indicators=[
                    IndicatorRow(ind.code, str(ind.label), figures.for_partnership(ind.code, item.pk))
                    for ind in indicators
                    if ind.code in SECTION_INDICATORS
                ],
                activities_started=activities_per.get(item.pk, [0, 0])[0],
                activities_completed=activities_per.get(item.pk, [0, 0])[1],
                participants_started=started,
                participants_exited=exited,
                spent=spent_by_partnership.get(item.pk, Decimal(0)),
                hours=hours_by_partnership.get(item.pk, Decimal(0)),
                maturity=found.get(item.pk),
                goals=goals.get(item.pk, []),
            )
        )
    from reporting.indicators.maturity import level_distribution

    return ProgressData(
        period=period,
        partnership=partnership,
        today=today,
        indicators=indicator_rows,
        budget=budget,
        axes=axes,
        activities_by_type=by_type,
        activity_statuses=list(ActivityPlan.Status.choices),
        sections=sections,
        maturity=found,
        level_counts=level_distribution(found),
    )
