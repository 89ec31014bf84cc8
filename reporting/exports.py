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

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from activities import cpr
from activities.models import ActivityPlan, Cost, Enrollment, Participant, TimeEntry, Timesheet
from activities.models.participants import add_months
from companies.models import SME_CLASSES
from kompetence.exports import FORMULA_PREFIXES, Column, Kind, clean_text, text_cell
from reporting.indicators.activities import plans_in_period
from reporting.periods import Period, PeriodError

CHUNK = 2000
FORMULA_CHARACTERS = "".join(FORMULA_PREFIXES)  # one character each: ``text[0] in`` tests them all
PLAN_AXIS = "type_mapping__eligible_activity__project__axis"


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


def _chunks(participants) -> Iterator[list[tuple]]:
    """The participants' facts (``ESF_FIELDS`` in order, then axis 1 and axis 4 as booleans) in chunks of
    ``CHUNK`` tuples, the axes from one small query per chunk (a correlated EXISTS per row made
    PostgreSQL compute every row before the first)."""
    axes: dict[int, int] | None = None
    chunk: list[tuple] = []
    for row in participants.values_list(*ESF_FIELDS).iterator(chunk_size=CHUNK):
        if axes is None:
            # Each activity's axis, read once: joining the plans for every chunk made PostgreSQL hash
            # all 19,000 of them each time (35 ms a chunk at --scale 50).
            axes = dict(ActivityPlan.objects.values_list("pk", PLAN_AXIS))
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield _with_axes(chunk, axes)
            chunk = []
    if chunk:
        yield _with_axes(chunk, axes or {})


def _with_axes(chunk: list[tuple], axes: dict[int, int]) -> list[tuple]:
    # The chunk is in pk order: its enrolments are read by the pk range (one index range, where a list
    # of 2,000 ids cost more to send and plan than to answer); others in the range are not looked at.
    enrolled = Enrollment.objects.filter(participant_id__gte=chunk[0][0], participant_id__lte=chunk[-1][0])
    found = {(participant, axes.get(plan)) for participant, plan in enrolled.values_list("participant_id", "plan_id")}
    return [(*row, (row[0], 1) in found, (row[0], 4) in found) for row in chunk]


def _choice(choices) -> dict:
    return {value: str(label) for value, label in choices}


def esf_columns() -> list[Column]:
    """The file's columns, in the order ``esf_values`` gives the values."""
    D, T, C, N = Kind.DATE, Kind.TEXT, Kind.CODE, Kind.INTEGER
    # Yes/no columns are TEXT with the words translated once (a BOOLEAN column translates per cell).
    layout = [
        (_("Deltager-id"), C),
        (_("CPR-nummer"), C),
        (_("Fornavn"), T),
        (_("Efternavn"), T),
        (_("Køn"), T),
        (_("Fødselsdato"), D),
        (_("Alder ved start"), N),
        (_("Partnerskab"), T),
        (_("Arbejdsgiver (CVR)"), C),
        (_("Arbejdsgiver"), T),
        (_("Arbejdsgiver er SMV"), T),
        (_("Akse 1"), T),
        (_("Akse 4"), T),
        (_("Startdato"), D),
        (_("Ophørsdato"), D),
        (_("Beskæftigelsesstatus ved start"), T),
        (_("Ledig i måneder"), N),
        (_("Langtidsledig"), T),
        (_("I uddannelse ved start"), T),
        (_("Højeste fuldførte uddannelse (ISCED)"), N),
        (_("Migrant, udenlandsk baggrund eller minoritet"), T),
        (_("Handicap"), T),
        (_("Anden ugunstig stilling"), T),
        (_("Hjemløs eller udelukket fra boligmarkedet"), T),
        (_("Bor i landdistrikt"), T),
        (_("Samtykke givet den"), D),
        (_("Oplysning om databeskyttelse givet"), T),
        (_("Resultat ved ophør registreret den"), D),
        (_("Ophør: i uddannelse eller oplæring"), T),
        (_("Ophør: opnået kvalifikationer"), T),
        (_("Ophør: i beskæftigelse"), T),
        (_("Ophør: jobsøgende"), T),
        (_("Seks måneder efter ophør, forfalder"), D),
        (_("Seks måneder: registreret den"), D),
        (_("Seks måneder: i beskæftigelse"), T),
        (_("Seks måneder: forbedret situation"), T),
    ]
    return [Column(header, kind) for header, kind in layout]


