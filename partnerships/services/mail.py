"""The meeting e-mails: invitations and cancellations with an .ics, the draft agenda, the approved minutes.

Called by the Celery tasks in ``partnerships.tasks`` with ids. Each send is idempotent: a person is
claimed (a conditional UPDATE) before the mail goes out and released again if sending fails, so a
retried task never mails anyone twice and never skips anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from partnerships import ics
from partnerships.localtime import format_span
from partnerships.models import AgendaItem, Attendance, Meeting, Minutes, User


@dataclass(frozen=True)
class AgendaLine:
    number: int
    title: str
    description: str
    presenter: str
    minutes: int | None


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def meeting_url(meeting: Meeting) -> str:
    return settings.PORTAL_BASE_URL + meeting.get_absolute_url()


def agenda_lines(meeting: Meeting) -> list[AgendaLine]:
    items = (
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
        .select_related("presenter")
        .order_by("position", "pk")
    )
    return [
        AgendaLine(
            number=number,
            title=item.title,
            description=item.description,
            presenter=_name(item.presenter),
            minutes=item.duration_minutes,
        )
        for number, item in enumerate(items, start=1)
    ]


def organizer_name(meeting: Meeting) -> str:
    return _("%(secretariat)s, sekretariat for %(partnership)s") % {
        "secretariat": meeting.partnership.secretariat.name,
        "partnership": meeting.partnership.name,
    }


def event_summary(meeting: Meeting) -> str:
    return f"{meeting.display_title} – {meeting.partnership.name}"


def event_description(meeting: Meeting, lines: list[AgendaLine]) -> str:
    """The calendar entry's text: the agenda, and where to answer (the portal, not the calendar)."""
    return render_to_string(
        "emails/meeting_calendar_description.txt",
        {"meeting": meeting, "lines": lines, "url": meeting_url(meeting)},
    ).strip()


def calendar_event(
    meeting: Meeting, *, lines: list[AgendaLine] | None = None, attendees: tuple[ics.Attendee, ...] = ()
) -> ics.CalendarEvent:
    """The meeting as calendars see it; the same UID in invitations and in the feed."""
    lines = agenda_lines(meeting) if lines is None else lines
    location = meeting.location
    if meeting.video_url:
        location = f"{location} ({meeting.video_url})" if location else meeting.video_url
    return ics.CalendarEvent(
        uid=f"{meeting.uid}@kompetenceportalen",
        sequence=meeting.sequence,
        start=meeting.start,
        end=meeting.end,
        summary=event_summary(meeting),
        description=event_description(meeting, lines),
        location=location,
        url=meeting_url(meeting),
        organizer_email=settings.MEETING_ORGANIZER_EMAIL,
        organizer_name=organizer_name(meeting),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        last_modified=meeting.updated_at,
        attendees=attendees,
    )


def _load(meeting_id: int) -> Meeting | None:
    return Meeting.objects.select_related("partnership__secretariat", "lead").filter(pk=meeting_id).first()


def send_calendar_mail(*, meeting_id: int) -> int:
    """Mail the current invitation (or, for a cancelled meeting, the cancellation) to everyone who has
    not had this SEQUENCE yet. Returns the number of e-mails sent; 0 when the meeting has gone."""
    meeting = _load(meeting_id)
    if meeting is None:
        return 0
    cancelled = meeting.status == Meeting.Status.CANCELLED
    targets = Attendance.objects.filter(meeting=meeting).exclude(sent_sequence=meeting.sequence)
    if cancelled:
        # Only people who had an invitation need to hear that it is off.
        targets = targets.filter(sent_sequence__isnull=False)
    targets = targets.filter(user__is_active=True).select_related("user")
    lines = agenda_lines(meeting)
    sent = 0
    for attendance in targets:
        previous = attendance.sent_sequence
        claimed = (
            Attendance.objects.filter(pk=attendance.pk)
            .filter(Q(sent_sequence__isnull=True) | ~Q(sent_sequence=meeting.sequence))
            .update(sent_sequence=meeting.sequence)
        )
        if not claimed:
            continue  # another worker sent it meanwhile
        try:
            _send_one(meeting, attendance, lines, cancelled=cancelled, update=previous is not None)
        except Exception:
            Attendance.objects.filter(pk=attendance.pk, sent_sequence=meeting.sequence).update(sent_sequence=previous)
            raise
        sent += 1
    return sent


