"""Writes for meetings: planning (single meetings and series), invitations and answers, the agenda.

Every function is keyword-only, runs in one transaction, calls ``full_clean`` and raises
``ValidationError`` keyed by the form field the message belongs next to, in Danish. Work that takes
time (e-mail) is queued after commit with ids only (``background.queue_after_commit``); a service
that queues mail tells its caller whether the queue took it (``Invited.queued``, the ``queued``
attribute of the meeting it returns, or a bool), so the page can say the mail waits for the queue.

The companies app adds the firm cases to an agenda and records decisions; it hears about changes here
through the hooks in ``kompetence.registry``:

- ``meeting_cancelled(meeting, by)``: the meeting was cancelled (the firms on it go back to the list);
- ``agenda_item_removing(item, by)``: an item is about to be removed from an agenda.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence import registry
from partnerships import feed_cache
from partnerships.localtime import format_span, local_datetime, series_dates
from partnerships.models import (
    ActionItem,
    AgendaComment,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    MeetingSeriesException,
    Membership,
    Partnership,
    Role,
    User,
)
from partnerships.selectors import partnership_members
from partnerships.services.background import queue_after_commit

MAX_MEETING_HOURS = 12
MAX_SERIES_DAYS = 366

# The fields of a meeting that calendar clients show: a change to one of them is a new SEQUENCE.
CALENDAR_FIELDS = ("kind", "title", "start", "end", "location", "video_url")
EDITABLE_FIELDS = (*CALENDAR_FIELDS, "lead")
# What the other services keep on a meeting (invitations, the draft agenda, cancellation, status).
STATE_FIELDS = ("status", "invited_at", "invitation_digest", "draft_sent_at", "cancelled_reason")


# ---------------------------------------------------------------------------
# Who does what
# ---------------------------------------------------------------------------
def active_members(partnership: Partnership | int):
    """The partnership's active members (the people who may be invited, present or own a task)."""
    return partnership_members(getattr(partnership, "pk", partnership))


def is_member(user: User, partnership: Partnership | int) -> bool:
    return active_members(partnership).filter(pk=user.pk).exists()


def can_manage_meetings(user: User, partnership: Partnership) -> bool:
    """The partnership's secretariat and its lead (tovholder) manage its meetings; so does an administrator."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return True
    membership = Membership.objects.filter(user=user, partnership=partnership).values_list("lead_role", flat=True)
    roles = list(membership)
    if not roles:
        return False
    return user.role == Role.SECRETARIAT or roles[0] == Membership.LeadRole.COORDINATOR


def manageable_partnerships(user: User):
    """The partnerships whose meetings ``user`` manages (the same rule as ``can_manage_meetings``)."""
    if user.is_superuser or user.role == Role.ADMINISTRATOR:
        return Partnership.objects.all()
    seats = Membership.objects.filter(user=user)
    if user.role != Role.SECRETARIAT:
        seats = seats.filter(lead_role=Membership.LeadRole.COORDINATOR)
    return Partnership.objects.for_user(user).filter(pk__in=seats.values("partnership_id"))


def ensure_can_plan(user: User, partnership: Partnership) -> None:
    """Refuse (``PermissionDenied``) to plan a meeting in a partnership whose meetings ``user`` does
    not manage. The rule is ``can_manage_meetings``, the one ``meeting_access`` applies to every
    meeting; the planning form offers only ``manageable_partnerships``, the same rule as a queryset."""
    if not can_manage_meetings(user, partnership):
        raise PermissionDenied("Not a partnership whose meetings this user manages.")


def default_lead(partnership: Partnership, by: User | None = None) -> User | None:
    """The meeting's lead unless chosen: the one planning it if they are a tovholder, else the
    partnership's (first) tovholder."""
    leads = Membership.objects.filter(
        partnership=partnership, lead_role=Membership.LeadRole.COORDINATOR, user__is_active=True
    ).select_related("user")
    for membership in leads:
        if by is not None and membership.user_id == by.pk:
            return by
    first = leads.order_by("pk").first()
    return first.user if first else None


