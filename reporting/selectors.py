"""Reads for the dashboards. Each dashboard makes a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from partnerships.models import Membership, Organisation, Partnership, Role, User


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