# The columns typed by people (the rest are codes, dates, numbers and our own words): the only ones
# that can hold control characters, and where a formula could be smuggled in.
FREE_TEXT = (2, 3, 7, 8, 9)


def esf_values(rows: Iterable[tuple[tuple, str]]) -> Iterator[list[Any]]:
    """Each ``(facts, CPR)`` of ``esf_rows``/``cpr_rows`` as the list of its values in column order
    (texts, dates, integers, None): one function call per row, not one per cell (the file is
    written at several times a plain ``csv.writer`` otherwise)."""
    gender = _choice(Participant.Gender.choices)
    status = _choice(Participant.EmploymentStatus.choices)
    answer = {"ja": _("Ja"), "nej": _("Nej"), "oensker_ikke": _("Ønsker ikke at svare"), "ukendt": _("Ikke oplyst")}
    words = {True: _("Ja"), False: _("Nej"), None: ""}
    unemployed = Participant.EmploymentStatus.UNEMPLOYED
    for facts, number in rows:
        (
            pk,
            partnership,
            cvr,
            employer,
            size,
            first_name,
            last_name,
            sex,
            birth,
            entry,
            exit_date,
            employment,
            months,
            in_education,
            isced,
            migrant,
            disability,
            other_disadvantage,
            homeless,
            rural,
            consent_on,
            privacy_notice,
            exit_result_on,
            result_education,
            result_qualification,
            result_employed,
            result_job_searching,
            result6_on,
            result6_employed,
            result6_improved,
            _anonymised,
            axis1,
            axis4,
        ) = facts
        age = entry.year - birth.year - ((entry.month, entry.day) < (birth.month, birth.day))
        if employment != unemployed:
            long_term = False
        elif months is None:
            long_term = None
        else:
            long_term = months > 12 or (age < 25 and months > 6)
        yield [
            str(pk),
            number,
            first_name,
            last_name,
            gender.get(sex, ""),
            birth,
            age,
            partnership,
            cvr,
            employer,
            words[None if size in (None, "") else size in SME_CLASSES],
            words[axis1],
            words[axis4],
            entry,
            exit_date,
            status.get(employment, ""),
            months,
            words[long_term],
            words[in_education],
            isced,
            answer.get(migrant, ""),
            answer.get(disability, ""),
            answer.get(other_disadvantage, ""),
            answer.get(homeless, ""),
            answer.get(rural, ""),
            consent_on,
            words[privacy_notice],
            exit_result_on,
            words[result_education],
            words[result_qualification],
            words[result_employed],
            words[result_job_searching],
            add_months(exit_date, 6) if exit_date else None,
            result6_on,
            words[result6_employed],
            words[result6_improved],
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def esf_csv_lines(rows: Iterable[tuple[tuple, str]], *, batch: int = 500) -> Iterator[str]:
    """The CSV file (``kompetence.exports.csv_lines`` of ``esf_columns()`` and ``esf_values``, the same
    text) in pieces of ``batch`` rows: BOM, header, rows; formulas neutralised with an apostrophe."""
    columns = esf_columns()
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([column.header for column in columns])
    texts = [index for index, column in enumerate(columns) if column.kind in (Kind.TEXT, Kind.CODE)]
    pending: list[str] = []
    for values in esf_values(rows):
        for index in texts:
            value = values[index]
            if value and value[0] in FORMULA_CHARACTERS:
                values[index] = "'" + value
        pending.append(writer.writerow(values))
        if len(pending) >= batch:
            yield "".join(pending)
            pending.clear()
    if pending:
        yield "".join(pending)


def esf_csv_response(filename: str, rows: Iterable[tuple[tuple, str]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(esf_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


_XLSX_FORMATS = {Kind.CODE: "@", Kind.INTEGER: "#,##0", Kind.DATE: "dd-mm-yyyy"}


def write_esf_xlsx(target: IO[bytes] | str, rows: Iterable[tuple[tuple, str]], *, sheet_title: str) -> None:
    """The XLSX file as ``kompetence.exports.write_xlsx`` writes ``esf_columns()`` and ``esf_values``
    (typed cells, frozen bold header, column widths, write-only), faster: the cells of a column that
    need a number format are one styled cell per column, given each row's value in turn (openpyxl
    writes a row before the next is appended), instead of a new styled cell for every value."""
    columns = esf_columns()
    workbook = Workbook(write_only=True)
    title = "".join(" " if c in "[]:*?/\\" else c for c in str(sheet_title)).strip()[:31] or "Ark1"
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    # Per column: the styled cell its values go through (None: a plain value), and whether its values
    # are text (checked for formulas) typed by people (cleaned of control characters).
    spec = []
    for index, column in enumerate(columns):
        number_format = _XLSX_FORMATS.get(column.kind)
        template = None
        if number_format:
            template = WriteOnlyCell(sheet)
            template.number_format = number_format
        is_text = column.kind in (Kind.TEXT, Kind.CODE)
        spec.append((template, is_text, index in FREE_TEXT, number_format))
    for values in esf_values(rows):
        out: list[Any] = []
        append = out.append
        for value, (template, is_text, free, number_format) in zip(values, spec, strict=True):
            if value is None or value == "":
                append(None)
                continue
            if is_text:
                if free:
                    value = clean_text(value)
                if value[0] in FORMULA_CHARACTERS or value in ERROR_CODES:
                    append(text_cell(sheet, value, number_format))
                    continue
            if template is None:
                append(value)
            else:
                template.value = value
                append(template)
        sheet.append(out)
    workbook.save(target)


def esf_xlsx_bytes(rows: Iterable[tuple[tuple, str]], *, sheet_title: str) -> bytes:
    buffer = io.BytesIO()
    write_esf_xlsx(buffer, rows, sheet_title=sheet_title)
    return buffer.getvalue()


_BIRTH, _ANONYMISED = ESF_FIELDS.index("birth_date"), ESF_FIELDS.index("anonymised_at")


def esf_rows(participants) -> Iterator[tuple[tuple, str]]:
    """``(facts, masked CPR)`` per participant, read in chunks (constant memory)."""
    masks: dict[Any, str] = {}  # the same few thousand birth dates again and again
    for chunk in _chunks(participants):
        for row in chunk:
            if row[_ANONYMISED]:
                yield row, ""
                continue
            birth = row[_BIRTH]
            mask = masks.get(birth)
            if mask is None:
                mask = masks[birth] = cpr.masked(birth)
            yield row, mask


def cpr_rows(participants, *, by: Any, reason: str, two_factor: bool) -> Iterator[tuple[tuple, str]]:
    """``(facts, full CPR)`` per participant, each chunk's numbers recorded as exported before it is
    written. Call ``check_cpr_export`` first so a refusal is told before the file starts."""
    from activities.services import participant_cpr_export

    facts: dict[int, tuple] = {}
    chunk: list[int] = []

    def flush() -> Iterator[tuple[tuple, str]]:
        people = Participant.objects.filter(pk__in=chunk).only("pk", "cpr_token", "anonymised_at").order_by("pk")
        exported = participant_cpr_export(participants=people, by=by, reason=reason, two_factor=two_factor)
        revealed = {person.pk: number for person, number in exported}
        for pk in chunk:
            yield facts[pk], revealed.get(pk, "")

    for rows in _chunks(participants):
        for row in rows:
            facts[row[0]] = row
            chunk.append(row[0])
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
