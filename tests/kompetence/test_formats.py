"""Danish numbers and dates (kompetence/formats.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kompetence.formats import (
    NumberFormatError,
    display_value,
    format_date,
    format_datetime,
    format_decimal,
    format_integer,
    format_range,
    format_time,
    parse_decimal,
    parse_integer,
)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("3,5", "3.5"),
        ("1.234,5", "1234.5"),
        ("1234,5", "1234.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),  # a no-break space, as pasted from Word or a PDF
        ("1.234", "1234"),  # Danish: one thousand two hundred and thirty-four
        ("1.234.567", "1234567"),
        ("3.5", "3.5"),  # cannot be a thousands group: a decimal point (English phone keypad)
        ("0.500", "0.500"),  # a thousands group never follows a leading zero
        ("1234.567", "1234.567"),  # four digits before the dot: not a group
        ("1,234.5", "1234.5"),  # English, with both signs: the last one is the decimal sign
        ("1,234", "1.234"),  # one comma is the decimal sign, always
        ("  3,5  ", "3.5"),
        ("-3,5", "-3.5"),
        ("\u22123,5", "-3.5"),  # the minus sign Word writes
        ("+3", "3"),
        (",5", "0.5"),
        ("5,", "5"),
        ("0012", "12"),
        ("-0", "0"),
    ],
)
def test_parse_decimal_reads_numbers_as_danish_users_mean_them(typed, meant):
    assert parse_decimal(typed) == Decimal(meant)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("²", "characters"),  # str.isdigit() says yes, int() says no
        ("\x00", "characters"),
        ("3\x005", "characters"),
        ("３", "characters"),  # full-width digit
        ("٣", "characters"),  # Arabic-Indic digit, which Decimal() would accept
        ("1e5", "characters"),
        ("NaN", "characters"),
        ("Infinity", "characters"),
        ("1_000", "characters"),
        ("3,5 kr.", "characters"),
        ("", "invalid"),
        ("   ", "invalid"),
        (",", "invalid"),
        ("1.23,5", "invalid"),  # badly grouped
        ("12 34", "invalid"),
        ("1,2,3", "invalid"),
        ("1.234,5,6", "invalid"),
        ("1,234,5.6", "invalid"),
        ("1" * 100, "invalid"),
    ],
)
def test_parse_decimal_refuses_what_is_no_number(typed, code):
    with pytest.raises(NumberFormatError) as error:
        parse_decimal(typed)
    assert error.value.code == code


def test_parse_decimal_keeps_no_decimal_places_that_were_not_typed():
    # A field with decimal_places=0 must accept "1234": Decimal("1234.0") would count one decimal.
    assert parse_decimal("1234").as_tuple().exponent == 0
    assert parse_decimal("3,50").as_tuple().exponent == -2


def test_parse_decimal_reads_the_same_in_english_pages():
    with translation.override("en"):
        assert parse_decimal("3,5") == Decimal("3.5")
        assert parse_decimal("1.234,5") == Decimal("1234.5")


def test_parse_integer():
    assert parse_integer("1.234") == 1234
    assert parse_integer("1 250") == 1250
    assert parse_integer("3,0") == 3
    with pytest.raises(NumberFormatError) as error:
        parse_integer("3,5")
    assert error.value.code == "not_integer"


def test_format_decimal_writes_danish():
    assert format_decimal(Decimal("1234.5")) == "1.234,5"
    assert format_decimal(Decimal("3.50")) == "3,50"  # the value's own decimals
    assert format_decimal(Decimal("1234.5"), 2) == "1.234,50"
    assert format_decimal(Decimal("0.005"), 2) == "0,01"  # half up
    assert format_decimal(-1234567) == "-1.234.567"
    assert format_decimal(Decimal("-0.001"), 2) == "0,00"
    assert format_decimal(Decimal("1234.5"), grouping=False) == "1234,5"
    assert format_decimal(None) == ""
    assert format_decimal(Decimal("NaN")) == ""
    assert format_integer(1234) == "1.234"


def test_format_decimal_is_danish_in_english_pages_too_and_parses_back():
    with translation.override("en"):
        for value in (Decimal("1234.5"), Decimal("3.50"), Decimal("1.234"), Decimal("-12345.67")):
            assert parse_decimal(format_decimal(value)) == value


def test_format_range_uses_an_en_dash():
    assert format_range("2-4") == "2–4"
    assert format_range("10 - 19") == "10–19"
    assert format_range("1000+") == "1000+"
    assert format_range("Smed-firma") == "Smed-firma"
    assert format_range(None) == ""


def test_dates_follow_the_page_language_and_copenhagen_time():
    day = dt.date(2026, 5, 3)
    # 22:30 UTC on 3 May is 00:30 on 4 May in Copenhagen (summer time).
    moment = dt.datetime(2026, 5, 3, 22, 30, tzinfo=ZoneInfo("UTC"))
    with translation.override("da"):
        assert format_date(day) == "03.05.2026"
        assert format_date(day, long=True) == "3. maj 2026"
        assert format_date(moment) == "04.05.2026"
        assert format_datetime(moment) == "04.05.2026 00:30"
        assert format_time(moment) == "00:30"
        assert format_time(dt.time(9, 5)) == "09:05"
    with translation.override("en"):
        assert format_date(day, long=True) == "May 3, 2026"
    assert format_date(None) == format_datetime(None) == format_time(None) == ""


def test_display_value():
    with translation.override("da"):
        assert display_value(None) == "–"
        assert display_value("") == "–"
        assert display_value(True) == "Ja"
        assert display_value(False) == "Nej"
        assert display_value(dt.date(2026, 5, 3)) == "03.05.2026"
        assert display_value(Decimal("1234.5")) == "1.234,5"
        assert display_value(1234) == "1.234"
        assert display_value("Smed") == "Smed"
