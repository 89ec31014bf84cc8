"""Fetching one object the user may see, in one step: the ``access_*`` functions.

Every view (and every task acting for a user) gets its objects through an ``access_*`` function of
the object's app (``partnerships.access``, ``companies.access`` ...). Each is built on ``access``
below, which

1. checks the role's permission first (403 ``PermissionDenied``; nothing is looked up, so a 403 says
   nothing about whether the object exists),
2. refuses ids that cannot be ids (not a whole number, or beyond a 64-bit integer) with 404,
3. fetches through ``for_user`` (``partnerships.scoping``), so an object outside the user's
   partnerships is 404, exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from kompetence.inputs import ascii_digits
from partnerships.models import Partnership, User
from partnerships.scoping import PartnershipScopedQuerySet

M = TypeVar("M", bound=models.Model)

# The largest primary key a BigAutoField can hold; longer numbers in a URL are not ids (and SQLite
# raises OverflowError on them).
MAX_ID = 2**63 - 1


def valid_id(value: Any) -> int:
    """``value`` as an id, or Http404."""
    text = str(value)
    if not ascii_digits(text) or len(text) > 19:
        raise Http404
    number = int(text)
    if not 0 < number <= MAX_ID:
        raise Http404
    return number


def access(queryset: models.QuerySet[M], user: User, pk: Any, *, perm: str | None = None) -> M:
    """The object ``pk`` of ``queryset`` if ``user`` may see it (and holds ``perm``), else 403/404.

    ``queryset`` must be scoped (its model's manager built from ``PartnershipScopedQuerySet``); it
    carries the ``select_related``/``prefetch_related`` the caller's page needs.
    """
    if not isinstance(queryset, PartnershipScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not a partnership-scoped model; use access_unscoped().")
    if perm is not None and not user.has_perm(perm):
        raise PermissionDenied
    try:
        return queryset.for_user(user).get(pk=valid_id(pk))
    except queryset.model.DoesNotExist:
        raise Http404 from None


def access_by(queryset: models.QuerySet[M], user: User, *, perm: str | None = None, **lookup: Any) -> M:
    """Like ``access``, by another unique field (a token, a code). Invalid values are 404."""
    if not isinstance(queryset, PartnershipScopedQuerySet):
        raise TypeError(f"{queryset.model.__name__} is not a partnership-scoped model.")
    if perm is not None and not user.has_perm(perm):
        raise PermissionDenied
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None


def access_unscoped(queryset: models.QuerySet[M], user: User, pk: Any, *, perm: str) -> M:
    """An object of a model that belongs to no partnership (users, organisations): the permission
    decides, so one is required."""
    if not user.has_perm(perm):
        raise PermissionDenied
    try:
        return queryset.get(pk=valid_id(pk))
    except queryset.model.DoesNotExist:
        raise Http404 from None


def access_partnership(user: User, pk: Any, *, perm: str | None = "partnerships.view_partnership") -> Partnership:
    return access(Partnership.objects.select_related("secretariat"), user, pk, perm=perm)


def access_user(user: User, pk: Any, *, perm: str = "partnerships.add_user") -> User:
    """Another person's account, for administrators (users are not scoped by partnership)."""
    return access_unscoped(User.objects.select_related("organisation"), user, pk, perm=perm)
