"""The programme's reference data, read by date: the one API that meetings, activities and reporting use.

Every function is keyword-only and typed, costs one query, and answers with what was in force on the
day asked (``on``). When nothing was, it raises :class:`NotInForce`, a ``LookupError`` whose message is
Danish and fit to show a user; the few that can sensibly answer "no value" return ``None`` and say so.
The dating rule behind it is in ``partnerships.models.effective``; the shipped values and the reasons
for them in the data migration ``0005_programme_data``.

For the activities work: an activity keeps the mapping in force on its start day. Store
``activity_type_mapping(activity_type=…, on=start).pk`` on the activity (a foreign key to
``ActivityTypeMapping``, ``on_delete=PROTECT``); a mapping row that has been in force cannot be changed,
so that row is the mapping the activity started under, whatever administrators do later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import (
    ActivityType,
    ActivityTypeMapping,
    BudgetAmount,
    DeMinimisRule,
    ESFProject,
    FinancingPlan,
    Organisation,
    ProgrammeThreshold,
    ReportingDeadline,
    StaffCostRate,
)
from partnerships.models.effective import format_period

ORE = Decimal("0.01")


class NotInForce(LookupError):
    """Nothing of the kind asked for is in force on the day asked; the message says what, in Danish."""


def _day(on: date) -> str:
    return on.strftime("%d.%m.%Y")


# --- ESF projects and the activity catalogue -------------------------------------------------------


def esf_projects() -> list[ESFProject]:
    """The ESF operations, axis 1 first."""
    return list(ESFProject.objects.order_by("sort_order", "axis"))


def esf_project(*, code: str) -> ESFProject:
    """One operation by its code (``"vaekstrettet"``, ``"erhvervsfaglige"``); ``ESFProject.DoesNotExist`` if none."""
    return ESFProject.objects.get(code=code)


def _mappings():
    return ActivityTypeMapping.objects.select_related(
        "activity_type", "eligible_activity__project", "budget_line__project"
    )


def activity_type_mapping(*, activity_type: ActivityType | str, on: date) -> ActivityTypeMapping:
    """The mapping of ``activity_type`` (an instance or its code) in force on ``on``.

    The row carries the ESF project and axis (``.project``, ``.axis``, through ``.eligible_activity``),
    the budget line, whether it is charged to the project, and ``requires_growth_purpose`` /
    ``requires_qualifying_education``. Raises NotInForce when the type has no mapping that day.
    """
    rows = _mappings().in_force(on)
    if isinstance(activity_type, ActivityType):
        rows, name = rows.filter(activity_type=activity_type), activity_type.name
    else:
        rows, name = rows.filter(activity_type__code=activity_type), activity_type
    mapping = rows.first()
    if mapping is None:
        raise NotInForce(
            _("Aktivitetstypen »%(type)s« har ingen ESF-tilknytning, der gælder den %(day)s.")
            % {"type": name, "day": _day(on)}
        )
    return mapping


def activity_catalogue(*, on: date, include_inactive: bool = False) -> list[ActivityTypeMapping]:
    """The catalogue in force on ``on``: one mapping per type, in the catalogue's order.

    Types an administrator has made unselectable are left out unless ``include_inactive``; so are
    types without a mapping that day.
    """
    rows = _mappings().in_force(on)
    if not include_inactive:
        rows = rows.filter(activity_type__is_active=True)
    return list(rows.order_by("activity_type__sort_order", "activity_type__name"))


# --- Staff costs: hourly rates and monthly caps -----------------------------------------------------


@dataclass(frozen=True)
class StaffCost:
    """How one organisation's hours are costed on a day, after the organisation's row fills in the standard."""

    method: str  # StaffCostRate.Method
    hourly_rate: Decimal | None
    monthly_cap_hours: Decimal | None
    organisation_specific: bool


def staff_cost(*, organisation: Organisation | int | None, on: date) -> StaffCost:
    """The costing rule for ``organisation`` (or the standard, with ``None``) on ``on``.

    The organisation's own row wins; a field it leaves empty is taken from the standard row in force
    that day. Raises NotInForce when neither row exists.
    """
    organisation_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    wanted = Q(organisation__isnull=True)
    if organisation_id is not None:
        wanted |= Q(organisation_id=organisation_id)
    standard = own = None
    for row in StaffCostRate.objects.in_force(on).filter(wanted):
        if row.organisation_id is None:
            standard = row
        else:
            own = row
    if standard is None and own is None:
        raise NotInForce(_("Der er ingen timesats, der gælder den %(day)s.") % {"day": _day(on)})
    first = own or standard
    return StaffCost(
        method=first.method,
        hourly_rate=first.hourly_rate if first.hourly_rate is not None else getattr(standard, "hourly_rate", None),
        monthly_cap_hours=(
            first.monthly_cap_hours
            if first.monthly_cap_hours is not None
            else getattr(standard, "monthly_cap_hours", None)
        ),
        organisation_specific=own is not None,
    )


def hourly_rate(*, organisation: Organisation | int | None, on: date) -> Decimal:
    """Kroner per approved hour for ``organisation`` on ``on`` (250.00 from 1 September 2018).

    Raises NotInForce when no rule is in force, or when the rule is actual pay costs and no amount has
    been entered for the organisation (before September 2018, unless its row gives one).
    """
    cost = staff_cost(organisation=organisation, on=on)
    if cost.hourly_rate is None:
        raise NotInForce(
            _(
                "Timer den %(day)s opgøres til faktiske lønomkostninger, og der er ikke indtastet en timeløn "
                "for organisationen."
            )
            % {"day": _day(on)}
        )
    return cost.hourly_rate


def monthly_cap(*, on: date, organisation: Organisation | int | None = None) -> Decimal | None:
    """Most hours one person may register in the month of ``on`` (160.33 from 1 September 2018).

    ``None`` means the rule in force sets no cap (the shipped rule before September 2018); raises
    NotInForce when no rule is in force at all.
    """
    return staff_cost(organisation=organisation, on=on).monthly_cap_hours


# --- Financing plan ----------------------------------------------------------------------------------


def financing_plan(*, on: date) -> FinancingPlan:
    """The financing plan in force on ``on``, its lines (with sources) prefetched in source order."""
    plan = FinancingPlan.objects.in_force(on).prefetch_related("lines__source").first()
    if plan is None:
        raise NotInForce(_("Der er ingen finansieringsplan, der gælder den %(day)s.") % {"day": _day(on)})
    return plan


def _plan_amounts(on: date) -> dict[str, Decimal]:
    plan = financing_plan(on=on)
    lines = sorted(plan.lines.all(), key=lambda line: (line.source.sort_order, line.source.code))
    amounts = {line.source.code: line.amount for line in lines}
    if not amounts or sum(amounts.values()) <= 0:
        raise NotInForce(_("Finansieringsplanen »%(plan)s« har ingen beløb.") % {"plan": plan.name})
    return amounts


def financing_shares(*, on: date) -> dict[str, Decimal]:
    """Each source's share (a fraction: ESF ``0.5``) of the plan in force on ``on``, keyed by source code.

    The shares are the plan's amounts over its total. To split money, use ``financing_split``, which
    rounds to øre and keeps the sum exact.
    """
    amounts = _plan_amounts(on)
    total = sum(amounts.values())
    return {code: amount / total for code, amount in amounts.items()}


def financing_split(*, amount: Decimal, on: date) -> dict[str, Decimal]:
    """``amount`` kroner split over the sources of the plan in force on ``on``, in øre, summing exactly.

    Each source gets its share rounded down to the øre; the øre left over go to the largest remainders
    (ties: the plan's source order), so the parts always add up to ``amount``.
    """
    amount = Decimal(amount).quantize(ORE)
    amounts = _plan_amounts(on)
    total = sum(amounts.values())
    exact = {code: amount * part / total for code, part in amounts.items()}
    parts = {code: value.quantize(ORE, rounding=ROUND_DOWN) for code, value in exact.items()}
    left = int((amount - sum(parts.values())) / ORE)
    order = sorted(exact, key=lambda code: exact[code] - parts[code], reverse=True)
    for code in order[:left]:
        parts[code] += ORE
    return parts


# --- Budget --------------------------------------------------------------------------------------------


def budget(*, year: int, project: ESFProject | str | None = None, on: date | None = None) -> dict[str, Decimal]:
    """The budget of ``year`` in kroner, by budget line code in the budget's order.

    ``on`` picks the budget version (default today: the budget as it stands). With ``project`` (an
    instance or its code), only the lines assigned to that project; lines shared by both projects
    (no project: "Efter- og videreuddannelse", "Udvikling af partnerskabet" as shipped) appear only in
    the whole budget, so no krone is counted twice. An empty dict: no budget for that year.
    """
    rows = BudgetAmount.objects.in_force(on or timezone.localdate()).filter(year=year)
    if isinstance(project, ESFProject):
        rows = rows.filter(budget_line__project=project)
    elif project is not None:
        rows = rows.filter(budget_line__project__code=project)
    rows = rows.order_by("budget_line__sort_order", "budget_line__code").values_list("budget_line__code", "amount")
    return dict(rows)


def budget_total(*, year: int, project: ESFProject | str | None = None, on: date | None = None) -> Decimal:
    """The sum of ``budget(year=…, project=…, on=…)``."""
    return sum(budget(year=year, project=project, on=on).values(), Decimal(0))


# --- De minimis -----------------------------------------------------------------------------------------


def de_minimis_rule(*, on: date) -> DeMinimisRule:
    """The de minimis rule for aid granted on ``on``: ceiling (EUR), window (``window_start(on)``), regulation."""
    rule = DeMinimisRule.objects.in_force(on).first()
    if rule is None:
        raise NotInForce(_("Der er ingen de minimis-regel, der gælder den %(day)s.") % {"day": _day(on)})
    return rule


# --- Thresholds -----------------------------------------------------------------------------------------


def threshold(*, key: str, on: date) -> Decimal:
    """The value of threshold ``key`` (``ProgrammeThreshold.Key``) in force on ``on``."""
    row = ProgrammeThreshold.objects.in_force(on).filter(key=key).first()
    if row is None:
        label = ProgrammeThreshold.Key(key).label if key in ProgrammeThreshold.Key.values else key
        raise NotInForce(_("Tærskelværdien »%(key)s« gælder ikke den %(day)s.") % {"key": label, "day": _day(on)})
    return row.value


def substantial_part_percent(*, on: date) -> Decimal:
    """The percentage of a firm's staff (or of its management) that is "a substantial part" (seed 3.3.1)."""
    return threshold(key=ProgrammeThreshold.Key.SUBSTANTIAL_PART, on=on)


def is_substantial_part(*, taking_part: int, total: int, on: date) -> bool:
    """Whether ``taking_part`` of ``total`` people (staff, or management) reaches the threshold in force.

    Apply it to the staff and to the management separately: the seed asks for a substantial part of
    "medarbejdere og/eller ledelse". A firm with ``total`` 0 has nobody to take part: False.
    """
    if total <= 0:
        return False
    return Decimal(taking_part) * 100 >= substantial_part_percent(on=on) * total


# --- ESF reporting deadlines -------------------------------------------------------------------------------


def esf_reporting_deadlines(*, year: int) -> list[date]:
    """The ESF reporting deadlines falling in ``year`` (shipped: 28/29 February and 31 August), in order."""
    rows = ReportingDeadline.objects.overlapping(date(year, 1, 1), date(year, 12, 31))
    return sorted(row.deadline_in(year) for row in rows if row.is_in_force(row.deadline_in(year)))


@dataclass(frozen=True)
class Deadline:
    """A coming reporting deadline and the day the portal starts warning about it."""

    name: str
    due: date
    warn_from: date


def next_esf_reporting_deadline(*, on: date) -> Deadline | None:
    """The first ESF reporting deadline on or after ``on`` (within a year), or None when none is set."""
    rows = list(ReportingDeadline.objects.overlapping(on, date(on.year + 1, 12, 31)))
    coming = []
    for row in rows:
        for year in (on.year, on.year + 1):
            due = row.deadline_in(year)
            if due >= on and row.is_in_force(due):
                coming.append(Deadline(name=row.name, due=due, warn_from=due - timedelta(days=row.warning_days)))
    return min(coming, key=lambda deadline: deadline.due, default=None)


__all__ = [
    "Deadline",
    "NotInForce",
    "StaffCost",
    "activity_catalogue",
    "activity_type_mapping",
    "budget",
    "budget_total",
    "de_minimis_rule",
    "esf_project",
    "esf_projects",
    "esf_reporting_deadlines",
    "financing_plan",
    "financing_shares",
    "financing_split",
    "format_period",
    "hourly_rate",
    "is_substantial_part",
    "monthly_cap",
    "next_esf_reporting_deadline",
    "staff_cost",
    "substantial_part_percent",
    "threshold",
]
