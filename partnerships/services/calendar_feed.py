"""The private calendar feed address: made, shown once, revoked.

The address carries a random secret; only its SHA-256 is stored, so the database alone does not
give anyone's calendar away. A new address revokes the old one; a revoked address answers 404.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from partnerships.models import CalendarFeedToken, User

# Subscribed calendars ask every few minutes; note the last use at most this often.
LAST_USED_RESOLUTION = dt.timedelta(hours=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def feed_token_create(*, user: User) -> str:
    """Make a new feed address for the user (revoking any earlier one) and return its secret."""
    feed_token_revoke(user=user)
    secret = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.create(user=user, token_hash=_hash(secret))
    return secret


@transaction.atomic
def feed_token_revoke(*, user: User) -> bool:
    """Revoke the user's feed address. Returns False when there was none."""
    return bool(CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def feed_user(secret: str) -> User | None:
    """The active user whose current feed address carries ``secret``, or None (revoked, unknown, inactive)."""
    token = feed_token(secret)
    return token.user if token is not None else None


def feed_token(secret: str) -> CalendarFeedToken | None:
    """The current feed address carrying ``secret`` of an active user (``.user`` loaded), or None."""
    if not secret or len(secret) > 100:
        return None
    token = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def feed_token_active(user: User) -> CalendarFeedToken | None:
    return CalendarFeedToken.objects.filter(user=user, revoked_at__isnull=True).first()
