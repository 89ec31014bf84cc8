"""Reads shaped for the reporting pages: the dashboards (programme and partnership) and the list
behind a number. Every number comes from ``reporting.indicators`` and ``reporting.budget``; this module
only arranges them, with a fixed number of queries whatever the amount of data.

**Who sees what** (rules declared on the views, decided here per row):

* project management: the programme and every partnership, budget included, and the rows behind
  every number;
* a partnership's secretariat (``reporting.export_indicators``): its own partnership's dashboard and
  the rows behind its numbers, participants included (it works with them);
* consultants: their partnerships' dashboards with every count, but **no personal data**: the numbers
  counted from participants do not link to the people (``Source.personal``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partnerships.models import ESFProject, Partnership, System
from partnerships.scoping import user_sees_everything
from reporting import charts
from reporting import figures as figures_cache
from reporting.budget import BudgetReport, budget_report
from reporting.indicators import all_indicators, compute
from reporting.indicators.activities import activity_breakdown, employment_in_supported_firms, hours_by_system
from reporting.indicators.base import Figures, Indicator
from reporting.indicators.maturity import maturity
from reporting.indicators.targets import Progress, target_status
from reporting.models import PartnershipGoal, Target
from reporting.periods import Period

# The numbers on top of a dashboard, in this order.
HEADLINE = ("firms_reached", "smes_reached", "joint_visits", "activities", "participants", "qualifying_started")
PERSONAL_PERMISSION = "reporting.export_indicators"


def default_period(today: dt.date) -> Period:
    """This year, or the programme's last year once the ESF projects are over (the demo's 2019)."""
    last = ESFProject.objects.order_by("-period_end").values_list("period_end", flat=True).first()
    year = today.year if last is None or today <= last else last.year
    return Period.year(year)


def may_see_people(user: Any) -> bool:
    """Whether the rows behind a participant count may be shown to ``user``."""
    return user_sees_everything(user) or user.has_perm(PERSONAL_PERMISSION)


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    value: int
    url: str  # the list behind the number ('' when the user may not see its rows)
    target: Decimal | None = None
    progress: Progress | None = None
    woman: int | None = None
    man: int | None = None

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def label(self) -> str:
        return str(self.indicator.label)


@dataclass
class Dashboard:
    period: Period
    partnership: Partnership | None
    today: dt.date
    groups: list[tuple[str, list[Line]]] = field(default_factory=list)
    headline: list[Line] = field(default_factory=list)
    activities: dict[str, dict] = field(default_factory=dict)
    employment: Any = None
    hours: list[tuple[str, Decimal]] = field(default_factory=list)
    maturity: list[tuple[str, Any]] = field(default_factory=list)
    budget: BudgetReport | None = None
    goals: list[tuple[PartnershipGoal, Progress | None, int | None]] = field(default_factory=list)
    charts: dict[str, Any] = field(default_factory=dict)
    by_partnership: list[tuple[Partnership, list[tuple[str, int]]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(line.value for _group, lines in self.groups for line in lines)

    def line(self, code: str) -> Line | None:
        for _group, lines in self.groups:
            for line in lines:
                if line.code == code:
                    return line
        return None


def rows_url(code: str, period: Period, partnership: Any = None) -> str:
    query = {"kode": code, "periode": period.code}
    if partnership is not None:
        query["partnerskab"] = getattr(partnership, "pk", partnership)
    return reverse("reporting:indicator_rows") + "?" + urlencode(query)


def _targets(period: Period) -> dict[str, Decimal]:
    """The programme targets of the years the period covers, summed per indicator."""
    found: dict[str, Decimal] = defaultdict(Decimal)
    for code, value in Target.objects.filter(year__in=period.years).values_list("indicator", "value"):
        found[code] += value
    return dict(found)


@dataclass
class Facts:
    """What a dashboard counts, the same for everyone asking for the same period and partnership (kept
    in the cache by ``reporting.figures``; who may see which rows is decided per user afterwards)."""

    figures: Figures
    span_figures: Figures
    targets: dict[str, Decimal]
    activities: dict[str, dict]
    employment: Any
    hours: list[tuple[str, Decimal]]
    maturity: dict[int, Any]
    partnerships: list[tuple[int, str]]
    budget: BudgetReport | None
    goals: list[tuple[PartnershipGoal, Progress | None, int | None]]


def sees_budget(user: Any) -> bool:
    """Whether the user's dashboards show budget against spend."""
    return user_sees_everything(user) or user.has_perm("reporting.view_budget")


def facts_key(*, period: Period, partnership: Partnership | None, with_budget: bool, today: dt.date) -> str:
    """What a dashboard's figures depend on besides the data: the period, the partnership, whether the
    budget is counted, today (targets and goals are judged on it) and the language of the labels."""
    return ":".join(
        (
            period.code,
            str(partnership.pk if partnership is not None else "all"),
            "budget" if with_budget else "",
            today.isoformat(),
            translation.get_language() or "",
        )
    )


