"""The consultant's own work in progress: follow-ups (overdue, and due within two weeks) and draft visits.

Shown on the dashboard (``companies.dashboard``) as counts with the first few rows, and in full on
"Dine opfølgninger" and "Dine kladder" (``views.firms.follow_up_list``, ``views.visits.draft_list``).
Everything starts from ``firms_mine`` or ``Visit.objects.for_user``, and every read is a fixed number
of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from companies.models import Company, Visit
from companies.selectors.firms import firms_mine
from partnerships.models import User

FOLLOW_UP_HORIZON = dt.timedelta(days=14)

OVERDUE = "overskredet"
UPCOMING = "kommende"
WHEN = (OVERDUE, UPCOMING)

# Keyset orderings: oldest follow-up first (the most overdue on top); drafts newest first.
FOLLOW_UP_KEYS = ("next_follow_up_on", "name", "pk")
DRAFT_KEYS = ("-visit_date", "-pk")


def _when(when: str, today: dt.date) -> Q:
    if when == OVERDUE:
        return Q(next_follow_up_on__lt=today)
    return Q(next_follow_up_on__gte=today, next_follow_up_on__lte=today + FOLLOW_UP_HORIZON)


def follow_ups(user: User, *, when: str, today: dt.date) -> QuerySet[Company]:
    """The user's firms (lead or visited) whose next follow-up is overdue, or due within two weeks
    (today included), in keyset order."""
    return firms_mine(user).filter(_when(when, today)).order_by(*FOLLOW_UP_KEYS)


def follow_up_counts(user: User, *, today: dt.date) -> dict[str, int]:
    """How many follow-ups are overdue and upcoming: one query."""
    # Both counts lie before the horizon: said once more outside the FILTERs, so PostgreSQL walks the
    # follow-up index instead of testing every firm of the partnerships.
    return (
        firms_mine(user)
        .filter(next_follow_up_on__lte=today + FOLLOW_UP_HORIZON)
        .aggregate(
            **{when: Count("pk", filter=_when(when, today)) for when in WHEN},
        )
    )


def drafts(user: User) -> QuerySet[Visit]:
    """The user's draft visits (as a participating consultant, or written by the user), newest first."""
    took_part = Visit.consultants.through.objects.filter(visit=OuterRef("pk"), user=user)
    return (
        Visit.objects.for_user(user)
        .filter(status=Visit.Status.DRAFT)
        .filter(Q(created_by=user) | Exists(took_part))
        .select_related("company")
        .only("visit_date", "kind", "updated_at", "company__name", "company__cvr")
        .order_by(*DRAFT_KEYS)
    )


@dataclass(frozen=True)
class DraftRow:
    """One draft visit in a list: the firm, the date and kind, and where to finish it."""

    firm: str
    cvr: str
    visit_date: dt.date
    kind: str
    updated_at: dt.datetime
    edit_url: str


def draft_rows(visits) -> list[DraftRow]:
    edit_pattern = reverse("companies:visit_update", args=[987654321])
    kinds = dict(Visit.Kind.choices)
    return [
        DraftRow(
            firm=visit.company.name,
            cvr=visit.company.cvr,
            visit_date=visit.visit_date,
            kind=str(kinds.get(visit.kind, visit.kind)),
            updated_at=visit.updated_at,
            edit_url=edit_pattern.replace("987654321", str(visit.pk)),
        )
        for visit in visits
    ]
