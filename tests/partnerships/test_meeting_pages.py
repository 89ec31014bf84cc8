"""The meeting pages through the test client: who sees what, planning, invitations and answers, minutes,
approval, the PDF, the calendar feed, and the firm cases on the meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from companies.models import AgendaProposal, CaseStatus, Decision
from partnerships.models import Attendance, Meeting, MeetingKind, Minutes
from partnerships.services import meetings as services
from tests.companies.factories import AgendaProposalFactory, CompanyFactory

pytestmark = pytest.mark.django_db


def detail(meeting) -> str:
    return reverse("partnerships:meeting_detail", args=[meeting.pk])


def test_members_see_their_meetings_and_outsiders_get_404(
    make_meeting, client_for, consultant_a, consultant_b, management
):
    meeting = make_meeting(title="Styregruppe om budget")
    assert (
        "Styregruppe om budget" in client_for(consultant_a).get(reverse("partnerships:meeting_list")).content.decode()
    )
    assert client_for(consultant_a).get(detail(meeting)).status_code == 200
    assert client_for(management).get(detail(meeting)).status_code == 200
    assert client_for(consultant_b).get(detail(meeting)).status_code == 404
    assert (
        "Styregruppe om budget"
        not in client_for(consultant_b).get(reverse("partnerships:meeting_list")).content.decode()
    )


def test_members_cannot_manage_and_management_only_reads(make_meeting, client_for, consultant_a, management):
    meeting = make_meeting()
    url = reverse("partnerships:meeting_agenda", args=[meeting.pk])
    assert client_for(consultant_a).post(url, {"action": "standing"}).status_code == 403
    assert client_for(management).post(url, {"action": "standing"}).status_code == 403
    assert not meeting.agenda_items.exists()


def test_planning_a_meeting_that_ends_before_it_starts_shows_a_danish_message(client_for, secretariat_a, partnership_a):
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    response = client_for(secretariat_a).post(
        reverse("partnerships:meeting_create"),
        {
            "partnership": partnership_a.pk,
            "kind": MeetingKind.STEERING,
            "day": day,
            "start_time": "11:00",
            "end_time": "10:00",
            "location": "Lokale 1",
        },
    )
    assert response.status_code == 200
    assert "Mødet skal slutte efter det begynder." in response.content.decode()
    assert not Meeting.objects.exists()


def test_planning_a_meeting(client_for, secretariat_a, partnership_a):
    day = timezone.localdate() + dt.timedelta(days=10)
    response = client_for(secretariat_a).post(
        reverse("partnerships:meeting_create"),
        {
            "partnership": partnership_a.pk,
            "kind": MeetingKind.STEERING,
            "day": day.isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "location": "Lokale 1",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(meeting)
    assert timezone.localtime(meeting.start).hour == 9


def test_invite_from_the_page_then_members_answer(
    make_meeting, client_for, secretariat_a, consultant_a, eager_tasks, django_capture_on_commit_callbacks
):
    meeting = make_meeting()
    client = client_for(secretariat_a)
    client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    with django_capture_on_commit_callbacks(execute=True):
        with_invite = client.post(
            reverse("partnerships:meeting_invite", args=[meeting.pk]),
            {"invitees": [consultant_a.pk], "action": "invite"},
        )
    assert with_invite.status_code == 302
    (message,) = mail.outbox
    assert message.to == [consultant_a.email]
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert str(event["UID"]) == f"{meeting.uid}@kompetenceportalen"
    client_for(consultant_a).post(reverse("partnerships:meeting_answer", args=[meeting.pk]), {"response": "deltager"})
    assert Attendance.objects.get(meeting=meeting, user=consultant_a).response == Attendance.Response.ACCEPTED
    page = client.get(detail(meeting)).content.decode()
    assert "Ingen fra" in page  # two systems are missing


def test_minutes_decision_approval_and_pdf_through_the_pages(
    running_meeting,
    client_for,
    secretariat_a,
    business_a,
    employment_a,
    partnership_a,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    firm = CompanyFactory(partnership=partnership_a, name="Hammel Stål ApS", status=CaseStatus.VISITED)
    proposal = AgendaProposalFactory(company=firm, proposed_by=business_a)
    client = client_for(secretariat_a)
    page = client.get(detail(running_meeting)).content.decode()
    assert "Hammel Stål ApS" in page and "Foreslået til dagsordenen" in page
    client.post(reverse("companies:meeting_add_cases", args=[running_meeting.pk]), {"proposal": proposal.pk})
    case_item = proposal.agenda_items.get()
    client.post(
        reverse("partnerships:meeting_minutes", args=[running_meeting.pk]),
        {"part": "attendance", "present": [secretariat_a.pk, business_a.pk, employment_a.pk]},
    )
    form_url = reverse("companies:decision_create", args=[case_item.pk])
    refused = client.post(form_url, {"text": "Fælles besøg", "deadline": "", "case_status": CaseStatus.AGREED})
    assert "Vælg en tovholder for indsatsen" in refused.content.decode()
    saved = client.post(
        form_url,
        {
            "text": "Fælles besøg med uddannelsesplan.",
            "lead_consultant": business_a.pk,
            "consultants": [employment_a.pk],
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "case_status": CaseStatus.AGREED,
        },
    )
    assert saved.status_code == 302
    assert Decision.objects.get().lead_consultant == business_a
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.TREATED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("partnerships:meeting_approve", args=[running_meeting.pk]))
    assert Minutes.objects.get(meeting=running_meeting).is_approved
    pdf = client.get(reverse("partnerships:meeting_pdf", args=[running_meeting.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    dashboard = client_for(employment_a).get(reverse("dashboard")).content.decode()
    assert "Dine opgaver fra partnerskabsmøder" in dashboard and "Hammel Stål ApS" in dashboard


def test_the_calendar_feed_page_and_a_revoked_address(make_meeting, client_for, consultant_a, client):
    make_meeting(title="Feedmødet")
    page = client_for(consultant_a)
    assert "ikke begge" in page.get(reverse("partnerships:calendar")).content.decode()
    response = page.post(reverse("partnerships:calendar"), {"action": "create"})
    url = response.context["feed_url"]
    path = url.split("testserver", 1)[1]
    feed = client.get(path)
    assert feed.status_code == 200 and b"Feedm" in feed.content
    assert Calendar.from_ical(feed.content)["METHOD"] == "PUBLISH"
    page.post(reverse("partnerships:calendar"), {"action": "revoke"})
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_the_meeting_list_uses_a_constant_number_of_queries(
    count, partnership_a, secretariat_a, client_for, consultant_a, django_assert_max_num_queries
):
    start = timezone.now() + dt.timedelta(days=1)
    for n in range(count):
        services.meeting_create(
            partnership=partnership_a,
            kind=MeetingKind.STEERING,
            start=start + dt.timedelta(days=n),
            end=start + dt.timedelta(days=n, hours=1),
            by=secretariat_a,
        )
    client = client_for(consultant_a)
    client.get(reverse("partnerships:meeting_list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partnerships:meeting_list"))
    assert len(response.context["rows"]) == count


def test_learning_notes_are_searchable_and_management_sees_every_partnership(
    running_meeting, secretariat_a, client_for, consultant_a, consultant_b, management
):
    from partnerships.services import minutes as minutes_services

    minutes_services.learning_note_add(
        meeting=running_meeting, by=secretariat_a, text="Fælles besøg med skolen virker."
    )
    minutes_services.learning_note_add(meeting=running_meeting, by=secretariat_a, text="Ringe tidligt til jobcentret.")
    url = reverse("partnerships:learning_list")
    found = client_for(consultant_a).get(url, {"q": "skolen"}).content.decode()
    assert "Fælles besøg med skolen virker." in found and "Ringe tidligt" not in found
    assert "Fælles besøg" not in client_for(consultant_b).get(url).content.decode()
    assert "Ringe tidligt til jobcentret." in client_for(management).get(url).content.decode()


def test_self_evaluation_answers_and_the_development_chart(partnership_a, secretariat_a, consultant_a, client_for):
    from partnerships.models import Dimension, SelfEvaluation

    client_for(secretariat_a).post(reverse("partnerships:self_evaluation", args=[partnership_a.pk]), {"action": "open"})
    evaluation = SelfEvaluation.objects.get()
    form_url = reverse("partnerships:self_evaluation_answer", args=[evaluation.pk])
    incomplete = client_for(consultant_a).post(form_url, {"mandat_level": "3"})
    assert "Skriv en begrundelse for niveauet." in incomplete.content.decode()
    data = {f"{d.value}_level": "3" for d in Dimension} | {
        f"{d.value}_justification": "Vi koordinerer." for d in Dimension
    }
    assert client_for(consultant_a).post(form_url, data).status_code == 302
    client_for(secretariat_a).post(
        reverse("partnerships:self_evaluation", args=[partnership_a.pk]), {"action": "close"}
    )
    page = (
        client_for(consultant_a).get(reverse("partnerships:self_evaluation", args=[partnership_a.pk])).content.decode()
    )
    assert "<svg" in page and "<circle" in page
    assert "Klub" in page


def test_toolbox_upload_checked_and_download_only_for_those_who_may_see_it(
    client_for, secretariat_a, partnership_a, consultant_a, consultant_b
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerships.models import ToolboxDocument

    client = client_for(secretariat_a)
    url = reverse("partnerships:toolbox_create")
    fake = SimpleUploadedFile("aftale.pdf", b"this is not a pdf", content_type="application/pdf")
    refused = client.post(
        url, {"partnership": partnership_a.pk, "category": "aftaler", "title": "Aftale", "file": fake}
    )
    assert "ikke en rigtig PDF-fil" in refused.content.decode()
    assert not ToolboxDocument.objects.exists()
    real = SimpleUploadedFile("aftale.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    client.post(url, {"partnership": partnership_a.pk, "category": "aftaler", "title": "Aftale", "file": real})
    document = ToolboxDocument.objects.get()
    download = reverse("partnerships:toolbox_download", args=[document.pk])
    response = client_for(consultant_a).get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert client_for(consultant_b).get(download).status_code == 404
    assert "/media/" not in client_for(consultant_a).get(reverse("partnerships:toolbox_list")).content.decode()


def test_members_tick_off_the_introduction_and_the_secretariat_follows(
    client_for, partnership_a, consultant_a, secretariat_a
):
    from partnerships.models import IntroductionProgress, IntroductionStep

    step = IntroductionStep.objects.filter(partnership__isnull=True).order_by("position").first()
    url = reverse("partnerships:introduction", args=[partnership_a.pk])
    client_for(consultant_a).post(url, {"step": step.pk, "done": "1"})
    assert IntroductionProgress.objects.filter(membership__user=consultant_a, step=step).exists()
    page = client_for(secretariat_a).get(url).content.decode()
    assert "Medlemmernes introduktion" in page and "Anna" in page


def test_the_month_calendar_shows_the_users_meetings_only(make_meeting, client_for, consultant_a, consultant_b):
    meeting = make_meeting(days=2)
    month = timezone.localtime(meeting.start).strftime("%Y-%m")
    url = reverse("partnerships:meeting_calendar")
    assert meeting.get_absolute_url() in client_for(consultant_a).get(url, {"maaned": month}).content.decode()
    assert meeting.get_absolute_url() not in client_for(consultant_b).get(url, {"maaned": month}).content.decode()
    assert client_for(consultant_a).get(url, {"maaned": "2026-13"}).status_code == 200
