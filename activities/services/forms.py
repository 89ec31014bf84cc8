"""The participant's start and exit forms (deltagerstart- og ophørsskema), pre-filled, as PDF for signature.

``form_print_request`` stores the request and asks Celery (queue ``pdf``) after commit;
``form_print_render`` renders it: the participant's ESF facts through a template, WeasyPrint with a
local base URL (``partnerships.pdf.html_to_pdf``), the file through Django's storage. It is idempotent
(the same facts give the same HTML and no new file) and tolerates a row that has gone. The CPR number is
printed masked with a blank for the last four digits, which the participant writes by hand.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from activities.models import Enrollment, Participant, ParticipantFormPrint
from partnerships.models import User
from partnerships.pdf import html_to_pdf
from partnerships.services.background import queue_after_commit


@transaction.atomic
def form_print_request(*, participant: Participant, kind: str, by: User) -> ParticipantFormPrint:
    from activities import tasks

    row, _created = ParticipantFormPrint.objects.update_or_create(
        participant=participant,
        kind=kind,
        defaults={
            "status": ParticipantFormPrint.Status.PENDING,
            "requested_by": by,
            "requested_at": timezone.now(),
            "error": "",
        },
    )
    queue_after_commit(tasks.render_participant_form, row.pk)
    return row


def form_print_html(row: ParticipantFormPrint) -> str:
    participant = row.participant
    enrollments = (
        Enrollment.objects.filter(participant=participant)
        .select_related("plan__activity_type", "plan__company", "plan__type_mapping__eligible_activity__project")
        .order_by("start_date", "pk")
    )
    with override("da"):
        return render_to_string(
            "activities/pdf/participant_form.html",
            {
                "row": row,
                "participant": participant,
                "enrollments": list(enrollments),
                "exit": row.kind == row.Kind.EXIT,
            },
        )


def form_print_render(*, print_id: int) -> bool:
    """Render the form to PDF; True when a new file was stored, False when there was nothing to do."""
    row = (
        ParticipantFormPrint.objects.select_related("participant__employer", "participant__partnership")
        .filter(pk=print_id)
        .first()
    )
    if row is None or row.participant.anonymised_at:
        return False
    html = form_print_html(row)
    source_hash = hashlib.sha256(html.encode()).hexdigest()
    if row.pdf and row.source_hash == source_hash and row.pdf.storage.exists(row.pdf.name):
        ParticipantFormPrint.objects.filter(pk=row.pk).update(status=ParticipantFormPrint.Status.READY, error="")
        return False
    try:
        content = html_to_pdf(html)
    except Exception as error:
        ParticipantFormPrint.objects.filter(pk=row.pk).update(
            status=ParticipantFormPrint.Status.FAILED, error=type(error).__name__
        )
        raise
    old = row.pdf.name if row.pdf else ""
    row.pdf.save(f"{row.kind}-{row.participant_id}-{source_hash[:12]}.pdf", ContentFile(content), save=False)
    ParticipantFormPrint.objects.filter(pk=row.pk).update(
        pdf=row.pdf.name,
        source_hash=source_hash,
        status=ParticipantFormPrint.Status.READY,
        rendered_at=timezone.now(),
        error="",
    )
    if old and old != row.pdf.name:
        row.pdf.storage.delete(old)
    return True
