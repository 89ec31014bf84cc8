"""The calendar side of meetings, read back by two parsers: icalendar, and recurring-ical-events (which
expands what a calendar client would show between two dates)."""

from __future__ import annotations

import datetime as dt

import pytest
import recurring_ical_events
from django.core import mail
from icalendar import Calendar

from partnerships import ics
from partnerships.localtime import COPENHAGEN
from partnerships.meeting_selectors import feed_calendar
from partnerships.models import MeetingKind
from partnerships.services import calendar_feed
from partnerships.services import meetings as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(partnership_a, secretariat_a, business_a):
    """Every second Tuesday at 9:00 from March to November 2027, except the autumn holiday."""
    _made, meetings = services.series_create(
        partnership=partnership_a,
        kind=MeetingKind.CONSULTANTS,
        starts_on=dt.date(2027, 3, 2),
        ends_on=dt.date(2027, 11, 30),
        start_time=dt.time(9),
        duration_minutes=90,
        interval_weeks=2,
        exceptions=[dt.date(2027, 10, 12)],
        location="VEU-center Aarhus, lokale 2",
        by=secretariat_a,
    )
    return meetings


def _occurrences(data: bytes, start: dt.date, end: dt.date):
    return recurring_ical_events.of(Calendar.from_ical(data)).between(start, end)


def test_the_feed_read_by_recurring_ical_events_keeps_nine_oclock_across_both_clock_changes(series, business_a):
    events = _occurrences(feed_calendar(business_a), dt.date(2027, 3, 1), dt.date(2027, 12, 1))
    assert len(events) == len(series) == 19
    starts = sorted(e["DTSTART"].dt for e in events)
    assert {(s.astimezone(COPENHAGEN).hour, s.astimezone(COPENHAGEN).minute) for s in starts} == {(9, 0)}
    utc = {s.date(): s.astimezone(dt.UTC).hour for s in starts}
    # The clocks go forward on 28 March 2027 and back on 31 October 2027.
    assert utc[dt.date(2027, 3, 16)] == 8 and utc[dt.date(2027, 3, 30)] == 7
    assert utc[dt.date(2027, 10, 26)] == 7 and utc[dt.date(2027, 11, 9)] == 8
    assert dt.date(2027, 10, 12) not in utc
    assert all(e["DTEND"].dt - e["DTSTART"].dt == dt.timedelta(minutes=90) for e in events)


