"""Import of firms from a CSV extract of the CVR register.

One row per firm with the columns CVR, name, address, postcode, municipality code, industry code
(DB07) and employees; an optional "By" (city) column is read too. The header names the columns in
Danish or English (``CVR-nummer;Navn;Adresse;Postnr;Kommunekode;Branchekode;Ansatte``); without a
header the columns are taken in that order. Delimiter ``;`` (Danish Excel) or ``,``; encoding UTF-8,
with or without BOM, falling back to Windows-1252 (older Excel exports).

``import_companies`` returns a report with one line per row: created, updated, unchanged or
rejected, and why (in Danish, for the person who uploaded the file). With ``dry_run=True`` the
very same work is done inside a transaction that is rolled back, so the report of a dry run is
exactly what the real import would do, and nothing is written.

A row that cannot be read (a field over the CSV reader's limit, a cell over ``MAX_CELL_CHARACTERS``)
is rejected with its line number like any other bad row. A file that is not a CSV text file at all
(over ``MAX_FILE_BYTES``, containing NUL bytes, binary content such as an .xlsx workbook) is refused
as a whole: ``import_companies`` raises ``ImportRefused`` with a Danish message and reads nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import services
from companies.models import Company, CompanySource
from companies.services import section_for_industry_code
from companies.sme import EMPLOYEE_BANDS
from companies.validators import normalise_cvr, validate_cvr
from kompetence.inputs import ascii_digits
from partnerships.models import IndustrySection, Municipality, User
from partnerships.selectors import region_municipalities

MAX_FILE_BYTES = 20 * 1024 * 1024
# No column needs more (the longest, the name, may have 200 characters); a longer cell is a broken
# file or an attack, and is refused with its row.
MAX_CELL_CHARACTERS = 1000
# Control characters that occur in text files (tab, line feed, form feed, carriage return, and the
# DOS end-of-file mark some old exports end with).
_TEXT_CONTROLS = {"\t", "\n", "\x0c", "\r", "\x1a"}


class ImportRefused(ValueError):
    """The file as a whole cannot be imported; ``str(exc)`` is the Danish reason for the uploader."""


COLUMNS = ("cvr", "name", "address", "postcode", "municipality_code", "industry_code", "employees")
# Header spellings (lower case, letters and digits only) -> column.
HEADER_NAMES = {
    "cvr": "cvr",
    "cvrnr": "cvr",
    "cvrnummer": "cvr",
    "navn": "name",
    "name": "name",
    "virksomhedsnavn": "name",
    "firmanavn": "name",
    "adresse": "address",
    "address": "address",
    "postnr": "postcode",
    "postnummer": "postcode",
    "postcode": "postcode",
    "by": "city",
    "postdistrikt": "city",
    "city": "city",
    "kommunekode": "municipality_code",
    "kommunenr": "municipality_code",
    "kommune": "municipality_code",
    "municipalitycode": "municipality_code",
    "branchekode": "industry_code",
    "hovedbranche": "industry_code",
    "db07": "industry_code",
    "industrycode": "industry_code",
    "ansatte": "employees",
    "antalansatte": "employees",
    "employees": "employees",
}


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    REJECTED = "rejected"
    LABELS = {
        CREATED: gettext_lazy("Oprettet"),
        UPDATED: gettext_lazy("Opdateret"),
        UNCHANGED: gettext_lazy("Uændret"),
        REJECTED: gettext_lazy("Afvist"),
    }


@dataclass
class RowReport:
    line: int  # line number in the file, counting the header, as a spreadsheet shows it
    cvr: str
    name: str
    outcome: str
    reasons: list[str] = field(default_factory=list)

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])


@dataclass
class ImportReport:
    rows: list[RowReport]
    dry_run: bool

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: self.count(outcome) for outcome in Outcome.LABELS}

    def summary(self) -> str:
        text = _("%(created)d oprettet, %(updated)d opdateret, %(unchanged)d uændret, %(rejected)d afvist.") % (
            self.counts
        )
        if self.dry_run:
            text += " " + _("Prøvekørsel: intet er gemt.")
        return text


# ---------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------
def decode(data: bytes | str) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, the encoding of older Danish Excel files."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def check_file(data: bytes | str) -> str:
    """The file's text, or ``ImportRefused`` when it is too big, holds NUL bytes or is not text."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            _("Filen er for stor (%(mb)d MB); højst %(max)d MB kan importeres ad gangen.")
            % {"mb": size // (1024 * 1024), "max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportRefused(_("Filen er et Excel-regneark, ikke en CSV-fil. Gem den som »CSV (semikolonsepareret)«."))
    if b"\x00" in raw:
        raise ImportRefused(
            _(
                "Filen indeholder NUL-tegn, så den er ikke en CSV-tekstfil (måske binær eller gemt som UTF-16). "
                "Gem den som »CSV UTF-8« og prøv igen."
            )
        )
    text = decode(data)
    strange = sum(1 for char in text if (char < " " and char not in _TEXT_CONTROLS) or char == "\ufffd")
    if strange > max(10, len(text) // 100):
        raise ImportRefused(_("Filen ligner ikke en CSV-tekstfil (den indeholder binære data)."))
    return text


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","


def _header_key(cell: str) -> str:
    return re.sub(r"[^a-z0-9]", "", cell.strip().lower())


def read_rows(text: str) -> Iterator[tuple[int, dict[str, str] | str]]:
    """``(line number, {column: value})`` for every non-empty row, or ``(line number, reason)`` for
    a row that cannot be read; the rows after it are read as usual."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    columns: list[str | None] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield (
                reader.line_num,
                _("Linjen kan ikke læses: et felt er for langt eller har et uafsluttet citationstegn."),
            )
            continue
        line = reader.line_num
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            yield line, _("Et felt i linjen er længere end %(max)d tegn.") % {"max": MAX_CELL_CHARACTERS}
            continue
        if columns is None:
            header = [HEADER_NAMES.get(_header_key(cell)) for cell in cells]
            if "cvr" in header:
                columns = header
                continue
            columns = list(COLUMNS)  # no header: the documented order
        values = {name: cells[i] for i, name in enumerate(columns) if name and i < len(cells)}
        yield line, values


# ---------------------------------------------------------------------------
# Checking one row
# ---------------------------------------------------------------------------
def _employees(raw: str) -> tuple[int | None, str]:
    """(figure, band) from "25", "10-19", "10-19 ansatte" or "ANTAL_10_19"; ValueError if neither."""
    text = raw.strip().lower().replace("ansatte", "").replace("antal_", "").replace(" ", "")
    if not text:
        return None, ""
    if ascii_digits(text):
        return int(text), ""
    band = text.replace("_", "-")
    if band in EMPLOYEE_BANDS:
        return None, band
    raise ValueError(raw)


def _check_row(values: dict[str, str], municipalities: dict[int, Municipality]) -> tuple[dict[str, Any], list[str]]:
    """The model fields of a row, and the reasons to reject it (empty if it is fine)."""
    reasons: list[str] = []
    fields: dict[str, Any] = {}

    cvr = normalise_cvr(values.get("cvr", ""))
    try:
        validate_cvr(cvr)
    except ValidationError as exc:
        reasons.append(_("Ugyldigt CVR-nummer: %(error)s") % {"error": " ".join(exc.messages)})
    fields["cvr"] = cvr

    name = values.get("name", "").strip()
    if not name:
        reasons.append(_("Virksomhedsnavn mangler."))
    elif len(name) > 200:
        reasons.append(_("Virksomhedsnavnet er længere end 200 tegn."))
    fields["name"] = name

    fields["address"] = values.get("address", "")[:200]
    fields["city"] = values.get("city", "")[:100]
    postcode = values.get("postcode", "").replace(" ", "")
    if postcode and not (ascii_digits(postcode) and len(postcode) == 4):
        reasons.append(_("Postnummeret %(value)s er ikke 4 cifre.") % {"value": postcode})
    fields["postcode"] = postcode

    code = values.get("municipality_code", "").strip()
    municipality = municipalities.get(int(code)) if ascii_digits(code) and len(code) <= 4 else None
    if municipality is None:
        reasons.append(
            _("Ukendt kommunekode %(code)s: kun de 19 kommuner i Region Midtjylland kan importeres.")
            % {"code": code or "(tom)"}
        )
    fields["municipality"] = municipality

    industry_code = values.get("industry_code", "").replace(" ", "")
    if industry_code:
        section = section_for_industry_code(industry_code)
        if not ascii_digits(industry_code) or len(industry_code) > 6 or section is None:
            reasons.append(_("Ukendt branchekode %(code)s (DB07).") % {"code": industry_code})
        else:
            fields["industry_code"] = industry_code
            fields["industry_section_id"] = section

    try:
        employees, band = _employees(values.get("employees", ""))
    except ValueError:
        reasons.append(
            _("Antal ansatte »%(value)s« er hverken et helt tal eller et interval som 10-19.")
            % {"value": values.get("employees", "")}
        )
    else:
        if employees is not None:
            fields["employees"] = employees
            fields["employee_band"] = ""
        elif band:
            fields["employees"] = None
            fields["employee_band"] = band
    return fields, reasons


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages in exc.message_dict.values() for message in messages]
    return list(exc.messages)


# ---------------------------------------------------------------------------
# The import
# ---------------------------------------------------------------------------
def import_companies(data: bytes | str, *, by: User | None = None, dry_run: bool = False) -> ImportReport:
    """Create or update one firm per row; see the module docstring. Rows are independent: a
    rejected row never stops the others, and a row is written whole or not at all. Raises
    ``ImportRefused`` for a file that cannot be imported at all."""
    municipalities = {m.code: m for m in region_municipalities()}
    sections = set(IndustrySection.objects.values_list("code", flat=True))
    rows = list(read_rows(check_file(data)))
    cvrs = {normalise_cvr(values.get("cvr", "")) for _line, values in rows if isinstance(values, dict)}
    existing: dict[str, Company] = {}
    cvr_list = sorted(cvrs)
    for start in range(0, len(cvr_list), 1000):
        for company in Company.objects.filter(cvr__in=cvr_list[start : start + 1000]):
            existing[company.cvr] = company

    report = ImportReport(rows=[], dry_run=dry_run)
    first_seen: dict[str, int] = {}
    with transaction.atomic():
        for line, values in rows:
            if isinstance(values, str):
                report.rows.append(RowReport(line, "", "", Outcome.REJECTED, [values]))
                continue
            fields, reasons = _check_row(values, municipalities)
            cvr, name = fields["cvr"], fields["name"]
            if fields.get("industry_section_id") and fields["industry_section_id"] not in sections:
                reasons.append(_("Branchehovedgruppen %(s)s findes ikke.") % {"s": fields["industry_section_id"]})
            if cvr in first_seen and not reasons:
                reasons.append(
                    _("CVR-nummeret står flere gange i filen (første gang i linje %(line)d); kun den første bruges.")
                    % {"line": first_seen[cvr]}
                )
            if reasons:
                report.rows.append(RowReport(line, cvr, name, Outcome.REJECTED, reasons))
                continue
            first_seen[cvr] = line
            report.rows.append(_write(line, fields, existing, by))
        if dry_run:
            transaction.set_rollback(True)
    return report


def _write(line: int, fields: dict[str, Any], existing: dict[str, Company], by: User | None) -> RowReport:
    cvr, name = fields["cvr"], fields["name"]
    company = existing.get(cvr)
    try:
        with transaction.atomic():
            if company is None:
                created = services.company_create(by=by, source=CompanySource.IMPORT, **fields)
                existing[cvr] = created
                return RowReport(line, cvr, name, Outcome.CREATED)
            # Blank cells never wipe what the portal already knows.
            changes = {
                key: value
                for key, value in fields.items()
                if key != "cvr" and value not in ("", None) and getattr(company, key) != value
            }
            if "employee_band" in fields and fields["employee_band"] == "" and "employees" in changes:
                changes["employee_band"] = ""
            if not changes:
                return RowReport(line, cvr, name, Outcome.UNCHANGED)
            services.company_update(company=company, by=by, **changes)
            return RowReport(line, cvr, name, Outcome.UPDATED, [_("Ændret: %s") % ", ".join(_labels(changes))])
    except ValidationError as exc:
        if company is not None:
            company.refresh_from_db()
        return RowReport(line, cvr, name, Outcome.REJECTED, _messages(exc))


def _labels(changes: dict[str, Any]) -> list[str]:
    labels = []
    for key in changes:
        model_field = Company._meta.get_field(key.removesuffix("_id"))
        labels.append(str(model_field.verbose_name))
    return labels
