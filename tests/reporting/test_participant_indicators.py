"""Activity and participant indicators (ESF CO/CR, ESF+, axis 4, axis 1b, hours by system) on the
hand-made world (tests/reporting/world.py), every number worked out by hand there."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reporting.indicators import activities as activity_indicators
from reporting.indicators import all_indicators, compute, indicator
from reporting.indicators import participants as participant_indicators
from reporting.periods import Period
from tests.reporting.world import (
    GENDER_2018,
    PARTICIPANTS_2018,
    PARTICIPANTS_2018_A,
    build_activities,
    build_participants,
    build_world,
)

pytestmark = pytest.mark.django_db

YEAR_2018 = Period.year(2018)
INDICATORS = [*activity_indicators.INDICATORS, *participant_indicators.INDICATORS]


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_participants(build_activities(build_world(partnership_a, partnership_b)))


def test_every_participant_and_activity_indicator_matches_the_hand_count(world):
    figures = compute(INDICATORS, YEAR_2018)

    assert {code: figures[code] for code in PARTICIPANTS_2018} == PARTICIPANTS_2018


def test_one_partnership(world):
    figures = compute(INDICATORS, YEAR_2018, partnership=world.a)

    assert {code: figures[code] for code in PARTICIPANTS_2018_A} == PARTICIPANTS_2018_A


def test_by_gender(world):
    figures = compute(INDICATORS, YEAR_2018, breakdown={"participants_entered": "gender"})

    assert figures.breakdown["participants"] == GENDER_2018
    assert figures.breakdown["co07"] == {"woman": 1, "man": 1}
    assert figures.breakdown["co01"] == {"woman": 0, "man": 1}


def test_the_rows_behind_a_number(world):
    rows = indicator("co07").rows(YEAR_2018)
    qualifying = indicator("qualifying_started").rows(YEAR_2018)

    assert set(rows.values_list("pk", flat=True)) == {world.participants["Q1"].pk, world.participants["Q4"].pk}
    assert set(qualifying.values_list("pk", flat=True)) == {world.participants["Q1"].pk, world.participants["Q2"].pk}
    assert indicator("co07").source.personal


def test_activities_by_type_axis_and_status(world):
    found = activity_indicators.activity_breakdown(YEAR_2018)

    assert found["type"] == {"uddannelsesplan": 1, "hr-chef-til-leje": 1, "rkv-uddannelse": 1, "netvaerk": 1}
    assert found["axis"] == {4: 2, 1: 2}
    assert found["status"] == {"i_gang": 1, "afsluttet": 2, "annulleret": 1}


def test_employment_in_supported_firms_axis_1b(world):
    year = activity_indicators.employment_in_supported_firms(YEAR_2018)
    later = activity_indicators.employment_in_supported_firms(Period.year(2019))

    assert (year.firms, year.firms_followed_up, year.at_start, year.latest, year.change) == (1, 1, 40, 44, 4)
    assert (later.latest, later.change) == (50, 10)
    assert activity_indicators.employment_in_supported_firms(YEAR_2018, partnership=world.a).firms == 0


def test_hours_by_system(world):
    assert activity_indicators.hours_by_system(YEAR_2018) == {"business": Decimal(22), "employment": Decimal(22)}
    assert activity_indicators.hours_by_system(YEAR_2018, partnership=world.b) == {"employment": Decimal(19)}


def test_a_period_without_data_gives_zeros(world):
    figures = compute(INDICATORS, Period.year(2030))

    assert all(value == 0 for value in figures.totals.values())


def test_one_query_per_source_whatever_the_number_of_indicators(world, django_assert_num_queries):
    sources = {item.source.name for item in all_indicators()}
    with django_assert_num_queries(len(sources)):
        compute(all_indicators(), YEAR_2018)
