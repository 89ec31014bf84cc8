"""A small hand-made world for the indicator tests, with every number worked out by hand.

Two partnerships, A (Aarhus) and B (Herning), with consultants from the three systems; the period is
2018. What each row is there to prove is written next to it; the expected values are in
``EXPECTED_2018`` (whole programme) and ``EXPECTED_2018_A`` / ``_B`` (per partnership).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from companies.models import CaseStatus, CompetenceNeed, Decision, Visit
from partnerships.models import Meeting, MeetingKind, Partnership, System
from partnerships.models.evaluation import Dimension, SelfEvaluation, SelfEvaluationResult
from tests.companies.factories import CompanyFactory, CompetenceNeedFactory, VisitFactory
from tests.partnerships.meeting_factories import member_in

CPH = timezone.get_default_timezone()


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


@dataclass
class World:
    a: Partnership
    b: Partnership
    people: dict[str, Any] = field(default_factory=dict)
    firms: dict[str, Any] = field(default_factory=dict)


EXPECTED_2018 = {
    "firms_reached": 4,  # F1, F2, F4, F5 (F3's only 2018 visit is a draft; its completed one is in 2017)
    "firms_visited": 3,  # F1, F4, F5 (F2 was only reached by phone)
    "smes_reached": 2,  # F1 (25 staff), F4 (40); F2 has 300, F5's size is unknown
    "visits": 5,  # F1 x2, F2, F4, F5
    "joint_visits": 2,  # F1 in March (business + employment), F4 (all three); F5's two are both jobcentre
    "needs_found": 3,  # N1 (at a 2018 visit), N2 (no visit, recorded 2018), N5 (recorded 31.12 23:30 local)
    "needs_covered": 2,  # N1, N5
    "decisions": 2,  # D1, D2 at M1; D3's meeting starts 1 January 2019 00:30 local time
    "meetings_held": 2,  # M1 (held), M4 (approved); M3 cancelled, M5 only planned, M2 in 2019
}
EXPECTED_2018_A = {
    "firms_reached": 2,
    "firms_visited": 1,
    "smes_reached": 1,
    "visits": 3,
    "joint_visits": 1,
    "needs_found": 2,
    "needs_covered": 1,
    "decisions": 2,
    "meetings_held": 1,
}
EXPECTED_2018_B = {code: EXPECTED_2018[code] - EXPECTED_2018_A[code] for code in EXPECTED_2018}


def _set_created(obj, moment: dt.datetime) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def build_world(a: Partnership, b: Partnership) -> World:
    world = World(a=a, b=b)
    p = world.people
    p["bus_a"] = member_in(a, system=System.BUSINESS, email="erhverv.a@example.dk")
    p["emp_a"] = member_in(a, system=System.EMPLOYMENT, email="job.a@example.dk")
    p["bus_b"] = member_in(b, system=System.BUSINESS, email="erhverv.b@example.dk")
    p["emp_b"] = member_in(b, system=System.EMPLOYMENT, email="job.b@example.dk")
    p["edu_b"] = member_in(b, system=System.EDUCATION, email="skole.b@example.dk")
    # A second jobcentre consultant in B, from the same organisation as emp_b.
    p["emp_b2"] = member_in(b, system=System.EMPLOYMENT, email="job2.b@example.dk")

    f = world.firms
    f["F1"] = CompanyFactory(name="F1 Smedie ApS", partnership=a, employees=25, status=CaseStatus.VISITED)
    f["F2"] = CompanyFactory(name="F2 Koncern A/S", partnership=a, employees=300)
    f["F3"] = CompanyFactory(name="F3 Mikro ApS", partnership=a, employees=5)
    f["F4"] = CompanyFactory(name="F4 Plast ApS", partnership=b, employees=40)
    f["F5"] = CompanyFactory(name="F5 Ukendt ApS", partnership=b, employees=None)

    completed, draft = Visit.Status.COMPLETED, Visit.Status.DRAFT
    v = {}
    v["F1_march"] = VisitFactory(
        company=f["F1"], visit_date=dt.date(2018, 3, 1), kind=Visit.Kind.FIRST, consultants=[p["bus_a"], p["emp_a"]]
    )
    v["F1_june"] = VisitFactory(
        company=f["F1"], visit_date=dt.date(2018, 6, 1), kind=Visit.Kind.REMOTE, consultants=[p["bus_a"]]
    )
    v["F2_phone"] = VisitFactory(
        company=f["F2"], visit_date=dt.date(2018, 5, 10), kind=Visit.Kind.REMOTE, consultants=[p["emp_a"]]
    )
    v["F3_draft"] = VisitFactory(
        company=f["F3"], visit_date=dt.date(2018, 9, 1), status=draft, consultants=[p["bus_a"], p["emp_a"]]
    )
    v["F3_2017"] = VisitFactory(company=f["F3"], visit_date=dt.date(2017, 12, 31), status=completed)
    v["F4_dec"] = VisitFactory(
        company=f["F4"],
        visit_date=dt.date(2018, 12, 31),
        kind=Visit.Kind.FOLLOW_UP,
        consultants=[p["bus_b"], p["emp_b"], p["edu_b"]],
    )
    v["F4_2019"] = VisitFactory(company=f["F4"], visit_date=dt.date(2019, 1, 1), consultants=[p["bus_b"], p["emp_b"]])
    v["F5_joint_kind"] = VisitFactory(
        company=f["F5"], visit_date=dt.date(2018, 1, 1), kind=Visit.Kind.JOINT, consultants=[p["emp_b"], p["emp_b2"]]
    )
    world.visits = v

    n = {}
    covered, identified = CompetenceNeed.Status.COVERED, CompetenceNeed.Status.IDENTIFIED
    n["N1"] = CompetenceNeedFactory(company=f["F1"], visit=v["F1_march"], status=covered)
    n["N2"] = CompetenceNeedFactory(company=f["F1"], visit=None, status=identified)
    _set_created(n["N2"], local(2018, 7, 1))
    # Recorded in 2018, but found at a visit on 31 December 2017: the visit's date counts.
    n["N3"] = CompetenceNeedFactory(company=f["F3"], visit=v["F3_2017"], status=covered)
    _set_created(n["N3"], local(2018, 2, 1))
    n["N4"] = CompetenceNeedFactory(company=f["F4"], visit=None, status=covered)
    _set_created(n["N4"], local(2019, 1, 2))
    # 23:30 on New Year's Eve in Copenhagen is 22:30 UTC: still 2018.
    n["N5"] = CompetenceNeedFactory(company=f["F4"], visit=None, status=covered)
    _set_created(n["N5"], local(2018, 12, 31, 23, 30))
    world.needs = n

    def meeting(partnership, start, status):
        return Meeting.objects.create(
            partnership=partnership,
            kind=MeetingKind.choices[0][0],
            start=start,
            end=start + dt.timedelta(hours=2),
            status=status,
        )

    m = {}
    m["M1"] = meeting(a, local(2018, 4, 10), Meeting.Status.HELD)
    m["M2"] = meeting(a, local(2019, 1, 1, 0, 30), Meeting.Status.HELD)
    m["M3"] = meeting(b, local(2018, 6, 1), Meeting.Status.CANCELLED)
    m["M4"] = meeting(b, local(2018, 11, 1), Meeting.Status.APPROVED)
    m["M5"] = meeting(a, local(2018, 12, 1), Meeting.Status.PLANNED)
    world.meetings = m

    def decision(company, at):
        return Decision.objects.create(
            company=company,
            meeting=at,
            text="Uddannelsesplan for operatørerne.",
            lead_consultant=p["emp_a"],
            deadline=dt.date(2019, 3, 1),
            case_status=CaseStatus.AGREED,
        )

    world.decisions = {
        "D1": decision(f["F1"], m["M1"]),
        "D2": decision(f["F2"], m["M1"]),
        "D3": decision(f["F1"], m["M2"]),
    }

    def evaluation(partnership, title, start, end, levels, status=SelfEvaluation.Status.CLOSED):
        round_ = SelfEvaluation.objects.create(
            partnership=partnership, title=title, period_start=start, period_end=end, status=status
        )
        for dimension, level in levels.items():
            SelfEvaluationResult.objects.create(
                evaluation=round_, dimension=dimension, level=level, justification="Drøftet i styregruppen."
            )
        return round_

    d1, d2 = Dimension.SHARED_UNDERSTANDING, Dimension.COORDINATION
    world.evaluations = {
        # A: 2.5 in the first half of 2018 (rounds to 3, klub), 3.5 in the second (4), an open round in 2019.
        "A1": evaluation(a, "1. halvår 2018", dt.date(2018, 1, 1), dt.date(2018, 6, 30), {d1: 2, d2: 3}),
        "A2": evaluation(a, "2. halvår 2018", dt.date(2018, 7, 1), dt.date(2018, 12, 31), {d1: 3, d2: 4}),
        "A3": evaluation(
            a, "1. halvår 2019", dt.date(2019, 1, 1), dt.date(2019, 6, 30), {d1: 5, d2: 5}, SelfEvaluation.Status.OPEN
        ),
        # B: 1.5 (rounds to 2, between kantine and klub).
        "B1": evaluation(b, "1. halvår 2018", dt.date(2018, 1, 1), dt.date(2018, 6, 30), {d1: 1, d2: 2}),
    }
    return world


# --- Activities, hours and costs (budget against spend; activity indicators) -----------------------
#
# Rates: bus_a's organisation has its own actual-pay rate of 400 kr. for 1 January-31 August 2018;
# from 1 September 2018 the shipped standard of 250 kr. applies to everyone. emp_b's organisation has
# no rate before September, so its hours then cannot be priced (uncosted). The axis-4 project uses the
# 40 % flat rate here; the axis-1 project does not.
#
# 2018, approved hours:                                 hours  rate  staff   +40 %  line
#   bus_a  P1 (uddannelsesplan, axis 4)   5 Mar          10    400   4,000   1,600  efteruddannelse
#   bus_a  P1                             3 Sep           8    250   2,000     800  efteruddannelse
#   bus_a  partnership A, meeting (axis 1) 4 Sep          4    250   1,000       -  partnerskab
#   emp_b  P2 (HR-chef til leje, axis 1)  6 Mar           5      -  uncosted       -
#   emp_b  P2                             1 Oct          12    250   3,000       -  kompetenceforsyning
#   emp_b  firm F5, outreach (axis 1)     2 Oct           2    250     500       -  kompetenceforsyning
# not counted: bus_a 6 h on P1 in a submitted (unapproved) week; emp_a 3 h on P3 (RKV towards an
# education: not charged); emp_b 4 h on P2 in January 2019.
# Direct costs: P1 course fee 7,500 (10 Apr), P2 HR service 12,000 (1 Nov); not counted: P3's 1,000
# (not charged), P1's 500 in 2019.
SPEND_2018 = {
    "total": Decimal("32400.00"),
    "hours": Decimal("36"),
    "uncosted_hours": Decimal("5"),
    "by_kind": {"hours": Decimal("10500.00"), "surcharge": Decimal("2400.00"), "costs": Decimal("19500.00")},
    "by_line": {
        "efteruddannelse": Decimal("15900.00"),
        "partnerskab": Decimal("1000.00"),
        "kompetenceforsyning": Decimal("15500.00"),
    },
    "by_axis": {4: Decimal("15900.00"), 1: Decimal("16500.00")},
    "financing": {"esf": Decimal("16200.00"), "region": Decimal("6480.00"), "anden-offentlig": Decimal("9720.00")},
    "A": Decimal("16900.00"),
    "B": Decimal("15500.00"),
    "Q1": Decimal("5600.00"),
}


def _sheet(user, monday: dt.date, status=None):
    from activities.models import Timesheet

    return Timesheet.objects.get_or_create(
        user=user, week_start=monday, defaults={"status": status or Timesheet.Status.APPROVED}
    )[0]


def build_activities(world: World) -> World:
    from activities.models import ActivityPlan, Cost, TimeEntry, Timesheet
    from partnerships.models import ESFProject, StaffCostRate
    from reporting.models import PartnershipDeclaration
    from tests.activities.factories import make_plan

    p, f = world.people, world.firms
    S = ActivityPlan.Status
    axis1 = ESFProject.objects.get(code="vaekstrettet")
    axis4 = ESFProject.objects.get(code="erhvervsfaglige")
    ESFProject.objects.filter(pk=axis4.pk).update(uses_flat_rate=True, flat_rate_percent=Decimal("40"))
    StaffCostRate.objects.create(
        organisation=p["bus_a"].organisation,
        method=StaffCostRate.Method.ACTUAL_PAY,
        hourly_rate=Decimal("400"),
        valid_from=dt.date(2018, 1, 1),
        valid_until=dt.date(2018, 8, 31),
    )
    plans = world.plans = {}
    plans["P1"] = make_plan(
        f["F1"], p["bus_a"], type_code="uddannelsesplan", start=dt.date(2018, 3, 1), status=S.IN_PROGRESS
    )
    plans["P2"] = make_plan(
        f["F4"],
        p["emp_b"],
        type_code="hr-chef-til-leje",
        start=dt.date(2018, 2, 1),
        end=dt.date(2018, 10, 31),
        status=S.COMPLETED,
        actual_end=dt.date(2018, 10, 31),
    )
    plans["P3"] = make_plan(
        f["F1"],
        p["emp_a"],
        type_code="rkv-uddannelse",
        start=dt.date(2018, 4, 1),
        end=dt.date(2018, 5, 1),
        status=S.COMPLETED,
        actual_end=dt.date(2018, 5, 1),
    )
    plans["P4"] = make_plan(
        f["F2"], p["bus_a"], type_code="vaekststrategi", start=dt.date(2019, 2, 1), end=dt.date(2019, 6, 30)
    )
    plans["P5"] = make_plan(
        f["F4"],
        p["bus_b"],
        type_code="netvaerk",
        start=dt.date(2018, 6, 1),
        end=dt.date(2018, 12, 31),
        status=S.CANCELLED,
    )

    def hours(user, day, amount, *, project, status=None, **target):
        monday = day - dt.timedelta(days=day.weekday())
        TimeEntry.objects.create(
            user=user,
            timesheet=_sheet(user, monday, status),
            day=day,
            hours=Decimal(amount),
            project=project,
            kind=target.pop("kind", TimeEntry.Kind.DELIVERY),
            **target,
        )

    hours(p["bus_a"], dt.date(2018, 3, 5), 10, project=axis4, plan=plans["P1"])
    hours(p["bus_a"], dt.date(2018, 9, 3), 8, project=axis4, plan=plans["P1"])
    hours(p["bus_a"], dt.date(2018, 9, 4), 4, project=axis1, partnership=world.a, kind=TimeEntry.Kind.MEETING)
    hours(p["bus_a"], dt.date(2018, 9, 12), 6, project=axis4, plan=plans["P1"], status=Timesheet.Status.SUBMITTED)
    hours(p["emp_b"], dt.date(2018, 3, 6), 5, project=axis1, plan=plans["P2"])
    hours(p["emp_b"], dt.date(2018, 10, 1), 12, project=axis1, plan=plans["P2"])
    hours(p["emp_b"], dt.date(2018, 10, 2), 2, project=axis1, company=f["F5"], kind=TimeEntry.Kind.OUTREACH)
    hours(p["emp_a"], dt.date(2018, 10, 3), 3, project=axis4, plan=plans["P3"])
    hours(p["emp_b"], dt.date(2019, 1, 7), 4, project=axis1, plan=plans["P2"])

    def cost(plan, day, amount, kind=Cost.Kind.COURSE_FEE):
        Cost.objects.create(plan=plan, incurred_on=day, kind=kind, description="Udgift", amount=Decimal(amount))

    cost(plans["P1"], dt.date(2018, 4, 10), "7500")
    cost(plans["P2"], dt.date(2018, 11, 1), "12000", Cost.Kind.SERVICE)
    cost(plans["P3"], dt.date(2018, 5, 1), "1000")
    cost(plans["P1"], dt.date(2019, 1, 10), "500")

    PartnershipDeclaration.objects.create(
        organisation=p["bus_a"].organisation, project=axis4, signed_on=dt.date(2017, 12, 1), signed_by="Direktør"
    )
    return world


# --- Participants (ESF CO/CR and ESF+), qualifying education, headcounts ---------------------------
#
#      partn. employer born        entry       status (months)   ISCED  facts            axis  exit
#  Q1  A      F1       1960-03-10  2018-02-01  employed          3                       4     2018-06-30
#  Q2  A      F1       1995-05-20  2018-03-01  unemployed (8)    2      migrant           4     2018-11-15
#  Q3  B      -        1970-01-15  2018-04-01  inactive          5      disability declined 1  2018-09-01
#  Q4  B      F4       1962-12-31  2018-12-31  employed          7      other disadv., rural 1 -
#  Q5  B      F4       1980-06-01  2017-11-01  employed          4                       1     2017-12-15
#  Q6  A      F2       1985-01-01  2019-01-02  employed          6                       1     -
# Q4 turns 56 on the day they enter (over 54); Q2 is 22 and unemployed 8 months: long-term (over 6 under 25).
# Results at exit: Q1 qualification + employed; Q2 in education + employed; Q3 job searching.
# Six months on: Q1 (exit 30 June -> 30 December 2018) employed and improved; Q5 (exit 15 December 2017 ->
# 15 June 2018) employed, not improved. Q3's six months fall in 2019.
# Qualifying lines (axis 4): Q1 on P1 completed 15 June 2018; Q2 on P1 enrolled from 1 September 2018
# (and a non-qualifying course completed); Q4 a qualifying line on P2, an axis-1 activity (not counted).
# Headcounts of F4 (axis 1b): 40 on 1 February 2018, 44 on 1 December 2018, 50 on 1 March 2019; F1's
# (axis 4 only) do not count.
PARTICIPANTS_2018 = {
    "participants": 4,
    "participants_axis1": 2,
    "participants_axis4": 2,
    "co01": 1,
    "co02": 1,
    "co03": 1,
    "co04": 1,
    "co05": 2,
    "co06": 1,
    "co07": 2,
    "co08": 0,
    "co09": 1,
    "co10": 1,
    "co11": 2,
    "co15": 1,
    "co16": 0,
    "co17": 1,
    "co18": 0,
    "co19": 1,
    "eeco05": 0,
    "eeco06": 1,
    "eeco07": 2,
    "eeco08": 1,
    "eeco13_15": 1,
    "participants_left": 3,
    "cr01": 1,
    "cr02": 1,
    "cr03": 1,
    "cr04": 2,
    "cr05": 1,
    "eecr01": 1,
    "participants_six_months": 2,
    "cr06": 2,
    "cr07": 1,
    "cr08": 1,
    "cr09": 0,
    "eecr05": 2,
    "eecr06": 1,
    "qualifying_started": 2,
    "qualifying_completed": 1,
    # activities
    "activities": 3,  # P1, P2, P3 (P5 cancelled, P4 a draft in 2019)
    "activities_started": 3,
    "activities_completed": 2,  # P2, P3
    "activities_axis1": 1,  # P2
    "activities_axis4": 2,  # P1, P3
    "firms_supported": 2,  # F1, F4
    "smes_supported": 2,
}
PARTICIPANTS_2018_A = {"participants": 2, "co07": 1, "cr04": 2, "qualifying_started": 2, "activities": 2}
GENDER_2018 = {"woman": 2, "man": 2}


def _person(partnership, n, born, entry, **fields):
    from activities import crypto
    from activities.models import Participant
    from tests.activities.factories import synthetic_cpr

    number = synthetic_cpr(n, born=born)
    # synthetic_cpr adds n days to born; n = 0 keeps the birth date exact.
    return Participant.objects.create(
        partnership=partnership,
        cpr_token=crypto.encrypt(number),
        cpr_hash=crypto.keyed_hash(number),
        birth_date=born,
        entry_date=entry,
        first_name=f"Deltager{n}",
        last_name="Jensen",
        **fields,
    )


def build_participants(world: World) -> World:
    from activities.models import Enrollment, Headcount, Participant, TrainingLine
    from activities.models.participants import YesNoDeclined, YesNoUnknown

    f, plans = world.firms, world.plans
    E = Participant.EmploymentStatus
    d = dt.date
    people = world.participants = {}
    people["Q1"] = _person(
        world.a,
        0,
        d(1960, 3, 10),
        d(2018, 2, 1),
        gender="woman",
        employer=f["F1"],
        employment_status=E.EMPLOYED,
        isced=3,
        exit_date=d(2018, 6, 30),
        result_qualification=True,
        result_employed=True,
        result_in_education=False,
        result_job_searching=False,
        result6_employed=True,
        result6_improved=True,
    )
    people["Q2"] = _person(
        world.a,
        0,
        d(1995, 5, 20),
        d(2018, 3, 1),
        gender="man",
        employer=f["F1"],
        employment_status=E.UNEMPLOYED,
        unemployed_months=8,
        isced=2,
        migrant=YesNoDeclined.YES,
        exit_date=d(2018, 11, 15),
        result_in_education=True,
        result_employed=True,
    )
    people["Q3"] = _person(
        world.b,
        0,
        d(1970, 1, 15),
        d(2018, 4, 1),
        gender="woman",
        employment_status=E.INACTIVE,
        isced=5,
        disability=YesNoDeclined.DECLINED,
        exit_date=d(2018, 9, 1),
        result_job_searching=True,
    )
    people["Q4"] = _person(
        world.b,
        0,
        d(1962, 12, 31),
        d(2018, 12, 31),
        gender="man",
        employer=f["F4"],
        employment_status=E.EMPLOYED,
        isced=7,
        other_disadvantage=YesNoDeclined.YES,
        rural=YesNoUnknown.YES,
    )
    people["Q5"] = _person(
        world.b,
        0,
        d(1980, 6, 1),
        d(2017, 11, 1),
        gender="woman",
        employer=f["F4"],
        employment_status=E.EMPLOYED,
        isced=4,
        exit_date=d(2017, 12, 15),
        result6_employed=True,
        result6_improved=False,
    )
    people["Q6"] = _person(
        world.a,
        0,
        d(1985, 1, 1),
        d(2019, 1, 2),
        gender="man",
        employer=f["F2"],
        employment_status=E.EMPLOYED,
        isced=6,
    )

    def enrol(plan, person, start):
        return Enrollment.objects.create(plan=plan, participant=person, start_date=start)

    e1 = enrol(plans["P1"], people["Q1"], d(2018, 3, 1))
    e2 = enrol(plans["P1"], people["Q2"], d(2018, 3, 1))
    enrol(plans["P3"], people["Q2"], d(2018, 4, 1))
    enrol(plans["P2"], people["Q3"], d(2018, 4, 1))
    e4 = enrol(plans["P2"], people["Q4"], d(2018, 12, 31))
    enrol(plans["P2"], people["Q5"], d(2017, 11, 1))
    enrol(plans["P4"], people["Q6"], d(2019, 2, 1))

    L = TrainingLine.Status

    def line(enrollment, start, end, status, qualifying=True):
        TrainingLine.objects.create(
            enrollment=enrollment,
            other_education="Industrioperatør",
            start_date=start,
            end_date=end,
            days=Decimal(5),
            status=status,
            qualifying=qualifying,
        )

    line(e1, d(2018, 3, 1), d(2018, 6, 15), L.COMPLETED)
    line(e1, d(2018, 11, 1), d(2019, 2, 1), L.PLANNED)
    line(e2, d(2018, 9, 1), d(2019, 3, 1), L.ENROLLED)
    line(e2, d(2018, 5, 1), d(2018, 10, 1), L.COMPLETED, qualifying=False)
    line(e4, d(2018, 12, 31), d(2019, 1, 31), L.ENROLLED)

    def headcount(company, day, employees):
        Headcount.objects.create(
            company=company,
            counted_on=day,
            employees=employees,
            occasion=Headcount.Occasion.OTHER,
            source=Headcount.Source.FIRM,
        )

    headcount(f["F4"], d(2018, 2, 1), 40)
    headcount(f["F4"], d(2018, 12, 1), 44)
    headcount(f["F4"], d(2019, 3, 1), 50)
    headcount(f["F1"], d(2018, 3, 1), 25)
    headcount(f["F1"], d(2018, 12, 1), 30)
    return world