def is_meeting_lead(user: User, meeting: Meeting) -> bool:
    """Only the meeting's lead approves its minutes; without a named lead, any tovholder of the partnership."""
    if meeting.lead_id is not None:
        return meeting.lead_id == user.pk
    return Membership.objects.filter(
        user=user, partnership_id=meeting.partnership_id, lead_role=Membership.LeadRole.COORDINATOR
    ).exists()


def _locked_error(meeting: Meeting) -> ValidationError:
    if meeting.status == Meeting.Status.CANCELLED:
        return ValidationError({"__all__": _("Mødet er aflyst og kan ikke ændres.")})
    return ValidationError(
        {"__all__": _("Referatet er godkendt, og mødet er låst. Skriv en rettelse til referatet i stedet.")}
    )


def ensure_open(meeting: Meeting) -> None:
    """Refuse to change a cancelled meeting or one whose minutes are approved. The status is read
    from the database (and the row locked until the transaction ends), so an approval in another
    request is never overtaken by an edit from a page opened before it."""
    status = Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("status", flat=True).first()
    if status is None:
        raise ValidationError({"__all__": _("Mødet findes ikke længere.")})
    meeting.status = status
    if meeting.is_locked:
        raise _locked_error(meeting)


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------
def _clash_label(other: Meeting) -> str:
    return _("»%(title)s« i %(partnership)s %(when)s") % {
        "title": other.display_title,
        "partnership": other.partnership.name,
        "when": format_span(other.start, other.end),
    }


def meeting_validate(meeting: Meeting) -> None:
    """The rules of a meeting's time, place and lead (for a new or a changed meeting)."""
    errors: dict[str, str] = {}
    if meeting.start is None or meeting.end is None:
        raise ValidationError({"start": _("Angiv start og slut.")})
    if timezone.is_naive(meeting.start) or timezone.is_naive(meeting.end):
        raise ValueError("Meeting times must be aware datetimes.")
    if meeting.end <= meeting.start:
        errors["end"] = _("Mødet skal slutte efter det begynder.")
    elif meeting.end - meeting.start > dt.timedelta(hours=MAX_MEETING_HOURS):
        errors["end"] = _("Et møde kan højst vare %(hours)s timer.") % {"hours": MAX_MEETING_HOURS}
    if meeting.lead_id is not None and not is_member(meeting.lead, meeting.partnership_id):
        errors["lead"] = _("Tovholderen skal være aktivt medlem af partnerskabet.")
    if "end" not in errors:
        others = Meeting.objects.overlapping(meeting.start, meeting.end).select_related("partnership")
        if meeting.pk:
            others = others.exclude(pk=meeting.pk)
        room = meeting.location.strip()
        if room:
            clash = others.filter(location__iexact=room).first()
            if clash is not None:
                errors["location"] = _("Lokalet »%(room)s« er optaget af %(other)s.") % {
                    "room": room,
                    "other": _clash_label(clash),
                }
        if meeting.lead_id is not None and "lead" not in errors:
            clash = others.filter(lead_id=meeting.lead_id).first()
            if clash is not None:
                errors["lead"] = _("%(name)s er tovholder på %(other)s på samme tid.") % {
                    "name": meeting.lead.get_full_name() or meeting.lead.email,
                    "other": _clash_label(clash),
                }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(
    *,
    partnership: Partnership,
    kind: str,
    start: dt.datetime,
    end: dt.datetime,
    by: User,
    title: str = "",
    location: str = "",
    video_url: str = "",
    lead: User | None = None,
) -> Meeting:
    """Plan one meeting. Its lead is the partnership's tovholder unless another member is chosen.
    Only those who manage the partnership's meetings may plan them (``PermissionDenied``)."""
    ensure_can_plan(by, partnership)
    meeting = Meeting(
        partnership=partnership,
        kind=kind,
        title=title.strip(),
        start=start,
        end=end,
        location=location.strip(),
        video_url=video_url.strip(),
        lead=lead if lead is not None else default_lead(partnership, by),
        created_by=by,
    )
    meeting_validate(meeting)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, **fields: Any) -> Meeting:
    """Change a meeting's time, place, title or lead. A change calendars show raises SEQUENCE, and
    members already invited get the updated invitation."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_open(stored)
    for name, value in fields.items():
        setattr(meeting, name, value.strip() if isinstance(value, str) else value)
    meeting_validate(meeting)
    changed = [name for name in CALENDAR_FIELDS if getattr(meeting, name) != getattr(stored, name)]
    meeting.sequence = stored.sequence + (1 if changed else 0)
    # The caller's object may be older than the row (read before an invitation went out): what this
    # service does not change is taken from the row, and only the edited fields are written. Saving
    # the whole stale object wrote invited_at back to empty, and the meeting's later cancellation
    # then reached nobody.
    for name in STATE_FIELDS:
        setattr(meeting, name, getattr(stored, name))
    meeting.full_clean()
    meeting.save(update_fields=[*EDITABLE_FIELDS, "sequence", "updated_at"])
    meeting.queued = True
    if changed and stored.invited_at is not None:
        meeting.queued = _queue_calendar_mail(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User, reason: str = "") -> Meeting:
    """Cancel a meeting that has not been held. Everyone who got the invitation gets a cancellation
    (METHOD:CANCEL, same UID, higher SEQUENCE); firms on its agenda go back to the list."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_open(stored)
    if stored.status == Meeting.Status.HELD:
        raise ValidationError({"__all__": _("Mødet er holdt og kan ikke aflyses.")})
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = reason.strip()[:500]
    meeting.sequence = stored.sequence + 1
    meeting.full_clean()
    meeting.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
    registry.run_hooks("meeting_cancelled", meeting=meeting, by=by)
    meeting.queued = True
    if stored.invited_at is not None:
        meeting.queued = _queue_calendar_mail(meeting)
    return meeting


