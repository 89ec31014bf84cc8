"""The partnerships app's panels on the dashboard: programme totals, pending invitations, the user's
partnerships and (for those who see everything) all partnerships. Each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse

from kompetence.registry import Section
from partnerships.models import Membership, Organisation, Partnership, Role, User
from partnerships.scoping import user_sees_everything


@dataclass(frozen=True)
class PartnershipRow:
    """A partnership in a dashboard table: plain values, so the context can be cached."""

    url: str
    name: str
    municipalities: str
    secretariat: str
    member_count: int
    lead_role: str = ""


def _partnership_rows(queryset, lead_roles: dict[int, str] | None = None) -> list[PartnershipRow]:
    """The table's rows (two queries: the partnerships with their member counts, their municipalities)."""
    partnerships = (
        queryset.select_related("secretariat")
        .prefetch_related("municipalities")
        .annotate(member_count=Count("memberships"))
    )
    detail = reverse("partnerships:detail", args=[987654321])
    return [
        PartnershipRow(
            url=detail.replace("987654321", str(p.pk)),
            name=p.name,
            municipalities=", ".join(m.name for m in p.municipalities.all()),
            secretariat=p.secretariat.name,
            member_count=p.member_count,
            lead_role=(lead_roles or {}).get(p.pk, ""),
        )
        for p in partnerships
    ]


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
    return {"own_partnerships": _partnership_rows(Partnership.objects.in_partnerships_of(user), lead_roles)}


def all_partnerships(*, user: User) -> dict[str, Any] | None:
    if not user_sees_everything(user):
        return None
    return {"all_partnerships": _partnership_rows(Partnership.objects.all())}


# What the partnership tables read (the memberships are a dependency of every cached panel).
TABLES = (
    "partnerships.Partnership",
    "partnerships.PartnershipMunicipality",
    "partnerships.Municipality",
    "partnerships.Organisation",
)

SECTIONS = [
    Section(
        "programme_totals",
        "partnerships/_dashboard_totals.html",
        programme_totals,
        order=30,
        depends_on=("partnerships.Partnership", "partnerships.Organisation", "partnerships.User"),
    ),
    Section(
        "pending_invitations",
        "partnerships/_dashboard_admin.html",
        pending_invitations,
        order=40,
        depends_on=("partnerships.User",),
    ),
    Section("own_partnerships", "partnerships/_dashboard_own.html", own_partnerships, order=50, depends_on=TABLES),
    Section("all_partnerships", "partnerships/_dashboard_all.html", all_partnerships, order=60, depends_on=TABLES),
]
