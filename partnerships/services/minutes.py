"""Writes for the minutes: notes per item, action items, learning and hand-over notes, approval by the
meeting's lead (after which everything is locked), amendments, and the minutes PDF.

The companies app takes part through hooks in ``kompetence.registry``:

- ``minutes_approving(meeting, by)``: raise ``ValidationError`` to stop the approval (a firm on the
  agenda has no outcome yet);
- ``minutes_approved(meeting, by)``: the minutes are approved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from kompetence import registry
from partnerships.localtime import as_local
from partnerships.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    LearningNote,
    Meeting,
    Minutes,
    MinutesAmendment,
    Partnership,
    User,
)
from partnerships.pdf import html_to_pdf
from partnerships.services.background import queue_after_commit
from partnerships.services.meetings import (
    can_manage_meetings,
    ensure_open,
    is_meeting_lead,
    is_member,
    meeting_mark_held,
)

logger = logging.getLogger(__name__)


def minutes_of(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return minutes


def _ensure_started(meeting: Meeting, field: str = "__all__") -> None:
    if meeting.start > timezone.now():
        raise ValidationError({field: _("Referatet kan først skrives, når mødet er begyndt.")})


@transaction.atomic
def minutes_save(
    *, meeting: Meeting, by: User, summary: str | None = None, notes: Mapping[int, str] | None = None
) -> Minutes:
    """Save the draft minutes: the general remarks and a note per agenda item."""
    ensure_open(meeting)
    _ensure_started(meeting, "summary")
    minutes = Minutes.objects.select_for_update().get(pk=minutes_of(meeting).pk)
    if minutes.is_approved:
        raise ValidationError({"summary": _("Referatet er godkendt og låst. Skriv en rettelse i stedet.")})
    if summary is not None:
        minutes.summary = summary.strip()
    minutes.updated_by = by
    minutes.full_clean(exclude=["meeting"])
    minutes.save()
    if notes:
        items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting, pk__in=list(notes))}
        if set(notes) - set(items):
            raise ValidationError({"notes": _("Et af punkterne hører ikke til mødet.")})
        errors = {}
        for pk, text in notes.items():
            items[pk].note = text.strip()
            try:
                items[pk].full_clean(exclude=["meeting", "presenter", "action_item"])
            except ValidationError as error:
                errors[f"note_{pk}"] = error.message_dict.get("note", error.messages)
        if errors:
            raise ValidationError(errors)
        AgendaItem.objects.bulk_update(list(items.values()), ["note"])
    meeting_mark_held(meeting=meeting)
    return minutes


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User) -> Minutes:
    """The meeting's lead (tovholder) approves the minutes. From then on they are locked, the PDF is
    made and the members get them by e-mail."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_open(meeting)
    _ensure_started(meeting)
    if not is_meeting_lead(by, meeting):
        raise ValidationError({"__all__": _("Kun mødets tovholder kan godkende referatet.")})
    minutes = Minutes.objects.select_for_update().get(pk=minutes_of(meeting).pk)
    errors: dict[str, list[str]] = {}
    if not Attendance.objects.filter(meeting=meeting, attended=True).exists():
        errors["present"] = [_("Registrér fremmødet, før referatet godkendes.")]
    if AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.PROPOSED).exists():
        errors["agenda"] = [_("Tag stilling til medlemmernes forslag til dagsordenen, før referatet godkendes.")]
    try:
        registry.run_hooks("minutes_approving", meeting=meeting, by=by)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_by = by
    minutes.approved_at = now
    minutes.pdf_status = Minutes.PdfStatus.PENDING
    minutes.save()
    meeting.status = Meeting.Status.APPROVED
    meeting.save(update_fields=["status", "updated_at"])
    registry.run_hooks("minutes_approved", meeting=meeting, by=by)
    from partnerships import tasks

    # False when the broker is down: the PDF and the e-mail to the members wait in the outbox.
    minutes.queued = queue_after_commit(tasks.render_minutes_pdf, minutes.pk, True)
    return minutes


@transaction.atomic
def minutes_amend(*, meeting: Meeting, by: User, text: str, agenda_item: AgendaItem | None = None) -> MinutesAmendment:
    """A correction to approved minutes, with its author and time; the PDF is made again."""
    minutes = Minutes.objects.select_for_update().filter(meeting=meeting).first()
    if minutes is None or not minutes.is_approved:
        raise ValidationError({"text": _("Referatet er ikke godkendt endnu. Ret i selve referatet.")})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Punktet hører ikke til mødet.")})
    amendment = MinutesAmendment(minutes=minutes, agenda_item=agenda_item, text=text.strip(), author=by)
    amendment.full_clean(exclude=["minutes", "agenda_item", "author"])
    amendment.save()
    minutes.pdf_status = Minutes.PdfStatus.PENDING
    minutes.save(update_fields=["pdf_status", "updated_at"])
    from partnerships import tasks

    amendment.queued = queue_after_commit(tasks.render_minutes_pdf, minutes.pk, False)
    return amendment


