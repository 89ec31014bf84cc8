"""The ESF participant file written: CSV (``esf_csv_lines``, streamed) and XLSX (``write_esf_xlsx``,
openpyxl write-only), the same text and cells as ``kompetence.exports.csv_lines``/``write_xlsx`` give
for ``esf_columns()`` and ``esf_values``, at a fraction of their time."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kompetence.exports import FORMULA_PREFIXES, Kind, clean_text, text_cell
from reporting.exports.esf import FREE_TEXT, esf_cells, esf_columns, esf_values

FORMULA_CHARACTERS = "".join(FORMULA_PREFIXES)  # one character each: ``text[0] in`` tests them all


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_word(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _csv_date(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def _csv_number(value: int | None) -> str:
    return "" if value is None else str(value)


# The cells ``esf_cells`` leaves as they are: the id, the CPR number and the texts typed by people.
_AS_GIVEN = (0, 1, *FREE_TEXT)


def esf_csv_lines(rows: Iterable[tuple[tuple, str]], *, batch: int = 500) -> Iterator[str]:
    """The CSV file (``kompetence.exports.csv_lines`` of ``esf_columns()`` and ``esf_values``, the same
    text) in pieces of ``batch`` rows: BOM, header, rows; formulas neutralised with an apostrophe.

    Faster than a ``csv.writer`` over the values: the cells come as text from ``esf_cells`` (our own
    words neutralised once, each date's and number's text made once), the seven other cells are
    neutralised here, and a row is joined with ``;``. ``csv.writer`` quotes a cell holding ``;``,
    ``"``, CR or LF and leaves every other cell as it is: a piece with 35 semicolons and one CRLF a
    row and no other ``"``, CR or LF has no such cell, so it is the text ``csv.writer`` writes; the
    rows of any other piece are written by ``csv.writer`` (``tests/reporting/test_esf_csv.py`` holds
    the two to the same text)."""
    columns = esf_columns()
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([column.header for column in columns])
    separators = len(columns) - 1
    lines: list[str] = []
    cells: list[list[str]] = []
    for values in esf_cells(rows, word=_csv_word, date=_csv_date, number=_csv_number):
        for index in _AS_GIVEN:
            value = values[index]
            if not value:
                values[index] = ""
            elif value[0] in FORMULA_CHARACTERS:
                values[index] = "'" + value
        lines.append(";".join(values))
        cells.append(values)
        if len(lines) >= batch:
            yield _piece(lines, cells, separators, writer)
            lines.clear()
            cells.clear()
    if lines:
        yield _piece(lines, cells, separators, writer)


def _piece(lines: list[str], cells: list[list[str]], separators: int, writer: Any) -> str:
    """The rows as ``csv.writer`` writes them: ``lines`` (each row's cells joined) when no cell needs
    quoting, else each row through ``writer``."""
    lines.append("")  # the last row's line end
    text = "\r\n".join(lines)
    rows = len(cells)
    if text.count(";") == separators * rows and text.count("\n") == rows == text.count("\r") and '"' not in text:
        return text
    return "".join(writer.writerow(values) for values in cells)


def esf_csv_response(filename: str, rows: Iterable[tuple[tuple, str]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(esf_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


_XLSX_FORMATS = {Kind.CODE: "@", Kind.INTEGER: "#,##0", Kind.DATE: "dd-mm-yyyy"}
# The cell type each kind's values have (the values ``esf_values`` gives: str, date, int).
_XLSX_TYPES = {Kind.CODE: "s", Kind.TEXT: "s", Kind.INTEGER: "n", Kind.DATE: "d"}


def _given_cells(cells: list[WriteOnlyCell], row_index: int) -> list[WriteOnlyCell]:
    """The sheet's ``_values_to_row`` for rows appended as ready cells: each is given its row."""
    for cell in cells:
        cell.row = row_index
    return cells


def write_esf_xlsx(target: IO[bytes] | str, rows: Iterable[tuple[tuple, str]], *, sheet_title: str) -> None:
    """The XLSX file as ``kompetence.exports.write_xlsx`` writes ``esf_columns()`` and ``esf_values``
    (typed cells, frozen bold header, column widths, write-only), faster: one cell per column, given
    each row's value and type in turn (openpyxl writes a row before the next is appended), and the
    rows handed to openpyxl as those cells. openpyxl's own path for appended values infers each
    value's type again, raises and catches a ValueError for every styled cell and makes a new cell
    after each one: that was a third of the time (``tests/reporting/test_esf_export.py`` holds the
    cells to what ``write_xlsx`` writes)."""
    columns = esf_columns()
    workbook = Workbook(write_only=True)
    title = "".join(" " if c in "[]:*?/\\" else c for c in str(sheet_title)).strip()[:31] or "Ark1"
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.xlsx_width
    sheet.freeze_panes = "A2"
    sheet._values_to_row = _given_cells  # the rows below are lists of cells with their values bound
    bold = Font(bold=True)
    header = []
    for index, column in enumerate(columns, start=1):
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        cell.column = index
        header.append(cell)
    sheet.append(header)

    # Per column: its cell, its values' type, whether they are text (checked for formulas) typed by
    # people (cleaned of control characters), and its number format.
    spec = []
    for index, column in enumerate(columns):
        number_format = _XLSX_FORMATS.get(column.kind)
        cell = WriteOnlyCell(sheet)
        cell.column = index + 1
        if number_format:
            cell.number_format = number_format
        is_text = column.kind in (Kind.TEXT, Kind.CODE)
        spec.append((cell, _XLSX_TYPES[column.kind], is_text, index in FREE_TEXT, number_format))
    for values in esf_values(rows):
        out: list[WriteOnlyCell] = []
        append = out.append
        for value, (cell, data_type, is_text, free, number_format) in zip(values, spec, strict=True):
            if value is None or value == "":
                continue
            if is_text:
                if free:
                    value = clean_text(value)
                if value[0] in FORMULA_CHARACTERS or value in ERROR_CODES:
                    special = text_cell(sheet, value, number_format)
                    special.column = cell.column
                    append(special)
                    continue
            cell._value = value
            cell.data_type = data_type
            append(cell)
        sheet.append(out)
    workbook.save(target)


def esf_xlsx_bytes(rows: Iterable[tuple[tuple, str]], *, sheet_title: str) -> bytes:
    buffer = io.BytesIO()
    write_esf_xlsx(buffer, rows, sheet_title=sheet_title)
    return buffer.getvalue()