def _series_occurrences(series: MeetingSeries, exceptions: Iterable[dt.date]) -> list[tuple[dt.date, dt.datetime]]:
    dates = series_dates(
        starts_on=series.starts_on,
        ends_on=series.ends_on,
        interval_weeks=series.interval_weeks,
        exceptions=exceptions,
    )
    return [(day, local_datetime(day, series.start_time, field="start_time")) for day in dates]


@transaction.atomic
def series_create(
    *,
    partnership: Partnership,
    kind: str,
    starts_on: dt.date,
    ends_on: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    interval_weeks: int,
    by: User,
    exceptions: Sequence[dt.date] = (),
    title: str = "",
    location: str = "",
    video_url: str = "",
    lead: User | None = None,
) -> tuple[MeetingSeries, list[Meeting]]:
    """Plan a series (e.g. every second Tuesday at 9:00 until June, not in the autumn holiday) and
    create its meetings, all at the same wall-clock time in Copenhagen. All or nothing: one clash
    and no meeting is created. Only those who manage the partnership's meetings may plan them."""
    ensure_can_plan(by, partnership)
    series = MeetingSeries(
        partnership=partnership,
        kind=kind,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time,
        duration_minutes=duration_minutes,
        interval_weeks=interval_weeks,
        location=location.strip(),
        video_url=video_url.strip(),
        lead=lead if lead is not None else default_lead(partnership, by),
        created_by=by,
    )
    series.full_clean()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Seriens sidste dato kan ikke ligge før det første møde.")})
    if (ends_on - starts_on).days > MAX_SERIES_DAYS:
        raise ValidationError({"ends_on": _("En mødeserie kan højst planlægges et år frem ad gangen.")})
    if series.lead_id is not None and not is_member(series.lead, partnership):
        raise ValidationError({"lead": _("Tovholderen skal være aktivt medlem af partnerskabet.")})
    all_dates = set(series_dates(starts_on=starts_on, ends_on=ends_on, interval_weeks=interval_weeks))
    stray = sorted(set(exceptions) - all_dates)
    if stray:
        raise ValidationError(
            {
                "exceptions": _("Disse datoer er ikke mødedage i serien: %(dates)s.")
                % {"dates": ", ".join(d.strftime("%d.%m.%Y") for d in stray)}
            }
        )
    occurrences = _series_occurrences(series, exceptions)
    if not occurrences:
        raise ValidationError({"exceptions": _("Serien har ingen møder tilbage, når undtagelserne er trukket fra.")})
    series.save()
    MeetingSeriesException.objects.bulk_create(
        [MeetingSeriesException(series=series, on_date=day) for day in sorted(set(exceptions))]
    )
    meetings, clashes = [], []
    duration = dt.timedelta(minutes=duration_minutes)
    for day, start in occurrences:
        meeting = Meeting(
            partnership=partnership,
            series=series,
            series_date=day,
            kind=kind,
            title=series.title,
            start=start,
            end=start + duration,
            location=series.location,
            video_url=series.video_url,
            lead=series.lead,
            created_by=by,
        )
        try:
            meeting_validate(meeting)
        except ValidationError as error:
            clashes.append(f"{day:%d.%m.%Y}: " + " ".join(str(m) for m in _messages(error)))
            continue
        meeting.full_clean(exclude=["series"])
        meeting.save()
        meetings.append(meeting)
    if clashes:
        # Raising rolls back the series and every meeting saved above.
        raise ValidationError({"start_time": [_("Nogle af seriens møder kolliderer:"), *clashes]})
    return series, meetings


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


