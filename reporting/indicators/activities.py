"""Indicators of the activities: activities by type, axis and status, firms supported (CO23: SMEs),
employment in the supported firms (axis 1b) and consultants' hours by system.

The definitions, as the tests check them by hand:

* an activity **in the period**: one that is not a draft and whose span (actual start, else planned;
  actual end, else planned) shares a day with the period; **activities** are those not cancelled;
  **started**: actual start in the period; **completed**: completed, with the actual end in the
  period; **axis 1 / axis 4**: not cancelled, by the ESF project of the type mapping kept at start.
* **firms supported**: firms with a started activity in the period; **SMEs supported** (CO23): those of
  them that are micro, small or medium-sized.
* **employment in supported firms** (axis 1b): firms with an axis-1 activity started by the end of the
  period; the first recorded headcount against the latest recorded by the end of the period (only
  firms counted at least twice show a change).
* **hours by system**: approved hours in the period, by the system of the consultant's organisation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityPlan, Headcount, TimeEntry, Timesheet
from companies.models import SME_CLASSES, Company
from partnerships.models import Axis
from reporting.indicators.base import Indicator, Source
from reporting.periods import Period

S = ActivityPlan.Status
AXIS_PATH = "type_mapping__eligible_activity__project__axis"


def _pk(obj: Any) -> Any:
    return getattr(obj, "pk", obj)


def plans_in_period(period: Period):
    """Activities (not drafts) whose span shares a day with the period."""
    return (
        ActivityPlan.objects.exclude(status=S.DRAFT)
        .annotate(span_start=Coalesce("actual_start", "planned_start"), span_end=Coalesce("actual_end", "planned_end"))
        .filter(span_start__lte=period.end, span_end__gte=period.start)
    )


def _not_cancelled(_period: Period) -> Q:
    return ~Q(status=S.CANCELLED)


def _started(period: Period) -> Q:
    return Q(actual_start__range=(period.start, period.end))


def _completed(period: Period) -> Q:
    return Q(status=S.COMPLETED, actual_end__range=(period.start, period.end))


def _axis(axis: int):
    def condition(_period: Period) -> Q:
        return ~Q(status=S.CANCELLED) & Q(**{AXIS_PATH: axis})

    return condition


def _firms_supported(period: Period):
    started = plans_in_period(period).filter(actual_start__isnull=False).values("company_id")
    return Company.objects.filter(pk__in=started)


def _sme(_period: Period) -> Q:
    return Q(size_class__in=SME_CLASSES)


ACTIVITIES = Source("activities", plans_in_period, "company__partnership_id")
SUPPORTED = Source("firms_supported", _firms_supported, "partnership_id")

GROUP = _("Aktiviteter")

INDICATORS = [
    Indicator("activities", _("Aktiviteter"), ACTIVITIES, _not_cancelled, group=GROUP),
    Indicator("activities_started", _("Aktiviteter startet"), ACTIVITIES, _started, group=GROUP),
    Indicator("activities_completed", _("Aktiviteter afsluttet"), ACTIVITIES, _completed, group=GROUP),
    Indicator("activities_axis1", _("Aktiviteter under akse 1"), ACTIVITIES, _axis(Axis.AXIS_1), group=GROUP),
    Indicator("activities_axis4", _("Aktiviteter under akse 4"), ACTIVITIES, _axis(Axis.AXIS_4), group=GROUP),
    Indicator("firms_supported", _("Virksomheder støttet"), SUPPORTED, group=GROUP),
    Indicator("smes_supported", _("CO23 SMV'er støttet"), SUPPORTED, _sme, group=GROUP),
]


def activity_breakdown(period: Period, *, partnership: Any = None) -> dict[str, dict[Any, int]]:
    """The period's activities (cancelled included) counted by type code, axis and status: three grouped
    queries. ``{"type": {"uddannelsesplan": 3, …}, "axis": {1: 2, 4: 3}, "status": {"i_gang": 4, …}}``."""
    rows = plans_in_period(period)
    if partnership is not None:
        rows = rows.filter(company__partnership_id=_pk(partnership))
    result: dict[str, dict[Any, int]] = {}
    for key, path in (("type", "activity_type__code"), ("axis", AXIS_PATH), ("status", "status")):
        counted = rows.order_by().values(path).annotate(n=Count("pk", distinct=True))
        result[key] = {row[path]: row["n"] for row in counted}
    return result


@dataclass(frozen=True)
class Employment:
    """Employment in the firms supported under axis 1 (objective 1b)."""

    firms: int  # firms with an axis-1 activity started by the end of the period
    firms_followed_up: int  # of them, counted again after the first headcount
    at_start: int  # their first headcounts (firms followed up only)
    latest: int  # their latest headcounts by the end of the period
    firms_without_headcount: int

    @property
    def change(self) -> int:
        return self.latest - self.at_start


def employment_in_supported_firms(period: Period, *, partnership: Any = None) -> Employment:
    """Axis 1b from the dated headcounts (two queries: the firms, then their headcounts in date order).

    The headcounts are read in order and the first and last of each firm taken in Python: four
    correlated subqueries per firm (first and last, employees and id) took 0.6-1.1 s at --scale 50."""
    started = ActivityPlan.objects.filter(actual_start__lte=period.end, **{AXIS_PATH: Axis.AXIS_1}).values("company_id")
    firms = Company.objects.filter(pk__in=started)
    if partnership is not None:
        firms = firms.filter(partnership_id=_pk(partnership))
    firm_count = firms.count()
    counts = (
        Headcount.objects.filter(company_id__in=firms.values("pk"), counted_on__lte=period.end)
        .order_by("company_id", "counted_on", "pk")
        .values_list("company_id", "employees")
    )
    # company -> [first employees, latest employees, number of headcounts]
    found: dict[int, list] = {}
    for company_id, employees in counts.iterator(chunk_size=5000):
        entry = found.get(company_id)
        if entry is None:
            found[company_id] = [employees, employees, 1]
        else:
            entry[1] = employees
            entry[2] += 1
    followed = [entry for entry in found.values() if entry[2] > 1]
    return Employment(
        firms=firm_count,
        firms_followed_up=len(followed),
        at_start=sum(entry[0] or 0 for entry in followed),
        latest=sum(entry[1] or 0 for entry in followed),
        firms_without_headcount=firm_count - len(found),
    )


def hours_by_system(period: Period, *, partnership: Any = None) -> dict[str, Decimal]:
    """Approved hours in the period by the system code of the consultant's organisation (one query).

    With a partnership: the hours on its firms' activities, its firms and its own work."""
    rows = TimeEntry.objects.filter(timesheet__status=Timesheet.Status.APPROVED, day__range=(period.start, period.end))
    if partnership is not None:
        rows = rows.annotate(
            partnership_key=Coalesce("plan__company__partnership_id", "company__partnership_id", "partnership_id")
        ).filter(partnership_key=_pk(partnership))
    grouped = rows.order_by().values("user__organisation__system_id").annotate(total=Sum("hours"))
    return {row["user__organisation__system_id"] or "": row["total"] for row in grouped}
