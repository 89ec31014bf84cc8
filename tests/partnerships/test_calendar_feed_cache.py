"""The calendar feed is rendered once and kept (partnerships.feed_cache): a subscribed calendar sees
every change at its next request, gets 304 while nothing changed, and the feed still answers, never
stale, when Redis is down."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from uuid import uuid4

import pytest
from django.urls import reverse
from icalendar import Calendar

from kompetence import cache as fail_soft_cache
from partnerships.localtime import local_datetime
from partnerships.models import AgendaItem, MeetingKind, Membership
from partnerships.services import calendar_feed
from partnerships.services import meetings as services
from tests.factories import PartnershipFactory
from tests.faults import unused_port

pytestmark = pytest.mark.django_db

DAY = dt.date(2027, 5, 4)


def _path(secret: str) -> str:
    return reverse("partnerships:calendar_feed", args=[secret])


def _events(response) -> dict[str, dict]:
    assert response.status_code == 200, response.status_code
    return {
        str(e["UID"]): {
            "summary": str(e["SUMMARY"]),
            "location": str(e.get("LOCATION", "")),
            "start": e["DTSTART"].dt,
            "description": str(e["DESCRIPTION"]),
            "organizer": str(e["ORGANIZER"].params.get("CN", "")),
        }
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    }


def _uid(meeting) -> str:
    return f"{meeting.uid}@kompetenceportalen"


@pytest.fixture
def plan(secretariat_a, partnership_a) -> Callable[..., object]:
    def make(*, days: int = 0, title: str = "Styregruppen", partnership=None, by=None, **fields):
        start = local_datetime(DAY + dt.timedelta(days=days), dt.time(9))
        return services.meeting_create(
            partnership=partnership or partnership_a,
            kind=MeetingKind.STEERING,
            start=start,
            end=start + dt.timedelta(hours=2),
            title=title,
            by=by or secretariat_a,
            lead=None,
            **fields,
        )

    return make


# Each change a member's calendar must show at its next request. A change is prepared (the feed is
# read after that), then made: ``prepare(ctx)`` returns ``(make, shows)``, ``shows(events)`` is true
# of the feed once the change is in it.
class Ctx:
    def __init__(self, **values):
        self.__dict__.update(values)


def _edit(c):
    def make():
        services.meeting_update(meeting=c.meeting, by=c.secretariat, location="Jobcenter Aarhus, lokale 4")

    return make, lambda events: events[_uid(c.meeting)]["location"] == "Jobcenter Aarhus, lokale 4"


def _move(c):
    start = local_datetime(DAY + dt.timedelta(days=1), dt.time(13))

    def make():
        services.meeting_update(meeting=c.meeting, by=c.secretariat, start=start, end=start + dt.timedelta(hours=1))

    return make, lambda events: events[_uid(c.meeting)]["start"] == start


def _cancel(c):
    def make():
        services.meeting_cancel(meeting=c.meeting, by=c.secretariat, reason="Sygdom")

    return make, lambda events: _uid(c.meeting) not in events


def _create(c):
    made = []

    def make():
        made.append(c.plan(days=7, title="Ekstra møde"))

    return make, lambda events: len(events) == 2 and _uid(made[0]) in events


def _agenda(c):
    def make():
        services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Nyt fra jobcentret")

    return make, lambda events: "Nyt fra jobcentret" in events[_uid(c.meeting)]["description"]


def _agenda_edited(c):
    item = services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Nyt fra jobcentret")

    def make():
        services.agenda_item_update(item=item, by=c.secretariat, title="Nyt fra erhvervsservice")

    return make, lambda events: "Nyt fra erhvervsservice" in events[_uid(c.meeting)]["description"]


def _agenda_removed(c):
    item = services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Nyt fra jobcentret")

    def make():
        services.agenda_item_remove(item=AgendaItem.objects.get(pk=item.pk), by=c.secretariat)

    return make, lambda events: "Nyt fra jobcentret" not in events[_uid(c.meeting)]["description"]


def _reorder(c):
    first = services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Punkt A")
    second = services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Punkt B")

    def make():
        services.agenda_reorder(meeting=c.meeting, by=c.secretariat, item_ids=[second.pk, first.pk])

    return make, lambda events: "1. Punkt B" in events[_uid(c.meeting)]["description"]


def _presenter_renamed(c):
    services.agenda_item_add(meeting=c.meeting, by=c.secretariat, title="Oplæg", presenter=c.member)

    def make():
        c.member.last_name = "Omdøbt"
        c.member.save()

    return make, lambda events: "Bo Omdøbt" in events[_uid(c.meeting)]["description"]


def _partnership_renamed(c):
    def make():
        c.partnership.name = "LKS Alfa og Omegn"
        c.partnership.save()

    return make, lambda events: events[_uid(c.meeting)]["summary"].endswith("LKS Alfa og Omegn")


def _secretariat_renamed(c):
    def make():
        c.partnership.secretariat.name = "VEU-center Nyt Navn"
        c.partnership.secretariat.save()

    return make, lambda events: events[_uid(c.meeting)]["organizer"].startswith("VEU-center Nyt Navn")


def _joins(c):
    other = PartnershipFactory(name="LKS Gamma")
    Membership.objects.create(user=c.secretariat, partnership=other, lead_role=Membership.LeadRole.COORDINATOR)
    theirs = c.plan(partnership=other, title="Gammas møde", days=3)

    def make():
        Membership.objects.create(user=c.member, partnership=other)

    return make, lambda events: _uid(theirs) in events


def _leaves(c):
    def make():
        Membership.objects.filter(user=c.member, partnership=c.partnership).delete()

    return make, lambda events: _uid(c.meeting) not in events


CHANGES = {
    "meeting edited": _edit,
    "meeting moved": _move,
    "meeting cancelled": _cancel,
    "meeting created": _create,
    "agenda item added": _agenda,
    "agenda item edited": _agenda_edited,
    "agenda item removed": _agenda_removed,
    "agenda reordered": _reorder,
    "presenter renamed": _presenter_renamed,
    "partnership renamed": _partnership_renamed,
    "secretariat renamed": _secretariat_renamed,
    "member joins a partnership": _joins,
    "member leaves the partnership": _leaves,
}


@pytest.mark.parametrize("change", CHANGES)
def test_the_feed_shows_a_change_at_the_next_request(
    change, plan, secretariat_a, business_a, partnership_a, client, django_capture_on_commit_callbacks
):
    meeting = plan()
    secret = calendar_feed.feed_token_create(user=business_a)
    ctx = Ctx(meeting=meeting, secretariat=secretariat_a, member=business_a, partnership=partnership_a, plan=plan)
    make, shows = CHANGES[change](ctx)
    before = client.get(_path(secret))
    assert not shows(_events(before))
    assert client.get(_path(secret))["ETag"] == before["ETag"]  # kept while nothing changes
    with django_capture_on_commit_callbacks(execute=True):
        make()
    after = client.get(_path(secret))
    assert shows(_events(after))
    assert after["ETag"] != before["ETag"]


def test_a_renewed_address_gives_the_feed_and_the_old_one_404(plan, business_a, client):
    plan()
    old = calendar_feed.feed_token_create(user=business_a)
    assert client.get(_path(old)).status_code == 200
    new = calendar_feed.feed_token_create(user=business_a)
    assert client.get(_path(old)).status_code == 404
    assert len(_events(client.get(_path(new)))) == 1
    calendar_feed.feed_token_revoke(user=business_a)
    assert client.get(_path(new)).status_code == 404


def test_a_members_feed_is_their_own_in_a_shared_cache(plan, business_a, consultant_b, client):
    """Two users with feeds in the same cache each get their own partnerships' meetings."""
    plan()
    mine = calendar_feed.feed_token_create(user=business_a)
    theirs = calendar_feed.feed_token_create(user=consultant_b)
    assert len(_events(client.get(_path(mine)))) == 1
    assert _events(client.get(_path(theirs))) == {}
    assert len(_events(client.get(_path(mine)))) == 1


