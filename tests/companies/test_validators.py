"""Danish messages around python-stdnum's CVR and P-number checks (companies/validators.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from companies.validators import normalise_cvr, validate_cvr, validate_p_number
from tests.companies.factories import valid_cvr

GOOD = valid_cvr(13585628)


def test_valid_cvr_passes():
    validate_cvr(GOOD)


@pytest.mark.parametrize("typed", [f"DK{GOOD}", f"DK {GOOD[:2]} {GOOD[2:4]} {GOOD[4:6]} {GOOD[6:]}", f" {GOOD} "])
def test_cvr_is_normalised_from_how_people_type_it(typed):
    assert normalise_cvr(typed) == GOOD
    validate_cvr(typed)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("12345678", "cvr_checksum", "CVR-nummeret 12345678 findes ikke: kontrolcifferet passer ikke."),
        ("1234567", "cvr_length", "Et CVR-nummer har 8 cifre (du skrev 7)."),
        ("123456789", "cvr_length", "Et CVR-nummer har 8 cifre (du skrev 9)."),
        ("12AB5678", "cvr_digits", "Et CVR-nummer består kun af cifre."),
        ("", "cvr_digits", "Et CVR-nummer består kun af cifre."),
    ],
)
def test_invalid_cvr_gets_danish_message(value, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_cvr(value)
    assert caught.value.code == code
    assert caught.value.messages[0].startswith(message)


def test_p_number_needs_ten_digits():
    validate_p_number("1012345678")
    validate_p_number("10 1234 5678")
    for bad in ("101234567", "10123456789", "10123456AB"):
        with pytest.raises(ValidationError, match="10 cifre"):
            validate_p_number(bad)
