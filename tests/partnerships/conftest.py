"""Fixtures of the meeting tests: a partnership with a member from each of the three systems, and a
meeting factory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from partnerships.localtime import local_datetime
from partnerships.models import Meeting, MeetingKind, User
from partnerships.services import meetings as meeting_services
from tests.partnerships.meeting_factories import member_in


@pytest.fixture
def business_a(partnership_a) -> User:
    return member_in(partnership_a, system="business", first_name="Bo", last_name="Erhverv")


@pytest.fixture
def employment_a(partnership_a) -> User:
    return member_in(partnership_a, system="employment", first_name="Eva", last_name="Jobcenter")


@pytest.fixture
def education_a(partnership_a) -> User:
    return member_in(partnership_a, system="education", first_name="Ulla", last_name="Skole")


@pytest.fixture
def make_meeting(secretariat_a) -> Callable[..., Meeting]:
    """``make_meeting(days=7, hour=9, ...)``: a meeting of LKS Alfa planned by its secretariat,
    ``days`` from today (negative: in the past) at ``hour`` Copenhagen time, two hours long."""

    def make(*, days: int = 7, hour: int = 9, minutes: int = 120, partnership=None, by=None, **fields) -> Meeting:
        day = timezone.localdate() + dt.timedelta(days=days)
        start = local_datetime(day, dt.time(hour))
        return meeting_services.meeting_create(
            partnership=partnership or secretariat_a.memberships.first().partnership,
            kind=fields.pop("kind", MeetingKind.CONSULTANTS),
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            by=by or secretariat_a,
            **fields,
        )

    return make


@pytest.fixture
def running_meeting(make_meeting) -> Meeting:
    """A meeting that began half an hour ago (minutes and decisions can be recorded)."""
    meeting = make_meeting(days=0, hour=9)
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(start=now - dt.timedelta(minutes=30), end=now + dt.timedelta(hours=1))
    meeting.refresh_from_db()
    return meeting
