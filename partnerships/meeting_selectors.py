"""Reads for meetings, shaped for pages, the minutes PDF and the calendar feed.

Every function runs a fixed number of queries whatever the number of meetings, items or people.
Callers pass a meeting that came through an ``access_*`` function (or, for the feed, a user whose
token was checked), so rows read from it need no second scoping.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Count, F, OuterRef, Prefetch, QuerySet, Subquery, Window
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kompetence import registry
from kompetence.memo import Memo
from partnerships import ics
from partnerships.localtime import as_local, format_span, long_day_formatter
from partnerships.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    LearningNote,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesAmendment,
    Partnership,
    System,
    User,
)
from partnerships.scoping import user_sees_everything
from partnerships.services.mail import AgendaLine, calendar_event

THREE_SYSTEMS = (System.BUSINESS, System.EMPLOYMENT, System.EDUCATION)
# The page of the registry whose sections the minutes PDF shows (the companies app adds its decisions).
MEETING_PDF = "meeting_pdf"
FEED_HISTORY = dt.timedelta(days=365)


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


# ---------------------------------------------------------------------------
# Attendance by system
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PersonLine:
    user_id: int
    name: str
    organisation: str
    response: str
    response_label: str
    attended: bool | None
    comment: str = ""


@dataclass
class SystemGroup:
    code: str
    name: str
    people: list[PersonLine] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(1 for p in self.people if p.response == Attendance.Response.ACCEPTED)

    @property
    def present(self) -> int:
        return sum(1 for p in self.people if p.attended)


@dataclass
class AttendanceSummary:
    groups: list[SystemGroup]
    # The three systems without anyone coming (answered yes, or recorded present once held).
    missing: list[str]

    @property
    def total(self) -> int:
        return sum(len(g.people) for g in self.groups)


def attendance_summary(meeting: Meeting, *, systems: list[System] | None = None) -> AttendanceSummary:
    """Who is invited, from which of the three systems, who comes, and which system is missing (2 queries)."""
    systems = systems if systems is not None else list(System.objects.order_by("sort_order", "code"))
    attendances = (
        Attendance.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    groups = {s.code: SystemGroup(code=s.code, name=s.short_name or s.name) for s in systems}
    other = SystemGroup(code="", name=_("Andre"))
    for attendance in attendances:
        group = groups.get(attendance.system_id or "", other)
        group.people.append(
            PersonLine(
                user_id=attendance.user_id,
                name=_name(attendance.user),
                organisation=attendance.organisation_name,
                response=attendance.response,
                response_label=attendance.get_response_display(),
                attended=attendance.attended,
                comment=attendance.comment,
            )
        )
    held = meeting.status in (Meeting.Status.HELD, Meeting.Status.APPROVED)
    missing = []
    for code in THREE_SYSTEMS:
        group = groups.get(code)
        if group is None:
            continue
        coming = group.present if held else group.accepted
        if not coming:
            missing.append(group.name)
    ordered = [g for g in groups.values() if g.people or g.code in THREE_SYSTEMS]
    if other.people:
        ordered.append(other)
    return AttendanceSummary(groups=ordered, missing=missing)


# ---------------------------------------------------------------------------
# The minutes as a document (the PDF, and the page once approved)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ItemLine:
    number: int
    pk: int
    title: str
    kind: str
    kind_label: str
    description: str
    presenter: str
    minutes: int | None
    note: str


@dataclass(frozen=True)
class ActionLine:
    title: str
    owner: str
    due: str
    status: str


@dataclass(frozen=True)
class AmendmentLine:
    text: str
    author: str
    when: str
    item: str


@dataclass
class MinutesDocument:
    meeting: Meeting
    title: str
    partnership: str
    secretariat: str
    kind: str
    when: str
    location: str
    lead: str
    status: str
    approved_by: str
    approved_at: str
    summary: str
    attendance: AttendanceSummary
    items: list[ItemLine]
    actions: list[ActionLine]
    learning: list[str]
    handover: list[str]
    amendments: list[AmendmentLine]
    sections: list[Any]


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _datetime(value: dt.datetime | None) -> str:
    return formats.date_format(as_local(value), "SHORT_DATETIME_FORMAT") if value else ""


def minutes_document(meeting: Meeting) -> MinutesDocument:
    """Everything the minutes show, in a fixed number of queries, as plain text ready to print."""
    meeting = Meeting.objects.select_related("partnership__secretariat", "lead").get(pk=meeting.pk)
    minutes = Minutes.objects.filter(meeting=meeting).select_related("approved_by").first()
    items = list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
        .select_related("presenter")
        .order_by("position", "pk")
    )
    numbers = {item.pk: number for number, item in enumerate(items, start=1)}
    actions = ActionItem.objects.filter(meeting=meeting).select_related("owner").order_by("due_on", "pk")
    notes = LearningNote.objects.filter(meeting=meeting).order_by("created_at", "pk")
    amendments = (
        MinutesAmendment.objects.filter(minutes__meeting=meeting)
        .select_related("author", "agenda_item")
        .order_by("created_at", "pk")
        if minutes
        else []
    )
    return MinutesDocument(
        meeting=meeting,
        title=meeting.display_title,
        partnership=meeting.partnership.name,
        secretariat=meeting.partnership.secretariat.name,
        kind=meeting.get_kind_display(),
        when=format_span(meeting.start, meeting.end),
        location=", ".join(x for x in (meeting.location, meeting.video_url) if x),
        lead=_name(meeting.lead),
        status=meeting.get_status_display(),
        approved_by=_name(minutes.approved_by) if minutes and minutes.is_approved else "",
        approved_at=_datetime(minutes.approved_at) if minutes and minutes.is_approved else "",
        summary=minutes.summary if minutes else "",
        attendance=attendance_summary(meeting),
        items=[
            ItemLine(
                number=numbers[item.pk],
                pk=item.pk,
                title=item.title,
                kind=item.kind,
                kind_label=item.get_kind_display(),
                description=item.description,
                presenter=_name(item.presenter),
                minutes=item.duration_minutes,
                note=item.note,
            )
            for item in items
        ],
        actions=[
            ActionLine(title=a.title, owner=_name(a.owner), due=_date(a.due_on), status=a.get_status_display())
            for a in actions
        ],
        learning=[n.text for n in notes if n.kind == LearningNote.Kind.LEARNING],
        handover=[n.text for n in notes if n.kind == LearningNote.Kind.HANDOVER],
        amendments=[
            AmendmentLine(
                text=a.text,
                author=_name(a.author),
                when=_datetime(a.created_at),
                item=(f"{numbers.get(a.agenda_item_id, '')}. {a.agenda_item.title}" if a.agenda_item else ""),
            )
            for a in amendments
        ],
        sections=registry.render_sections(MEETING_PDF, meeting=meeting, user=None),
    )


# ---------------------------------------------------------------------------
# The calendar feed
# ---------------------------------------------------------------------------
# ---------------------------------------------------------------------------
# The meeting list (the list pattern: for_user, a FilterSet, keyset pages, rows in Python)
# ---------------------------------------------------------------------------
LIST_COLUMNS = ("pk", "partnership_id", "kind", "title", "location", "start", "end", "status")
STATUS_CSS = {
    Meeting.Status.CANCELLED: "text-bg-danger",
    Meeting.Status.INVITED: "text-bg-primary",
    Meeting.Status.APPROVED: "text-bg-success",
}


# The partnerships a user may choose in the list's filter (and whose names its rows show), kept per
# process (kompetence.memo) until a partnership or a membership changes: meetings_portal connects
# ``PARTNERSHIP_CHOICES.changed`` to their signals. One query less on every page of the list.
PARTNERSHIP_CHOICES = Memo("partnerships:meeting_list_partnerships", seconds=60)


def partnership_choices(user: User) -> list[Partnership]:
    """``Partnership.objects.for_user(user)`` by name, with only the name: kept until one changes."""

    def read() -> list[Partnership]:
        return list(Partnership.objects.for_user(user).only("pk", "name").order_by("name"))

    return PARTNERSHIP_CHOICES.get("all" if user_sees_everything(user) else ("member", user.pk), read)


def can_plan(user: User) -> bool:
    """``user.has_perm("partnerships.add_meeting")`` for the list's "Planlæg møde" button, with the
    tovholder check behind it (``User.leads_a_partnership``, one query for every Konsulent) kept with
    the partnership choices until a partnership or membership changes. Only the button: planning
    itself asks the database (``meeting_create``'s rule, a new request)."""
    person = getattr(user, "_wrapped", user)  # request.user is a lazy object around the user
    if "leads_a_partnership" not in person.__dict__:
        person.leads_a_partnership = PARTNERSHIP_CHOICES.get(("lead", person.pk), lambda: person.leads_a_partnership)
    return user.has_perm("partnerships.add_meeting")


def meetings_for_list(user: User) -> QuerySet:
    """The meetings the user may see, as named tuples of the columns a row of the list needs (a page of
    model instances cost a millisecond more than the tuples, for nothing the list uses), with the
    user's own answer read in the same query (``my_answer``, from the unique meeting-and-user index)."""
    answer = Attendance.objects.filter(meeting_id=OuterRef("pk"), user_id=user.pk).order_by().values("response")[:1]
    return (
        Meeting.objects.for_user(user)
        .annotate(my_answer=Subquery(answer))
        .values_list(*LIST_COLUMNS, "my_answer", named=True)
    )


def with_total(queryset: QuerySet) -> QuerySet:
    """``queryset`` (``meetings_for_list``'s, filtered) with the number of all its rows on each row
    (``total``, ``COUNT(*) OVER ()``), for the first page: the count comes with the page instead of
    in a second query. PostgreSQL then reads every matching row, as the COUNT would; the user's
    answer is still looked up for the page's rows only (measured: 0.2-0.3 ms either way)."""
    return queryset.annotate(total=Window(Count("*"))).values_list(*LIST_COLUMNS, "my_answer", "total", named=True)


class MeetingRow(NamedTuple):
    """One line of the meeting list, with its display values worked out once in Python (as
    ``companies.selectors.firms.FirmRow``): a URL reverse, a translated label and three date
    filters per row cost more than the rest of the page."""

    url: str
    title: str
    day: str  # "tirsdag 4. maj 2027", Copenhagen time, the page's language
    hours: str  # "09:00–11:00"
    partnership: str
    location: str
    status: str
    status_css: str
    my_answer: str


@functools.cache
def _row_labels(language: str | None) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The answers', statuses' and kinds' labels in ``language`` (the active one): fixed in the code,
    so translated once per process and language rather than on every page."""
    return (
        {value: str(label) for value, label in Attendance.Response.choices},
        {value: str(label) for value, label in Meeting.Status.choices},
        {value: str(label) for value, label in MeetingKind.choices},
    )


def meeting_rows(meetings: Sequence[Any], *, partnership_names: dict[int, str]) -> list[MeetingRow]:
    """The rows of one page (``meetings_for_list``'s tuples, the user's answer included); partnership
    names from the look-up. No query."""
    labels, statuses, kinds = _row_labels(get_language())
    url_pattern = reverse("partnerships:meeting_detail", args=[987654321])
    long_day = long_day_formatter()
    days: dict[dt.date, str] = {}  # a page holds several meetings on the same day
    rows = []
    for m in meetings:
        start, end = as_local(m.start), as_local(m.end)
        day = days.get(start.date())
        if day is None:
            day = days[start.date()] = long_day(start)
        rows.append(
            MeetingRow(
                url=url_pattern.replace("987654321", str(m.pk)),
                title=m.title or kinds.get(m.kind, m.kind),
                day=day,
                hours=f"{start.hour:02d}:{start.minute:02d}–{end.hour:02d}:{end.minute:02d}",
                partnership=partnership_names.get(m.partnership_id, ""),
                location=m.location,
                status=statuses.get(m.status, m.status),
                status_css=STATUS_CSS.get(m.status, "text-bg-secondary"),
                my_answer=labels.get(m.my_answer, ""),
            )
        )
    return rows


# ---------------------------------------------------------------------------
# The dashboard panel: the user's open action items
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ActionTask:
    pk: int
    title: str
    due_on: dt.date | None
    overdue: bool
    meeting_title: str
    meeting_url: str


def my_action_items(*, user: User) -> dict[str, Any] | None:
    """The open action items the user owns, soonest due first (a dashboard panel; one query). They
    stay here, and come back on the partnership's agenda, until closed."""
    if not user.has_perm("partnerships.view_actionitem"):
        return None
    today = timezone.localdate()
    items = (
        ActionItem.objects.for_user(user)
        .open()
        .filter(owner=user)
        .select_related("meeting")
        .only("pk", "title", "due_on", "meeting__id", "meeting__title", "meeting__kind", "meeting__start")
        .order_by(F("due_on").asc(nulls_last=True), "pk")[:20]
    )
    tasks = [
        ActionTask(
            pk=item.pk,
            title=item.title,
            due_on=item.due_on,
            overdue=item.due_on is not None and item.due_on < today,
            meeting_title=str(item.meeting) if item.meeting_id else "",
            meeting_url=item.meeting.get_absolute_url() if item.meeting_id else "",
        )
        for item in items
    ]
    if not tasks and user.role not in ("Konsulent", "Sekretariat"):
        return None
    return {"action_tasks": tasks}


def feed_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings of the user's own partnerships from a year back, with their agendas (2 queries)."""
    since = timezone.now() - FEED_HISTORY
    return (
        Meeting.objects.in_partnerships_of(user)
        .active()
        .filter(end__gte=since)
        .select_related("partnership__secretariat")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(status=AgendaItem.Status.ON_AGENDA)
                .select_related("presenter")
                .order_by("position", "pk"),
                to_attr="agenda",
            )
        )
        .order_by("start", "pk")
    )


def feed_calendar(user: User) -> bytes:
    """The user's private feed (METHOD:PUBLISH), with the same UIDs as the e-mailed invitations."""
    events = []
    for meeting in feed_meetings(user):
        lines = [
            AgendaLine(
                number=n,
                title=i.title,
                description=i.description,
                presenter=_name(i.presenter),
                minutes=i.duration_minutes,
            )
            for n, i in enumerate(meeting.agenda, start=1)
        ]
        events.append(calendar_event(meeting, lines=lines))
    return ics.feed(events, name=_("Partnerskabsmøder – Kompetenceportalen"), now=timezone.now())
