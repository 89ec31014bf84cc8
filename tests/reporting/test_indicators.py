"""The indicators against a small hand-made world (tests/reporting/world.py), numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reporting.indicators import compute, indicator
from reporting.indicators.firms import INDICATORS as FIRM_INDICATORS
from reporting.indicators.maturity import dimension_means, level_distribution, maturity
from reporting.indicators.targets import TargetStatus, target_status
from reporting.periods import Period
from tests.reporting.world import EXPECTED_2018, EXPECTED_2018_A, EXPECTED_2018_B, build_world

pytestmark = pytest.mark.django_db

YEAR_2018 = Period.year(2018)


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_world(partnership_a, partnership_b)


def test_every_firm_indicator_matches_the_hand_count_for_2018(world):
    figures = compute(FIRM_INDICATORS, YEAR_2018)

    assert {code: figures[code] for code in EXPECTED_2018} == EXPECTED_2018


def test_each_partnership_gets_its_own_share_and_the_shares_add_up(world):
    figures = compute(FIRM_INDICATORS, YEAR_2018)

    for code in EXPECTED_2018:
        assert figures.for_partnership(code, world.a.pk) == EXPECTED_2018_A[code], code
        assert figures.for_partnership(code, world.b.pk) == EXPECTED_2018_B[code], code


def test_one_partnership_only_counts_its_own_rows(world):
    figures = compute(FIRM_INDICATORS, YEAR_2018, partnership=world.a)

    assert {code: figures[code] for code in EXPECTED_2018} == EXPECTED_2018_A


def test_the_rows_behind_a_number_are_the_rows_counted(world):
    reached = indicator("firms_reached").rows(YEAR_2018)
    joint = indicator("joint_visits").rows(YEAR_2018)

    assert sorted(reached.values_list("name", flat=True)) == [
        "F1 Smedie ApS",
        "F2 Koncern A/S",
        "F4 Plast ApS",
        "F5 Ukendt ApS",
    ]
    assert set(joint.values_list("pk", flat=True)) == {world.visits["F1_march"].pk, world.visits["F4_dec"].pk}
    for item in FIRM_INDICATORS:
        assert item.value(YEAR_2018) == EXPECTED_2018[item.code], item.code


def test_a_quarter_counts_only_its_own_days(world):
    q1 = compute(FIRM_INDICATORS, Period.quarter(2018, 1))

    # F1's March visit (joint) and F5's 1 January visit; N1 at the March visit.
    assert q1["visits"] == 2
    assert q1["joint_visits"] == 1
    assert q1["firms_reached"] == 2
    assert q1["needs_found"] == 1
    assert q1["decisions"] == 0
    assert q1["meetings_held"] == 0


def test_a_period_without_data_gives_zeros_not_errors(world):
    figures = compute(FIRM_INDICATORS, Period.year(2030))

    assert all(value == 0 for value in figures.totals.values())
    assert figures.by_partnership["visits"] == {}


def test_compute_asks_the_database_once_per_source(world, django_assert_num_queries):
    # Nine indicators over five sources: firms, visits, needs, decisions, meetings.
    with django_assert_num_queries(5):
        compute(FIRM_INDICATORS, YEAR_2018)


# --- maturity -------------------------------------------------------------------------------------


def test_maturity_is_each_partnerships_latest_closed_round_by_the_end_of_the_period(world):
    year = maturity(YEAR_2018)
    first_half = maturity(Period.half(2018, 1))

    assert year[world.a.pk].title == "2. halvår 2018"
    assert year[world.a.pk].mean == Decimal("3.5")
    assert year[world.a.pk].level == 4
    assert year[world.a.pk].label == "Mellem klub og kompagni"
    assert year[world.b.pk].mean == Decimal("1.5")
    assert year[world.b.pk].level == 2
    assert first_half[world.a.pk].mean == Decimal("2.5")
    assert first_half[world.a.pk].label == "Klub"
    # The open 2019 round is not a result yet.
    assert maturity(Period.year(2019))[world.a.pk].title == "2. halvår 2018"
    assert maturity(Period.year(2017)) == {}


def test_maturity_distribution_and_dimension_means(world):
    found = maturity(YEAR_2018)

    assert level_distribution(found) == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
    # Shared understanding: A 3, B 1 -> 2.0; coordination: A 4, B 2 -> 3.0.
    assert dimension_means(found) == {"samtaenkning": Decimal("2.0"), "samordning": Decimal("3.0")}


def test_maturity_of_one_partnership(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = maturity(YEAR_2018, partnership=world.b)

    assert list(found) == [world.b.pk]


# --- targets ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "today", "status"),
    [
        (0, dt.date(2017, 12, 31), TargetStatus.NOT_STARTED),
        # 1 April: 91 of 365 days gone, 120 x 91/365 = 29.9 expected.
        (30, dt.date(2018, 4, 1), TargetStatus.ON_TRACK),
        (29, dt.date(2018, 4, 1), TargetStatus.BEHIND),
        (120, dt.date(2018, 4, 1), TargetStatus.REACHED),
        (119, dt.date(2018, 12, 31), TargetStatus.MISSED),
        (119, dt.date(2019, 2, 1), TargetStatus.MISSED),
        (125, dt.date(2019, 2, 1), TargetStatus.REACHED),
    ],
)
def test_target_status_from_time_elapsed(actual, today, status):
    progress = target_status(actual=actual, target=120, span=YEAR_2018, today=today)

    assert progress.status == status


def test_target_progress_numbers():
    progress = target_status(actual=30, target=120, span=YEAR_2018, today=dt.date(2018, 4, 1))

    assert progress.expected == Decimal("29.9")
    assert progress.percent == 25
    assert progress.expected_percent == 25
    assert progress.is_good
