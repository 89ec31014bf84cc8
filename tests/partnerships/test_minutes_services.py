"""Minutes, approval by the lead and the lock, amendments, action items, learning notes, the PDF."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships.models import AgendaItem, LearningNote, Meeting, Minutes
from partnerships.services import meetings as meeting_services
from partnerships.services import minutes as services
from partnerships.tasks import render_minutes_pdf

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S607
    return result.stdout.decode()


@pytest.fixture
def held(running_meeting, secretariat_a, business_a, employment_a):
    """A meeting under way with two members present and one agenda item."""
    meeting_services.meeting_invite(meeting=running_meeting, invitees=[business_a, employment_a], by=secretariat_a)
    meeting_services.agenda_item_add(meeting=running_meeting, by=secretariat_a, title="Nyt fra jobcentret")
    meeting_services.attendance_record(meeting=running_meeting, present=[business_a, secretariat_a], by=secretariat_a)
    return running_meeting


def test_minutes_cannot_be_written_before_the_meeting(make_meeting, secretariat_a):
    meeting = make_meeting(days=2)
    with pytest.raises(ValidationError) as error:
        services.minutes_save(meeting=meeting, by=secretariat_a, summary="For tidligt")
    assert "summary" in error.value.message_dict


def test_notes_per_item_are_saved_with_the_minutes(held, secretariat_a):
    item = held.agenda_items.get()
    services.minutes_save(meeting=held, by=secretariat_a, summary="Godt møde", notes={item.pk: "Ny leder i Skive."})
    item.refresh_from_db()
    assert item.note == "Ny leder i Skive."
    assert Minutes.objects.get(meeting=held).summary == "Godt møde"


def test_a_note_for_another_meetings_item_is_refused(held, make_meeting, secretariat_a):
    other = meeting_services.agenda_item_add(meeting=make_meeting(days=9), by=secretariat_a, title="Andet")
    with pytest.raises(ValidationError):
        services.minutes_save(meeting=held, by=secretariat_a, notes={other.pk: "Forkert"})


def test_only_the_meetings_lead_approves(held, business_a):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(meeting=held, by=business_a)
    assert "tovholder" in error.value.messages[0]
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD


def test_approval_needs_the_attendance(running_meeting, secretariat_a):
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(meeting=running_meeting, by=secretariat_a)
    assert "present" in error.value.message_dict


def test_approval_needs_members_proposals_decided(held, secretariat_a, business_a):
    AgendaItem.objects.create(meeting=held, title="Forslag", status=AgendaItem.Status.PROPOSED, proposed_by=business_a)
    with pytest.raises(ValidationError) as error:
        services.minutes_approve(meeting=held, by=secretariat_a)
    assert "agenda" in error.value.message_dict


def test_approved_minutes_are_locked_and_corrections_become_amendments(held, secretariat_a, business_a):
    item = held.agenda_items.get()
    services.minutes_save(meeting=held, by=secretariat_a, notes={item.pk: "Oprindelig tekst"})
    services.minutes_approve(meeting=held, by=secretariat_a)
    with pytest.raises(ValidationError) as error:
        services.minutes_save(meeting=held, by=secretariat_a, notes={item.pk: "Stille rettelse"})
    assert "rettelse" in str(error.value)
    for write in (
        lambda: meeting_services.attendance_record(meeting=held, present=[business_a], by=secretariat_a),
        lambda: meeting_services.agenda_item_add(meeting=held, by=secretariat_a, title="Efterrationalisering"),
        lambda: services.action_item_create(meeting=held, by=secretariat_a, title="X", owner=business_a),
        lambda: services.learning_note_add(meeting=held, by=secretariat_a, text="Sent"),
    ):
        with pytest.raises(ValidationError):
            write()
    item.refresh_from_db()
    assert item.note == "Oprindelig tekst"
    amendment = services.minutes_amend(
        meeting=held, by=business_a, text="Det var Skive, ikke Viborg.", agenda_item=item
    )
    assert amendment.author == business_a and amendment.created_at
    held.refresh_from_db()
    assert held.status == Meeting.Status.APPROVED


def test_an_amendment_before_approval_is_refused(held, secretariat_a):
    with pytest.raises(ValidationError) as error:
        services.minutes_amend(meeting=held, by=secretariat_a, text="For tidligt")
    assert "text" in error.value.message_dict


def test_action_items_need_a_member_as_owner_and_a_due_date_after_the_meeting(held, secretariat_a, consultant_b):
    with pytest.raises(ValidationError) as error:
        services.action_item_create(meeting=held, by=secretariat_a, title="Ring til Vestas", owner=consultant_b)
    assert "owner" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.action_item_create(
            meeting=held,
            by=secretariat_a,
            title="Ring til Vestas",
            owner=secretariat_a,
            due_on=timezone.localdate() - dt.timedelta(days=3),
        )
    assert "due_on" in error.value.message_dict
    assert not held.action_items.exists()


def test_learning_and_handover_notes(held, secretariat_a, partnership_a, consultant_b):
    services.learning_note_add(meeting=held, by=secretariat_a, text="Fælles besøg virker bedst med to systemer.")
    services.learning_note_add(
        meeting=held, by=secretariat_a, kind=LearningNote.Kind.HANDOVER, text="Jobcentret skal kende RKV-tilbuddet."
    )
    assert held.notes.count() == 2
    with pytest.raises(ValidationError):
        services.learning_note_add(partnership=partnership_a, by=consultant_b, text="Udefra")


def test_approval_renders_the_pdf_and_mails_it_to_the_members(
    held, secretariat_a, business_a, employment_a, eager_tasks, django_capture_on_commit_callbacks
):
    item = held.agenda_items.get()
    services.minutes_save(meeting=held, by=secretariat_a, notes={item.pk: "Jobcentret har fået ny chef."})
    services.action_item_create(meeting=held, by=secretariat_a, title="Send kursusoversigt", owner=employment_a)
    services.learning_note_add(meeting=held, by=secretariat_a, text="Korte møder holder fokus.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=held, by=secretariat_a)
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.pdf_status == Minutes.PdfStatus.READY
    data = minutes.pdf.read()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "LKS Alfa",
        "Nyt fra jobcentret",
        "Jobcentret har fået ny chef.",
        "Send kursusoversigt",
        "Korte møder holder fokus.",
        "Godkendt af",
        "Erhverv",
    ):
        assert expected in text
    (message,) = mail.outbox
    assert set(message.bcc) >= {business_a.email, employment_a.email}
    assert message.attachments[0][0] == "referat.pdf"
    assert "Godkendt referat" in message.subject


def test_rendering_the_pdf_again_changes_nothing(held, secretariat_a, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=held, by=secretariat_a)
    minutes = Minutes.objects.get(meeting=held)
    name, source = minutes.pdf.name, minutes.pdf_source_hash
    assert render_minutes_pdf(minutes.pk) is False
    minutes.refresh_from_db()
    assert (minutes.pdf.name, minutes.pdf_source_hash) == (name, source)


def test_an_amendment_makes_a_new_pdf_with_it(held, secretariat_a, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(meeting=held, by=secretariat_a)
    first = Minutes.objects.get(meeting=held).pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_amend(meeting=held, by=secretariat_a, text="Tilføjelse: mødet sluttede 11.15.")
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.pdf.name != first
    assert not minutes.pdf.storage.exists(first)
    assert "Tilføjelse: mødet sluttede 11.15." in pdf_text(minutes.pdf.read())


def test_the_pdf_task_does_nothing_for_minutes_that_have_gone_or_are_drafts(held):
    assert render_minutes_pdf(987654) is False
    assert render_minutes_pdf(services.minutes_of(held).pk) is False


def test_the_same_minutes_give_the_same_pdf_bytes(held, secretariat_a):
    from partnerships.pdf import html_to_pdf

    services.minutes_save(meeting=held, by=secretariat_a, summary="Samme tekst")
    html = services.minutes_html(services.minutes_of(held))
    assert html_to_pdf(html) == html_to_pdf(html)


def test_pdf_rendering_never_fetches_over_the_network():
    from partnerships.pdf import html_to_pdf

    # An image on another host: refused by the fetcher (WeasyPrint logs it and renders without).
    data = html_to_pdf('<html><body><p>Tekst</p><img src="http://127.0.0.1:9/x.png" alt=""></body></html>')
    assert data.startswith(b"%PDF-")