def _send_one(meeting: Meeting, attendance: Attendance, lines: list[AgendaLine], *, cancelled: bool, update: bool):
    user = attendance.user
    attendee = ics.Attendee(email=user.email, name=_name(user))
    event = calendar_event(meeting, lines=lines, attendees=(attendee,))
    body_ics = ics.invitation(event, now=timezone.now())
    context = {
        "meeting": meeting,
        "user": user,
        "lines": lines,
        "url": meeting_url(meeting),
        "when": format_span(meeting.start, meeting.end),
        "cancelled": cancelled,
        "update": update,
        "organizer": organizer_name(meeting),
    }
    with override(settings.LANGUAGE_CODE):
        if cancelled:
            subject = _("Aflyst: %(title)s") % {"title": event.summary}
        elif update:
            subject = _("Ændret indkaldelse: %(title)s") % {"title": event.summary}
        else:
            subject = _("Indkaldelse: %(title)s") % {"title": event.summary}
        body = render_to_string("emails/meeting_invitation.txt", context)
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=f"{organizer_name(meeting)} <{settings.MEETING_ORGANIZER_EMAIL}>",
        to=[user.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    method = "CANCEL" if cancelled else "REQUEST"
    message.attach("moede.ics", body_ics, f"text/calendar; method={method}; charset=utf-8")
    message.send()


def send_draft_agenda(*, meeting_id: int) -> int:
    """Mail the draft agenda to every active member, asking for comments and proposals in the portal."""
    meeting = _load(meeting_id)
    if meeting is None or meeting.is_locked:
        return 0
    members = User.objects.filter(is_active=True, memberships__partnership_id=meeting.partnership_id).distinct()
    context = {
        "meeting": meeting,
        "lines": agenda_lines(meeting),
        "url": meeting_url(meeting),
        "when": format_span(meeting.start, meeting.end),
        "organizer": organizer_name(meeting),
    }
    with override(settings.LANGUAGE_CODE):
        subject = _("Udkast til dagsorden: %(title)s") % {"title": event_summary(meeting)}
        body = render_to_string("emails/meeting_draft_agenda.txt", context)
    recipients = [user.email for user in members]
    if not recipients:
        return 0
    _to_members(subject=subject, body=body, meeting=meeting, recipients=recipients).send()
    return len(recipients)


def send_approved_minutes(*, minutes_id: int) -> int:
    """Mail the approved minutes (PDF attached when ready) to every active member, once."""
    minutes = Minutes.objects.select_related("meeting__partnership__secretariat").filter(pk=minutes_id).first()
    if minutes is None or not minutes.is_approved:
        return 0
    claimed = Minutes.objects.filter(pk=minutes.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    if not claimed:
        return 0
    meeting = minutes.meeting
    try:
        members = User.objects.filter(is_active=True, memberships__partnership_id=meeting.partnership_id).distinct()
        recipients = [user.email for user in members]
        context = {"meeting": meeting, "minutes": minutes, "url": meeting_url(meeting)}
        with override(settings.LANGUAGE_CODE):
            subject = _("Godkendt referat: %(title)s") % {"title": event_summary(meeting)}
            body = render_to_string("emails/meeting_minutes.txt", context)
        message = _to_members(subject=subject, body=body, meeting=meeting, recipients=recipients)
        if minutes.pdf_status == Minutes.PdfStatus.READY and minutes.pdf:
            with minutes.pdf.open("rb") as handle:
                message.attach("referat.pdf", handle.read(), "application/pdf")
        if recipients:
            message.send()
    except Exception:
        Minutes.objects.filter(pk=minutes.pk).update(sent_at=None)
        raise
    return len(recipients)


def _to_members(*, subject: str, body: str, meeting: Meeting, recipients: list[str]) -> EmailMessage:
    """One message to all members, in Bcc (members do not see each other's addresses): it goes out
    whole or not at all, so a retry never mails anyone twice."""
    sender = settings.MEETING_ORGANIZER_EMAIL
    return EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=f"{organizer_name(meeting)} <{sender}>",
        to=[sender],
        bcc=recipients,
        headers={"Auto-Submitted": "auto-generated"},
    )
