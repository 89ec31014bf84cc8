"""Retention (issue 10, item 6): anonymising participants removes who they were, never what they count
for. Every reporting indicator, totals, per partnership and broken down by gender, age group, employment
status and education, is the same before and after the anonymisation run."""

from __future__ import annotations

import datetime as dt

import pytest

from activities.models import Participant
from activities.services.retention import anonymise_participants
from reporting.indicators.base import compute
from reporting.indicators.catalogue import all_indicators
from reporting.periods import Period
from tests.activities.factories import make_enrollment, make_participant, make_plan
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db

PROGRAMME = Period(dt.date(2017, 1, 1), dt.date(2020, 12, 31))
BREAKDOWNS = ("gender", "employment_status", "isced", "birth_date")


def _everything() -> dict:
    figures = {}
    for field in BREAKDOWNS:
        result = compute(
            all_indicators(),
            PROGRAMME,
            breakdown=dict.fromkeys(("participants_entered", "participants_left"), field),
        )
        figures[field] = (result.totals, result.by_partnership, result.breakdown)
    return figures


def test_every_indicator_is_the_same_after_participants_are_anonymised(partnership_a, consultant_a, settings):
    firm = CompanyFactory(partnership=partnership_a)
    plan = make_plan(firm, consultant_a)
    for n in range(8):
        person = make_participant(
            partnership_a,
            n=n * 1000 + n,
            employer=firm,
            employment_status=("unemployed", "employed", "inactive")[n % 3],
            unemployed_months=8 if n % 3 == 0 else None,
            exit_date=dt.date(2018, 6, 30) if n % 2 else dt.date(2018, 12, 31),
            result_employed=n % 2 == 0,
            email=f"person{n}@example.dk",
        )
        make_enrollment(plan, person)
    before = _everything()
    totals = before["gender"][0]
    assert (totals["participants"], totals["co01"], totals["co05"]) == (8, 3, 3)

    settings.PARTICIPANT_RETENTION_DAYS = 1
    run = anonymise_participants(today=dt.date(2021, 6, 1))

    assert run.participants == 8
    assert not Participant.objects.exclude(cpr_token="").exists()
    assert _everything() == before