@transaction.atomic
def series_skip_date(*, series: MeetingSeries, on_date: dt.date, by: User, reason: str = "") -> Meeting | None:
    """Add an exception to a series: its meeting on that date is cancelled (with a cancellation to
    those invited). Returns the cancelled meeting, if there was one."""
    if on_date not in series_dates(
        starts_on=series.starts_on, ends_on=series.ends_on, interval_weeks=series.interval_weeks
    ):
        raise ValidationError({"on_date": _("Datoen er ikke en mødedag i serien.")})
    MeetingSeriesException.objects.get_or_create(series=series, on_date=on_date, defaults={"reason": reason[:200]})
    meeting = Meeting.objects.filter(series=series, series_date=on_date).first()
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return None
    return meeting_cancel(meeting=meeting, by=by, reason=reason or _("Undtagelse i mødeserien"))


# ---------------------------------------------------------------------------
# Invitations and answers
# ---------------------------------------------------------------------------
def _snapshot(attendance: Attendance, user: User) -> None:
    organisation = user.organisation
    attendance.system_id = organisation.system_id if organisation else None
    attendance.organisation_name = organisation.name if organisation else ""


def invitation_digest(meeting: Meeting) -> str:
    """A fingerprint of what an invitation shows (time, place, agenda): when it differs from the last
    one sent, a new invitation is a change (higher SEQUENCE) rather than a copy."""
    items = AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA).order_by("position", "pk")
    parts = [
        *(str(getattr(meeting, name)) for name in CALENDAR_FIELDS),
        *(f"{i.title}|{i.presenter_id}|{i.duration_minutes}" for i in items),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Invited(NamedTuple):
    """What ``meeting_invite`` did: how many were newly invited, and whether the e-mails went to the
    queue now (False: they wait in the outbox until the broker is back, and the user is told)."""

    added: int
    queued: bool


@transaction.atomic
def meeting_invite(*, meeting: Meeting, invitees: Iterable[User], by: User) -> Invited:
    """Invite members to the meeting and send the invitations (e-mail with agenda and .ics).

    Inviting again after the agenda, time or place changed sends everyone the update (higher
    SEQUENCE, same UID); adding people only sends to the new ones.
    """
    meeting = Meeting.objects.select_for_update().select_related("partnership").get(pk=meeting.pk)
    ensure_open(meeting)
    if meeting.end <= timezone.now():
        raise ValidationError({"invitees": _("Mødet er overstået; der kan ikke indkaldes til det.")})
    invitees = list({u.pk: u for u in invitees}.values())
    existing = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    if not invitees and not existing:
        raise ValidationError({"invitees": _("Vælg mindst én deltager.")})
    members = set(active_members(meeting.partnership_id).values_list("pk", flat=True))
    outsiders = [u for u in invitees if u.pk not in members]
    if outsiders:
        names = ", ".join(u.get_full_name() or u.email for u in outsiders)
        raise ValidationError(
            {
                "invitees": _("Kun partnerskabets aktive medlemmer kan indkaldes. Ikke medlem: %(names)s.")
                % {"names": names}
            }
        )
    now = timezone.now()
    new = []
    for user in invitees:
        if user.pk in existing:
            continue
        attendance = Attendance(meeting=meeting, user=user, invited_at=now)
        _snapshot(attendance, user)
        new.append(attendance)
    Attendance.objects.bulk_create(new)
    digest = invitation_digest(meeting)
    if meeting.invited_at is not None and digest != meeting.invitation_digest:
        meeting.sequence += 1
    meeting.invitation_digest = digest
    if meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.INVITED
    meeting.invited_at = meeting.invited_at or now
    meeting.save(update_fields=["sequence", "invitation_digest", "status", "invited_at", "updated_at"])
    return Invited(added=len(new), queued=_queue_calendar_mail(meeting))


def _queue_calendar_mail(meeting: Meeting) -> bool:
    from partnerships import tasks

    return queue_after_commit(tasks.send_meeting_calendar_mail, meeting.pk)


@transaction.atomic
def attendance_answer(*, meeting: Meeting, user: User, response: str, comment: str = "") -> Attendance:
    """A member answers in the portal whether they come. (Calendar replies go to the no-reply
    organizer and are never seen: the invitation says so.)"""
    if response not in (Attendance.Response.ACCEPTED, Attendance.Response.DECLINED):
        raise ValidationError({"response": _("Svar deltager eller afbud.")})
    ensure_open(meeting)
    if meeting.end <= timezone.now():
        raise ValidationError({"response": _("Mødet er overstået; fremmødet registreres i referatet.")})
    if not is_member(user, meeting.partnership_id):
        raise ValidationError({"response": _("Kun partnerskabets medlemmer kan svare på indkaldelsen.")})
    attendance = Attendance.objects.filter(meeting=meeting, user=user).first()
    if attendance is None:
        attendance = Attendance(meeting=meeting, user=user)
        _snapshot(attendance, user)
    attendance.response = response
    attendance.comment = comment.strip()[:300]
    attendance.responded_at = timezone.now()
    attendance.full_clean(exclude=["meeting", "user", "system"])
    attendance.save()
    return attendance


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[User], by: User) -> list[Attendance]:
    """Record who came (part of the minutes). Everyone invited who is not in ``present`` was absent."""
    ensure_open(meeting)
    if meeting.start > timezone.now():
        raise ValidationError({"present": _("Fremmødet kan først registreres, når mødet er begyndt.")})
    present = list({u.pk: u for u in present}.values())
    attendances = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    members = set(active_members(meeting.partnership_id).values_list("pk", flat=True))
    outsiders = [u for u in present if u.pk not in attendances and u.pk not in members]
    if outsiders:
        names = ", ".join(u.get_full_name() or u.email for u in outsiders)
        raise ValidationError({"present": _("Ikke medlem af partnerskabet: %(names)s.") % {"names": names}})
    present_ids = {u.pk for u in present}
    for user in present:
        if user.pk not in attendances:
            attendance = Attendance(meeting=meeting, user=user)
            _snapshot(attendance, user)
            attendance.save()
            attendances[user.pk] = attendance
    for attendance in attendances.values():
        attendance.attended = attendance.user_id in present_ids
    Attendance.objects.bulk_update(list(attendances.values()), ["attended"])
    meeting_mark_held(meeting=meeting)
    return list(attendances.values())