# ---------------------------------------------------------------------------
# Action items
# ---------------------------------------------------------------------------
@transaction.atomic
def action_item_create(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    owner: User | None,
    due_on: dt.date | None = None,
    description: str = "",
    agenda_item: AgendaItem | None = None,
) -> ActionItem:
    """An action item agreed at the meeting. It comes back on the next agenda until it is closed."""
    ensure_open(meeting)
    errors = {}
    if owner is None:
        errors["owner"] = _("Vælg en ansvarlig.")
    elif not is_member(owner, meeting.partnership_id):
        errors["owner"] = _("Den ansvarlige skal være aktivt medlem af partnerskabet.")
    if due_on is not None and due_on < as_local(meeting.start).date():
        errors["due_on"] = _("Fristen kan ikke ligge før mødet.")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = _("Punktet hører ikke til mødet.")
    if errors:
        raise ValidationError(errors)
    item = ActionItem(
        partnership_id=meeting.partnership_id,
        meeting=meeting,
        agenda_item=agenda_item,
        title=title.strip(),
        description=description.strip(),
        owner=owner,
        due_on=due_on,
        created_by=by,
    )
    item.full_clean(exclude=["partnership", "meeting", "agenda_item", "owner"])
    item.save()
    return item


@transaction.atomic
def action_item_close(
    *, item: ActionItem, by: User, status: str = ActionItem.Status.DONE, note: str = ""
) -> ActionItem:
    """Close an action item as done or cancelled; it stops coming back on the agenda."""
    if status not in (ActionItem.Status.DONE, ActionItem.Status.CANCELLED):
        raise ValidationError({"status": _("Vælg udført eller annulleret.")})
    item = ActionItem.objects.select_for_update().select_related("partnership").get(pk=item.pk)
    if item.owner_id != by.pk and not can_manage_meetings(by, item.partnership):
        raise ValidationError(
            {"status": _("Kun den ansvarlige og dem, der leder partnerskabets møder, kan lukke handlingspunktet.")}
        )
    if item.status != ActionItem.Status.OPEN:
        raise ValidationError({"status": _("Handlingspunktet er allerede lukket.")})
    item.status = status
    item.closing_note = note.strip()[:500]
    item.closed_at = timezone.now()
    item.closed_by = by
    item.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    return item


# ---------------------------------------------------------------------------
# Learning and hand-over
# ---------------------------------------------------------------------------
@transaction.atomic
def learning_note_add(
    *,
    by: User,
    text: str,
    kind: str = LearningNote.Kind.LEARNING,
    meeting: Meeting | None = None,
    partnership: Partnership | None = None,
) -> LearningNote:
    """Write down what was learned, or what to take back to the home organisations. From a meeting
    (part of its minutes, so locked once approved) or for the partnership at large."""
    if meeting is not None:
        ensure_open(meeting)
        partnership_id = meeting.partnership_id
    elif partnership is not None:
        partnership_id = partnership.pk
    else:
        raise TypeError("A learning note needs a meeting or a partnership.")
    if meeting is None and not is_member(by, partnership_id):
        raise ValidationError({"text": _("Kun partnerskabets medlemmer kan skrive erfaringer.")})
    note = LearningNote(partnership_id=partnership_id, meeting=meeting, kind=kind, text=text.strip(), author=by)
    note.full_clean(exclude=["partnership", "meeting", "author"])
    note.save()
    return note


# ---------------------------------------------------------------------------
# The minutes PDF
# ---------------------------------------------------------------------------
def minutes_html(minutes: Minutes) -> str:
    """The HTML of the minutes PDF (pure given the database: the same minutes give the same HTML)."""
    from partnerships.meeting_selectors import minutes_document

    document = minutes_document(minutes.meeting)
    with override(settings.LANGUAGE_CODE):
        return render_to_string("partnerships/pdf/minutes.html", {"doc": document})


def minutes_render_pdf(*, minutes_id: int) -> bool:
    """Render the approved minutes to PDF and store it. Idempotent: when the stored PDF was made
    from the same HTML, nothing happens. Returns True when a new PDF was stored."""
    minutes = Minutes.objects.select_related("meeting").filter(pk=minutes_id).first()
    if minutes is None or not minutes.is_approved:
        return False
    html = minutes_html(minutes)
    source_hash = hashlib.sha256(html.encode()).hexdigest()
    if minutes.pdf and minutes.pdf_source_hash == source_hash and minutes.pdf.storage.exists(minutes.pdf.name):
        if minutes.pdf_status != Minutes.PdfStatus.READY:
            Minutes.objects.filter(pk=minutes.pk).update(pdf_status=Minutes.PdfStatus.READY, pdf_error="")
        return False
    try:
        content = html_to_pdf(html)
    except Exception as error:
        Minutes.objects.filter(pk=minutes.pk).update(pdf_status=Minutes.PdfStatus.FAILED, pdf_error=str(error)[:500])
        raise
    old_name = minutes.pdf.name if minutes.pdf else ""
    minutes.pdf.save(f"{minutes.meeting.uid}-{source_hash[:12]}.pdf", ContentFile(content), save=False)
    Minutes.objects.filter(pk=minutes.pk).update(
        pdf=minutes.pdf.name,
        pdf_source_hash=source_hash,
        pdf_status=Minutes.PdfStatus.READY,
        pdf_rendered_at=timezone.now(),
        pdf_error="",
    )
    if old_name and old_name != minutes.pdf.name:
        minutes.pdf.storage.delete(old_name)
    return True
