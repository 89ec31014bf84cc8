"""The EU SME assessment (companies/sme.py) with its reasons."""

from __future__ import annotations

from decimal import Decimal

import pytest

from companies.sme import EMPLOYEE_BANDS, assess_sme, band_for
from tests.companies.factories import CompanyFactory


@pytest.mark.parametrize(
    ("employees", "turnover", "balance", "size_class"),
    [
        (0, None, None, "micro"),
        (9, Decimal(2), None, "micro"),
        (9, Decimal(3), None, "small"),  # turnover above the micro ceiling, within small
        (9, Decimal(3), Decimal(2), "micro"),  # but the balance sheet is within micro: OR
        (10, None, None, "small"),
        (49, Decimal(10), None, "small"),
        (50, None, None, "medium"),
        (249, Decimal(50), None, "medium"),
        (249, Decimal(60), Decimal(43), "medium"),
        (249, Decimal(60), Decimal(44), "large"),
        (250, Decimal(1), Decimal(1), "large"),
        (5000, None, None, "large"),
    ],
)
def test_sme_size_class_follows_eu_ceilings(employees, turnover, balance, size_class):
    result = assess_sme(employees=employees, turnover_eur_m=turnover, balance_eur_m=balance)
    assert result.size_class == size_class
    assert result.is_sme is (size_class != "large")


def test_sme_micro_gives_reason_with_staff_and_ceiling():
    result = assess_sme(employees=4, turnover_eur_m=Decimal("1.5"))
    assert result.reasons == ("4 ansatte (under 10) og omsætning højst 2 mio. EUR.",)


def test_sme_without_financials_says_ceiling_not_checked():
    result = assess_sme(employees=30)
    assert result.size_class == "small"
    assert "omsætning og balance er ikke oplyst" in result.reasons[0]


def test_sme_large_by_staff_says_why():
    result = assess_sme(employees=300)
    assert result.is_sme is False
    assert result.reasons[0] == "300 ansatte: 250 eller flere ansatte er ikke en SMV."


def test_sme_large_by_money_says_why():
    result = assess_sme(employees=100, turnover_eur_m=Decimal(80), balance_eur_m=Decimal(60))
    assert result.size_class == "large"
    assert "både omsætning (over 50 mio. EUR) og balance (over 43 mio. EUR)" in result.reasons[0]


def test_sme_unknown_without_staff_numbers():
    result = assess_sme(employees=None)
    assert (result.size_class, result.is_sme) == ("unknown", None)
    assert result.reasons == ("Antal ansatte er ikke oplyst.",)


def test_sme_band_below_250_uses_its_upper_bound():
    assert assess_sme(employees=None, employee_band="10-19").size_class == "small"
    assert assess_sme(employees=None, employee_band="5-9").size_class == "micro"
    assert assess_sme(employees=None, employee_band="100-199").size_class == "medium"


def test_sme_band_above_250_is_large():
    for band in ("500-999", "1000+"):
        result = assess_sme(employees=None, employee_band=band)
        assert (result.size_class, result.is_sme) == ("large", False)


def test_sme_band_across_250_is_unknown_and_asks_for_the_figure():
    result = assess_sme(employees=None, employee_band="200-499")
    assert result.size_class == "unknown"
    assert "angiv det præcise antal" in result.reasons[0]


def test_sme_group_membership_is_mentioned():
    result = assess_sme(employees=20, part_of_group=True)
    assert any("koncern" in reason for reason in result.reasons)


def test_band_for_every_figure_lands_in_a_band():
    for n in (0, 1, 3, 9, 10, 49, 250, 999, 1000, 50000):
        low, high = EMPLOYEE_BANDS[band_for(n)]
        assert low <= n and (high is None or n <= high)


@pytest.mark.django_db
def test_company_sme_property_matches_stored_size_class(partnership_a):
    company = CompanyFactory(partnership=partnership_a, employees=60)
    assert company.sme.size_class == company.size_class == "medium"
    assert company.is_sme is True
