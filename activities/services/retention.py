"""Retention: participants are anonymised a configurable time after the programme's end.

The programme's end is the last ESF project's end date (``partnerships.ESFProject.period_end``);
``settings.PARTICIPANT_RETENTION_DAYS`` after it, the daily task removes each participant's CPR
number (token and hash), name and contact details, and deletes the uploaded and the printed start and
exit forms (they carry the same), keeping every ESF fact: gender, birth date, dates, employment status,
education, the characteristics and results, the employer and the enrolments. Indicators computed
from those facts are therefore the same before and after (``tests/activities/test_retention.py``).

Participants whose part in the programme began after its end (an extension not yet entered as a
later project end) are kept until the project period covers them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from activities.models import AnonymisationRun, Participant, ParticipantDocument, ParticipantFormPrint
from partnerships.models import ESFProject


def programme_end() -> dt.date | None:
    return ESFProject.objects.aggregate(end=Max("period_end"))["end"]


def anonymisation_cutoff() -> dt.date | None:
    """The first day participants may be anonymised (None: no ESF project, nothing ends)."""
    end = programme_end()
    return end + dt.timedelta(days=settings.PARTICIPANT_RETENTION_DAYS) if end else None


def due_for_anonymisation(*, today: dt.date) -> tuple[dt.date | None, QuerySet[Participant]]:
    """The cutoff day and the participants due on ``today``: those who entered by the programme's end."""
    cutoff = anonymisation_cutoff()
    if cutoff is None or today < cutoff:
        return cutoff, Participant.objects.none()
    return cutoff, Participant.objects.filter(anonymised_at__isnull=True, entry_date__lte=programme_end())


@transaction.atomic
def anonymise_participants(*, today: dt.date | None = None) -> AnonymisationRun:
    """Anonymise every participant past the retention period; record (and return) what was done."""
    today = today or timezone.localdate()
    cutoff, due = due_for_anonymisation(today=today)
    ids = list(due.values_list("pk", flat=True))
    documents = list(ParticipantDocument.objects.filter(participant_id__in=ids))
    for document in documents:
        # The file first: a row without its file is harmless, a file without its row would be lost.
        document.file.delete(save=False)
    ParticipantDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    # The printed start and exit forms carry the name.
    prints = list(ParticipantFormPrint.objects.filter(participant_id__in=ids))
    for row in prints:
        if row.pdf:
            row.pdf.delete(save=False)
    ParticipantFormPrint.objects.filter(pk__in=[p.pk for p in prints]).delete()
    count = Participant.objects.filter(pk__in=ids).update(
        cpr_token="",
        cpr_hash=None,
        first_name="",
        last_name="",
        email="",
        phone="",
        anonymised_at=timezone.now(),
    )
    return AnonymisationRun.objects.create(
        ran_at=timezone.now(), cutoff=cutoff or today, participants=count, documents=len(documents)
    )
