"""The private calendar feed as it is served: rendered once, kept in the cache until something it
shows changes.

Calendar programs ask for the feed every few minutes, and rendering it (a year back and everything
coming, a few hundred events, through icalendar) costs some 300 ms. The rendered bytes are kept in
the cache (``FEED_CACHE_SECONDS``) under a key made of exactly what the feed depends on:

- the user and the feed address (a renewed address is a new key; a revoked one answers 404 before
  the cache is asked, ``calendar_feed.feed_token``);
- the user's partnerships, as their ids (a new or removed seat is a new key);
- a **version** per partnership, replaced by every change of what the feed shows of it: a meeting
  saved or deleted (planned, edited, moved, cancelled, approved), an agenda item saved, deleted or
  reordered, the partnership or its secretariat renamed, a member (as presenter) renamed. The
  receivers are connected in ``meetings_portal.register``; the one bulk write the signals cannot see
  (``agenda_reorder``) calls ``partnerships_changed`` itself;
- the language and the settings the feed prints (the portal address, the organizer).

A version is replaced at once and again after the commit, as the dashboard figures are
(``companies.dashboard.figures_changed``): a feed another request renders in between, from the data
before the commit, is left behind under the version in between. ``FEED_CACHE_SECONDS`` bounds what
a change the signals cannot see (raw SQL, a ``QuerySet.update()``, a change made while Redis was
unreachable) can leave behind.

The cache is the portal's fail-soft one (``kompetence.cache``): while Redis is away the versions
cannot be read, and every request renders the feed as before, never one that may be stale.

Each rendering carries an ETag (a digest of its bytes) and its time as Last-Modified, so a calendar
program that asks again with ``If-None-Match``/``If-Modified-Since`` gets 304 until the feed changes.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from partnerships.models import AgendaItem, Meeting, Membership, Organisation, Partnership, User

# How long a rendered feed is kept at most (the bound on what an unseen change leaves behind); also
# what subscribed calendars are told to wait before asking again (Cache-Control in the view).
FEED_CACHE_SECONDS = 15 * 60
# Raised when what the feed prints changes shape, so entries of an older deployment are never served.
FORMAT = 1

_VERSION = "partnerships:feed:v:{}"
# A version outlives every feed kept under it; when it expires, the next feed is simply rendered anew.
_VERSION_SECONDS = 24 * 60 * 60
# The fields of a user that a feed prints (an agenda item's presenter); a save of others (the last
# login, the password) leaves every feed alone.
_USER_FIELDS = {"first_name", "last_name", "email"}


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes
    etag: str  # quoted, as the header carries it
    last_modified: int  # seconds since the epoch (HTTP dates have no finer resolution)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def _versions(partnership_ids: list[int]) -> str | None:
    """The partnerships' current versions as one digest; None while the cache cannot keep them."""
    keys = [_VERSION.format(pk) for pk in partnership_ids]
    if not keys:
        return "none"
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, uuid.uuid4().hex, _VERSION_SECONDS)
        found = cache.get_many(keys)  # what another request may have added first
        if any(key not in found for key in keys):
            return None  # the cache does not answer (Redis down): nothing is kept
    return hashlib.sha256(":".join(str(found[key]) for key in keys).encode()).hexdigest()


def _key(user_id: int, token_id: int, versions: str) -> str:
    printed = f"{settings.PORTAL_BASE_URL}|{settings.MEETING_ORGANIZER_EMAIL}"
    scope = hashlib.sha256(f"{FORMAT}|{get_language()}|{printed}|{versions}".encode()).hexdigest()
    return f"partnerships:feed:{user_id}:{token_id}:{scope}"


def _render(user: User) -> RenderedFeed:
    from partnerships.meeting_selectors import feed_calendar

    body = feed_calendar(user)
    return RenderedFeed(
        body=body,
        etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        last_modified=int(timezone.now().timestamp()),
    )


def rendered_feed(*, user: User, token_id: int) -> RenderedFeed:
    """The user's feed, from the cache when nothing it shows has changed since it was rendered.

    Two queries and two cache look-ups when it is kept (the feed address is read by the caller);
    rendering adds the feed's own two."""
    partnership_ids = sorted(Membership.objects.filter(user_id=user.pk).values_list("partnership_id", flat=True))
    versions = _versions(partnership_ids)
    if versions is None:
        return _render(user)
    key = _key(user.pk, token_id, versions)
    feed = cache.get(key)
    if isinstance(feed, RenderedFeed):
        return feed
    feed = _render(user)
    cache.set(key, feed, FEED_CACHE_SECONDS)
    return feed


# ---------------------------------------------------------------------------
# Invalidation
# ---------------------------------------------------------------------------
def partnerships_changed(partnership_ids: Iterable[int]) -> None:
    """What the feeds show of these partnerships changed: their members' next feeds are rendered anew.

    Now, and again after the commit (see the module docstring)."""
    keys = [_VERSION.format(pk) for pk in set(partnership_ids) if pk is not None]
    if not keys:
        return

    def replace() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, _VERSION_SECONDS)

    replace()
    transaction.on_commit(replace)


def _meeting_saved(sender: Any, instance: Meeting, **_kwargs: Any) -> None:
    partnerships_changed([instance.partnership_id])


def _agenda_item_saved(sender: Any, instance: AgendaItem, **_kwargs: Any) -> None:
    if AgendaItem.meeting.is_cached(instance) and instance.meeting is not None:
        partnerships_changed([instance.meeting.partnership_id])
    else:
        partnerships_changed(Meeting.objects.filter(pk=instance.meeting_id).values_list("partnership_id", flat=True))


def _partnership_saved(sender: Any, instance: Partnership, **_kwargs: Any) -> None:
    partnerships_changed([instance.pk])


def _organisation_saved(sender: Any, instance: Organisation, **_kwargs: Any) -> None:
    # The organizer's name is the secretariat's.
    partnerships_changed(Partnership.objects.filter(secretariat_id=instance.pk).values_list("pk", flat=True))


def _user_saved(sender: Any, instance: User, update_fields: Iterable[str] | None = None, **_kwargs: Any) -> None:
    if update_fields is not None and not _USER_FIELDS.intersection(update_fields):
        return
    # A member's name is printed where they present a point of the agenda.
    partnerships_changed(Membership.objects.filter(user_id=instance.pk).values_list("partnership_id", flat=True))


def connect() -> None:
    """Connect the receivers (from ``meetings_portal.register``, once per process)."""
    from django.db.models.signals import post_delete, post_save

    for model, receiver in (
        (Meeting, _meeting_saved),
        (AgendaItem, _agenda_item_saved),
        (Partnership, _partnership_saved),
        (Organisation, _organisation_saved),
    ):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(receiver, sender=model, dispatch_uid=f"partnerships.feed_cache.{model.__name__}.{name}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="partnerships.feed_cache.User")
