"""The totals the activity and participant lists show ("5.657 aktiviteter"), kept per process.

Counting every plan or participant a user sees, with the filters, was the largest part of the lists'
database work (a hash join over every plan for a consultant, an index scan of every participant for
project management: bench/notes/act.md), and the page above it reads 51 rows. The total is the same
until a row it counts changes, so it is kept (``kompetence.memo``) under the user, what ``for_user``
decides on, and the filter values given; every save or delete of a model the totals depend on
empties it, in every process (``activities.portal`` connects ``COUNTS.changed`` to their signals):

- plans and participants (what is counted);
- firms (a plan's partnership is its firm's; the search reads the firm's name);
- memberships and partnerships (which rows a consultant sees);
- the catalogue's types, mappings, eligible activities and projects (the type and axis filters);
- an anonymisation run (it blanks names and sets ``anonymised_at`` with one ``UPDATE``, which sends
  no signal, and records its run in the same transaction).

Each total also expires after ``COUNTS.seconds``, which bounds what a change no signal reports leaves
behind (raw SQL, a ``QuerySet.update()`` elsewhere, a change made while Redis was unreachable).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from activities.models import ActivityPlan, AnonymisationRun, Participant
from companies.models import Company
from kompetence.filters import SORT_PARAMETER, ListFilterSet
from kompetence.memo import Memo
from partnerships.models import (
    ActivityType,
    ActivityTypeMapping,
    EligibleActivity,
    ESFProject,
    Membership,
    Partnership,
    User,
)
from partnerships.scoping import user_sees_everything

COUNTS = Memo("activities:list_counts", seconds=60)
COUNTED_MODELS = (
    ActivityPlan,
    Participant,
    Company,
    Membership,
    Partnership,
    AnonymisationRun,
    ActivityType,
    ActivityTypeMapping,
    EligibleActivity,
    ESFProject,
)


def counts_changed(**_signal_kwargs: Any) -> None:
    """A row a list total depends on was saved or deleted."""
    COUNTS.changed()


def list_total(queryset: QuerySet, *, filterset: ListFilterSet, user: User, name: str) -> int:
    """``queryset.count()`` (the filtered list), kept until a row it counts changes."""
    if filterset.invalid:
        return 0  # The list is empty; nothing to count.
    given = tuple(
        sorted(
            (key, str(filterset.data.get(key)))
            for key in filterset.filters
            if key != SORT_PARAMETER and filterset.given(key)
        )
    )
    key = (name, user.pk, user.is_active, user_sees_everything(user), given)
    return COUNTS.get(key, queryset.count)
