"""A draft agenda sent for comments: members comment on it (or on a point) before the final
invitation; the secretariat reads the comments on the meeting page. Not before the draft is sent, not
after the meeting began, not by outsiders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AgendaComment, Meeting
from partnerships.services import meetings as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(make_meeting, secretariat_a, eager_tasks):
    meeting = make_meeting()
    (item, *_rest) = services.agenda_add_standing_items(meeting=meeting, by=secretariat_a)
    services.agenda_send_draft(meeting=meeting, by=secretariat_a)
    meeting.refresh_from_db()
    return meeting, item


def test_a_member_comments_on_a_point_of_the_draft_and_the_secretariat_reads_it(
    draft, client_for, secretariat_a, business_a
):
    meeting, item = draft
    url = reverse("partnerships:meeting_comment", args=[meeting.pk])
    client = client_for(business_a)
    assert "Kommentér udkastet til dagsorden" in client.get(meeting.get_absolute_url()).content.decode()

    response = client.post(url, {"agenda_item": item.pk, "text": "Kan vi tage Aarhus Tech med her?"}, follow=True)

    assert "Din kommentar til dagsordenen er gemt." in response.content.decode()
    comment = AgendaComment.objects.get()
    assert comment.agenda_item == item and comment.author == business_a
    page = client_for(secretariat_a).get(meeting.get_absolute_url()).content.decode()
    assert "Kan vi tage Aarhus Tech med her?" in page and "Kommentarer til udkastet" in page


def test_no_comments_before_the_draft_is_sent(make_meeting, client_for, business_a):
    meeting = make_meeting()
    response = client_for(business_a).post(
        reverse("partnerships:meeting_comment", args=[meeting.pk]), {"text": "For tidligt"}, follow=True
    )
    assert "ikke sendt til kommentarer endnu" in response.content.decode()
    assert not AgendaComment.objects.exists()


def test_no_comments_once_the_meeting_began_and_outsiders_get_404(draft, client_for, business_a, consultant_b):
    meeting, _item = draft
    url = reverse("partnerships:meeting_comment", args=[meeting.pk])
    assert client_for(consultant_b).post(url, {"text": "Udefra"}).status_code == 404
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(start=now - dt.timedelta(minutes=5), end=now + dt.timedelta(hours=1))
    response = client_for(business_a).post(url, {"text": "For sent"}, follow=True)
    assert "kommentarer til dagsordenen er lukket" in response.content.decode()
    assert not AgendaComment.objects.exists()


def test_an_empty_or_too_long_comment_is_refused(draft, client_for, business_a):
    meeting, _item = draft
    url = reverse("partnerships:meeting_comment", args=[meeting.pk])
    client_for(business_a).post(url, {"text": ""})
    client_for(business_a).post(url, {"text": "x" * 1001})
    assert not AgendaComment.objects.exists()
