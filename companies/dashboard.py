"""The companies app's panels on the dashboard: the consultant's follow-ups, and the firm figures of
the user's partnerships (or the programme). Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from companies.selectors import followups
from kompetence.cache import new_version, shared_version
from kompetence.registry import Section
from partnerships.models import Role, User
from partnerships.scoping import user_sees_everything

# How many rows of each list the dashboard shows; "vis alle" leads to the whole list.
DASHBOARD_ROWS = 5


@dataclass(frozen=True)
class FollowUpRow:
    """A firm in the follow-up panel: plain values, so the context can be cached and renders cheaply."""

    url: str
    name: str
    next_follow_up_on: dt.date
    due_today: bool


def follow_ups(*, user: User) -> dict[str, Any] | None:
    """The user's own follow-ups, overdue and due within two weeks: each with its count and the
    first few rows, in one query whatever the numbers.

    The same firms, order and counts as "Dine opfølgninger" (``followups.follow_ups`` and
    ``follow_up_counts``), read at once: each row is numbered and counted within its group (overdue
    or upcoming) and only the first few of each group are fetched. Three queries testing the user's
    visits three times cost the consultant's dashboard more than all its other panels together.
    """
    if user.role not in (Role.CONSULTANT, Role.SECRETARIAT):
        return None
    today = timezone.localdate()
    group = {"partition_by": [F("overdue")]}
    firms = (
        followups.firms_mine(user)
        .filter(next_follow_up_on__lte=today + followups.FOLLOW_UP_HORIZON)
        .annotate(
            overdue=ExpressionWrapper(Q(next_follow_up_on__lt=today), output_field=BooleanField()),
            place=Window(RowNumber(), order_by=[F(key) for key in followups.FOLLOW_UP_KEYS], **group),
            of=Window(Count("pk"), **group),
        )
        .filter(place__lte=DASHBOARD_ROWS)
        .order_by(*followups.FOLLOW_UP_KEYS)
        .values_list("pk", "name", "next_follow_up_on", "overdue", "of")
    )
    detail = reverse("companies:detail", args=[987654321])
    context: dict[str, Any] = {"overdue": [], "overdue_count": 0, "upcoming": [], "upcoming_count": 0}
    for pk, name, follow_up, overdue, of in firms:
        when = "overdue" if overdue else "upcoming"
        context[when].append(
            FollowUpRow(
                url=detail.replace("987654321", str(pk)),
                name=name,
                next_follow_up_on=follow_up,
                due_today=follow_up == today,
            )
        )
        context[f"{when}_count"] = of
    return context


def drafts(*, user: User) -> dict[str, Any] | None:
    """The user's draft visits: the count and the newest few (one query: the count is taken over all
    of them before the few are cut off)."""
    if not user.has_perm("companies.change_visit") or user.role not in (Role.CONSULTANT, Role.SECRETARIAT):
        return None
    newest = list(followups.drafts(user).annotate(of=Window(Count("pk")))[:DASHBOARD_ROWS])
    return {"drafts": followups.draft_rows(newest), "drafts_count": newest[0].of if newest else 0}


# The firm figures of a dashboard are counts over every visit and need of the user's partnerships
# (all of them for those who see everything): tens of milliseconds of database work at --scale 50,
# the same for everyone with the same partnerships. They are kept in the cache under a version that
# every change of a firm, visit, need or proposal replaces after its commit (``figures_changed``,
# connected in ``companies.portal``), so a dashboard never shows figures older than the last change
# it could see. CASE_TOTALS_SECONDS bounds what a change the signals cannot see (a raw SQL update, a
# change made while Redis was unreachable) can leave behind. Without the cache (Redis down) the
# figures are counted as before.
CASE_TOTALS_SECONDS = 120
_VERSION_KEY = "companies:case_totals:version"


def _figures_version() -> str:
    return shared_version(_VERSION_KEY) or "none"


def figures_changed(**_kwargs: Any) -> None:
    """A firm, visit, need or proposal was saved or deleted: the next dashboards count again.

    Now, and again after the commit: figures another request counts in between (from the data before
    the commit) are left behind under the version in between."""
    cache.set(_VERSION_KEY, new_version(), None)
    transaction.on_commit(lambda: cache.set(_VERSION_KEY, new_version(), None))


def _count_case_totals(user: User, *, year_start, with_proposals: bool) -> dict[str, Any]:
    visits = (
        Visit.objects.for_user(user)
        .filter(status=Visit.Status.COMPLETED, visit_date__gte=year_start)
        .aggregate(all=Count("pk"), joint=Count("pk", filter=Q(kind=Visit.Kind.JOINT)))
    )
    return {
        "case_totals": {
            "firms": Company.objects.for_user(user).count(),
            "visits_this_year": visits["all"],
            "joint_visits_this_year": visits["joint"],
            "open_needs": CompetenceNeed.objects.for_user(user).open().count(),
        },
        "pending_proposals": AgendaProposal.objects.for_user(user).pending().count() if with_proposals else None,
    }


def case_totals(*, user: User) -> dict[str, Any] | None:
    if not user.has_perm("companies.view_company"):
        return None
    year_start = timezone.localdate().replace(month=1, day=1)
    with_proposals = user.has_perm("companies.view_agendaproposal")
    # What for_user decides on, and nothing else: everything, or these partnerships.
    if not (user.is_authenticated and user.is_active):
        scope = "none"
    elif user_sees_everything(user):
        scope = "all"
    else:
        scope = ",".join(str(pk) for pk in sorted(user.partnership_ids))
    key = f"companies:case_totals:{_figures_version()}:{year_start:%Y}:{int(with_proposals)}:{scope}"
    context = cache.get(key)
    if context is None:
        context = _count_case_totals(user, year_start=year_start, with_proposals=with_proposals)
        cache.set(key, context, CASE_TOTALS_SECONDS)
    return context


SECTIONS = [
    # The follow-ups of the user's firms (lead, or a consultant of one of its visits).
    Section(
        "follow_ups",
        "companies/_dashboard_follow_ups.html",
        follow_ups,
        order=10,
        depends_on=("companies.Company", "companies.Visit"),
    ),
    Section(
        "drafts",
        "companies/_dashboard_drafts.html",
        drafts,
        order=11,
        depends_on=("companies.Visit", "companies.Company"),
    ),
    # Cached by itself, per partnership set rather than per user (above).
    Section("case_totals", "companies/_dashboard_case_totals.html", case_totals, order=20),
]
