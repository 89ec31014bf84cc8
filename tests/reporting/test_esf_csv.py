"""The ESF CSV's fast path (``esf_csv_lines``: our own words neutralised once, dates and numbers written
once per value, rows joined with ``;`` unless a cell needs csv quoting) gives the text the shared writer
(``kompetence.exports.csv_lines`` over ``esf_values``) gives, for the rows where a shortcut could differ:
every field set with dates that end a month, text that csv quotes, formula-like text and words, no
employer, an anonymised person, full CPR numbers."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.utils import timezone

from activities import cpr
from activities.models import Participant
from activities.models.participants import YesNoDeclined, YesNoUnknown
from companies.models import SizeClass
from kompetence.exports import csv_lines, write_xlsx
from reporting.exports import (
    cpr_rows,
    esf_columns,
    esf_csv_lines,
    esf_participants,
    esf_rows,
    esf_values,
    write_esf_xlsx,
)
from reporting.exports.esf import masked_cpr
from reporting.periods import Period
from tests.activities.factories import make_participant
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2018")
E = Participant.EmploymentStatus


@pytest.fixture
def odd(partnership_a, partnership_b):
    """Participants whose rows take every branch of the fast path."""
    partnership_b.name = 'Herning; "Vest"'  # a partnership name that csv must quote
    partnership_b.save()
    firm = CompanyFactory(partnership=partnership_a, size_class=SizeClass.SMALL, name="=Firma A/S", cvr="01234567")
    people = {
        # Every field set; born on a leap day, left on the 31st (the follow-up falls due on 28 February).
        "full": make_participant(
            partnership_a,
            n=901,
            employer=firm,
            entry=dt.date(2018, 3, 1),
            gender=Participant.Gender.NON_BINARY,
            employment_status=E.UNEMPLOYED,
            unemployed_months=7,
            in_education_at_entry=True,
            isced=8,
            migrant=YesNoDeclined.DECLINED,
            disability=YesNoDeclined.YES,
            other_disadvantage=YesNoDeclined.NO,
            homeless=YesNoUnknown.NO,
            rural=YesNoUnknown.YES,
            consent_on=dt.date(2018, 2, 28),
            privacy_notice_given=True,
            exit_date=dt.date(2018, 8, 31),
            exit_result_on=dt.date(2018, 9, 28),
            result_in_education=False,
            result_qualification=True,
            result_employed=True,
            result_job_searching=False,
            result6_on=dt.date(2019, 3, 1),
            result6_employed=True,
            result6_improved=False,
        ),
        "quoted": make_participant(partnership_b, n=902, first_name='Anne; "Lise"', last_name="Linje\nto\r"),
        "formula": make_participant(partnership_a, n=903, first_name="+45 1234", last_name="@SUM(A1)"),
        # Unemployed without a number of months: "long-term unemployed" is not known (an empty cell).
        "bare": make_participant(
            partnership_b, n=904, employment_status=E.UNEMPLOYED, isced=None, consent_on=None, homeless=""
        ),
        "anonymised": make_participant(partnership_a, n=905, first_name="", last_name=""),
    }
    # The factory derives the birth date from the CPR number: set the leap day afterwards.
    Participant.objects.filter(pk=people["full"].pk).update(birth_date=dt.date(1996, 2, 29))
    Participant.objects.filter(pk=people["anonymised"].pk).update(
        anonymised_at=timezone.now(), cpr_token="", cpr_hash=None
    )
    return esf_participants(YEAR, user=None), people


def _plain(rows) -> str:
    return "".join(csv_lines(esf_columns(), esf_values(rows)))


def _by_id(text: str) -> dict[str, str]:
    import csv

    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    return {cells[0]: cells for cells in lines[1:]}


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_the_fast_csv_is_the_shared_writers_text_for_every_kind_of_row(odd, batch):
    participants, people = odd

    fast = "".join(esf_csv_lines(esf_rows(participants), batch=batch))

    assert fast == _plain(esf_rows(participants))
    assert fast.endswith("\r\n") and fast.count("\ufeff") == 1
    assert ';"Anne; ""Lise""";"Linje\nto\r";' in fast  # quoted as csv quotes
    assert ';"Herning; ""Vest""";' in fast
    rows = _by_id(fast)
    full = rows[str(people["full"].pk)]
    assert full[1] == "290296-****" and full[5] == "1996-02-29" and full[6] == "22"
    assert full[9] == "'=Firma A/S" and full[8] == "01234567" and full[10] == "Ja"
    assert full[13:17] == ["2018-03-01", "2018-08-31", "Ledig", "7"]
    assert full[17] == "Ja"  # under 25 and unemployed for more than six months
    assert full[32] == "2019-02-28"  # six months after 31 August
    assert rows[str(people["formula"].pk)][2:4] == ["'+45 1234", "'@SUM(A1)"]
    bare = rows[str(people["bare"].pk)]
    assert bare[8:11] == ["", "", ""] and bare[16:18] == ["", ""] and bare[19] == "" and bare[25] == ""
    anonymised = rows[str(people["anonymised"].pk)]
    assert anonymised[1:4] == ["", "", ""]