def meeting_mark_held(*, meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])


# ---------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------
def _next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _check_presenter(meeting: Meeting, presenter: User | None) -> None:
    if presenter is not None and not is_member(presenter, meeting.partnership_id):
        raise ValidationError({"presenter": _("Oplægsholderen skal være medlem af partnerskabet.")})


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    description: str = "",
    kind: str = AgendaItem.Kind.OTHER,
    presenter: User | None = None,
    duration_minutes: int | None = None,
    standing: str = "",
    action_item: ActionItem | None = None,
) -> AgendaItem:
    """Add a point at the end of the agenda."""
    ensure_open(meeting)
    _check_presenter(meeting, presenter)
    item = AgendaItem(
        meeting=meeting,
        position=_next_position(meeting),
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        presenter=presenter,
        duration_minutes=duration_minutes,
        standing=standing,
        action_item=action_item,
        proposed_by=by,
    )
    item.full_clean(exclude=["meeting", "action_item", "presenter"])
    item.save()
    return item


STANDING_DESCRIPTIONS = {
    AgendaItem.Standing.EXPERIENCE_EXCHANGE: _(
        "Hvad har vi lært siden sidst? Gode og dårlige erfaringer fra fælles besøg og indsatser."
    ),
    AgendaItem.Standing.NEWS: _("Nyt fra jobcenter, erhvervsservice og uddannelsesinstitutionerne."),
}