def counted_facts(
    *, period: Period, partnership: Partnership | None, with_budget: bool, today: dt.date
) -> figures_cache.Counted:
    """The dashboard's figures from the cache (with when they were counted), recounted in the
    background, or here, when something they count has changed since (``reporting.figures``)."""
    key = "facts:" + facts_key(period=period, partnership=partnership, with_budget=with_budget, today=today)
    parts = (
        period.code,
        partnership.pk if partnership is not None else None,
        with_budget,
        today.isoformat(),
        translation.get_language() or "",
    )
    return figures_cache.counted(
        key,
        lambda: _count_facts(period=period, partnership=partnership, with_budget=with_budget, today=today),
        recount=parts,
    )


def facts_of(
    counted: figures_cache.Counted,
    *,
    period: Period,
    partnership: Partnership | None,
    with_budget: bool,
    today: dt.date,
) -> Facts:
    """The figures of ``counted`` (counted again here in the rare case the cache let them go)."""
    facts = figures_cache.value_of(counted)
    if facts is None:
        parts = {"period": period, "partnership": partnership, "with_budget": with_budget, "today": today}
        facts = figures_cache.count(counted.key, lambda: _count_facts(**parts)).value
    return facts


def dashboard_facts(*, period: Period, partnership: Partnership | None, with_budget: bool, today: dt.date) -> Facts:
    parts = {"period": period, "partnership": partnership, "with_budget": with_budget, "today": today}
    return facts_of(counted_facts(**parts), **parts)


def recount_facts(
    period_code: str,
    partnership_id: int | None,
    with_budget: bool,
    today: str,
    language: str,
    *,
    then: Callable[..., None] | None = None,
) -> bool:
    """Count a dashboard's figures again and keep them (``reporting.tasks.recount_figures``), then
    ``then(counted, period=, partnership=, today=)`` in the same language; False when they are
    current already (a second delivery) or the partnership is gone."""
    with translation.override(language or None):
        period, day = Period.parse(period_code), dt.date.fromisoformat(today)
        partnership = None
        if partnership_id is not None:
            partnership = Partnership.objects.filter(pk=partnership_id).first()
            if partnership is None:
                return False
        key = "facts:" + facts_key(period=period, partnership=partnership, with_budget=with_budget, today=day)
        figures_cache.recount_started(key)
        if figures_cache.is_current(key):
            return False
        counted = figures_cache.count(
            key, lambda: _count_facts(period=period, partnership=partnership, with_budget=with_budget, today=day)
        )
        if then is not None:
            then(counted, period=period, partnership=partnership, today=day)
        return True


def _count_facts(*, period: Period, partnership: Partnership | None, with_budget: bool, today: dt.date) -> Facts:
    indicators = all_indicators()
    figures = compute(indicators, period, partnership=partnership, breakdown={"participants_entered": "gender"})
    targets = _targets(period) if partnership is None else {}
    # Targets are yearly: a status is judged on the whole years the period lies in, as of today.
    span = Period(dt.date(period.years[0], 1, 1), dt.date(period.years[-1], 12, 31))
    span_figures: Figures = figures
    if targets and span != period:
        span_figures = compute([i for i in indicators if i.code in targets], span, partnership=partnership)
    systems = dict(System.objects.values_list("code", "name"))
    hours = [
        (systems.get(code, code or "–"), value)
        for code, value in hours_by_system(period, partnership=partnership).items()
    ]
    return Facts(
        figures=figures,
        span_figures=span_figures,
        targets=targets,
        activities=activity_breakdown(period, partnership=partnership),
        employment=employment_in_supported_firms(period, partnership=partnership),
        hours=hours,
        maturity=maturity(period, partnership=partnership),
        partnerships=list(Partnership.objects.order_by("name").values_list("pk", "name"))
        if partnership is None
        else [],
        budget=budget_report(period, partnership=partnership) if with_budget else None,
        goals=partnership_goals(partnership, today=today) if partnership is not None else [],
    )


