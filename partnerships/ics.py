"""iCalendar (RFC 5545) for meetings: e-mailed invitations and cancellations, and the private feed.

Pure functions from plain data to bytes; the services gather the data. The choices that matter:

- Every meeting keeps one UID for life; SEQUENCE grows with every change clients must pick up, so an
  updated invitation replaces the old entry instead of adding a second one.
- Times are written as local Copenhagen time with ``TZID=Europe/Copenhagen`` and a VTIMEZONE with the
  EU summer-time rule, which every client understands for any year.
- Calendar clients mail accept/decline replies to the ORGANIZER, and the portal cannot read mail. So
  the organizer is the portal's no-reply address under the secretariat's name, every attendee is
  marked ``RSVP=FALSE``, and the text says that attendance is answered in the portal (with the link).
- The feed (METHOD:PUBLISH) carries the same UIDs as the invitations. A person who both subscribes and
  accepts the e-mailed invitations sees every meeting twice; the feed page says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from partnerships.localtime import COPENHAGEN

PRODID = "-//Kompetenceportalen//Partnerskabsmøder//DA"

# The rule since 1996: summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00.
_COPENHAGEN_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Copenhagen
X-LIC-LOCATION:Europe/Copenhagen
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str


@dataclass(frozen=True)
class CalendarEvent:
    """One meeting as calendars see it."""

    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str
    location: str
    url: str
    organizer_email: str
    organizer_name: str
    cancelled: bool = False
    last_modified: dt.datetime | None = None
    attendees: tuple[Attendee, ...] = ()


def copenhagen_vtimezone() -> Timezone:
    return Timezone.from_ical(_COPENHAGEN_VTIMEZONE.replace("\n", "\r\n"))


def _calendar(method: str, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Copenhagen")
    calendar.add_component(copenhagen_vtimezone())
    return calendar


def _event(item: CalendarEvent, *, now: dt.datetime, with_attendees: bool) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    if item.last_modified:
        event.add("last-modified", item.last_modified.astimezone(dt.UTC))
    event.add("dtstart", item.start.astimezone(COPENHAGEN))
    event.add("dtend", item.end.astimezone(COPENHAGEN))
    event.add("summary", item.summary)
    event.add("description", item.description)
    if item.location:
        event.add("location", item.location)
    event.add("url", item.url)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{item.organizer_email}")
    organizer.params["cn"] = vText(item.organizer_name)
    event.add("organizer", organizer)
    if with_attendees:
        for person in item.attendees:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = vText(person.name)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            # Replies would go to the no-reply organizer: ask clients not to send them.
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee, encode=0)
    return event


def invitation(item: CalendarEvent, *, now: dt.datetime) -> bytes:
    """An e-mailed invitation (METHOD:REQUEST), or a cancellation (METHOD:CANCEL) for a cancelled meeting."""
    calendar = _calendar("CANCEL" if item.cancelled else "REQUEST")
    calendar.add_component(_event(item, now=now, with_attendees=True))
    return calendar.to_ical()


def feed(items: Iterable[CalendarEvent], *, name: str, now: dt.datetime) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH) of many meetings, with the invitations' UIDs."""
    calendar = _calendar("PUBLISH", name=name)
    # Ask subscribing clients to look again every hour (Outlook and Apple honour it; Google decides itself).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in items:
        calendar.add_component(_event(item, now=now, with_attendees=False))
    return calendar.to_ical()