def test_words_that_look_like_formulas_are_neutralised_as_the_shared_writer_does(odd, monkeypatch):
    """Our own words are neutralised once, before the rows: a translation that starts with "-" or "="
    comes out as the shared writer, neutralising each cell, writes it."""
    from reporting.exports import esf

    participants, _people = odd
    monkeypatch.setattr(esf, "_", lambda text: "=" + text)
    monkeypatch.setattr(esf, "_choice", lambda choices: {value: "-" + str(label) for value, label in choices})

    fast = "".join(esf_csv_lines(esf_rows(participants)))

    assert fast == _plain(esf_rows(participants))
    assert ";'=Ja;" in fast and ";'-Ledig;" in fast and ";'=Ikke oplyst;" in fast


def test_full_cpr_numbers_are_written_as_the_shared_writer_writes_them(odd, management):
    participants, people = odd

    def rows():
        return cpr_rows(participants, by=management, reason="ESF-indberetning", two_factor=True)

    fast = "".join(esf_csv_lines(rows()))

    assert fast == _plain(rows())
    found = _by_id(fast)
    assert re.fullmatch(r"\d{6}-\d{4}", found[str(people["formula"].pk)][1])  # the number itself
    assert found[str(people["anonymised"].pk)][1] == ""


def test_the_xlsx_has_the_shared_writers_cells_for_every_kind_of_row(odd):
    participants, _people = odd
    fast, shared = io.BytesIO(), io.BytesIO()
    write_esf_xlsx(fast, esf_rows(participants), sheet_title="ESF")
    write_xlsx(shared, esf_columns(), esf_values(esf_rows(participants)), sheet_title="ESF")

    def cells(content: bytes) -> list[list[tuple]]:
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [[(c.value, c.data_type, c.number_format, c.quotePrefix) for c in row] for row in sheet.iter_rows()]

    assert cells(fast.getvalue()) == cells(shared.getvalue())


def test_the_values_keep_their_types_for_the_xlsx(odd):
    """``esf_values`` (which the XLSX writers take) still gives dates, integers and None, not texts."""
    participants, people = odd
    values = {row[0]: row for row in esf_values(esf_rows(participants))}
    full, bare = values[str(people["full"].pk)], values[str(people["bare"].pk)]

    assert full[5] == dt.date(1996, 2, 29) and full[6] == 22 and full[32] == dt.date(2019, 2, 28)
    assert full[16] == 7 and full[19] == 8
    assert bare[8] is None and bare[16] is None and bare[17] == "" and bare[25] is None and bare[32] is None


@pytest.mark.django_db(databases=[])
def test_the_masked_cpr_is_the_one_activities_writes_for_every_day():
    day, last = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
    while day <= last:
        assert masked_cpr(day) == cpr.masked(day), day
        day += dt.timedelta(days=1)
    for odd_day in (dt.date(1, 1, 1), dt.date(999, 9, 9), dt.date(9999, 12, 31)):
        assert masked_cpr(odd_day) == cpr.masked(odd_day)
    assert masked_cpr(None) == cpr.masked(None) == ""
