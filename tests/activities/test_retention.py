"""Retention: a configurable time after the programme's end, participants lose their CPR number, name
and contact details and keep their ESF facts, so every indicator is the same before and after."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q

from activities.models import AnonymisationRun, Participant
from activities.services import participant_document_add
from activities.services.retention import anonymisation_cutoff, anonymise_participants
from activities.tasks import anonymise_participants as anonymise_task
from tests.activities.factories import make_enrollment, make_participant, make_plan, scan
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def indicators() -> dict:
    """A few ESF counts computed from the stored facts, as the reporting work will (by gender)."""
    rows = Participant.objects.values("gender").annotate(
        total=Count("pk"),
        employed=Count("pk", filter=Q(employment_status="employed")),
        unemployed=Count("pk", filter=Q(employment_status="unemployed")),
        isced_3_4=Count("pk", filter=Q(isced__in=[3, 4])),
        in_employment_at_exit=Count("pk", filter=Q(result_employed=True)),
        enrolled=Count("enrollments"),
    )
    by_gender = {row["gender"]: row for row in rows}
    below_25 = sum(1 for p in Participant.objects.all() if p.age_at_entry < 25)
    return {"by_gender": by_gender, "below_25": below_25}


@pytest.fixture
def people(partnership_a, consultant_a):
    firm = CompanyFactory(partnership=partnership_a)
    plan = make_plan(firm, consultant_a)
    people = []
    for n in range(6):
        person = make_participant(
            partnership_a,
            n=n * 4000,
            employer=firm,
            employment_status="unemployed" if n % 3 == 0 else "employed",
            unemployed_months=8 if n % 3 == 0 else None,
            exit_date=dt.date(2018, 12, 31),
            result_employed=n % 2 == 0,
            email=f"person{n}@example.dk",
        )
        make_enrollment(plan, person)
        people.append(person)
    participant_document_add(participant=people[0], by=consultant_a, kind="startskema", file=scan("start.pdf"))
    return people


def test_nothing_is_anonymised_before_the_retention_period_ends(people, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 365
    assert anonymisation_cutoff() == dt.date(2020, 12, 30)

    run = anonymise_participants(today=dt.date(2020, 12, 29))

    assert run.participants == 0
    assert not Participant.objects.filter(anonymised_at__isnull=False).exists()


def test_anonymisation_removes_identity_keeps_the_facts_and_the_indicators(people, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 365
    before = indicators()

    run = anonymise_participants(today=dt.date(2021, 1, 1))

    assert (run.participants, run.documents) == (6, 1)
    assert AnonymisationRun.objects.get() == run
    rows = Participant.objects.values("cpr_token", "cpr_hash", "first_name", "last_name", "email", "phone")
    assert all(
        row == {"cpr_token": "", "cpr_hash": None, "first_name": "", "last_name": "", "email": "", "phone": ""}
        for row in rows
    )
    assert indicators() == before
    assert not people[0].documents.exists()
    # A second run finds nothing left to do.
    assert anonymise_participants(today=dt.date(2021, 1, 2)).participants == 0


def test_the_scheduled_task_reports_counts_only(people, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 0

    result = anonymise_task()

    assert result["participants"] == 6
    assert set(result) == {"participants", "documents", "cutoff"}
