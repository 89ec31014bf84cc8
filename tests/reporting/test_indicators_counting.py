"""How the indicators are counted (``reporting.indicators.base.compute``): where one query counts
through other rows or compares dates instead of ages, the numbers stay those of the definitions.

* axis 4 is counted through the training lines (one pass over them): a participant with several
  qualifying lines, on one enrolment or two, counts once; the firms reached through their visits,
  each firm once;
* the age on the entry day is compared as dates on PostgreSQL: birthdays on the entry day, 29 February
  births and entries give the whole years of ``Participant.age_on``;
* a count is plain (no ``DISTINCT``) only where no row can come back twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import ActivityPlan, Enrollment, Participant, TrainingLine
from companies.models import Visit
from reporting.indicators import compute, indicator
from reporting.indicators import participants as participant_indicators
from reporting.indicators.base import _multiplies
from reporting.periods import Period
from tests.activities.factories import make_enrollment, make_participant, make_plan
from tests.companies.factories import CompanyFactory, VisitFactory

pytestmark = pytest.mark.django_db

YEAR_2018 = Period.year(2018)
L = TrainingLine.Status


def _line(enrollment, start: dt.date, end: dt.date, status: str, *, qualifying: bool = True) -> None:
    TrainingLine.objects.create(
        enrollment=enrollment,
        other_education="Industrioperatør",
        start_date=start,
        end_date=end,
        days=Decimal(5),
        status=status,
        qualifying=qualifying,
    )


@pytest.fixture
def lines(partnership_a, partnership_b, consultant_a):
    """Axis-4 plans (``uddannelsesplan``): X with three qualifying lines on two enrolments (two started
    in 2018, two completed in 2018); Y one line started in 2017 and completed in 2018; Z one line in
    2018 that is not qualifying."""
    firm = CompanyFactory(partnership=partnership_a)
    S = ActivityPlan.Status
    first = make_plan(firm, consultant_a, start=dt.date(2017, 9, 1), status=S.IN_PROGRESS)
    second = make_plan(firm, consultant_a, start=dt.date(2018, 8, 1), status=S.IN_PROGRESS)
    people = {name: make_participant(partnership_a, n=n, entry=dt.date(2017, 9, 1)) for n, name in enumerate("XYZ", 1)}
    x_first, x_second = make_enrollment(first, people["X"]), make_enrollment(second, people["X"])
    _line(x_first, dt.date(2018, 3, 1), dt.date(2018, 6, 30), L.COMPLETED)
    _line(x_first, dt.date(2018, 4, 1), dt.date(2018, 5, 31), L.COMPLETED)
    _line(x_second, dt.date(2018, 9, 1), dt.date(2019, 3, 1), L.ENROLLED)
    _line(make_enrollment(first, people["Y"]), dt.date(2017, 10, 1), dt.date(2018, 2, 28), L.COMPLETED)
    _line(make_enrollment(first, people["Z"]), dt.date(2018, 3, 1), dt.date(2018, 4, 1), L.COMPLETED, qualifying=False)
    return people


def test_a_participant_with_several_qualifying_lines_counts_once(lines, partnership_a, partnership_b):
    items = [indicator("qualifying_started"), indicator("qualifying_completed")]

    figures = compute(items, YEAR_2018)
    one = compute(items, YEAR_2018, partnership=partnership_b)

    assert (figures["qualifying_started"], figures["qualifying_completed"]) == (1, 2)
    assert figures.by_partnership["qualifying_started"] == {partnership_a.pk: 1}
    assert figures.by_partnership["qualifying_completed"] == {partnership_a.pk: 2}
    assert (one["qualifying_started"], one["qualifying_completed"]) == (0, 0)


def test_the_rows_behind_the_axis_4_numbers_are_the_participants_counted(lines, partnership_a):
    started = indicator("qualifying_started")
    completed = indicator("qualifying_completed")

    assert set(started.rows(YEAR_2018)) == {lines["X"]}
    assert set(completed.rows(YEAR_2018, partnership_a)) == {lines["X"], lines["Y"]}
    assert (started.value(YEAR_2018), completed.value(YEAR_2018)) == (1, 2)
    assert started.rows(YEAR_2018).model is Participant


def test_axis_4_by_gender_counts_each_participant_once(lines):
    figures = compute([indicator("qualifying_started")], YEAR_2018, breakdown={"participants_qualifying": "gender"})

    expected = {lines["X"].gender: 1}
    expected.setdefault(lines["Y"].gender, 0)  # Y's group is there (Y completed), with no start
    assert figures.breakdown["qualifying_started"] == expected


def test_a_firm_with_several_visits_is_reached_once(partnership_a, partnership_b):
    small = CompanyFactory(partnership=partnership_a, employees=25)
    large = CompanyFactory(partnership=partnership_a, employees=400)
    remote_only = CompanyFactory(partnership=partnership_b, employees=10)
    day = dt.date(2018, 5, 1)
    VisitFactory(company=small, visit_date=day)
    VisitFactory(company=small, visit_date=day + dt.timedelta(days=30), kind=Visit.Kind.REMOTE)
    VisitFactory(company=small, visit_date=day + dt.timedelta(days=60))
    VisitFactory(company=large, visit_date=day, kind=Visit.Kind.REMOTE)
    VisitFactory(company=large, visit_date=day + dt.timedelta(days=1))
    VisitFactory(company=large, visit_date=dt.date(2019, 2, 1))  # another year
    VisitFactory(company=large, visit_date=day, status=Visit.Status.DRAFT)
    VisitFactory(company=remote_only, visit_date=day, kind=Visit.Kind.REMOTE)
    VisitFactory(company=remote_only, visit_date=day + dt.timedelta(days=2), kind=Visit.Kind.REMOTE)
    codes = ["firms_reached", "firms_visited", "smes_reached", "visits"]

    figures = compute([indicator(code) for code in codes], YEAR_2018)

    assert {code: figures[code] for code in codes} == {
        "firms_reached": 3,
        "firms_visited": 2,  # small and large: remote_only was only called
        "smes_reached": 2,  # small and remote_only
        "visits": 7,
    }
    assert figures.by_partnership["firms_reached"] == {partnership_a.pk: 2, partnership_b.pk: 1}
    assert figures.by_partnership["firms_visited"] == {partnership_a.pk: 2, partnership_b.pk: 0}
    assert set(indicator("firms_visited").rows(YEAR_2018)) == {small, large}
    assert set(indicator("smes_reached").rows(YEAR_2018, partnership_b)) == {remote_only}


# (entry day, birth date): the whole years on the entry day, by hand.
AGES = {
    "leap_birth_before_birthday": (dt.date(2025, 2, 28), dt.date(2000, 2, 29), 24),
    "leap_birth_after_birthday": (dt.date(2025, 3, 1), dt.date(2000, 2, 29), 25),
    "leap_entry_day_before": (dt.date(2024, 2, 29), dt.date(1999, 3, 1), 24),
    "leap_entry_birthday_gone": (dt.date(2024, 2, 29), dt.date(1999, 2, 28), 25),
    "fifty_five_on_the_day": (dt.date(2018, 6, 1), dt.date(1963, 6, 1), 55),
    "fifty_five_tomorrow": (dt.date(2018, 6, 1), dt.date(1963, 6, 2), 54),
    "eighteen_on_the_day": (dt.date(2018, 6, 1), dt.date(2000, 6, 1), 18),
    "eighteen_tomorrow": (dt.date(2018, 6, 1), dt.date(2000, 6, 2), 17),
    "thirty_tomorrow": (dt.date(2018, 6, 1), dt.date(1988, 6, 2), 29),
    "thirty_on_the_day": (dt.date(2018, 6, 1), dt.date(1988, 6, 1), 30),
}


def test_ages_on_the_entry_day_at_the_edges(partnership_a):
    for n, (entry, birth, age) in enumerate(AGES.values(), 1):
        person = make_participant(partnership_a, n=n, entry=entry)
        Participant.objects.filter(pk=person.pk).update(birth_date=birth)
        person.refresh_from_db()
        assert person.age_on(entry) == age  # the model's rule agrees with the hand count
    codes = ["co06", "co07", "eeco05", "eeco06", "eeco07"]
    figures = compute([indicator(code) for code in codes], Period(dt.date(2018, 1, 1), dt.date(2025, 12, 31)))

    ages = [age for _entry, _birth, age in AGES.values()]
    assert {code: figures[code] for code in codes} == {
        "co06": sum(age < 25 for age in ages),  # 24, 24, 18, 17: 4
        "co07": sum(age >= 55 for age in ages),  # 1
        "eeco05": sum(age < 18 for age in ages),  # 1
        "eeco06": sum(18 <= age <= 29 for age in ages),  # 24, 25, 24, 25, 18, 29: 6
        "eeco07": sum(age >= 55 for age in ages),
    }
    assert (figures["co06"], figures["eeco05"], figures["eeco06"]) == (4, 1, 6)


def test_a_count_is_distinct_where_a_row_can_come_back_twice():
    forward = Visit.objects.values("company__partnership_id")
    reverse = Visit.objects.filter(consultants__organisation__isnull=False).values("company__partnership_id")
    through_subquery = Participant.objects.filter(pk__in=Enrollment.objects.values("participant_id"))
    through_enrolments = participant_indicators.ENTERED_BY_AXIS.scan(YEAR_2018).values("participant__partnership_id")

    assert not _multiplies(forward)
    assert _multiplies(reverse)
    assert not _multiplies(through_subquery)
    assert not _multiplies(through_enrolments)  # counted distinct all the same: through other rows


def test_hours_by_system_of_one_partnership_by_activity_firm_and_own_work(partnership_a, partnership_b):
    from reporting.indicators.activities import hours_by_system
    from tests.reporting.world import build_activities, build_world

    world = build_activities(build_world(partnership_a, partnership_b))

    # A: on its firm's activities P1 (10 + 8) and P3 (3), its own meeting (4); the submitted sheet is
    # left out. B: on its firm's activity P2 (5 + 12) and its firm F5 (2).
    assert hours_by_system(YEAR_2018, partnership=world.a) == {"business": Decimal(22), "employment": Decimal(3)}
    assert hours_by_system(YEAR_2018, partnership=world.b) == {"employment": Decimal(19)}
