"""Redis down when invitations are sent: the meeting and its invitees are saved, the invitations wait
in the outbox, the page says they go out when the queue is back, and they do, once."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from kompetence import outbox
from kompetence.models import OutboxEntry
from partnerships.models import Attendance, Meeting
from tests.celery_helpers import celery_broker
from tests.faults import unused_port

pytestmark = pytest.mark.django_db

WAITS = "Invitationerne sendes, når køen er tilbage."


def test_inviting_while_the_broker_is_down_saves_tells_the_user_and_sends_once_when_back(
    settings, make_meeting, client_for, secretariat_a, consultant_a, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    client = client_for(secretariat_a)
    client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    with celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("partnerships:meeting_invite", args=[meeting.pk]),
                {"invitees": [consultant_a.pk], "action": "invite"},
                follow=True,
            )
        assert outbox.flush() == 0

    page = response.content.decode()
    assert WAITS in page
    assert "sendes nu" not in page
    assert Attendance.objects.filter(meeting=meeting, user=consultant_a).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.INVITED
    assert OutboxEntry.objects.get().status == OutboxEntry.Status.PENDING
    assert mail.outbox == []

    with celery_broker(settings, "memory://", eager=True):
        assert outbox.flush() == 1
        assert outbox.flush() == 0
    assert [m.to for m in mail.outbox] == [[consultant_a.email]]


def test_cancelling_while_the_broker_is_down_says_the_cancellations_wait(
    settings, make_meeting, client_for, secretariat_a, consultant_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    client = client_for(secretariat_a)
    client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("partnerships:meeting_invite", args=[meeting.pk]),
            {"invitees": [consultant_a.pk], "action": "invite"},
        )
    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("partnerships:meeting_cancel", args=[meeting.pk]), {}, follow=True)
    assert "Aflysningerne sendes, når køen er tilbage." in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED


def test_with_the_broker_up_the_page_says_the_invitation_is_sent(
    make_meeting, client_for, secretariat_a, consultant_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    client = client_for(secretariat_a)
    client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("partnerships:meeting_invite", args=[meeting.pk]),
            {"invitees": [consultant_a.pk], "action": "invite"},
            follow=True,
        )
    assert WAITS not in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.fixture
def approved(running_meeting, secretariat_a, business_a, django_capture_on_commit_callbacks):
    """A meeting whose minutes were approved (its PDF made while the queue answered)."""
    from partnerships.services import meetings as meeting_services
    from partnerships.services import minutes as minutes_services

    meeting_services.meeting_invite(meeting=running_meeting, invitees=[business_a], by=secretariat_a)
    meeting_services.attendance_record(meeting=running_meeting, present=[business_a, secretariat_a], by=secretariat_a)
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_approve(meeting=running_meeting, by=secretariat_a)
    return running_meeting


def _amend(client, meeting, text):
    return client.post(reverse("partnerships:meeting_amend", args=[meeting.pk]), {"text": text}, follow=True)


def test_an_amendment_while_the_broker_is_down_says_the_new_pdf_waits_for_the_queue(
    settings, approved, client_for, secretariat_a, django_capture_on_commit_callbacks
):
    client = client_for(secretariat_a)
    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _amend(client, approved, "Mødet sluttede 11.15.")
    page = response.content.decode()
    assert "Rettelsen er tilføjet referatet. Den nye PDF med rettelsen laves, når køen er tilbage." in page
    assert "bliver lavet" not in page
    assert OutboxEntry.objects.filter(
        task_name="partnerships.render_minutes_pdf", status=OutboxEntry.Status.PENDING
    ).exists()


def test_an_amendment_with_the_broker_up_says_the_new_pdf_is_being_made(
    approved, client_for, secretariat_a, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _amend(client_for(secretariat_a), approved, "Mødet sluttede 11.15.")
    page = response.content.decode()
    assert "Rettelsen er tilføjet referatet. En ny PDF med rettelsen bliver lavet." in page
    assert "når køen er tilbage" not in page
