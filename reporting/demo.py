"""Demo data of the reporting pages: programme targets for 2017-2019, each financial partner's signed
partnership declarations, an actual-pay hourly rate per partner organisation before the ESF standard
rate (1 September 2018), and one development goal with a review per partnership. Deterministic,
idempotent (nothing is added when the targets exist), bulk inserts."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from activities.models import TimeEntry
from partnerships.models import ESFProject, Organisation, Partnership, StaffCostRate
from reporting.models import GoalReview, PartnershipDeclaration, PartnershipGoal, Target

DEMO_NOTE = "Demodata: dokumenteret timeløn før standardsatsen."
# Yearly programme targets at scale 1 (multiplied by the scale for the counts of firms and people).
TARGETS = {
    "firms_reached": 120,
    "smes_reached": 100,
    "joint_visits": 40,
    "activities": 60,
    "participants": 150,
    "participants_axis1": 80,
    "participants_axis4": 70,
    "qualifying_started": 40,
    "cr04": 60,
}


def seed(*, rng: random.Random, scale: int = 1) -> dict[str, int]:
    if Target.objects.exists():
        return {"targets": 0, "declarations": 0, "rates": 0, "goals": 0}
    Target.objects.bulk_create(
        [
            Target(indicator=code, year=year, value=Decimal(value * scale), note="Demodata")
            for year in (2017, 2018, 2019)
            for code, value in TARGETS.items()
        ]
    )
    projects = list(ESFProject.objects.all())
    partners = list(
        Organisation.objects.filter(pk__in=TimeEntry.objects.values("user__organisation_id")).order_by("pk")
    )
    declarations = [
        PartnershipDeclaration(
            organisation=organisation,
            project=project,
            signed_on=dt.date(2017, 1, 15) + dt.timedelta(days=rng.randint(0, 40)),
            signed_by="Direktør",
            note="Demodata",
        )
        # One partner in ten has not signed for the axis-4 project yet: the budget page lists it.
        for index, organisation in enumerate(partners)
        for project in projects
        if not (project.axis == 4 and index % 10 == 9)
    ]
    PartnershipDeclaration.objects.bulk_create(declarations, ignore_conflicts=True)
    has_own = set(StaffCostRate.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True))
    rates = [
        StaffCostRate(
            organisation=organisation,
            method=StaffCostRate.Method.ACTUAL_PAY,
            hourly_rate=Decimal(rng.choice([325, 350, 375, 400, 425])),
            valid_from=dt.date(2017, 1, 1),
            valid_until=dt.date(2018, 8, 31),
            note=DEMO_NOTE,
        )
        for organisation in partners
        if organisation.pk not in has_own
    ]
    StaffCostRate.objects.bulk_create(rates)
    goals = []
    for partnership in Partnership.objects.order_by("pk"):
        goals.append(
            PartnershipGoal(
                partnership=partnership,
                title="Flere fælles virksomhedsbesøg på tværs af systemerne",
                description="Mindst hvert tredje besøg skal være fælles mellem to eller flere systemer.",
                indicator="joint_visits",
                target_value=Decimal(rng.randint(8, 20) * scale),
                start_on=dt.date(2018, 1, 1),
                due_on=dt.date(2018, 12, 31),
            )
        )
        goals.append(
            PartnershipGoal(
                partnership=partnership,
                title="En fælles forståelse af virksomhedernes kompetencebehov",
                start_on=dt.date(2018, 1, 1),
            )
        )
    PartnershipGoal.objects.bulk_create(goals)
    reviews = [
        GoalReview(
            goal=goal,
            reviewed_on=dt.date(2018, 6, 30),
            assessment=rng.choice([GoalReview.Assessment.ON_TRACK, GoalReview.Assessment.BEHIND]),
            note="Drøftet på selvevalueringen i juni.",
        )
        for goal in PartnershipGoal.objects.filter(indicator="joint_visits")
    ]
    GoalReview.objects.bulk_create(reviews)
    return {"targets": len(TARGETS) * 3, "declarations": len(declarations), "rates": len(rates), "goals": len(goals)}


def reset() -> None:
    GoalReview.objects.all().delete()
    PartnershipGoal.objects.all().delete()
    PartnershipDeclaration.objects.all().delete()
    Target.objects.all().delete()
    StaffCostRate.objects.filter(note=DEMO_NOTE).delete()
    # Deleting records history rows ("-"); the demo's rows were inserted without history, so their
    # deletion leaves none either: a reset gives the same rows as the first seed.
    for model in (PartnershipGoal, PartnershipDeclaration, Target):
        model.history.all().delete()
    StaffCostRate.history.filter(note=DEMO_NOTE).delete()


def summary(result: dict[str, int]) -> str:
    return (
        f"{result['targets']} programmål, {result['declarations']} partnerskabserklæringer, "
        f"{result['rates']} timesatser, {result['goals']} partnerskabsmål"
    )
