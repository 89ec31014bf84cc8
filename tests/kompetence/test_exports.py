"""CSV and XLSX exports from one column declaration (kompetence/exports.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from kompetence.exports import (
    XLSX_CONTENT_TYPE,
    Column,
    Kind,
    csv_lines,
    csv_response,
    write_xlsx,
    xlsx_bytes,
    xlsx_response,
)

COLUMNS = [
    Column("CVR-nummer", Kind.CODE),
    Column("Navn"),
    Column("Branchekode", Kind.CODE),
    Column("Antal ansatte (interval)", Kind.RANGE),
    Column("Postnummer", Kind.CODE),
    Column("Ansatte", Kind.INTEGER),
    Column("Omsætning (mio. EUR)", Kind.DECIMAL, places=2),
    Column("Seneste besøg", Kind.DATE),
    Column("Oprettet", Kind.DATETIME),
    Column("Koncern", Kind.BOOLEAN),
]
ROW = [
    "30409985",
    "Ærø Æbler ApS",
    "014600",
    "2-4",
    "0800",
    1234,
    Decimal("3.50"),
    dt.date(2026, 5, 3),
    dt.datetime(2026, 5, 3, 22, 30, tzinfo=ZoneInfo("UTC")),  # 00:30 on 4 May in Copenhagen
    True,
]
EMPTY = ["", None, None, None, None, None, None, None, None, None]


def read_csv(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def test_csv_writes_each_kind_as_a_machine_format_danish_excel_reads():
    header, row, empty = read_csv(csv_lines(COLUMNS, [ROW, EMPTY]))
    assert header[0] == "CVR-nummer"
    assert row == [
        "30409985",
        "Ærø Æbler ApS",
        "014600",
        "2–4",  # en dash: Excel makes "2-4" the 2nd of April
        "0800",
        "1234",
        "3,50",
        "2026-05-03",
        "2026-05-04 00:30",
        "Ja",
    ]
    assert empty == [""] * len(COLUMNS)


def test_csv_neutralises_text_but_not_negative_numbers():
    columns = [Column("Navn"), Column("Saldo", Kind.INTEGER), Column("Beløb", Kind.DECIMAL), Column("Kode", Kind.CODE)]
    _header, row = read_csv(csv_lines(columns, [['=HYPERLINK("http://ondt.example")', -5, Decimal("-2.5"), "@1"]]))
    assert row == ['\'=HYPERLINK("http://ondt.example")', "-5", "-2,5", "'@1"]


def test_csv_with_plain_headers_writes_as_before():
    _header, row = read_csv(csv_lines(["a", "b", "c"], [["-2+3", dt.date(2018, 1, 2), 25]]))
    assert row == ["'-2+3", "2018-01-02", "25"]


def test_csv_response_streams_with_a_download_name():
    response = csv_response("virksomheder.csv", COLUMNS, iter([ROW]))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="virksomheder.csv"'
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_xlsx_keeps_codes_and_ranges_as_text_and_numbers_and_dates_typed():
    sheet = read_xlsx(xlsx_bytes(COLUMNS, [EMPTY, ROW], sheet_title="Virksomheder"))
    assert sheet.title == "Virksomheder"
    header, empty, row = list(sheet.iter_rows())
    assert [cell.value for cell in header] == [column.header for column in COLUMNS]
    assert all(cell.font.b for cell in header)
    cells = dict(zip((column.header for column in COLUMNS), row, strict=True))

    for name, value in [("CVR-nummer", "30409985"), ("Branchekode", "014600"), ("Postnummer", "0800")]:
        assert cells[name].data_type == "s" and cells[name].value == value  # leading zeros kept
        assert cells[name].number_format == "@"
    assert cells["Antal ansatte (interval)"].value == "2–4"
    assert cells["Antal ansatte (interval)"].data_type == "s"
    assert cells["Ansatte"].data_type == "n" and cells["Ansatte"].value == 1234
    assert cells["Ansatte"].number_format == "#,##0"
    assert cells["Omsætning (mio. EUR)"].value == pytest.approx(3.5)
    assert cells["Omsætning (mio. EUR)"].number_format == "#,##0.00"
    assert cells["Seneste besøg"].is_date and cells["Seneste besøg"].value == dt.datetime(2026, 5, 3)
    assert cells["Seneste besøg"].number_format == "dd-mm-yyyy"
    assert cells["Oprettet"].value == dt.datetime(2026, 5, 4, 0, 30)  # Copenhagen time
    assert cells["Koncern"].value == "Ja"
    assert all(cell.value is None for cell in empty)


def test_xlsx_freezes_the_header_and_sets_widths():
    sheet = read_xlsx(xlsx_bytes(COLUMNS, [ROW]))
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 12  # a code
    assert sheet.column_dimensions["D"].width == len("Antal ansatte (interval)") + 2
    assert sheet.column_dimensions["B"].width == 24


def test_xlsx_never_writes_a_formula_and_shows_the_text_as_typed():
    texts = ['=HYPERLINK("http://ondt.example","klik")', "+45 by", "-2+3", "@SUM(A1)", "#N/A", "ok"]
    sheet = read_xlsx(xlsx_bytes([Column("Tekst")], [[text] for text in texts]))
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == texts
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [True, True, True, True, False, False]


def test_xlsx_drops_control_characters_and_caps_huge_texts():
    sheet = read_xlsx(xlsx_bytes([Column("Tekst")], [["a\x00b\x0bc"], ["x" * 40_000]]))
    first, second = (row[0].value for row in sheet.iter_rows(min_row=2))
    assert first == "abc"
    assert len(second) == 32_767 and second.endswith("…")


def test_columns_can_read_objects():
    columns = [
        Column("CVR-nummer", Kind.CODE, value=lambda firm: firm.cvr),
        Column("Ansatte", Kind.INTEGER, value=lambda firm: firm.employees),
    ]
    firm = SimpleNamespace(cvr="01234567", employees=12)
    assert read_csv(csv_lines(columns, [firm]))[1] == ["01234567", "12"]
    sheet = read_xlsx(xlsx_bytes(columns, [firm]))
    assert [cell.value for cell in next(sheet.iter_rows(min_row=2))] == ["01234567", 12]


def test_write_xlsx_to_a_file_and_xlsx_response(tmp_path):
    path = tmp_path / "ud.xlsx"
    with path.open("wb") as target:
        write_xlsx(target, COLUMNS, [ROW], sheet_title="Ark: [1/2]")
    assert read_xlsx(path.read_bytes()).title == "Ark   1 2"

    response = xlsx_response("virksomheder-2026-05-03.xlsx", COLUMNS, iter([ROW]))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="virksomheder-2026-05-03.xlsx"'
    assert read_xlsx(response.content).cell(row=2, column=3).value == "014600"


def test_xlsx_writes_many_rows_from_a_generator():
    rows = ([f"{n:08d}", "Firma", "014600", "5-9", "8000", n, Decimal(n) / 7, None, None, False] for n in range(1000))
    sheet = read_xlsx(xlsx_bytes(COLUMNS, rows))
    assert sheet.max_row == 1001
    assert sheet.cell(row=1001, column=1).value == "00000999"
