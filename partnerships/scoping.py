"""The one place that decides which rows a user may see.

Every model whose rows belong to a partnership gets a manager built from
``PartnershipScopedQuerySet`` and names the path to its partnership in ``partnership_path``
(``"partnership"``, ``"company__partnership"``, or ``"pk"`` for Partnership itself). Views never
filter by membership themselves: they start from ``Model.objects.for_user(request.user)``, so an
object outside the user's partnerships is simply not found (404).

Konsulent and Sekretariat see their own partnerships' rows. Projektledelse and Administrator see
everything. Anonymous and inactive users see nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.apps import apps
from django.db import models

if TYPE_CHECKING:
    from partnerships.models import User


def user_sees_everything(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.sees_everything)


def member_partnership_ids(user: User) -> models.QuerySet:
    """The ids of the user's partnerships, as a subquery (never a Python list, so rows never duplicate)."""
    membership = apps.get_model("partnerships", "Membership")
    return membership.objects.filter(user_id=user.pk).values("partnership_id")


class PartnershipScopedQuerySet(models.QuerySet):
    """A queryset that knows where its rows' partnership is, and can narrow itself to a user."""

    partnership_path: str = "partnership"

    def for_user(self, user: User) -> Self:
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user_sees_everything(user):
            return self.all()
        return self.filter(**{f"{self.partnership_path}__in": member_partnership_ids(user)})

    def in_partnerships_of(self, user: User) -> Self:
        """Rows in the user's own partnerships, whatever the role (e.g. "my partnerships' firms")."""
        return self.filter(**{f"{self.partnership_path}__in": member_partnership_ids(user)})
