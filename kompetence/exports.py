"""Spreadsheet exports every app shares: CSV for Danish Excel, streamed.

CSV files are written as Danish Excel opens them without asking: UTF-8 with a byte-order mark and
semicolons between the fields. A cell that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is prefixed with an apostrophe so the spreadsheet shows it as text instead of
running it (CSV injection).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import StreamingHttpResponse

# A cell starting with one of these is run as a formula by Excel and LibreOffice (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> str:
    """Text as it may safely go into a spreadsheet: formulas are prefixed with ' and shown as text."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The lines of a CSV file for Danish Excel: BOM, header, then one line per row, neutralised."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # The BOM makes Excel read the file as UTF-8 (æ, ø, å).
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([neutralise_cell(value) for value in row])


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download: rows are written as they are read, in constant memory."""
    response = StreamingHttpResponse(csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