def test_the_feed_and_the_invitation_share_the_uid_and_a_change_raises_the_sequence(
    series, secretariat_a, business_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = series[5]
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    (invitation,) = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")
    day = meeting.start.astimezone(COPENHAGEN).date()

    (before,) = _occurrences(feed_calendar(business_a), day, day + dt.timedelta(days=1))
    assert before["UID"] == invitation["UID"]
    assert before["SEQUENCE"] == invitation["SEQUENCE"]

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, by=secretariat_a, location="Jobcenter Aarhus, mødelokale 1")
    (after,) = _occurrences(feed_calendar(business_a), day, day + dt.timedelta(days=1))
    (update,) = Calendar.from_ical(mail.outbox[1].attachments[0][1]).walk("VEVENT")
    assert after["UID"] == before["UID"] == update["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert update["SEQUENCE"] == after["SEQUENCE"]
    assert "Jobcenter Aarhus" in str(after["LOCATION"])


def test_the_feed_is_published_with_a_copenhagen_timezone_and_without_cancelled_meetings(
    series, secretariat_a, business_a
):
    services.meeting_cancel(meeting=series[0], by=secretariat_a)
    calendar = Calendar.from_ical(feed_calendar(business_a))
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert f"{series[0].uid}@kompetenceportalen" not in uids
    assert f"{series[1].uid}@kompetenceportalen" in uids
    assert all("ATTENDEE" not in e for e in calendar.walk("VEVENT"))


def test_the_feed_holds_only_the_users_own_partnerships(series, consultant_b):
    assert Calendar.from_ical(feed_calendar(consultant_b)).walk("VEVENT") == []


def test_the_vtimezone_agrees_with_the_time_zone_database_for_twenty_years():
    timezone_ = ics.copenhagen_vtimezone().to_tz()
    for year in range(2017, 2037):
        for month, day in ((1, 15), (3, 26), (3, 31), (7, 1), (10, 24), (10, 31), (12, 1)):
            moment = dt.datetime(year, month, day, 12)
            assert moment.replace(tzinfo=timezone_).utcoffset() == moment.replace(tzinfo=COPENHAGEN).utcoffset(), (
                year,
                month,
                day,
            )


def test_a_feed_token_is_shown_once_stored_hashed_and_revocable(business_a):
    secret = calendar_feed.feed_token_create(user=business_a)
    token = business_a.calendar_tokens.get()
    assert secret not in token.token_hash and len(token.token_hash) == 64
    assert calendar_feed.feed_user(secret) == business_a
    assert calendar_feed.feed_token_revoke(user=business_a)
    assert calendar_feed.feed_user(secret) is None


def test_a_new_feed_token_revokes_the_old_one(business_a):
    old = calendar_feed.feed_token_create(user=business_a)
    new = calendar_feed.feed_token_create(user=business_a)
    assert calendar_feed.feed_user(old) is None
    assert calendar_feed.feed_user(new) == business_a


def test_a_deactivated_users_feed_stops(business_a):
    secret = calendar_feed.feed_token_create(user=business_a)
    business_a.is_active = False
    business_a.save()
    assert calendar_feed.feed_user(secret) is None


def test_the_feed_uses_a_constant_number_of_queries(
    partnership_a, secretariat_a, business_a, django_assert_max_num_queries
):
    def plan(weeks_from: int, count: int):
        services.series_create(
            partnership=partnership_a,
            kind=MeetingKind.STEERING,
            starts_on=dt.date(2027, 1, 4) + dt.timedelta(weeks=weeks_from),
            ends_on=dt.date(2027, 1, 4) + dt.timedelta(weeks=weeks_from + count - 1),
            start_time=dt.time(13),
            duration_minutes=60,
            interval_weeks=1,
            by=secretariat_a,
        )
        for meeting in partnership_a.meetings.all():
            services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)

    plan(0, 2)
    with django_assert_max_num_queries(3) as small:
        feed_calendar(business_a)
    plan(10, 20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        data = feed_calendar(business_a)
    assert len(Calendar.from_ical(data).walk("VEVENT")) == 22


def test_invitations_read_by_recurring_ical_events_keep_nine_oclock_and_a_change_raises_the_sequence(
    series, secretariat_a, business_a, eager_tasks, django_capture_on_commit_callbacks
):
    """The e-mailed invitations (not only the feed) through the second parser: meetings on both sides
    of the end of March and of the end of October are at 9:00 Copenhagen time, one hour apart in UTC;
    an update keeps the UID and carries a higher SEQUENCE."""
    by_day = {m.start.astimezone(COPENHAGEN).date(): m for m in series}
    days = [dt.date(2027, 3, 16), dt.date(2027, 3, 30), dt.date(2027, 10, 26), dt.date(2027, 11, 9)]
    read = {}
    for day in days:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.meeting_invite(meeting=by_day[day], invitees=[business_a], by=secretariat_a)
        data = mail.outbox[0].attachments[0][1]
        assert Calendar.from_ical(data)["METHOD"] == "REQUEST"
        (event,) = _occurrences(data, day - dt.timedelta(days=1), day + dt.timedelta(days=1))
        read[day] = event
    local = {day: e["DTSTART"].dt.astimezone(COPENHAGEN) for day, e in read.items()}
    assert {(t.hour, t.minute) for t in local.values()} == {(9, 0)}
    utc_hours = [read[day]["DTSTART"].dt.astimezone(dt.UTC).hour for day in days]
    assert utc_hours == [8, 7, 7, 8]  # winter, summer (after 28 March), summer, winter (after 31 October)

    moved = by_day[dt.date(2027, 10, 26)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=moved, by=secretariat_a, location="Jobcenter Aarhus, mødelokale 1")
    day = dt.date(2027, 10, 26)
    (update,) = _occurrences(mail.outbox[0].attachments[0][1], day - dt.timedelta(days=1), day + dt.timedelta(days=1))
    assert update["UID"] == read[day]["UID"]
    assert update["SEQUENCE"] > read[day]["SEQUENCE"]
    assert update["DTSTART"].dt.astimezone(COPENHAGEN).hour == 9

    # Cancelling the meeting after the update (with the same object the page had before it) mails
    # the invited member a cancellation: METHOD:CANCEL, the same UID, a higher SEQUENCE again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=moved, by=secretariat_a, reason="Sygdom")
    (cancellation,) = mail.outbox
    assert cancellation.to == [business_a.email]
    assert Calendar.from_ical(cancellation.attachments[0][1])["METHOD"] == "CANCEL"
    (cancelled,) = Calendar.from_ical(cancellation.attachments[0][1]).walk("VEVENT")
    assert cancelled["UID"] == update["UID"]
    assert cancelled["SEQUENCE"] > update["SEQUENCE"]
    assert cancelled["STATUS"] == "CANCELLED"
