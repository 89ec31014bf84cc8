"""Spreadsheet exports every app shares: CSV for Danish Excel (streamed) and XLSX (openpyxl, write-only).

**Columns are declared once**, with their kind, and both formats come from the same declaration::

    FIRM_COLUMNS = [
        Column("CVR-nummer", Kind.CODE),
        Column("Virksomhedsnavn"),
        Column("Antal ansatte (interval)", Kind.RANGE),
        Column("Omsætning (mio. EUR)", Kind.DECIMAL, places=2),
        Column("Seneste besøg", Kind.DATE),
    ]
    csv_response("virksomheder.csv", FIRM_COLUMNS, rows)
    xlsx_response("virksomheder.xlsx", FIRM_COLUMNS, rows, sheet_title="Virksomheder")

A row is a sequence of values in column order, or any object when every column has a ``value``
function (``Column("CVR-nummer", Kind.CODE, value=attrgetter("cvr"))``).

======== ============================================ ==================================================
kind     CSV (a faithful machine format)              XLSX (for people: offered first)
======== ============================================ ==================================================
TEXT     as it is; formulas neutralised with ``'``    text cell; a formula-like text gets Excel's quote
                                                      prefix, so it shows as typed and never runs
CODE     as it is ("014600", "30409985")              text cell formatted ``@``: leading zeros stay
RANGE    en dash: "2–4" (Excel makes "2-4" a date)    text cell, en dash
INTEGER  ``1234``                                     number, shown ``1.234``
DECIMAL  decimal comma, no grouping: ``3,5``          number, shown ``3,50`` (``places``) in Danish Excel
DATE     ISO ``2026-05-03``                           date, shown ``03-05-2026``
DATETIME ``2026-05-03 14:30`` in Copenhagen time      date and time in Copenhagen time
BOOLEAN  Ja / Nej                                     Ja / Nej
======== ============================================ ==================================================

CSV files are written as Danish Excel opens them without asking: UTF-8 with a byte-order mark and
semicolons between the fields (so the comma is free to be the decimal sign). A text cell that starts
like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an apostrophe so
the spreadsheet shows it as text instead of running it (CSV injection). Numbers are not text: a
negative number stays a number.

XLSX: openpyxl in write-only mode (with lxml: constant memory, about 8 s for 100,000 rows), header
row frozen and bold, column widths from the kind and the header. openpyxl still builds the zip when
the workbook is saved, so an XLSX cannot stream: exports beyond ~50,000 rows belong in Celery
(``write_xlsx`` into a file).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import IO, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kompetence.formats import format_range

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_CELL_LENGTH = 32_767  # Excel's limit; a longer text makes Excel "repair" the file


def neutralise_cell(value: Any) -> str:
    """Text as it may safely go into a spreadsheet: formulas are prefixed with ' and shown as text."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class Kind(StrEnum):
    """What a column holds, which decides how each format writes it (see the module docstring)."""

    TEXT = "text"
    CODE = "code"  # CVR, P-number, branchekode, postcode, municipality code: digits that are not numbers
    RANGE = "range"  # employee bands and other "from-to" texts
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


