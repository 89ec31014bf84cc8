"""The companies app's panels on the dashboard: the consultant's follow-ups, and the firm figures of
the user's partnerships (or the programme). Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from companies.selectors.firms import firms_mine
from kompetence.registry import Section
from partnerships.models import Role, User

FOLLOW_UP_HORIZON = dt.timedelta(days=14)


def follow_ups(*, user: User) -> dict[str, Any] | None:
    """The user's own follow-ups: overdue and due within two weeks, oldest first."""
    if user.role not in (Role.CONSULTANT, Role.SECRETARIAT):
        return None
    today = timezone.localdate()
    firms = list(
        firms_mine(user)
        .filter(next_follow_up_on__lte=today + FOLLOW_UP_HORIZON)
        .order_by("next_follow_up_on", "name")[:10]
    )
    return {"follow_ups": firms, "today": today}


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
    Section("case_totals", "companies/_dashboard_case_totals.html", case_totals, order=20),
]
