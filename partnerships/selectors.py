"""Reads about partnerships that other apps need: who covers a municipality, who are a partnership's
members, the region's municipalities."""

from __future__ import annotations

from django.db.models import QuerySet

from partnerships.models import REGION_MIDTJYLLAND, Membership, Municipality, Partnership, User


def partnership_for_municipality(municipality: Municipality | None) -> Partnership | None:
    """The partnership covering the municipality (a municipality belongs to at most one)."""
    if municipality is None:
        return None
    return Partnership.objects.filter(coverage__municipality=municipality).first()


def partnership_members(partnership_id: int) -> QuerySet[User]:
    """The people who may do case work for a partnership's firms: its active members."""
    members = Membership.objects.filter(partnership_id=partnership_id).values("user_id")
    return User.objects.filter(is_active=True, pk__in=members)


def region_municipalities() -> QuerySet[Municipality]:
    """The 19 municipalities of Region Midtjylland."""
    return Municipality.objects.filter(region_code=REGION_MIDTJYLLAND)
