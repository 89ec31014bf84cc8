"""The rules of planning meetings, invitations, answers and the agenda (partnerships.services.meetings)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from icalendar import Calendar

from partnerships.localtime import COPENHAGEN, local_datetime
from partnerships.meeting_selectors import attendance_summary
from partnerships.models import ActionItem, AgendaItem, Attendance, Meeting, MeetingKind, MeetingSeries, Role
from partnerships.services import mail as mail_services
from partnerships.services import meetings as services
from partnerships.services import minutes as minutes_services
from tests.factories import MembershipFactory, PartnershipFactory
from tests.partnerships.meeting_factories import member_in

pytestmark = pytest.mark.django_db


def _ics(message) -> Calendar:
    (attachment,) = [a for a in message.attachments if a[0].endswith(".ics")]
    return Calendar.from_ical(attachment[1])


def _event(message):
    (event,) = _ics(message).walk("VEVENT")
    return event


# ---------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------
def test_meeting_create_refuses_end_before_start(partnership_a, secretariat_a):
    start = local_datetime(dt.date(2027, 2, 9), dt.time(9))
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            partnership=partnership_a,
            kind=MeetingKind.STEERING,
            start=start,
            end=start - dt.timedelta(hours=1),
            by=secretariat_a,
        )
    assert "end" in error.value.message_dict
    assert Meeting.objects.count() == 0


def test_meeting_create_makes_the_partnerships_tovholder_its_lead(make_meeting, secretariat_a):
    assert make_meeting().lead == secretariat_a


def test_meeting_create_refuses_a_room_already_taken_by_another_partnership(make_meeting, secretariat_a):
    make_meeting(location="Mødelokale 2, VEU-center Aarhus")
    # The same secretariat runs a second partnership (it may plan only where it has a seat).
    other = PartnershipFactory(name="LKS Gamma")
    MembershipFactory(user=secretariat_a, partnership=other)
    with pytest.raises(ValidationError) as error:
        make_meeting(location="  mødelokale 2, veu-center aarhus ", partnership=other, lead=None)
    assert "optaget" in error.value.message_dict["location"][0]
    assert Meeting.objects.count() == 1


def test_meeting_create_allows_back_to_back_meetings_in_the_same_room(make_meeting):
    make_meeting(hour=9, minutes=60, location="Lokale 1")
    second = make_meeting(hour=10, minutes=60, location="Lokale 1", lead=None)
    assert second.pk


def test_meeting_create_refuses_a_lead_in_two_meetings_at_once(make_meeting):
    make_meeting(hour=9)
    with pytest.raises(ValidationError) as error:
        make_meeting(hour=10)
    assert "tovholder" in error.value.message_dict["lead"][0]


def test_a_cancelled_meeting_frees_the_room_and_the_lead(make_meeting, secretariat_a):
    first = make_meeting(location="Lokale 1")
    services.meeting_cancel(meeting=first, by=secretariat_a)
    assert make_meeting(location="Lokale 1").pk


def test_meeting_create_refuses_a_lead_from_outside_the_partnership(make_meeting, consultant_b):
    with pytest.raises(ValidationError) as error:
        make_meeting(lead=consultant_b)
    assert "lead" in error.value.message_dict


def test_a_time_skipped_by_summer_time_is_refused_with_a_message():
    with pytest.raises(ValidationError) as error:
        local_datetime(dt.date(2027, 3, 28), dt.time(2, 30))
    assert "sommertid" in error.value.message_dict["start"][0]


@pytest.mark.parametrize("who", ["secretariat_b", "consultant_a", "management"])
def test_only_those_who_manage_a_partnerships_meetings_can_plan_them(who, request, partnership_a, partnership_b):
    """The service itself refuses, not only the planning form's choices: another partnership's
    secretariat, a member who is not its tovholder, and Projektledelse (reads all, runs none)."""
    if who == "secretariat_b":
        user = member_in(partnership_b, system="business", first_name="Sif", role=Role.SECRETARIAT)
    else:
        user = request.getfixturevalue(who)
    start = local_datetime(dt.date(2027, 2, 9), dt.time(9))
    with pytest.raises(PermissionDenied):
        services.meeting_create(
            partnership=partnership_a,
            kind=MeetingKind.STEERING,
            start=start,
            end=start + dt.timedelta(hours=1),
            by=user,
        )
    with pytest.raises(PermissionDenied):
        _series(partnership_a, user)
    assert not Meeting.objects.exists() and not MeetingSeries.objects.exists()


def test_the_partnerships_secretariat_and_its_tovholder_can_plan(partnership_a, secretariat_a, consultant_a):
    consultant_a.memberships.update(lead_role="tovholder")
    start = local_datetime(dt.date(2027, 2, 9), dt.time(9))
    for user in (secretariat_a, consultant_a):
        services.meeting_create(
            partnership=partnership_a,
            kind=MeetingKind.STEERING,
            start=start,
            end=start + dt.timedelta(hours=1),
            by=user,
            lead=None if user == secretariat_a else consultant_a,
            location=user.email,
        )
    assert Meeting.objects.count() == 2


# ---------------------------------------------------------------------------
# Series across daylight-saving time
# ---------------------------------------------------------------------------
def _series(partnership_a, secretariat_a, **fields):
    values = {
        "partnership": partnership_a,
        "kind": MeetingKind.CONSULTANTS,
        "starts_on": dt.date(2027, 3, 2),  # a Tuesday
        "ends_on": dt.date(2027, 11, 30),
        "start_time": dt.time(9),
        "duration_minutes": 120,
        "interval_weeks": 2,
        "by": secretariat_a,
    }
    return services.series_create(**{**values, **fields})


def test_series_every_second_tuesday_stays_at_nine_across_both_clock_changes(partnership_a, secretariat_a):
    series, meetings = _series(partnership_a, secretariat_a)
    local = [m.start.astimezone(COPENHAGEN) for m in meetings]
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    assert {t.weekday() for t in local} == {1}
    utc_hours = {m.start.astimezone(dt.UTC).date(): m.start.astimezone(dt.UTC).hour for m in meetings}
    # Winter (before 28 March and after 31 October 2027): 08:00 UTC; summer: 07:00 UTC.
    assert utc_hours[dt.date(2027, 3, 16)] == 8
    assert utc_hours[dt.date(2027, 3, 30)] == 7
    assert utc_hours[dt.date(2027, 10, 26)] == 7
    assert utc_hours[dt.date(2027, 11, 9)] == 8
    assert all(m.end - m.start == dt.timedelta(hours=2) for m in meetings)
    assert MeetingSeries.objects.get() == series


def test_series_skips_its_exception_dates(partnership_a, secretariat_a):
    _made, meetings = _series(partnership_a, secretariat_a, exceptions=[dt.date(2027, 10, 12)])
    days = {m.series_date for m in meetings}
    assert dt.date(2027, 10, 12) not in days
    assert dt.date(2027, 9, 28) in days and dt.date(2027, 10, 26) in days


def test_series_refuses_an_exception_that_is_not_a_meeting_day(partnership_a, secretariat_a):
    with pytest.raises(ValidationError) as error:
        _series(partnership_a, secretariat_a, exceptions=[dt.date(2027, 10, 13)])
    assert "13.10.2027" in error.value.message_dict["exceptions"][0]
    assert not Meeting.objects.exists() and not MeetingSeries.objects.exists()


def test_series_with_one_clash_creates_nothing(partnership_a, secretariat_a, make_meeting):
    start = local_datetime(dt.date(2027, 6, 8), dt.time(10))
    services.meeting_create(
        partnership=partnership_a,
        kind=MeetingKind.STEERING,
        start=start,
        end=start + dt.timedelta(hours=1),
        by=secretariat_a,
    )
    with pytest.raises(ValidationError) as error:
        _series(partnership_a, secretariat_a)
    assert any("08.06.2027" in m for m in error.value.message_dict["start_time"])
    assert Meeting.objects.count() == 1 and not MeetingSeries.objects.exists()


def test_series_end_before_start_is_refused(partnership_a, secretariat_a):
    with pytest.raises(ValidationError) as error:
        _series(partnership_a, secretariat_a, ends_on=dt.date(2027, 1, 1))
    assert "ends_on" in error.value.message_dict


def test_skipping_a_series_date_cancels_that_meeting(partnership_a, secretariat_a):
    series, _meetings = _series(partnership_a, secretariat_a)
    cancelled = services.series_skip_date(series=series, on_date=dt.date(2027, 4, 13), by=secretariat_a)
    assert cancelled.status == Meeting.Status.CANCELLED
    assert series.exceptions.filter(on_date=dt.date(2027, 4, 13)).exists()


# ---------------------------------------------------------------------------
# Invitations
# ---------------------------------------------------------------------------
def test_inviting_someone_outside_the_partnership_is_refused_and_saves_nothing(
    make_meeting, secretariat_a, business_a, consultant_b
):
    meeting = make_meeting()
    with pytest.raises(ValidationError) as error:
        services.meeting_invite(meeting=meeting, invitees=[business_a, consultant_b], by=secretariat_a)
    assert "Bent" in error.value.message_dict["invitees"][0]
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_invitation_email_carries_a_request_ics_answered_in_the_portal(
    make_meeting, secretariat_a, business_a, employment_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting(location="Lokale 2")
    services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a, employment_a], by=secretariat_a)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([business_a.email, employment_a.email])
    message = mail.outbox[0]
    assert "Erfaringsudveksling" in message.body
    assert meeting.get_absolute_url() in message.body
    calendar = _ics(message)
    assert calendar["METHOD"] == "REQUEST"
    (timezone_,) = calendar.walk("VTIMEZONE")
    assert timezone_["TZID"] == "Europe/Copenhagen"
    event = _event(message)
    assert str(event["UID"]) == f"{meeting.uid}@kompetenceportalen"
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert event.decoded("DTSTART") == meeting.start
    assert str(event["URL"]).endswith(meeting.get_absolute_url())
    assert "mailto:noreply@" in str(event["ORGANIZER"])
    assert event["ORGANIZER"].params["CN"] == f"{meeting.partnership.secretariat.name}, sekretariat for LKS Alfa"
    assert "Kompetenceportalen" in str(event["DESCRIPTION"])
    assert "1. Erfaringsudveksling" in str(event["DESCRIPTION"])
    attendee = event["ATTENDEE"]
    assert attendee.params["RSVP"] == "FALSE"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITED


def test_changing_the_time_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    make_meeting, secretariat_a, business_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    first = _event(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(
            meeting=meeting,
            by=secretariat_a,
            start=meeting.start + dt.timedelta(hours=1),
            end=meeting.end + dt.timedelta(hours=1),
        )
    assert len(mail.outbox) == 2
    second = _event(mail.outbox[1])
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert "Ændret" in mail.outbox[1].subject


def test_changing_only_the_lead_needs_no_new_invitation(
    make_meeting, secretariat_a, business_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_update(meeting=meeting, by=secretariat_a, lead=business_a)
    assert len(mail.outbox) == 1
    assert meeting.sequence == 0


def test_inviting_one_more_person_mails_only_that_person(
    make_meeting, secretariat_a, business_a, employment_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        added = services.meeting_invite(meeting=meeting, invitees=[business_a, employment_a], by=secretariat_a)
    assert added.added == 1 and added.queued
    assert [m.to for m in mail.outbox] == [[business_a.email], [employment_a.email]]


def test_inviting_again_after_the_agenda_changed_updates_everyone(
    make_meeting, secretariat_a, business_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    services.agenda_item_add(meeting=meeting, by=secretariat_a, title="Budget 2027")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[], by=secretariat_a)
    assert len(mail.outbox) == 2
    assert _event(mail.outbox[1])["SEQUENCE"] == 1
    assert "Budget 2027" in str(_event(mail.outbox[1])["DESCRIPTION"])


def test_a_retried_invitation_task_mails_nobody_twice(make_meeting, secretariat_a, business_a, employment_a):
    meeting = make_meeting()
    services.meeting_invite(meeting=meeting, invitees=[business_a, employment_a], by=secretariat_a)
    assert mail_services.send_calendar_mail(meeting_id=meeting.pk) == 2
    assert mail_services.send_calendar_mail(meeting_id=meeting.pk) == 0
    assert len(mail.outbox) == 2


def test_a_failed_send_is_retried_for_that_person_only(make_meeting, secretariat_a, business_a, monkeypatch):
    meeting = make_meeting()
    services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    original = mail_services._send_one

    def fail(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(mail_services, "_send_one", fail)
    with pytest.raises(OSError):
        mail_services.send_calendar_mail(meeting_id=meeting.pk)
    monkeypatch.setattr(mail_services, "_send_one", original)
    assert mail_services.send_calendar_mail(meeting_id=meeting.pk) == 1


def test_the_task_does_nothing_for_a_meeting_that_has_gone():
    assert mail_services.send_calendar_mail(meeting_id=987654) == 0


def test_cancelling_sends_a_cancel_with_the_same_uid_to_those_invited(
    make_meeting, secretariat_a, business_a, employment_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    invitation = _event(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=secretariat_a, reason="Sygdom")
    assert len(mail.outbox) == 2
    cancel = mail.outbox[1]
    assert _ics(cancel)["METHOD"] == "CANCEL"
    event = _event(cancel)
    assert event["UID"] == invitation["UID"]
    assert event["SEQUENCE"] > invitation["SEQUENCE"]
    assert event["STATUS"] == "CANCELLED"
    assert "Sygdom" in cancel.body


def test_a_cancelled_or_approved_meeting_cannot_be_changed(make_meeting, secretariat_a):
    meeting = make_meeting()
    services.meeting_cancel(meeting=meeting, by=secretariat_a)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=secretariat_a, title="Nyt")
    with pytest.raises(ValidationError):
        services.agenda_item_add(meeting=meeting, by=secretariat_a, title="Nyt punkt")


# ---------------------------------------------------------------------------
# Answers and attendance
# ---------------------------------------------------------------------------
def test_members_answer_in_the_portal_and_outsiders_cannot(make_meeting, secretariat_a, business_a, consultant_b):
    meeting = make_meeting()
    services.meeting_invite(meeting=meeting, invitees=[business_a], by=secretariat_a)
    answer = services.attendance_answer(
        meeting=meeting, user=business_a, response=Attendance.Response.DECLINED, comment="Ferie"
    )
    assert answer.response == Attendance.Response.DECLINED and answer.responded_at
    with pytest.raises(ValidationError) as error:
        services.attendance_answer(meeting=meeting, user=consultant_b, response=Attendance.Response.ACCEPTED)
    assert "response" in error.value.message_dict


def test_answering_after_the_meeting_is_refused(make_meeting, secretariat_a, business_a):
    meeting = make_meeting(days=-2)
    with pytest.raises(ValidationError) as error:
        services.attendance_answer(meeting=meeting, user=business_a, response=Attendance.Response.ACCEPTED)
    assert "overstået" in error.value.message_dict["response"][0]


def test_attendance_summary_warns_when_a_system_is_missing(
    make_meeting, secretariat_a, business_a, employment_a, education_a
):
    meeting = make_meeting()
    services.meeting_invite(meeting=meeting, invitees=[business_a, employment_a, education_a], by=secretariat_a)
    services.attendance_answer(meeting=meeting, user=business_a, response=Attendance.Response.ACCEPTED)
    services.attendance_answer(meeting=meeting, user=employment_a, response=Attendance.Response.ACCEPTED)
    services.attendance_answer(meeting=meeting, user=education_a, response=Attendance.Response.DECLINED)
    summary = attendance_summary(meeting)
    assert summary.missing == ["Uddannelse"] or summary.missing == [
        g.name for g in summary.groups if g.code == "education"
    ]
    by_code = {g.code: g for g in summary.groups}
    assert by_code["business"].accepted == 1 and by_code["employment"].accepted == 1


def test_attendance_can_only_be_recorded_once_the_meeting_has_begun(make_meeting, secretariat_a, business_a):
    meeting = make_meeting(days=3)
    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=meeting, present=[business_a], by=secretariat_a)
    assert "present" in error.value.message_dict


def test_recording_attendance_marks_the_absent_and_the_meeting_held(
    running_meeting, secretariat_a, business_a, employment_a
):
    services.meeting_invite(meeting=running_meeting, invitees=[business_a, employment_a], by=secretariat_a)
    services.attendance_record(meeting=running_meeting, present=[business_a, secretariat_a], by=secretariat_a)
    present = dict(Attendance.objects.filter(meeting=running_meeting).values_list("user_id", "attended"))
    assert present == {business_a.pk: True, employment_a.pk: False, secretariat_a.pk: True}
    running_meeting.refresh_from_db()
    assert running_meeting.status == Meeting.Status.HELD


def test_recording_an_outsider_as_present_is_refused(running_meeting, secretariat_a, consultant_b):
    with pytest.raises(ValidationError) as error:
        services.attendance_record(meeting=running_meeting, present=[consultant_b], by=secretariat_a)
    assert "present" in error.value.message_dict
    assert not Attendance.objects.exists()


# ---------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------
def _titles(meeting) -> list[str]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
        .order_by("position", "pk")
        .values_list("title", flat=True)
    )


def test_standing_items_are_added_once(make_meeting, secretariat_a):
    meeting = make_meeting()
    services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    assert _titles(meeting) == ["Erfaringsudveksling", "Nyt fra organisationerne"]


def test_items_can_be_reordered_moved_and_removed(make_meeting, secretariat_a):
    meeting = make_meeting()
    a = services.agenda_item_add(meeting=meeting, by=secretariat_a, title="A")
    b = services.agenda_item_add(meeting=meeting, by=secretariat_a, title="B")
    c = services.agenda_item_add(meeting=meeting, by=secretariat_a, title="C")
    services.agenda_reorder(meeting=meeting, by=secretariat_a, item_ids=[c.pk, a.pk, b.pk])
    assert _titles(meeting) == ["C", "A", "B"]
    services.agenda_item_move(item=b, by=secretariat_a, offset=-1)
    assert _titles(meeting) == ["C", "B", "A"]
    services.agenda_item_remove(item=c, by=secretariat_a)
    assert _titles(meeting) == ["B", "A"]


def test_reordering_with_a_stale_list_is_refused(make_meeting, secretariat_a):
    meeting = make_meeting()
    a = services.agenda_item_add(meeting=meeting, by=secretariat_a, title="A")
    services.agenda_item_add(meeting=meeting, by=secretariat_a, title="B")
    with pytest.raises(ValidationError) as error:
        services.agenda_reorder(meeting=meeting, by=secretariat_a, item_ids=[a.pk])
    assert "order" in error.value.message_dict


def test_an_item_has_a_presenter_from_the_partnership_and_a_time(make_meeting, secretariat_a, business_a, consultant_b):
    meeting = make_meeting()
    item = services.agenda_item_add(
        meeting=meeting, by=secretariat_a, title="Status", presenter=business_a, duration_minutes=20
    )
    assert item.presenter == business_a and item.duration_minutes == 20
    with pytest.raises(ValidationError) as error:
        services.agenda_item_update(item=item, by=secretariat_a, presenter=consultant_b)
    assert "presenter" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.agenda_item_update(item=item, by=secretariat_a, duration_minutes=0)
    assert "duration_minutes" in error.value.message_dict


def test_members_propose_items_which_the_secretariat_takes_on_or_declines(
    make_meeting, secretariat_a, business_a, consultant_b
):
    meeting = make_meeting()
    proposal = services.agenda_item_propose(meeting=meeting, by=business_a, title="Rekruttering af svejsere")
    assert _titles(meeting) == []
    with pytest.raises(ValidationError):
        services.agenda_item_propose(meeting=meeting, by=consultant_b, title="Udefra")
    services.agenda_item_decide(item=proposal, by=secretariat_a, accept=True)
    assert _titles(meeting) == ["Rekruttering af svejsere"]
    declined = services.agenda_item_propose(meeting=meeting, by=business_a, title="Julefrokost")
    services.agenda_item_decide(item=declined, by=secretariat_a, accept=False)
    assert _titles(meeting) == ["Rekruttering af svejsere"]


def test_open_action_items_come_back_on_the_next_agenda_until_closed(
    running_meeting, make_meeting, secretariat_a, business_a
):
    action = minutes_services.action_item_create(
        meeting=running_meeting,
        by=secretariat_a,
        title="Kontakt Aarhus Tech om AMU-kursus",
        owner=business_a,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    next_meeting = make_meeting(days=14)
    services.agenda_add_action_follow_ups(meeting=next_meeting, by=secretariat_a)
    services.agenda_add_action_follow_ups(meeting=next_meeting, by=secretariat_a)
    (item,) = AgendaItem.objects.filter(meeting=next_meeting, kind=AgendaItem.Kind.ACTION_FOLLOW_UP)
    assert item.action_item == action and item.presenter == business_a
    minutes_services.action_item_close(item=action, by=business_a)
    later = make_meeting(days=28)
    assert services.agenda_add_action_follow_ups(meeting=later, by=secretariat_a) == []
    assert ActionItem.objects.get().status == ActionItem.Status.DONE


def test_draft_agenda_goes_to_all_members_in_one_message(
    make_meeting, secretariat_a, business_a, employment_a, consultant_b, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    with pytest.raises(ValidationError):
        services.agenda_send_draft(meeting=meeting, by=secretariat_a)
    services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_send_draft(meeting=meeting, by=secretariat_a)
    (message,) = mail.outbox
    assert sorted(message.bcc) == sorted([secretariat_a.email, business_a.email, employment_a.email])
    assert consultant_b.email not in message.bcc
    assert "Udkast" in message.subject and meeting.get_absolute_url() in message.body


def test_who_manages_meetings(partnership_a, secretariat_a, business_a, management, consultant_b):
    assert services.can_manage_meetings(secretariat_a, partnership_a)
    assert not services.can_manage_meetings(business_a, partnership_a)
    assert not services.can_manage_meetings(management, partnership_a)
    assert not services.can_manage_meetings(consultant_b, partnership_a)
    lead = member_in(partnership_a, system="business")
    lead.memberships.update(lead_role="tovholder")
    assert services.can_manage_meetings(lead, partnership_a)
