"""The semi-annual ESF status (end of February, end of August) per ESF project.

For each project (the report's, or both): the participants who started or left in the period, with
their start and exit data as the online registration asks for them and **what is missing** listed
per person; the economic status (spend per budget line and financing source against the period's
budget); and the content status (activities started by type and status, participants and results,
the programme's targets against the results). As XLSX (``kompetence.exports``: one sheet each) or PDF.

CPR numbers are never in the file: people are named, with the masked CPR from the birth date.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from activities.models import ActivityPlan, Participant
from activities.selectors.participants import missing_data
from kompetence.exports import Column, Kind, write_xlsx_sheets
from partnerships import programme
from partnerships.models import BudgetLine, ESFProject, FinancingSource
from partnerships.pdf import html_to_pdf
from reporting.budget import Figure, Spend, spend
from reporting.periods import Period
from reporting.xlsx import with_fixed_times

PROJECT_PATH = "enrollments__plan__type_mapping__eligible_activity__project"


@dataclass
class ParticipantLine:
    name: str
    cpr_masked: str
    partnership: str
    employer: str
    gender: str
    entry_date: dt.date
    exit_date: dt.date | None
    employment_status: str
    isced: str
    started_in_period: bool
    exited_in_period: bool
    result_on: dt.date | None
    result: str
    missing: list[str]


@dataclass
class ProjectStatus:
    project: ESFProject
    participants: list[ParticipantLine]
    spend: Spend
    budget_lines: list[Figure]
    financing: list[Figure]
    activities: list[tuple[str, dict[str, int]]]
    statuses: list[tuple[str, str]] = field(default_factory=list)

    @property
    def started(self) -> int:
        return sum(1 for p in self.participants if p.started_in_period)

    @property
    def exited(self) -> int:
        return sum(1 for p in self.participants if p.exited_in_period)

    @property
    def incomplete(self) -> list[ParticipantLine]:
        return [p for p in self.participants if p.missing]

    @property
    def results(self) -> dict[str, int]:
        return {
            "qualification": sum(1 for p in self.participants if p.exited_in_period and "K" in p.result),
            "education": sum(1 for p in self.participants if p.exited_in_period and "U" in p.result),
            "employed": sum(1 for p in self.participants if p.exited_in_period and "B" in p.result),
        }


def _result_code(p: Participant) -> str:
    """K: qualifications, U: in education, B: employed, J: job-seeking (the ESF's immediate results)."""
    codes = [
        code
        for code, value in (
            ("K", p.result_qualification),
            ("U", p.result_in_education),
            ("B", p.result_employed),
            ("J", p.result_job_searching),
        )
        if value
    ]
    return "".join(codes)


def project_status(project: ESFProject, period: Period, *, partnership=None, today: dt.date) -> ProjectStatus:
    in_period = (period.start, period.end)
    people = (
        Participant.objects.filter(**{PROJECT_PATH: project})
        .filter(Q(entry_date__range=in_period) | Q(exit_date__range=in_period))
        .select_related("partnership", "employer")
        .distinct()
        .order_by("partnership__name", "last_name", "first_name", "pk")
    )
    if partnership is not None:
        people = people.filter(partnership=partnership)
    lines = [
        ParticipantLine(
            name=str(p),
            cpr_masked=p.cpr_masked,
            partnership=p.partnership.name,
            employer=p.employer.name if p.employer_id else "",
            gender=str(p.get_gender_display()),
            entry_date=p.entry_date,
            exit_date=p.exit_date,
            employment_status=str(p.get_employment_status_display()) if p.employment_status else "",
            isced=f"ISCED {p.isced}" if p.isced is not None else "",
            started_in_period=p.entry_date in period,
            exited_in_period=bool(p.exit_date and p.exit_date in period),
            result_on=p.exit_result_on,
            result=_result_code(p),
            missing=missing_data(p, today=today),
        )
        for p in people
    ]
    spent = spend(period, partnership=partnership, project=project)
    budget_lines, financing = _economy(period, spent, project, with_budget=partnership is None)
    plans = ActivityPlan.objects.filter(actual_start__range=in_period, type_mapping__eligible_activity__project=project)
    if partnership is not None:
        plans = plans.filter(company__partnership=partnership)
    activities: dict[str, dict[str, int]] = {}
    for row in (
        plans.order_by()
        .values("activity_type__name", "activity_type__sort_order", "status")
        .annotate(n=Count("pk"))
        .order_by("activity_type__sort_order", "activity_type__name")
    ):
        activities.setdefault(row["activity_type__name"], {})[row["status"]] = row["n"]
    return ProjectStatus(
        project=project,
        participants=lines,
        spend=spent,
        budget_lines=budget_lines,
        financing=financing,
        activities=list(activities.items()),
        statuses=list(ActivityPlan.Status.choices),
    )


def _economy(period: Period, spent: Spend, project: ESFProject, *, with_budget: bool):
    """The project's budget lines (its own, with the budget of the years the period touches; shared
    lines with spend on the project, without a budget of their own) and the spend per financing source."""
    budgets: dict[str, Decimal] = {}
    if with_budget:
        for year in period.years:
            for code, amount in programme.budget(year=year, project=project).items():
                budgets[code] = budgets.get(code, Decimal(0)) + amount
    by_line = spent.by("line")
    lines = []
    for line in BudgetLine.objects.order_by("sort_order", "code"):
        own = line.project_id == project.pk
        amount = by_line.get(line.code, Decimal(0))
        if own or amount:
            budget = budgets.get(line.code, Decimal(0)) if own and with_budget else None
            lines.append(Figure(line.code, line.name, budget, amount))
    financing = spent.financing()
    sources = [
        Figure(source.code, source.name, None, financing.get(source.code, Decimal(0)))
        for source in FinancingSource.objects.order_by("sort_order", "code")
    ]
    return lines, sources


def esf_status(period: Period, *, project: ESFProject | None = None, partnership=None, today: dt.date):
    projects = [project] if project is not None else list(ESFProject.objects.order_by("sort_order", "axis"))
    return [project_status(item, period, partnership=partnership, today=today) for item in projects]


# --- files --------------------------------------------------------------------------------------------


def _sheets(statuses: list[ProjectStatus]):
    people_columns = [
        Column(_("ESF-projekt"), Kind.TEXT, lambda r: r[0].project.name, width=30),
        Column(_("Navn"), Kind.TEXT, lambda r: r[1].name),
        Column(_("CPR (maskeret)"), Kind.CODE, lambda r: r[1].cpr_masked),
        Column(_("Partnerskab"), Kind.TEXT, lambda r: r[1].partnership),
        Column(_("Arbejdsgiver"), Kind.TEXT, lambda r: r[1].employer),
        Column(_("Køn"), Kind.TEXT, lambda r: r[1].gender, width=10),
        Column(_("Startdato"), Kind.DATE, lambda r: r[1].entry_date),
        Column(_("Ophørsdato"), Kind.DATE, lambda r: r[1].exit_date),
        Column(_("Beskæftigelse ved start"), Kind.TEXT, lambda r: r[1].employment_status),
        Column(_("Uddannelse"), Kind.CODE, lambda r: r[1].isced),
        Column(_("Startet i perioden"), Kind.BOOLEAN, lambda r: r[1].started_in_period),
        Column(_("Ophørt i perioden"), Kind.BOOLEAN, lambda r: r[1].exited_in_period),
        Column(_("Resultat registreret"), Kind.DATE, lambda r: r[1].result_on),
        Column(_("Resultat (K/U/B/J)"), Kind.CODE, lambda r: r[1].result),
        Column(_("Mangler"), Kind.TEXT, lambda r: ", ".join(r[1].missing), width=50),
    ]
    money_columns = [
        Column(_("ESF-projekt"), Kind.TEXT, lambda r: r[0], width=30),
        Column(_("Art"), Kind.TEXT, lambda r: r[1]),
        Column(_("Linje eller kilde"), Kind.TEXT, lambda r: r[2].label, width=40),
        Column(_("Budget (kr.)"), Kind.DECIMAL, lambda r: r[2].budget, places=0),
        Column(_("Forbrug (kr.)"), Kind.DECIMAL, lambda r: r[2].spent, places=2),
        Column(_("Rest (kr.)"), Kind.DECIMAL, lambda r: r[2].remaining, places=2),
        Column(_("Forbrugt (%)"), Kind.DECIMAL, lambda r: r[2].percent, places=1),
    ]
    content_columns = [
        Column(_("ESF-projekt"), Kind.TEXT, lambda r: r[0], width=30),
        Column(_("Emne"), Kind.TEXT, lambda r: r[1], width=45),
        Column(_("Antal"), Kind.INTEGER, lambda r: r[2]),
    ]

    def people():
        for status in statuses:
            for line in status.participants:
                yield status, line

    def money():
        for status in statuses:
            for row in status.budget_lines:
                yield status.project.name, _("Budgetlinje"), row
            for row in status.financing:
                yield status.project.name, _("Finansieringskilde"), row

    def content():
        labels = dict(ActivityPlan.Status.choices)
        for status in statuses:
            name = status.project.name
            yield name, _("Deltagere startet"), status.started
            yield name, _("Deltagere ophørt"), status.exited
            yield name, _("Ophørt med kvalifikationer"), status.results["qualification"]
            yield name, _("Ophørt og i uddannelse"), status.results["education"]
            yield name, _("Ophørt og i beskæftigelse"), status.results["employed"]
            yield name, _("Deltagere med manglende oplysninger"), len(status.incomplete)
            for activity, counts in status.activities:
                for code, count in counts.items():
                    yield name, f"{activity} – {labels.get(code, code)}", count

    return [
        (_("Deltagere"), people_columns, people()),
        (_("Økonomi"), money_columns, money()),
        (_("Indhold"), content_columns, content()),
    ]


def xlsx(statuses: list[ProjectStatus], *, generated_at: dt.datetime) -> bytes:
    """The workbook, the same bytes for the same statuses and ``generated_at`` (its created and
    modified time: the report's request time, so a retried render keeps its checksum)."""
    buffer = io.BytesIO()
    write_xlsx_sheets(buffer, _sheets(statuses))
    return with_fixed_times(buffer.getvalue(), moment=generated_at)


def html(statuses: list[ProjectStatus], *, period: Period, generated_at: dt.datetime, partnership=None) -> str:
    context = {
        "statuses": [
            {
                "status": status,
                "activity_rows": [
                    (name, [counts.get(code, 0) for code, _label in status.statuses], sum(counts.values()))
                    for name, counts in status.activities
                ],
            }
            for status in statuses
        ],
        "activity_statuses": list(ActivityPlan.Status.choices),
        "period": period,
        "generated_at": generated_at,
        "partnership": partnership,
    }
    with override(settings.LANGUAGE_CODE):
        return render_to_string("reporting/reports/esf_status.html", context)


def render(report, *, generated_at: dt.datetime, on_progress=None) -> bytes:
    """The report's file (XLSX or PDF) for a ``Report`` of kind ESF status."""
    period = Period(report.period_start, report.period_end)
    if on_progress:
        on_progress(10, _("Henter deltagere og forbrug"))
    statuses = esf_status(period, project=report.project, partnership=report.partnership, today=generated_at.date())
    if on_progress:
        on_progress(50, _("Skriver filen"))
    if report.format == "xlsx":
        return xlsx(statuses, generated_at=generated_at)
    return html_to_pdf(html(statuses, period=period, generated_at=generated_at, partnership=report.partnership))


__all__ = ["esf_status", "html", "project_status", "render", "xlsx"]
