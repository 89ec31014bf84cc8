"""Demo data for activities: ESF recruitments with declarations, activity plans of every type in every
status with their details, about 1,500 participants (per ``scale``) with synthetic CPR numbers,
enrolments, training lines and RKV results, headcounts, costs, and consultants' hours in timesheets.

Called by ``manage.py seed_demo`` after the companies' and the meetings' demo data, whose firms and
consultants it uses (order 40).

- **Deterministic.** Everything is drawn from the ``rng`` passed in; rows are read in a fixed order.
- **Idempotent.** If any demo plan exists the demo counts as loaded and nothing is added.
- **Fast.** Rows are built in Python and written with ``bulk_create`` (see ``build``).
- **Consistent with the firms.** Plans go to firms whose case reached a decision: closed cases have
  completed (or cancelled) plans from the programme years 2017-2019; cases in progress have running
  ones; agreed cases have drafts and approved plans. Every started plan's firm is recruited into the
  plan's ESF project, with its three declarations signed before the start. Participants work for the
  firm (jobrotation substitutes are unemployed, without an employer).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from activities.demo.build import Builder, write
from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    AnonymisationRun,
    Cost,
    CprReveal,
    Declaration,
    Enrollment,
    Headcount,
    HRForHireDetail,
    JobrotationDetail,
    NetworkDetail,
    NetworkMeeting,
    Participant,
    ParticipantDocument,
    ParticipantFormPrint,
    PlacementDetail,
    Recruitment,
    RKVResult,
    TimeEntry,
    Timesheet,
    TrainingLine,
)


@dataclass
class Seeded:
    plans: int = 0
    participants: int = 0
    enrollments: int = 0
    hours: int = 0
    created: bool = True


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if ActivityPlan.objects.filter(is_demo=True).exists():
        return _counts(created=False)
    builder = Builder(rng=rng, scale=scale)
    builder.build()
    write(builder)
    return _counts(created=True)


def reset() -> None:
    """Delete every activity, participant and hour: the companies' reset, which runs next, deletes every
    firm, and these point at firms. The AMU catalogue and the euro rates (reference data) stay."""
    for model in (
        TimeEntry,
        Timesheet,
        CprReveal,
        ParticipantDocument,
        ParticipantFormPrint,
        TrainingLine,
        RKVResult,
        Enrollment,
        Cost,
        NetworkMeeting,
        NetworkDetail,
        HRForHireDetail,
        JobrotationDetail,
        PlacementDetail,
        ActivityStatusChange,
        Declaration,
        Recruitment,
        Headcount,
        AnonymisationRun,
    ):
        model.objects.all().delete()
    ActivityPlan.consultants.through.objects.all().delete()
    ActivityPlan.needs.through.objects.all().delete()
    ActivityPlan.objects.all().delete()
    Participant.history.model.objects.all().delete()
    Participant.objects.all()._raw_delete(Participant.objects.db)


def summary(result: Seeded) -> str:
    text = (
        f"{_thousands(result.plans)} aktiviteter, {_thousands(result.participants)} deltagere, "
        f"{_thousands(result.enrollments)} tilmeldinger, {_thousands(result.hours)} tidsregistreringer"
    )
    return text if result.created else f"{text} (fandtes allerede, intet tilføjet)"


def _counts(*, created: bool) -> Seeded:
    return Seeded(
        plans=ActivityPlan.objects.count(),
        participants=Participant.objects.count(),
        enrollments=Enrollment.objects.count(),
        hours=TimeEntry.objects.count(),
        created=created,
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")