# Widths in Excel's units (about one character each).
_DEFAULT_WIDTHS = {
    Kind.TEXT: 24,
    Kind.CODE: 12,
    Kind.RANGE: 10,
    Kind.INTEGER: 10,
    Kind.DECIMAL: 12,
    Kind.DATE: 12,
    Kind.DATETIME: 17,
    Kind.BOOLEAN: 7,
}
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, its kind, and optionally how to read it from a row object,
    its width in the XLSX file and the decimals a DECIMAL column shows."""

    header: str
    kind: Kind = Kind.TEXT
    value: Callable[[Any], Any] | None = None
    width: float | None = None
    places: int | None = None

    @property
    def xlsx_width(self) -> float:
        if self.width is not None:
            return self.width
        return min(max(_DEFAULT_WIDTHS[self.kind], len(str(self.header)) + 2), _MAX_WIDTH)


def _columns(header: Sequence[str | Column]) -> list[Column]:
    """Plain header strings (the original API) are TEXT columns, written as before."""
    return [item if isinstance(item, Column) else Column(str(item)) for item in header]


def _values(columns: list[Column], row: Any) -> list[Any]:
    if all(column.value is not None for column in columns):
        return [column.value(row) for column in columns]
    values = list(row)
    return [column.value(row) if column.value is not None else values[index] for index, column in enumerate(columns)]


def _local(value: dt.datetime) -> dt.datetime:
    """Copenhagen time without tzinfo: what a spreadsheet shows (and openpyxl refuses aware datetimes)."""
    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _yes_no(value: Any) -> str:
    if value is None or value == "":
        return ""
    return _("Ja") if value else _("Nej")


# ---------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------
def csv_cell(column: Column, value: Any) -> str:
    """One value as the CSV file writes it in a column of this kind."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind is Kind.INTEGER and isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(int(value))
    if kind is Kind.DECIMAL and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if column.places is not None:
            number = number.quantize(Decimal(1).scaleb(-column.places), rounding=ROUND_HALF_UP)
        return format(number, "f").replace(".", ",")
    if kind is Kind.DATETIME and isinstance(value, dt.datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if kind in (Kind.DATE, Kind.DATETIME) and isinstance(value, dt.date):
        return value.isoformat()
    if kind is Kind.BOOLEAN:
        return _yes_no(value)
    if kind is Kind.RANGE:
        return neutralise_cell(format_range(value))
    return neutralise_cell(value)


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str | Column], rows: Iterable[Any]) -> Iterator[str]:
    """The lines of a CSV file for Danish Excel: BOM, header, then one line per row, neutralised.

    ``header`` is a list of ``Column`` (typed) or of plain header texts (every column TEXT).
    """
    columns = _columns(header)
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # The BOM makes Excel read the file as UTF-8 (æ, ø, å).
    yield writer.writerow([column.header for column in columns])
    converters = [_csv_converter(column) for column in columns]
    if all(column.value is not None for column in columns):
        # Every column reads its own value: one call per cell, no per-row test (the big exports).
        readers = [(column.value, convert) for column, convert in zip(columns, converters, strict=True)]
        for row in rows:
            yield writer.writerow([convert(read(row)) for read, convert in readers])
        return
    for row in rows:
        values = _values(columns, row)
        yield writer.writerow([convert(value) for convert, value in zip(converters, values, strict=True)])


def _csv_converter(column: Column) -> Callable[[Any], str]:
    """``csv_cell`` for one column, specialised once for the common kinds (the same text, without testing
    the kind again for every cell of a 100,000-row file)."""
    kind = column.kind
    if kind in (Kind.TEXT, Kind.CODE):

        def text(value: Any) -> str:
            if value is None or value == "":
                return ""
            if isinstance(value, str):
                return "'" + value if value.startswith(FORMULA_PREFIXES) else value
            return neutralise_cell(value)

        return text
    if kind is Kind.DATE:

        def date(value: Any) -> str:
            if isinstance(value, dt.date):
                return value.isoformat()
            return csv_cell(column, value)

        return date
    if kind is Kind.INTEGER:

        def integer(value: Any) -> str:
            if isinstance(value, int) and not isinstance(value, bool):
                return str(value)
            return csv_cell(column, value)

        return integer
    return lambda value: csv_cell(column, value)


def csv_response(filename: str, header: Sequence[str | Column], rows: Iterable[Any]) -> StreamingHttpResponse:
    """A streamed CSV download: rows are written as they are read, in constant memory."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# ---------------------------------------------------------------------------
# XLSX
# ---------------------------------------------------------------------------
_NUMBER_FORMATS = {
    Kind.CODE: "@",
    Kind.RANGE: "@",
    Kind.INTEGER: "#,##0",
    Kind.DATE: "dd-mm-yyyy",
    Kind.DATETIME: "dd-mm-yyyy hh:mm",
}


def _decimal_format(places: int | None) -> str:
    return "#,##0." + "0" * places if places else ("#,##0" if places == 0 else "General")


def clean_text(value: Any) -> str:
    """Text a worksheet can hold: no control characters (openpyxl refuses them), within Excel's limit."""
    text = str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):  # searching first: most texts have none, and sub() copies
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > XLSX_MAX_CELL_LENGTH:
        text = text[: XLSX_MAX_CELL_LENGTH - 1] + "…"
    return text


