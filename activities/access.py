"""The ``access_*`` functions of the activities app: one object the user may see, in one step.

Built on ``partnerships.access.access``: the permission first (403), then the scoping rule (404 for what
is outside the user's partnerships, or for hours and timesheets another person's, exactly as for what
does not exist). Views and tasks get plans, participants, enrolments, hours and scans only through these.
"""

from __future__ import annotations

from typing import Any

from activities.models import (
    ActivityPlan,
    Declaration,
    Enrollment,
    Participant,
    ParticipantDocument,
    Recruitment,
    TimeEntry,
    Timesheet,
)
from partnerships.access import access
from partnerships.models import User

PLAN_SHAPE = (
    "company__partnership",
    "activity_type",
    "type_mapping__eligible_activity__project",
    "type_mapping__budget_line",
    "responsible__organisation",
    "organisation",
    "decision",
)


def access_plan(user: User, pk: Any, *, perm: str | None = "activities.view_activityplan") -> ActivityPlan:
    return access(ActivityPlan.objects.select_related(*PLAN_SHAPE), user, pk, perm=perm)


def access_enrollment(user: User, pk: Any, *, perm: str | None = "activities.view_enrollment") -> Enrollment:
    shape = ["participant", *(f"plan__{name}" for name in PLAN_SHAPE)]
    return access(Enrollment.objects.select_related(*shape), user, pk, perm=perm)


def access_participant(user: User, pk: Any, *, perm: str | None = "activities.view_participant") -> Participant:
    return access(Participant.objects.select_related("partnership", "employer"), user, pk, perm=perm)


def access_document(
    user: User, pk: Any, *, perm: str | None = "activities.view_participantdocument"
) -> ParticipantDocument:
    return access(ParticipantDocument.objects.select_related("participant"), user, pk, perm=perm)


def access_recruitment(user: User, pk: Any, *, perm: str | None = "activities.view_recruitment") -> Recruitment:
    return access(Recruitment.objects.select_related("company__partnership", "project"), user, pk, perm=perm)


def access_declaration(user: User, pk: Any, *, perm: str | None = "activities.view_declaration") -> Declaration:
    return access(Declaration.objects.select_related("recruitment__company"), user, pk, perm=perm)


def access_timesheet(user: User, pk: Any, *, perm: str | None = "activities.view_timesheet") -> Timesheet:
    return access(Timesheet.objects.select_related("user__organisation", "approved_by"), user, pk, perm=perm)


def access_time_entry(user: User, pk: Any, *, perm: str | None = "activities.delete_timeentry") -> TimeEntry:
    return access(TimeEntry.objects.select_related("timesheet"), user, pk, perm=perm)
