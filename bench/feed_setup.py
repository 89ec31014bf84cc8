"""The calendar feed's benchmark subject: a consultant in five partnerships with two years of meetings.

``run()`` (through ``manage.py shell``, by ``bench/run.py``) is idempotent: it makes the user and the
memberships once, gives each of the five partnerships a meeting every second week from a year ago to a
year ahead (the feed shows a year back and everything coming) unless they are there, and prints a fresh
feed secret after ``RESULT``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group
from django.utils import timezone

from partnerships import feed_cache
from partnerships.localtime import local_datetime
from partnerships.models import Meeting, MeetingKind, Membership, Partnership, Role, User
from partnerships.services import calendar_feed

EMAIL = "kalender.bench@demo.dk"
TITLE = "Benchmøde"
PARTNERSHIPS = 5
WEEKS = 104


def run() -> None:
    user, _created = User.objects.get_or_create(
        email=EMAIL, defaults={"first_name": "Kalender", "last_name": "Bench", "is_active": True}
    )
    user.groups.add(Group.objects.get(name=Role.CONSULTANT))
    partnerships = list(Partnership.objects.order_by("pk")[:PARTNERSHIPS])
    first = timezone.localdate() - dt.timedelta(days=364)
    for partnership in partnerships:
        Membership.objects.get_or_create(user=user, partnership=partnership)
        if Meeting.objects.filter(partnership=partnership, title=TITLE).exists():
            continue
        meetings = []
        for week in range(0, WEEKS, 2):
            start = local_datetime(first + dt.timedelta(weeks=week), dt.time(9))
            meetings.append(
                Meeting(
                    partnership=partnership,
                    kind=MeetingKind.CONSULTANTS,
                    title=TITLE,
                    start=start,
                    end=start + dt.timedelta(hours=2),
                    location="VEU-center, lokale 2",
                )
            )
        Meeting.objects.bulk_create(meetings)
    # bulk_create sends no signal: the kept feeds of these partnerships are rendered anew.
    feed_cache.partnerships_changed([p.pk for p in partnerships])
    print("RESULT", calendar_feed.feed_token_create(user=user))
