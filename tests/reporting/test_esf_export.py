"""The ESF participant file's fast writers (``reporting.exports.esf_csv_lines``, ``write_esf_xlsx``)
give what the shared writers (``kompetence.exports.csv_lines``, ``write_xlsx``) give for the same
columns and values: the same text, the same typed cells, formulas and control characters made safe."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from kompetence.exports import csv_lines, write_xlsx
from reporting.exports import esf_columns, esf_csv_lines, esf_participants, esf_rows, esf_values, write_esf_xlsx
from reporting.periods import Period
from tests.activities.factories import make_participant
from tests.reporting.world import build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2018")


@pytest.fixture
def participants(partnership_a, partnership_b):
    world = build_participants(build_activities(build_world(partnership_a, partnership_b)))
    make_participant(world.a, n=801, first_name='=HYPERLINK("http://x")', last_name="Ond\x07sen")
    make_participant(world.b, n=802, first_name="-1+1", last_name="@SUM(A1)")
    return esf_participants(YEAR, user=None)


def test_the_csv_is_the_text_the_shared_writer_gives(participants):
    fast = "".join(esf_csv_lines(esf_rows(participants), batch=2))
    shared = "".join(csv_lines(esf_columns(), esf_values(esf_rows(participants))))

    assert fast == shared
    assert "'=HYPERLINK" in fast and ";'-1+1;" in fast and "'@SUM(A1)" in fast
    assert len(fast.splitlines()) == participants.count() + 1


def _cells(content: bytes) -> list[list[tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        [(cell.value, cell.data_type, cell.number_format, cell.quotePrefix, cell.font.b) for cell in row]
        for row in sheet.iter_rows()
    ]


def test_the_xlsx_has_the_cells_the_shared_writer_gives(participants):
    fast, shared = io.BytesIO(), io.BytesIO()
    write_esf_xlsx(fast, esf_rows(participants), sheet_title="ESF 2018")
    write_xlsx(shared, esf_columns(), esf_values(esf_rows(participants)), sheet_title="ESF 2018")

    assert _cells(fast.getvalue()) == _cells(shared.getvalue())
    sheet = openpyxl.load_workbook(io.BytesIO(fast.getvalue())).active
    assert sheet.freeze_panes == "A2" and sheet.title == "ESF 2018"
    names = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    evil = names['=HYPERLINK("http://x")']
    assert evil[2].data_type == "s" and evil[2].quotePrefix
    assert evil[3].value == "Ondsen"  # the control character dropped
    assert isinstance(evil[5].value, dt.datetime) and evil[5].number_format == "dd-mm-yyyy"
    assert evil[0].number_format == "@"
