"""Reads for the firm register pages: the firm list, "Mine virksomheder", search, and the one
deliberate look outside the user's partnerships (``companies_held_elsewhere``).

Every function starts from ``Company.objects.for_user(user)``, the scoping rule, except
``companies_held_elsewhere``, which is documented below and returns a fixed, minimal set of fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Upper

from companies.models import Company, ProductionUnit, Visit
from companies.validators import normalise_cvr
from partnerships.models import Membership, Municipality, Partnership, User
from partnerships.scoping import user_sees_everything

# The relations every row of a firm list shows; fetched in the same query (no N+1).
LIST_RELATED = ("municipality", "industry_section", "lead_consultant", "partnership")

REGION_MIDTJYLLAND = 1082

# The smallest name query that may look outside the user's partnerships. Shorter queries ("a")
# would match half the register; three letters make the box a look-up, not a listing.
HELD_ELSEWHERE_MIN_LENGTH = 3
HELD_ELSEWHERE_LIMIT = 10


@dataclass(frozen=True)
class SearchTerm:
    """What the user typed, understood as a CVR number, a P-number or part of a name."""

    kind: str  # "cvr", "p_number", "name" or "" (nothing typed)
    value: str


def parse_search(query: str | None) -> SearchTerm:
    """8 digits are a CVR number, 10 digits a P-number (spaces, dashes and "DK" allowed); else a name."""
    text = (query or "").strip()
    if not text:
        return SearchTerm("", "")
    compact = normalise_cvr(text)
    if compact.isdigit() and len(compact) == 8:
        return SearchTerm("cvr", compact)
    digits = re.sub(r"[\s-]", "", text)
    if digits.isdigit() and len(digits) == 10:
        return SearchTerm("p_number", digits)
    return SearchTerm("name", text[:200])


def firm_search(queryset: QuerySet[Company], term: SearchTerm, *, fuzzy: bool = False) -> QuerySet[Company]:
    """Narrow ``queryset`` to the firms matching ``term``.

    A name is matched with ``icontains``; on PostgreSQL that is ``UPPER(name) LIKE UPPER('%…%')``,
    which the trigram GIN index ``company_name_trgm`` (migration 0002) answers without a table scan.
    ``fuzzy=True`` (PostgreSQL only) matches similar names instead, for typos ("Vestas Wnd"); it uses
    the same index through ``UPPER(name) % UPPER(query)``.
    """
    if term.kind == "cvr":
        return queryset.filter(cvr=term.value)
    if term.kind == "p_number":
        # A subquery, not a join, so a firm never appears twice.
        return queryset.filter(pk__in=ProductionUnit.objects.filter(p_number=term.value).values("company_id"))
    if term.kind == "name":
        if fuzzy:
            return queryset.alias(name_upper=Upper("name")).filter(name_upper__trigram_similar=term.value.upper())
        return queryset.filter(name__icontains=term.value)
    return queryset


def fuzzy_search_available() -> bool:
    return connection.vendor == "postgresql"


def firms_for_list(user: User) -> QuerySet[Company]:
    """The firms the user may see, with what a list row shows."""
    return Company.objects.for_user(user).select_related(*LIST_RELATED)


def firms_mine(user: User) -> QuerySet[Company]:
    """Firms where the user is lead consultant or took part in a visit (each firm once)."""
    took_part = Visit.objects.filter(company=OuterRef("pk"), consultants=user)
    return firms_for_list(user).filter(Q(lead_consultant=user) | Exists(took_part))


# Keyset orderings of "Mine virksomheder": follow-up dates ascending puts overdue (oldest first)
# and due follow-ups at the top, then later ones, then firms without a follow-up, by name.
MINE_KEYS = ("next_follow_up_on", "name", "pk")


def municipality_choices(user: User) -> QuerySet[Municipality]:
    """The region's municipalities covered by the user's partnerships (all 19 for those who see everything)."""
    municipalities = Municipality.objects.filter(region_code=REGION_MIDTJYLLAND)
    if user_sees_everything(user):
        return municipalities
    return municipalities.filter(coverage__partnership__in=Partnership.objects.for_user(user).values("pk"))


def region_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(region_code=REGION_MIDTJYLLAND)


def lead_consultant_choices(user: User) -> QuerySet[User]:
    """People who may be a firm's lead: active members of the partnerships the user sees."""
    members = Membership.objects.filter(partnership__in=Partnership.objects.for_user(user).values("pk"))
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


def companies_held_elsewhere(user: User, query: str | None) -> list[dict[str, Any]]:
    """Firms matching ``query`` that are held by a partnership the user cannot see.

    This is the one read that deliberately crosses the scoping rule, so that two systems do not
    call on the same firm without knowing of each other ("no double outreach"). It therefore
    returns, by design, only:

    * ``name`` and ``cvr`` of the firm,
    * ``partnership_name``: the partnership holding it,
    * ``contact_name``, ``contact_email``, ``contact_phone``: whom to call, namely the firm's lead
      consultant, or, when the firm has none, the partnership's coordinator (tovholder), with
      ``contact_is_lead`` saying which.

    Never notes, visits, needs, status, contacts at the firm, or the firm's primary key (so a page
    cannot link to it). To keep it a look-up and not a way to list the register, the query must
    be a full CVR number, a full P-number or at least three letters of a name, and at most
    ``HELD_ELSEWHERE_LIMIT`` rows are returned.
    """
    if user_sees_everything(user) or not (user.is_authenticated and user.is_active):
        return []
    term = parse_search(query)
    if term.kind == "" or (term.kind == "name" and len(term.value) < HELD_ELSEWHERE_MIN_LENGTH):
        return []
    outside = Company.objects.exclude(pk__in=Company.objects.for_user(user).values("pk"))
    coordinator = Membership.objects.filter(
        partnership=OuterRef("partnership"), lead_role=Membership.LeadRole.COORDINATOR, user__is_active=True
    ).order_by("pk")
    coordinator_name = coordinator.annotate(
        full=Concat("user__first_name", Value(" "), "user__last_name", output_field=CharField())
    ).values("full")[:1]
    has_lead = Q(lead_consultant__isnull=False)
    rows = (
        firm_search(outside, term)
        .annotate(
            partnership_name=F("partnership__name"),
            contact_is_lead=Case(When(has_lead, then=Value(True)), default=Value(False)),
            contact_name=Case(
                When(
                    has_lead,
                    then=Concat(
                        "lead_consultant__first_name",
                        Value(" "),
                        "lead_consultant__last_name",
                        output_field=CharField(),
                    ),
                ),
                default=Subquery(coordinator_name),
                output_field=CharField(),
            ),
            contact_email=Case(
                When(has_lead, then=F("lead_consultant__email")),
                default=Subquery(coordinator.values("user__email")[:1]),
                output_field=CharField(),
            ),
            contact_phone=Case(
                When(has_lead, then=F("lead_consultant__phone")),
                default=Subquery(coordinator.values("user__phone")[:1]),
                output_field=CharField(),
            ),
        )
        .order_by("name", "pk")
        .values(
            "name",
            "cvr",
            "partnership_name",
            "contact_is_lead",
            "contact_name",
            "contact_email",
            "contact_phone",
        )[:HELD_ELSEWHERE_LIMIT]
    )
    return list(rows)
