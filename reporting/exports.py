"""The reporting exports, declared once as ``kompetence.exports.Column`` lists with their rows:

* the **ESF participant file**: one row per participant taking part in the period (entered by its end
  and not left before its start), every ESF field (``ESF.md``); the CPR number masked unless the caller
  passes rows from ``cpr_rows`` (``activities.reveal_cpr``, two factors and a reason: each number
  recorded as exported through ``activities.services.participant_cpr_export``, chunk by chunk);
* the **indicator table**, **budget against spend** and the **activity list** of a period.

Rows are read with ``iterator(chunk_size=...)`` and ``values()`` so a file of any size is written in
constant memory; CSV streams (``csv_lines``), XLSX is openpyxl write-only (``write_xlsx``).
``check_period`` refuses what cannot be exported (a period in the future) with a Danish message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from activities import cpr
from activities.models import ActivityPlan, Cost, Enrollment, Participant, TimeEntry, Timesheet
from activities.models.participants import add_months
from companies.models import SME_CLASSES
from kompetence.exports import Column, Kind
from reporting.indicators.activities import plans_in_period
from reporting.periods import Period, PeriodError

CHUNK = 2000
AXIS_PATH = "plan__type_mapping__eligible_activity__project__axis"


def check_period(period: Period, *, today: dt.date) -> None:
    """Raise ``PeriodError`` for a period nothing of which has happened yet."""
    if period.is_future(today):
        raise PeriodError(
            _("Perioden %(period)s ligger i fremtiden; der er intet at eksportere endnu.") % {"period": period.label}
        )


# --- The ESF participant file ----------------------------------------------------------------------------

ESF_FIELDS = (
    "pk",
    "partnership__name",
    "employer__cvr",
    "employer__name",
    "employer__size_class",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "entry_date",
    "exit_date",
    "employment_status",
    "unemployed_months",
    "in_education_at_entry",
    "isced",
    "migrant",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
    "consent_on",
    "privacy_notice_given",
    "exit_result_on",
    "result_in_education",
    "result_qualification",
    "result_employed",
    "result_job_searching",
    "result6_on",
    "result6_employed",
    "result6_improved",
    "anonymised_at",
)


def esf_participants(period: Period, *, user: Any, partnership: Any = None):
    """The participants of the file: those the user may see who took part in the period (``user=None``:
    all of them, for the ``export_esf`` command an operator runs on the server)."""
    base = Participant.objects.all() if user is None else Participant.objects.for_user(user)
    rows = base.filter(entry_date__lte=period.end).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=period.start))
    if partnership is not None:
        rows = rows.filter(partnership_id=getattr(partnership, "pk", partnership))
    return rows.order_by("pk")


def _chunks(participants) -> Iterator[list[dict]]:
    """The participants' facts in chunks of ``CHUNK``, each row with ``axis1``/``axis4`` from one query
    per chunk (a correlated EXISTS per row made PostgreSQL compute every row before the first)."""
    chunk: list[dict] = []
    for row in participants.values(*ESF_FIELDS).iterator(chunk_size=CHUNK):
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield _with_axes(chunk)
            chunk = []
    if chunk:
        yield _with_axes(chunk)


def _with_axes(chunk: list[dict]) -> list[dict]:
    found = set(
        Enrollment.objects.filter(participant_id__in=[row["pk"] for row in chunk])
        .values_list("participant_id", AXIS_PATH)
        .distinct()
    )
    for row in chunk:
        row["axis1"] = (row["pk"], 1) in found
        row["axis4"] = (row["pk"], 4) in found
    return chunk


def _choice(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _age(row: dict) -> int:
    birth, entry = row["birth_date"], row["entry_date"]
    return entry.year - birth.year - ((entry.month, entry.day) < (birth.month, birth.day))


def _long_term(row: dict) -> bool | None:
    if row["employment_status"] != Participant.EmploymentStatus.UNEMPLOYED:
        return False
    months = row["unemployed_months"]
    if months is None:
        return None
    return months > 12 or (_age(row) < 25 and months > 6)


def esf_columns() -> list[Column]:
    gender = _choice(Participant.Gender.choices)
    status = _choice(Participant.EmploymentStatus.choices)
    answer = {"ja": _("Ja"), "nej": _("Nej"), "oensker_ikke": _("Ønsker ikke at svare"), "ukendt": _("Ikke oplyst")}
    D = Kind.DATE
    # Yes/no as text with the words translated once (a BOOLEAN column translates per cell: 3x slower).
    B = Kind.TEXT
    words = {True: _("Ja"), False: _("Nej"), None: ""}

    def get(key):
        return lambda r: r[0][key]

    def flag(key):
        return lambda r: words[r[0][key]]

    def yes_no(key):
        return lambda r: answer.get(r[0][key], "")

    return [
        Column(_("Deltager-id"), Kind.CODE, value=lambda r: str(r[0]["pk"])),
        Column(_("CPR-nummer"), Kind.CODE, value=lambda r: r[1]),
        Column(_("Fornavn"), value=get("first_name")),
        Column(_("Efternavn"), value=get("last_name")),
        Column(_("Køn"), value=lambda r: gender.get(r[0]["gender"], "")),
        Column(_("Fødselsdato"), D, value=get("birth_date")),
        Column(_("Alder ved start"), Kind.INTEGER, value=lambda r: _age(r[0])),
        Column(_("Partnerskab"), value=get("partnership__name")),
        Column(_("Arbejdsgiver (CVR)"), Kind.CODE, value=get("employer__cvr")),
        Column(_("Arbejdsgiver"), value=get("employer__name")),
        Column(
            _("Arbejdsgiver er SMV"),
            B,
            value=lambda r: words[
                None if r[0]["employer__size_class"] in (None, "") else r[0]["employer__size_class"] in SME_CLASSES
            ],
        ),
        Column(_("Akse 1"), B, value=flag("axis1")),
        Column(_("Akse 4"), B, value=flag("axis4")),
        Column(_("Startdato"), D, value=get("entry_date")),
        Column(_("Ophørsdato"), D, value=get("exit_date")),
        Column(_("Beskæftigelsesstatus ved start"), value=lambda r: status.get(r[0]["employment_status"], "")),
        Column(_("Ledig i måneder"), Kind.INTEGER, value=get("unemployed_months")),
        Column(_("Langtidsledig"), B, value=lambda r: words[_long_term(r[0])]),
        Column(_("I uddannelse ved start"), B, value=flag("in_education_at_entry")),
        Column(_("Højeste fuldførte uddannelse (ISCED)"), Kind.INTEGER, value=get("isced")),
        Column(_("Migrant, udenlandsk baggrund eller minoritet"), value=yes_no("migrant")),
        Column(_("Handicap"), value=yes_no("disability")),
        Column(_("Anden ugunstig stilling"), value=yes_no("other_disadvantage")),
        Column(_("Hjemløs eller udelukket fra boligmarkedet"), value=yes_no("homeless")),
        Column(_("Bor i landdistrikt"), value=yes_no("rural")),
        Column(_("Samtykke givet den"), D, value=get("consent_on")),
        Column(_("Oplysning om databeskyttelse givet"), B, value=flag("privacy_notice_given")),
        Column(_("Resultat ved ophør registreret den"), D, value=get("exit_result_on")),
        Column(_("Ophør: i uddannelse eller oplæring"), B, value=flag("result_in_education")),
        Column(_("Ophør: opnået kvalifikationer"), B, value=flag("result_qualification")),
        Column(_("Ophør: i beskæftigelse"), B, value=flag("result_employed")),
        Column(_("Ophør: jobsøgende"), B, value=flag("result_job_searching")),
        Column(
            _("Seks måneder efter ophør, forfalder"),
            D,
            value=lambda r: add_months(r[0]["exit_date"], 6) if r[0]["exit_date"] else None,
        ),
        Column(_("Seks måneder: registreret den"), D, value=get("result6_on")),
        Column(_("Seks måneder: i beskæftigelse"), B, value=flag("result6_employed")),
        Column(_("Seks måneder: forbedret situation"), B, value=flag("result6_improved")),
    ]


def esf_rows(participants) -> Iterator[tuple[dict, str]]:
    """``(facts, masked CPR)`` per participant, read in chunks (constant memory)."""
    for chunk in _chunks(participants):
        for row in chunk:
            yield row, ("" if row["anonymised_at"] else cpr.masked(row["birth_date"]))


def cpr_rows(participants, *, by: Any, reason: str, two_factor: bool) -> Iterator[tuple[dict, str]]:
    """``(facts, full CPR)`` per participant, each chunk's numbers recorded as exported before it is
    written. Call ``check_cpr_export`` first so a refusal is told before the file starts."""
    from activities.services import participant_cpr_export

    facts: dict[int, dict] = {}
    chunk: list[int] = []

    def flush() -> Iterator[tuple[dict, str]]:
        people = Participant.objects.filter(pk__in=chunk).only("pk", "cpr_token", "anonymised_at").order_by("pk")
        exported = participant_cpr_export(participants=people, by=by, reason=reason, two_factor=two_factor)
        revealed = {person.pk: number for person, number in exported}
        for pk in chunk:
            yield facts[pk], revealed.get(pk, "")

    for rows in _chunks(participants):
        for row in rows:
            facts[row["pk"]] = row
            chunk.append(row["pk"])
        yield from flush()
        facts.clear()
        chunk.clear()


def check_cpr_export(*, by: Any, reason: str, two_factor: bool) -> None:
    """Raise what ``participant_cpr_export`` raises (PermissionDenied, TwoFactorRequired, ValidationError
    for a missing reason) without recording anything."""
    from activities.services import participant_cpr_export

    list(participant_cpr_export(participants=[], by=by, reason=reason, two_factor=two_factor))


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
