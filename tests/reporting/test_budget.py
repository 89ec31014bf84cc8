"""Budget against spend on the hand-made world (tests/reporting/world.py), numbers worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from partnerships import programme
from reporting.budget import budget_report, spend, split
from reporting.periods import Period
from tests.reporting.world import SPEND_2018, build_activities, build_world

pytestmark = pytest.mark.django_db

YEAR_2018 = Period.year(2018)


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_activities(build_world(partnership_a, partnership_b))


def test_spend_2018_matches_the_hand_count(world):
    spent = spend(YEAR_2018)

    assert spent.total == SPEND_2018["total"]
    assert spent.hours == SPEND_2018["hours"]
    assert spent.by("kind") == SPEND_2018["by_kind"]
    assert spent.by("line") == SPEND_2018["by_line"]
    assert spent.by("axis") == SPEND_2018["by_axis"]
    assert sum(u.hours for u in spent.uncosted) == SPEND_2018["uncosted_hours"]
    assert spent.uncosted[0].organisation_id == world.people["emp_b"].organisation_id


def test_spend_is_split_over_the_financing_plan_and_adds_up(world):
    financing = spend(YEAR_2018).financing()

    assert financing == SPEND_2018["financing"]
    assert sum(financing.values()) == SPEND_2018["total"]


def test_each_partnership_gets_its_own_spend(world):
    assert spend(YEAR_2018, partnership=world.a).total == SPEND_2018["A"]
    assert spend(YEAR_2018, partnership=world.b).total == SPEND_2018["B"]
    assert spend(YEAR_2018).by("partnership_id") == {world.a.pk: SPEND_2018["A"], world.b.pk: SPEND_2018["B"]}


def test_a_quarter_uses_the_rate_in_force_and_only_its_days(world):
    # bus_a's 10 h at 400 plus 40 %; emp_b's 5 h uncosted; no cost before April.
    assert spend(Period.quarter(2018, 1)).total == SPEND_2018["Q1"]


def test_one_project_only(world):
    assert spend(YEAR_2018, project="erhvervsfaglige").total == SPEND_2018["by_axis"][4]


def test_the_rate_change_on_1_september_is_followed_within_a_month_spanning_period(world):
    # 1 August - 30 September: bus_a's 8 h (250) + 40 % and the 4 h meeting (250).
    assert spend(Period(dt.date(2018, 8, 1), dt.date(2018, 9, 30))).total == Decimal("3800.00")


def test_a_period_without_data_is_empty_not_an_error(world):
    spent = spend(Period.year(2030))
    report = budget_report(Period.year(2030))

    assert spent.total == 0
    assert spent.financing() == {}
    assert report.is_empty
    assert report.total.budget == 0


def test_budget_report_per_line_year_axis_source(world):
    report = budget_report(YEAR_2018)
    lines = {figure.key: figure for figure in report.lines}

    assert report.total.budget == Decimal("15000000")
    assert report.total.spent == SPEND_2018["total"]
    assert lines["efteruddannelse"].budget == Decimal("10000000")
    assert lines["efteruddannelse"].remaining == Decimal("9984100.00")
    assert lines["efteruddannelse"].percent == Decimal("0.2")
    assert lines["talenter"].spent == 0
    assert [f.key for f in report.years[2018]] == ["kompetenceforsyning", "talenter", "efteruddannelse", "partnerskab"]
    sources = {figure.key: figure for figure in report.sources}
    assert sources["esf"].budget == Decimal("7500000")
    assert sources["esf"].spent == Decimal("16200.00")
    axes = {figure.key: figure for figure in report.axes}
    assert axes[1].budget == Decimal("3500000")
    assert axes[1].spent == SPEND_2018["by_axis"][1]
    assert axes[None].budget == Decimal("11500000")
    assert {f.label: f.spent for f in report.partnerships} == {
        world.a.name: SPEND_2018["A"],
        world.b.name: SPEND_2018["B"],
    }
    # bus_a's organisation signed for axis 4 only: its meeting hours on axis 1 and emp_b's hours are undeclared.
    assert {(name, hours) for name, _project, hours in report.undeclared} == {
        (world.people["bus_a"].organisation.name, Decimal("4")),
        (world.people["emp_b"].organisation.name, Decimal("14")),
    }


def test_budget_years_outside_the_plan(world):
    report = budget_report(Period(dt.date(2018, 7, 1), dt.date(2019, 6, 30)))

    assert report.total.budget == Decimal("30000000")


def test_a_partnership_table_has_no_budget(world):
    report = budget_report(YEAR_2018, partnership=world.a)

    assert report.total.budget is None
    assert report.total.spent == SPEND_2018["A"]


def test_split_agrees_with_the_ground_function(world):
    for amount in (Decimal("32400"), Decimal("0.01"), Decimal("1000.03"), Decimal("7")):
        assert split(amount, {"esf": Decimal(7500), "region": Decimal(3000), "anden-offentlig": Decimal(4500)}) == (
            programme.financing_split(amount=amount, on=dt.date(2018, 5, 1))
        )


def test_spend_asks_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        spend(YEAR_2018).financing()
    with django_assert_max_num_queries(18):
        budget_report(Period(dt.date(2017, 1, 1), dt.date(2019, 12, 31)))
