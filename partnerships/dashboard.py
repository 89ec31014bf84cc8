"""The partnerships app's panels on the dashboard: programme totals, pending invitations, the user's
partnerships and (for those who see everything) all partnerships. Each runs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from kompetence.registry import Section
from partnerships.models import Membership, Organisation, Partnership, Role, User
from partnerships.scoping import user_sees_everything


def _partnership_rows(queryset):
    return (
        queryset.select_related("secretariat")
        .prefetch_related("municipalities")
        .annotate(member_count=Count("memberships"))
    )


def programme_totals(*, user: User) -> dict[str, Any] | None:
    if not user_sees_everything(user):
        return None
    return {
        "totals": {
            "partnerships": Partnership.objects.filter(is_active=True).count(),
            "organisations": Organisation.objects.filter(is_active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
        }
    }


def pending_invitations(*, user: User) -> dict[str, Any] | None:
    if user.role != Role.ADMINISTRATOR:
        return None
    # Invited users have an unusable password (Django marks those with a leading "!").
    pending = User.objects.filter(password__startswith="!", is_active=True).count()  # noqa: S106
    return {"pending_invitations": pending}


def own_partnerships(*, user: User) -> dict[str, Any] | None:
    if user_sees_everything(user) and not user.partnership_ids:
        # Project management and administrators are members of no partnership by design; the
        # "all partnerships" panel below is theirs.
        return None
    lead_roles = dict(
        Membership.objects.filter(user=user).exclude(lead_role="").values_list("partnership_id", "lead_role")
    )
    return {
        "own_partnerships": _partnership_rows(Partnership.objects.in_partnerships_of(user)),
        "lead_roles": lead_roles,
    }


def all_partnerships(*, user: User) -> dict[str, Any] | None:
    if not user_sees_everything(user):
        return None
    return {"all_partnerships": _partnership_rows(Partnership.objects.all())}


SECTIONS = [
    Section("programme_totals", "partnerships/_dashboard_totals.html", programme_totals, order=30),
    Section("pending_invitations", "partnerships/_dashboard_admin.html", pending_invitations, order=40),
    Section("own_partnerships", "partnerships/_dashboard_own.html", own_partnerships, order=50),
    Section("all_partnerships", "partnerships/_dashboard_all.html", all_partnerships, order=60),
]