def _sheet_title(title: str) -> str:
    """A valid sheet name: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip() or "Ark1"
    return cleaned[:31]


def write_xlsx(
    target: IO[bytes] | str, columns: Sequence[Column | str], rows: Iterable[Any], *, sheet_title: str = "Data"
) -> None:
    """Write an XLSX workbook with one sheet to ``target`` (a path or a binary file object)."""
    write_xlsx_sheets(target, [(sheet_title, columns, rows)])


def write_xlsx_sheets(
    target: IO[bytes] | str, sheets: Iterable[tuple[str, Sequence[Column | str], Iterable[Any]]]
) -> None:
    """Write an XLSX workbook with one sheet per ``(title, columns, rows)`` to ``target``; each sheet
    as ``write_xlsx`` makes it (typed cells, frozen header, column widths, write-only mode)."""
    workbook = Workbook(write_only=True)
    for sheet_title, sheet_columns, rows in sheets:
        _write_sheet(workbook, _columns(sheet_columns), rows, sheet_title)
    workbook.save(target)


def _write_sheet(workbook: Workbook, columns: list[Column], rows: Iterable[Any], sheet_title: str) -> None:
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    # Column widths and the frozen header must be set before the first row is written.
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header_row = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=clean_text(column.header))
        cell.font = bold
        header_row.append(cell)
    sheet.append(header_row)

    formats = [
        _decimal_format(column.places) if column.kind is Kind.DECIMAL else _NUMBER_FORMATS.get(column.kind)
        for column in columns
    ]
    for row in rows:
        values = _values(columns, row)
        sheet.append(
            [
                _xlsx_cell(sheet, column, number_format, value)
                for column, number_format, value in zip(columns, formats, values, strict=True)
            ]
        )


def _xlsx_cell(sheet: Any, column: Column, number_format: str | None, value: Any) -> WriteOnlyCell | None:
    if value is None or value == "":
        return None
    kind = column.kind
    is_number = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind in (Kind.INTEGER, Kind.DECIMAL) and is_number:
        cell = WriteOnlyCell(sheet, value=int(value) if kind is Kind.INTEGER else value)
        cell.number_format = number_format
        return cell
    if kind in (Kind.DATE, Kind.DATETIME) and isinstance(value, dt.date):
        if isinstance(value, dt.datetime):
            value = _local(value) if kind is Kind.DATETIME else _local(value).date()
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    if kind is Kind.BOOLEAN:
        text = _yes_no(value)
    elif kind is Kind.RANGE:
        text = format_range(value)
    else:
        text = value.isoformat() if isinstance(value, dt.date | dt.time) else value
    text = clean_text(text)
    if not number_format and not text.startswith(FORMULA_PREFIXES) and text not in ERROR_CODES:
        return text  # a plain string needs no cell object (the common case; about twice as fast)
    return text_cell(sheet, text, number_format)


def text_cell(sheet: Any, text: str, number_format: str | None = None) -> WriteOnlyCell:
    """A string cell, never calculated even when it starts with "=" (openpyxl would make it a formula);
    the quote prefix keeps it text when someone edits the cell in Excel."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True
    if number_format:
        cell.number_format = number_format
    return cell


def xlsx_bytes(columns: Sequence[Column | str], rows: Iterable[Any], *, sheet_title: str = "Data") -> bytes:
    """The XLSX workbook as bytes (for a response or an e-mail attachment)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, columns, rows, sheet_title=sheet_title)
    return buffer.getvalue()


def xlsx_response(
    filename: str, columns: Sequence[Column | str], rows: Iterable[Any], *, sheet_title: str = "Data"
) -> HttpResponse:
    """An XLSX download. Built in memory before the first byte is sent (openpyxl zips at save): keep
    it for lists up to ~50,000 rows and build bigger ones in Celery."""
    response = HttpResponse(xlsx_bytes(columns, rows, sheet_title=sheet_title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
