"""Reads for the participant pages: the list (masked CPR from the birth date, nothing decrypted), the
participant page, the follow-up work list and the warnings before the ESF reporting deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.models import CprReveal, Enrollment, Participant, ParticipantDocument
from partnerships import programme
from partnerships.models import Partnership, User

LIST_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "entry_date",
    "exit_date",
    "anonymised_at",
    "partnership_id",
    "employer__name",
    "isced",
    "consent_on",
    "migrant",
    "disability",
    "other_disadvantage",
    "exit_result_on",
    "result6_on",
)


def participants_for_list(user: User) -> QuerySet[Participant]:
    return Participant.objects.for_user(user).select_related("employer").only(*LIST_FIELDS)


def missing_data(participant: Participant, *, today: dt.date) -> list[str]:
    """What the ESF's participant registration still lacks for this person (labels, for display)."""
    missing = []
    if participant.anonymised_at:
        return missing
    if participant.isced is None:
        missing.append(str(Participant._meta.get_field("isced").verbose_name))
    if participant.consent_on is None:
        missing.append(str(Participant._meta.get_field("consent_on").verbose_name))
    for name in ("migrant", "disability", "other_disadvantage"):
        if not getattr(participant, name):
            missing.append(str(Participant._meta.get_field(name).verbose_name))
    if participant.exit_date and participant.exit_result_on is None and participant.exit_result_due <= today:
        missing.append(str(_("resultat ved ophør")))
    if participant.exit_date and participant.result6_on is None and participant.result6_due <= today:
        missing.append(str(_("resultat efter seks måneder")))
    return missing


@dataclass(frozen=True)
class ParticipantRow:
    pk: int
    url: str
    name: str
    cpr_masked: str
    employer: str
    partnership: str
    entry: str
    exit: str
    anonymised: bool
    missing: int


def _date(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def participant_rows(
    participants: Iterable[Participant], *, today: dt.date, partnerships: dict[int, str] | None = None
) -> list[ParticipantRow]:
    """The rows of a page; ``partnerships`` (id -> name, at least those of the rows) saves reading them."""
    url = reverse("activities:participant_detail", args=[987654321])
    if partnerships is None:
        partnerships = dict(Partnership.objects.order_by().values_list("pk", "name"))
    return [
        ParticipantRow(
            pk=p.pk,
            url=url.replace("987654321", str(p.pk)),
            name=str(p),
            cpr_masked=p.cpr_masked,
            employer=p.employer.name if p.employer_id else "",
            partnership=partnerships.get(p.partnership_id, ""),
            entry=_date(p.entry_date),
            exit=_date(p.exit_date),
            anonymised=p.anonymised_at is not None,
            missing=len(missing_data(p, today=today)),
        )
        for p in participants
    ]


@dataclass
class ParticipantPage:
    participant: Participant
    enrollments: list[Enrollment]
    documents: list[ParticipantDocument]
    reveals: list[CprReveal]
    missing: list[str]


def participant_page(participant: Participant, *, user: User, today: dt.date) -> ParticipantPage:
    reveals = []
    if user.has_perm("activities.view_cprreveal"):
        reveals = list(
            CprReveal.objects.for_user(user).filter(participant=participant).select_related("by").order_by("-at")[:20]
        )
    return ParticipantPage(
        participant=participant,
        enrollments=list(
            Enrollment.objects.for_user(user)
            .filter(participant=participant)
            .select_related("plan__company", "plan__activity_type")
            .order_by("start_date", "pk")
        ),
        documents=list(
            ParticipantDocument.objects.for_user(user).filter(participant=participant).select_related("uploaded_by")
        ),
        reveals=reveals,
        missing=missing_data(participant, today=today),
    )


# ---------------------------------------------------------------------------
# The follow-up work list
# ---------------------------------------------------------------------------
FOLLOW_UP_LIMIT = 100


@dataclass(frozen=True)
class FollowUp:
    """A result registration due for one participant: which, by when, overdue or not."""

    participant: Participant
    url: str
    which: str
    due: dt.date
    overdue: bool


@dataclass
class FollowUpList:
    due: list[FollowUp]
    due_total: int
    deadline: programme.Deadline | None
    warn: bool
    incomplete: list[tuple[Participant, list[str]]]
    incomplete_total: int


def follow_up_list(user: User, *, today: dt.date, horizon: dt.timedelta = dt.timedelta(days=30)) -> FollowUpList:
    """Result registrations due within ``horizon`` (and overdue), and — from the warning day before the
    next ESF reporting deadline — participants whose registration lacks data. A fixed number of queries:
    the candidates are read once, capped, and sorted in Python."""
    base = participants_for_list(user).filter(anonymised_at__isnull=True)
    week4 = today + horizon - dt.timedelta(weeks=4)
    candidates = list(
        base.filter(exit_date__isnull=False)
        .filter(
            Q(exit_result_on__isnull=True, exit_date__lte=week4)
            | Q(result6_on__isnull=True, exit_date__lte=today + horizon)
        )
        .order_by("exit_date", "pk")[: FOLLOW_UP_LIMIT * 4]
    )
    url = reverse("activities:participant_result", args=[987654321])
    due = []
    for p in candidates:
        link = url.replace("987654321", str(p.pk))
        if p.exit_result_on is None and p.exit_result_due <= today + horizon:
            due.append(
                FollowUp(p, link, _("Resultat ved ophør (4 uger)"), p.exit_result_due, p.exit_result_due < today)
            )
        if p.result6_on is None and p.result6_due <= today + horizon:
            due.append(FollowUp(p, link, _("Resultat efter 6 måneder"), p.result6_due, p.result6_due < today))
    due.sort(key=lambda f: (f.due, f.participant.pk))
    deadline = programme.next_esf_reporting_deadline(on=today)
    warn = deadline is not None and today >= deadline.warn_from
    incomplete: list[tuple[Participant, list[str]]] = []
    incomplete_total = 0
    if warn:
        lacking = base.filter(
            Q(isced__isnull=True)
            | Q(consent_on__isnull=True)
            | Q(migrant="")
            | Q(disability="")
            | Q(other_disadvantage="")
            | Q(exit_date__isnull=False, exit_result_on__isnull=True, exit_date__lte=today - dt.timedelta(weeks=4))
        )
        rows = list(lacking.order_by("last_name", "first_name", "pk")[: FOLLOW_UP_LIMIT + 1])
        incomplete = [(p, missing_data(p, today=today)) for p in rows[:FOLLOW_UP_LIMIT]]
        incomplete_total = len(rows) if len(rows) <= FOLLOW_UP_LIMIT else lacking.count()
    return FollowUpList(
        due=due[:FOLLOW_UP_LIMIT],
        due_total=len(due),
        deadline=deadline,
        warn=warn,
        incomplete=incomplete,
        incomplete_total=incomplete_total,
    )