def dashboard(
    *,
    user: Any,
    period: Period,
    partnership: Partnership | None = None,
    today: dt.date,
    facts: Facts | None = None,
    people: bool | None = None,
) -> Dashboard:
    """The dashboard of the programme (``partnership=None``) or of one partnership, for ``user``
    (from ``facts`` when given: those of ``counted_facts`` for the user's ``sees_budget``; ``people``:
    whether the numbers link to people, ``may_see_people(user)`` when not given)."""
    board = Dashboard(period=period, partnership=partnership, today=today)
    if facts is None:
        facts = dashboard_facts(period=period, partnership=partnership, with_budget=sees_budget(user), today=today)
    figures, targets = facts.figures, facts.targets
    if people is None:
        people = may_see_people(user)
    span = Period(dt.date(period.years[0], 1, 1), dt.date(period.years[-1], 12, 31))
    groups: dict[str, list[Line]] = {}
    for item in all_indicators():
        target = targets.get(item.code)
        progress = (
            target_status(actual=facts.span_figures[item.code], target=target, span=span, today=today)
            if target is not None
            else None
        )
        gender = figures.breakdown.get(item.code)
        line = Line(
            indicator=item,
            value=figures[item.code],
            url=rows_url(item.code, period, partnership) if (people or not item.source.personal) else "",
            target=target,
            progress=progress,
            woman=gender.get("woman", 0) if gender is not None else None,
            man=gender.get("man", 0) if gender is not None else None,
        )
        groups.setdefault(str(item.group), []).append(line)
    board.groups = list(groups.items())
    board.headline = [line for code in HEADLINE if (line := board.line(code)) is not None]

    board.activities = facts.activities
    board.employment = facts.employment
    board.hours = facts.hours
    found = facts.maturity
    if partnership is None:
        names = dict(facts.partnerships)
        board.maturity = sorted(((names.get(pk, "?"), entry) for pk, entry in found.items()), key=lambda item: item[0])
        board.by_partnership = [
            (
                Partnership(pk=pk, name=name),
                [(line.code, figures.for_partnership(line.code, pk)) for line in board.headline],
            )
            for pk, name in facts.partnerships
        ]
    elif partnership.pk in found:
        board.maturity = [(partnership.name, found[partnership.pk])]
    board.budget = facts.budget
    board.goals = facts.goals
    board.charts = _charts(board)
    return board


def partnership_goals(
    partnership: Partnership, *, today: dt.date
) -> list[tuple[PartnershipGoal, Progress | None, int | None]]:
    """The partnership's goals with, for those tied to an indicator, the result so far against the target."""
    from reporting.indicators import indicator as find

    goals = list(PartnershipGoal.objects.filter(partnership=partnership).prefetch_related("reviews"))
    result = []
    for goal in goals:
        progress = actual = None
        if goal.indicator and goal.target_value is not None and goal.due_on:
            try:
                item = find(goal.indicator)
            except KeyError:
                item = None
            if item is not None:
                span = Period(goal.start_on, goal.due_on)
                actual = item.value(span.until(today), partnership)
                progress = target_status(actual=actual, target=goal.target_value, span=span, today=today)
        result.append((goal, progress, actual))
    return result


def _charts(board: Dashboard) -> dict[str, Any]:
    found = {}
    found["headline"] = charts.bar_chart(
        [charts.Bar(line.label, line.value, line.target) for line in board.headline],
        title=_("Hovedtal for %(period)s") % {"period": board.period.label},
        value_label=_("Opnået"),
        target_label=_("Mål"),
    )
    if board.activities.get("status"):
        from activities.models import ActivityPlan

        labels = dict(ActivityPlan.Status.choices)
        found["activities"] = charts.bar_chart(
            [charts.Bar(str(labels.get(k, k)), v) for k, v in board.activities["status"].items()],
            title=_("Aktiviteter efter status"),
        )
    if board.budget is not None and board.budget.partnership_id is None:
        found["budget"] = charts.bar_chart(
            [charts.Bar(f.label, f.spent / 1000, (f.budget or 0) / 1000) for f in board.budget.lines],
            title=_("Forbrug mod budget (1.000 kr.)"),
            unit=_("t.kr."),
            value_label=_("Forbrug"),
            target_label=_("Budget"),
        )
    return found


# --- The rows behind a number -------------------------------------------------------------------------------

ROWS_LIMIT = 500


@dataclass(frozen=True)
class RowItem:
    text: str
    url: str
    detail: str = ""


def indicator_rows(*, item: Indicator, period: Period, partnership: Any, user: Any) -> tuple[list[RowItem], int]:
    """The rows behind ``item``'s number that the user may see (at most ``ROWS_LIMIT``), and how many
    there are. The rows are the indicator's own, narrowed by the model's scoping rule ``for_user``."""
    rows = item.rows(period, partnership)
    model = rows.model
    manager = model._default_manager
    if hasattr(manager, "for_user"):
        rows = rows.filter(pk__in=manager.for_user(user).values("pk"))
    total = rows.count()
    related = [f.name for f in model._meta.concrete_fields if f.name in ("company", "partnership") and f.is_relation]
    if related:
        rows = rows.select_related(*related)
    items = []
    for obj in rows.order_by("pk")[:ROWS_LIMIT]:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
        items.append(RowItem(text=str(obj), url=url))
    return items, total
