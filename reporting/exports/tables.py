"""The indicator table, budget against spend and the activity list of a period, as
``kompetence.exports.Column`` lists with their rows (the activities read in chunks)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from activities.models import ActivityPlan, Cost, Enrollment, TimeEntry, Timesheet
from kompetence.exports import Column, Kind
from reporting.exports.esf import _choice
from reporting.indicators.activities import plans_in_period
from reporting.periods import Period

# --- Indicators ---------------------------------------------------------------------------------------------


def indicator_columns() -> list[Column]:
    return [
        Column(_("Gruppe"), value=lambda r: r["group"]),
        Column(_("Kode"), Kind.CODE, value=lambda r: r["code"]),
        Column(_("Indikator"), width=60, value=lambda r: r["label"]),
        Column(_("Værdi"), Kind.DECIMAL, places=0, value=lambda r: r["value"]),
        Column(_("Kvinder"), Kind.INTEGER, value=lambda r: r.get("woman")),
        Column(_("Mænd"), Kind.INTEGER, value=lambda r: r.get("man")),
        Column(_("Mål"), Kind.DECIMAL, places=0, value=lambda r: r.get("target")),
        Column(_("Status"), value=lambda r: r.get("status", "")),
    ]


# --- Budget against spend -------------------------------------------------------------------------------


def budget_columns() -> list[Column]:
    return [
        Column(_("Opdeling"), value=lambda r: r[0]),
        Column(_("Post"), width=50, value=lambda r: r[1].label),
        Column(_("Budget (kr.)"), Kind.DECIMAL, places=2, value=lambda r: r[1].budget),
        Column(_("Forbrug (kr.)"), Kind.DECIMAL, places=2, value=lambda r: r[1].spent),
        Column(_("Rest (kr.)"), Kind.DECIMAL, places=2, value=lambda r: r[1].remaining),
        Column(_("Forbrug (%)"), Kind.DECIMAL, places=1, value=lambda r: r[1].percent),
        Column(_("Timer"), Kind.DECIMAL, places=2, value=lambda r: r[1].hours or None),
    ]


def budget_rows(report) -> Iterable[tuple[str, Any]]:
    for figure in report.lines:
        yield _("Budgetlinje"), figure
    for year, figures in report.years.items():
        for figure in figures:
            yield _("Budgetlinje %(year)s") % {"year": year}, figure
    for figure in report.axes:
        yield _("ESF-akse"), figure
    for figure in report.sources:
        yield _("Finansieringskilde"), figure
    for figure in report.partnerships:
        yield _("Partnerskab"), figure
    for figure in report.kinds:
        yield _("Udgiftsart"), figure
    yield _("I alt"), report.total


# --- Activities ---------------------------------------------------------------------------------------------


def activity_rows(period: Period, *, user: Any, partnership: Any = None):
    """The period's activities (as ``plans_in_period``) the user may see, with participants, approved
    hours and direct costs in the period: one query, read in chunks."""
    rows = plans_in_period(period).filter(pk__in=ActivityPlan.objects.for_user(user).values("pk"))
    if partnership is not None:
        rows = rows.filter(company__partnership_id=getattr(partnership, "pk", partnership))
    hours = (
        TimeEntry.objects.filter(
            plan=OuterRef("pk"), timesheet__status=Timesheet.Status.APPROVED, day__range=(period.start, period.end)
        )
        .order_by()
        .values("plan")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    costs = (
        Cost.objects.filter(plan=OuterRef("pk"), incurred_on__range=(period.start, period.end))
        .order_by()
        .values("plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    participants = (
        Enrollment.objects.filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("participant", distinct=True))
        .values("n")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return (
        rows.annotate(
            hours_in_period=Coalesce(Subquery(hours, output_field=money), Value(Decimal(0)), output_field=money),
            costs_in_period=Coalesce(Subquery(costs, output_field=money), Value(Decimal(0)), output_field=money),
            participant_count=Coalesce(Subquery(participants, output_field=IntegerField()), Value(0)),
        )
        .order_by("span_start", "pk")
        .values(
            "pk",
            "title",
            "company__name",
            "company__cvr",
            "company__partnership__name",
            "activity_type__name",
            "type_mapping__eligible_activity__project__name",
            "type_mapping__eligible_activity__project__axis",
            "type_mapping__budget_line__name",
            "type_mapping__charged_to_project",
            "status",
            "span_start",
            "span_end",
            "participant_count",
            "hours_in_period",
            "costs_in_period",
        )
    )


def activity_columns() -> list[Column]:
    status = _choice(ActivityPlan.Status.choices)
    return [
        Column(_("Aktivitet-id"), Kind.CODE, value=lambda r: str(r["pk"])),
        Column(_("Titel"), width=40, value=lambda r: r["title"]),
        Column(_("Virksomhed"), value=lambda r: r["company__name"]),
        Column(_("CVR-nummer"), Kind.CODE, value=lambda r: r["company__cvr"]),
        Column(_("Partnerskab"), value=lambda r: r["company__partnership__name"]),
        Column(_("Aktivitetstype"), value=lambda r: r["activity_type__name"]),
        Column(_("ESF-projekt"), value=lambda r: r["type_mapping__eligible_activity__project__name"]),
        Column(_("Akse"), Kind.INTEGER, value=lambda r: r["type_mapping__eligible_activity__project__axis"]),
        Column(_("Budgetlinje"), value=lambda r: r["type_mapping__budget_line__name"]),
        Column(_("Konteres projektet"), Kind.BOOLEAN, value=lambda r: r["type_mapping__charged_to_project"]),
        Column(_("Status"), value=lambda r: status.get(r["status"], r["status"])),
        Column(_("Start"), Kind.DATE, value=lambda r: r["span_start"]),
        Column(_("Slut"), Kind.DATE, value=lambda r: r["span_end"]),
        Column(_("Deltagere"), Kind.INTEGER, value=lambda r: r["participant_count"]),
        Column(_("Godkendte timer i perioden"), Kind.DECIMAL, places=2, value=lambda r: r["hours_in_period"]),
        Column(_("Direkte udgifter i perioden (kr.)"), Kind.DECIMAL, places=2, value=lambda r: r["costs_in_period"]),
    ]
