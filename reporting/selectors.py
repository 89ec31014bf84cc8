"""Reads for the dashboards. Each dashboard makes a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from companies.models import AgendaProposal, Company, CompetenceNeed, Visit
from companies.selectors.firms import firms_mine
from partnerships.models import Membership, Organisation, Partnership, Role, User

FOLLOW_UP_HORIZON = dt.timedelta(days=14)


def dashboard_context(*, user: User) -> dict[str, Any]:
    role = user.role
    own = (
        Partnership.objects.in_partnerships_of(user)
        .select_related("secretariat")
        .prefetch_related("municipalities")
        .annotate(member_count=Count("memberships"))
    )
    lead_roles = dict(
        Membership.objects.filter(user=user).exclude(lead_role="").values_list("partnership_id", "lead_role")
    )
    context: dict[str, Any] = {"role": role, "own_partnerships": own, "lead_roles": lead_roles}
    today = timezone.localdate()
    if role in (Role.CONSULTANT, Role.SECRETARIAT):
        # The consultant's own follow-ups: overdue and due within two weeks, oldest first.
        context["follow_ups"] = list(
            firms_mine(user)
            .filter(next_follow_up_on__lte=today + FOLLOW_UP_HORIZON)
            .order_by("next_follow_up_on", "name")[:10]
        )
        context["today"] = today
    if user.has_perm("companies.view_agendaproposal"):
        context["pending_proposals"] = AgendaProposal.objects.for_user(user).pending().count()
    if user.has_perm("companies.view_company"):
        year_start = today.replace(month=1, day=1)
        visits = (
            Visit.objects.for_user(user)
            .filter(status=Visit.Status.COMPLETED, visit_date__gte=year_start)
            .aggregate(all=Count("pk"), joint=Count("pk", filter=Q(kind=Visit.Kind.JOINT)))
        )
        context["case_totals"] = {
            "firms": Company.objects.for_user(user).count(),
            "visits_this_year": visits["all"],
            "joint_visits_this_year": visits["joint"],
            "open_needs": CompetenceNeed.objects.for_user(user).open().count(),
        }
    if user.sees_everything:
        context["totals"] = {
            "partnerships": Partnership.objects.filter(is_active=True).count(),
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
        }
        context["all_partnerships"] = (
            Partnership.objects.select_related("secretariat")
            .prefetch_related("municipalities")
            .annotate(member_count=Count("memberships"))
        )
    if role == Role.ADMINISTRATOR:
        # Invited users have an unusable password (Django marks those with a leading "!").
        context["pending_invitations"] = User.objects.filter(
            password__startswith="!",  # noqa: S106
            is_active=True,
        ).count()
    return context