# ---------------------------------------------------------------------------
# Conditional requests: calendar programs that send back what they were given get 304
# ---------------------------------------------------------------------------
def test_a_calendar_that_sends_back_the_etag_gets_304_until_the_feed_changes(
    plan, secretariat_a, business_a, client, django_capture_on_commit_callbacks
):
    meeting = plan()
    secret = calendar_feed.feed_token_create(user=business_a)
    first = client.get(_path(secret))
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    again = client.get(_path(secret), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(_path(secret), headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, by=secretariat_a, location="Et andet lokale")
    changed = client.get(_path(secret), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert _events(changed)[_uid(meeting)]["location"] == "Et andet lokale"


# ---------------------------------------------------------------------------
# Queries: constant, cold and kept
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("count", [2, 25])
def test_the_feed_uses_a_constant_number_of_queries_whether_kept_or_not(
    count, plan, secretariat_a, business_a, client, django_assert_max_num_queries
):
    for n in range(count):
        meeting = plan(days=n * 7)
        services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    secret = calendar_feed.feed_token_create(user=business_a)
    # Rendered: the address (and its last use), the partnerships, the meetings, their agendas.
    with django_assert_max_num_queries(5):
        first = client.get(_path(secret))
    assert len(_events(first)) == count
    # Kept: the address and the partnerships.
    with django_assert_max_num_queries(2):
        assert client.get(_path(secret)).content == first.content


# ---------------------------------------------------------------------------
# Redis: the portal's fail-soft cache, reachable and not
# ---------------------------------------------------------------------------
def _redis_cache(settings, url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "kompetence.cache.FailSoftRedisCache",
            "LOCATION": url,
            # Our own keys only: the developer's Redis (and the Celery queue in it) is never flushed.
            "KEY_PREFIX": f"test-{uuid4()}",
            "OPTIONS": {
                "socket_connect_timeout": settings.REDIS_TIMEOUT_SECONDS,
                "socket_timeout": settings.REDIS_TIMEOUT_SECONDS,
            },
        }
    }
    fail_soft_cache.reset_state()


def test_with_redis_down_the_feed_is_rendered_every_time_and_never_stale(
    settings, plan, secretariat_a, business_a, client, django_capture_on_commit_callbacks
):
    _redis_cache(settings, f"redis://127.0.0.1:{unused_port()}/0")
    try:
        meeting = plan()
        secret = calendar_feed.feed_token_create(user=business_a)
        assert len(_events(client.get(_path(secret)))) == 1
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_update(meeting=meeting, by=secretariat_a, location="Et andet lokale")
        assert _events(client.get(_path(secret)))[_uid(meeting)]["location"] == "Et andet lokale"
    finally:
        fail_soft_cache.reset_state()


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real Redis)")
def test_with_redis_the_feed_is_kept_and_a_change_shows_at_once(
    settings, plan, secretariat_a, business_a, client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _redis_cache(settings, os.environ["REDIS_URL"])
    meeting = plan()
    secret = calendar_feed.feed_token_create(user=business_a)
    first = client.get(_path(secret))
    with django_assert_num_queries(2):
        assert client.get(_path(secret)).content == first.content
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, by=secretariat_a, location="Et andet lokale")
    assert _events(client.get(_path(secret)))[_uid(meeting)]["location"] == "Et andet lokale"
