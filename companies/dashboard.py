"""The companies app's panels on the dashboard: the consultant's follow-ups, and the firm figures of
the user's partnerships (or the programme). Each runs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from companies.selectors import followups
from kompetence.registry import Section
from partnerships.models import Role, User

# How many rows of each list the dashboard shows; "vis alle" leads to the whole list.
DASHBOARD_ROWS = 5


def follow_ups(*, user: User) -> dict[str, Any] | None:
    """The user's own follow-ups, overdue and due within two weeks: each with its count and the
    first few rows (three queries, whatever the numbers)."""
    if user.role not in (Role.CONSULTANT, Role.SECRETARIAT):
        return None
    today = timezone.localdate()
    counts = followups.follow_up_counts(user, today=today)
    return {
        "today": today,
        "overdue": list(followups.follow_ups(user, when=followups.OVERDUE, today=today)[:DASHBOARD_ROWS]),
        "overdue_count": counts[followups.OVERDUE],
        "upcoming": list(followups.follow_ups(user, when=followups.UPCOMING, today=today)[:DASHBOARD_ROWS]),
        "upcoming_count": counts[followups.UPCOMING],
    }


def drafts(*, user: User) -> dict[str, Any] | None:
    """The user's draft visits: the count and the newest few (two queries)."""
    if not user.has_perm("companies.change_visit") or user.role not in (Role.CONSULTANT, Role.SECRETARIAT):
        return None
    user_drafts = followups.drafts(user)
    return {"drafts": followups.draft_rows(user_drafts[:DASHBOARD_ROWS]), "drafts_count": user_drafts.count()}


def case_totals(*, user: User) -> dict[str, Any] | None:
    if not user.has_perm("companies.view_company"):
        return None
    year_start = timezone.localdate().replace(month=1, day=1)
    visits = (
        Visit.objects.for_user(user)
        .filter(status=Visit.Status.COMPLETED, visit_date__gte=year_start)
        .aggregate(all=Count("pk"), joint=Count("pk", filter=Q(kind=Visit.Kind.JOINT)))
    )
    context: dict[str, Any] = {
        "case_totals": {
            "firms": Company.objects.for_user(user).count(),
            "visits_this_year": visits["all"],
            "joint_visits_this_year": visits["joint"],
            "open_needs": CompetenceNeed.objects.for_user(user).open().count(),
        },
        "pending_proposals": None,
    }
    if user.has_perm("companies.view_agendaproposal"):
        context["pending_proposals"] = AgendaProposal.objects.for_user(user).pending().count()
    return context


SECTIONS = [
    Section("follow_ups", "companies/_dashboard_follow_ups.html", follow_ups, order=10),
    Section("drafts", "companies/_dashboard_drafts.html", drafts, order=11),
    Section("case_totals", "companies/_dashboard_case_totals.html", case_totals, order=20),
]