@transaction.atomic
def agenda_add_standing_items(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Add the standing items (erfaringsudveksling, nyt fra organisationerne) the agenda lacks."""
    ensure_open(meeting)
    present = set(AgendaItem.objects.filter(meeting=meeting).exclude(standing="").values_list("standing", flat=True))
    added = []
    for standing in AgendaItem.Standing:
        if standing.value not in present:
            added.append(
                agenda_item_add(
                    meeting=meeting,
                    by=by,
                    kind=AgendaItem.Kind.STANDING,
                    standing=standing.value,
                    title=str(standing.label),
                    description=str(STANDING_DESCRIPTIONS[standing]),
                    duration_minutes=15,
                )
            )
    return added


def open_action_items_for(meeting: Meeting):
    """The partnership's open action items from earlier meetings: they come back until closed."""
    return (
        ActionItem.objects.open()
        .filter(partnership_id=meeting.partnership_id)
        .exclude(meeting__start__gte=meeting.start)
        .select_related("owner", "meeting")
    )


@transaction.atomic
def agenda_add_action_follow_ups(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Put every open action item of the partnership on the agenda (once), with its owner presenting."""
    ensure_open(meeting)
    on_agenda = set(
        AgendaItem.objects.filter(meeting=meeting, action_item__isnull=False).values_list("action_item_id", flat=True)
    )
    members = set(active_members(meeting.partnership_id).values_list("pk", flat=True))
    added = []
    for action in open_action_items_for(meeting).order_by("due_on", "pk"):
        if action.pk in on_agenda:
            continue
        due = action.due_on.strftime("%d.%m.%Y") if action.due_on else _("ingen frist")
        added.append(
            agenda_item_add(
                meeting=meeting,
                by=by,
                kind=AgendaItem.Kind.ACTION_FOLLOW_UP,
                title=_("Opfølgning: %(title)s") % {"title": action.title},
                description=_("Ansvarlig: %(owner)s. Frist: %(due)s.")
                % {"owner": action.owner.get_full_name() or action.owner.email, "due": due},
                presenter=action.owner if action.owner_id in members else None,
                duration_minutes=5,
                action_item=action,
            )
        )
    return added


AGENDA_ITEM_FIELDS = ("title", "description", "presenter", "duration_minutes")


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, by: User, **fields: Any) -> AgendaItem:
    unknown = set(fields) - set(AGENDA_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    ensure_open(item.meeting)
    if "presenter" in fields:
        _check_presenter(item.meeting, fields["presenter"])
    for name, value in fields.items():
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    item.full_clean(exclude=["meeting", "action_item", "presenter"])
    item.save()
    return item


def _agenda(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.select_for_update()
        .filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
        .order_by("position", "pk")
    )


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, by: User, item_ids: Sequence[int]) -> None:
    """Put the agenda in the given order; the ids must be exactly the items on the agenda."""
    ensure_open(meeting)
    items = {item.pk: item for item in _agenda(meeting)}
    if sorted(item_ids) != sorted(items):
        raise ValidationError({"order": _("Dagsordenen er ændret i mellemtiden. Genindlæs siden og prøv igen.")})
    for position, pk in enumerate(item_ids, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(list(items.values()), ["position"])
    # bulk_update sends no signal: the calendar feeds show the agenda in this order.
    feed_cache.partnerships_changed([meeting.partnership_id])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: User, offset: int) -> None:
    """Move an item one place up (``offset=-1``) or down (``+1``)."""
    ensure_open(item.meeting)
    items = _agenda(item.meeting)
    ids = [i.pk for i in items]
    if item.pk not in ids:
        raise ValidationError({"order": _("Punktet er ikke på dagsordenen.")})
    index = ids.index(item.pk)
    target = min(max(index + offset, 0), len(ids) - 1)
    ids.insert(target, ids.pop(index))
    agenda_reorder(meeting=item.meeting, by=by, item_ids=ids)


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: User) -> None:
    """Take an item off the agenda (the companies app puts a firm back on its list)."""
    ensure_open(item.meeting)
    if item.note.strip():
        raise ValidationError({"__all__": _("Punktet har et referat og kan ikke fjernes. Slet referatteksten først.")})
    registry.run_hooks("agenda_item_removing", item=item, by=by)
    item.delete()


@transaction.atomic
def agenda_item_propose(*, meeting: Meeting, by: User, title: str, description: str = "") -> AgendaItem:
    """A member proposes a point (or comments on the draft agenda); the secretariat takes it on or not."""
    ensure_open(meeting)
    if meeting.start <= timezone.now():
        raise ValidationError({"title": _("Mødet er begyndt; forslag til dagsordenen er lukket.")})
    if not is_member(by, meeting.partnership_id):
        raise ValidationError({"title": _("Kun partnerskabets medlemmer kan foreslå punkter.")})
    item = AgendaItem(
        meeting=meeting,
        position=0,
        kind=AgendaItem.Kind.OTHER,
        status=AgendaItem.Status.PROPOSED,
        title=title.strip(),
        description=description.strip(),
        proposed_by=by,
    )
    item.full_clean(exclude=["meeting", "presenter", "action_item"])
    item.save()
    return item


@transaction.atomic
def agenda_item_decide(*, item: AgendaItem, by: User, accept: bool) -> AgendaItem:
    """Take a member's proposal onto the agenda (at the end), or decline it."""
    ensure_open(item.meeting)
    if item.status != AgendaItem.Status.PROPOSED:
        raise ValidationError({"__all__": _("Forslaget er allerede behandlet.")})
    if accept:
        item.status = AgendaItem.Status.ON_AGENDA
        item.position = _next_position(item.meeting)
    else:
        item.status = AgendaItem.Status.DECLINED
    item.save(update_fields=["status", "position"])
    return item


@transaction.atomic
def agenda_send_draft(*, meeting: Meeting, by: User) -> bool:
    """Send the draft agenda to every member for comments before the final invitation. False when
    the e-mails wait for the queue."""
    ensure_open(meeting)
    if meeting.start <= timezone.now():
        raise ValidationError({"__all__": _("Mødet er begyndt; udkastet kan ikke sendes.")})
    if not AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA).exists():
        raise ValidationError({"__all__": _("Dagsordenen er tom. Tilføj punkter, før udkastet sendes.")})
    meeting.draft_sent_at = timezone.now()
    meeting.save(update_fields=["draft_sent_at", "updated_at"])
    from partnerships import tasks

    return queue_after_commit(tasks.send_draft_agenda, meeting.pk)


@transaction.atomic
def agenda_comment_add(
    *, meeting: Meeting, by: User, text: str, agenda_item: AgendaItem | None = None
) -> AgendaComment:
    """A member comments on the draft agenda (or one of its points) once the secretariat has sent it
    for comments, until the meeting begins. New points are proposed with ``agenda_item_propose``."""
    ensure_open(meeting)
    stored = Meeting.objects.only("draft_sent_at", "start").get(pk=meeting.pk)
    if stored.draft_sent_at is None:
        raise ValidationError({"text": _("Udkastet til dagsorden er ikke sendt til kommentarer endnu.")})
    if stored.start <= timezone.now():
        raise ValidationError({"text": _("Mødet er begyndt; kommentarer til dagsordenen er lukket.")})
    if not is_member(by, meeting.partnership_id):
        raise ValidationError({"text": _("Kun partnerskabets medlemmer kan kommentere dagsordenen.")})
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk or agenda_item.status != AgendaItem.Status.ON_AGENDA
    ):
        raise ValidationError({"agenda_item": _("Punktet er ikke på dette mødes dagsorden.")})
    comment = AgendaComment(meeting=meeting, agenda_item=agenda_item, author=by, text=text.strip())
    comment.full_clean(exclude=["meeting", "agenda_item", "author"])
    comment.save()
    return comment
