"""Demo data for meetings: a half-year of meetings for every partnership, two rounds of self-evaluation.

Registered as the demo step "meetings" (after the firms). Deterministic (the step's own seeded
generator; dates relative to today, like the firms' recent visits) and idempotent: a second run adds
nothing. Past meetings have approved minutes with attendance, notes, action items and learning
notes; the next one is called (invited); later ones are planned. Bulk inserts throughout.

Every partnership meets on its own weekday and hour, so no room or lead has two meetings at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from partnerships.localtime import local_datetime
from partnerships.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Dimension,
    IntroductionProgress,
    IntroductionStep,
    LearningNote,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Membership,
    Minutes,
    Partnership,
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationResult,
    ToolboxDocument,
    ToolboxVersion,
    User,
)
from partnerships.services.evaluation import combine_answers, evaluation_period

WEEKS_BACK, WEEKS_AHEAD = 18, 8
DEMO_TITLE = "Konsulentgruppemøde"

NOTES = {
    AgendaItem.Standing.EXPERIENCE_EXCHANGE: [
        "Fælles besøg med jobcenter og erhvervsservice gav et bedre billede af virksomhedens behov.",
        "Virksomhederne sætter pris på én indgang; to besøg med hver sin konsulent blev slået sammen.",
        "RKV blev godt modtaget hos de ufaglærte; tillidsrepræsentanten var med fra start.",
    ],
    AgendaItem.Standing.NEWS: [
        "Jobcentret har ny virksomhedskonsulent for industri. VEU-centret har nye AMU-kurser i automation.",
        "Erhvervshuset holder vækstforløb for SMV'er i foråret. Skolen har ledige pladser på svejsekurser.",
        "Nyt om jobrotation: puljen er åben igen. Erhvervsservice har fået ny leder.",
    ],
}
ACTIONS = [
    "Send oversigt over AMU-kurser i automation til konsulentgruppen",
    "Aftal fælles besøg hos de tre virksomheder fra sidste møde",
    "Undersøg muligheden for jobrotation hos metalvirksomhederne",
    "Lav udkast til fælles introduktion for nye konsulenter",
    "Opdatér partnerskabets kontaktliste i Værktøjskassen",
]
LEARNING = [
    "Fælles besøg virker bedst, når konsulenterne har aftalt rollerne på forhånd.",
    "Korte møder med faste punkter holder fokus på virksomhederne.",
    "Vi mangler ofte uddannelsessystemet ved første besøg; planlæg det tidligere.",
    "Virksomhederne vil have én kontaktperson: tovholderen skal være tydelig.",
]
HANDOVER = [
    "Jobcentrets virksomhedsteam orienteres om de fælles besøg på næste teammøde.",
    "Erhvervsservice tager erfaringerne med RKV med til sin ledergruppe.",
    "VEU-centret deler kursusoversigten med alle skoler i området.",
]
JUSTIFICATIONS = {
    1: "Vi mødes, men arbejdet afhænger af enkelte ildsjæle.",
    2: "Vi koordinerer de fleste besøg, men har ikke fælles mål ud over aktivitetsmålene.",
    3: "Vi løser opgaver sammen og har en begyndende fælles forståelse af indsatsen.",
    4: "Vi har fælles mål og følger op på dem; ledelserne bakker op.",
}


@dataclass
class Seeded:
    meetings: int = 0
    evaluations: int = 0
    created: bool = False


def _members(partnership: Partnership) -> list[Membership]:
    return list(
        Membership.objects.filter(partnership=partnership, user__is_active=True)
        .select_related("user__organisation")
        .order_by("pk")
    )


# A small valid PDF for the demo documents (the real ones are uploaded by the secretariats).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PROGRAMME_DOCUMENTS = [
    (
        ToolboxDocument.Category.PROGRAMME,
        "Programbeskrivelse KOMPETENCEFORSYNINGmidt ver. 2.0",
        "programbeskrivelse.pdf",
    ),
    (ToolboxDocument.Category.PARTICIPANT_FORMS, "Startskema for deltagere (ESF)", "startskema.pdf"),
    (ToolboxDocument.Category.PARTICIPANT_FORMS, "Slutskema for deltagere (ESF)", "slutskema.pdf"),
    (ToolboxDocument.Category.TIMESHEETS, "Skabelon til timeregistrering", "timeregistrering.pdf"),
]


def _document(*, partnership, category, title, filename, by) -> None:
    document = ToolboxDocument.objects.create(partnership=partnership, category=category, title=title, created_by=by)
    version = ToolboxVersion(
        document=document,
        number=1,
        original_name=filename,
        content_type="application/pdf",
        size=len(DEMO_PDF),
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        note="Første version",
        uploaded_by=by,
    )
    version.file.save(filename, ContentFile(DEMO_PDF), save=False)
    version.save()


def _seed_toolbox(partnerships: list[Partnership]) -> None:
    operator = User.objects.filter(email="ledelse@demo.dk").first()
    for category, title, filename in PROGRAMME_DOCUMENTS:
        _document(partnership=None, category=category, title=title, filename=filename, by=operator)
    for partnership in partnerships:
        _document(
            partnership=partnership,
            category=ToolboxDocument.Category.AGREEMENTS,
            title=f"Samarbejdsaftale {partnership.name}",
            filename="samarbejdsaftale.pdf",
            by=operator,
        )


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    if MeetingSeries.objects.filter(title=DEMO_TITLE).exists():
        return Seeded(meetings=Meeting.objects.count(), evaluations=SelfEvaluation.objects.count())
    today = timezone.localdate()
    now = timezone.now()
    partnerships = list(Partnership.objects.select_related("secretariat").order_by("name"))
    meetings_made = 0
    for index, partnership in enumerate(partnerships):
        members = _members(partnership)
        if not members:
            continue
        meetings_made += _seed_partnership(rng, partnership, index, members, today=today, now=now)
        _seed_evaluations(rng, partnership, members, today=today)
        _seed_introduction(rng, members)
    _seed_toolbox(partnerships)
    return Seeded(meetings=meetings_made, evaluations=SelfEvaluation.objects.count(), created=True)


def _seed_partnership(rng, partnership, index, members, *, today, now) -> int:
    lead = next((m.user for m in members if m.lead_role == Membership.LeadRole.COORDINATOR), None)
    weekday = index % 5
    hour = (9, 13)[(index // 5) % 2]
    # The first meeting day: the partnership's weekday WEEKS_BACK weeks ago.
    first = today - dt.timedelta(weeks=WEEKS_BACK)
    first += dt.timedelta(days=(weekday - first.weekday()) % 7)
    last = today + dt.timedelta(weeks=WEEKS_AHEAD)
    series = MeetingSeries.objects.create(
        partnership=partnership,
        kind=MeetingKind.CONSULTANTS,
        title=DEMO_TITLE,
        starts_on=first,
        ends_on=last,
        interval_weeks=3,
        start_time=dt.time(hour),
        duration_minutes=120,
        location=f"Mødelokale {index % 3 + 1}, {partnership.secretariat.name}",
        lead=lead,
    )
    meetings = []
    day = first
    while day <= last:
        start = local_datetime(day, dt.time(hour))
        end = start + dt.timedelta(hours=2)
        if end < now:
            status = Meeting.Status.APPROVED
        elif not any(m.status == Meeting.Status.INVITED for m in meetings):
            status = Meeting.Status.INVITED
        else:
            status = Meeting.Status.PLANNED
        meetings.append(
            Meeting(
                partnership=partnership,
                series=series,
                series_date=day,
                kind=MeetingKind.CONSULTANTS,
                title=DEMO_TITLE,
                start=start,
                end=end,
                location=series.location,
                lead=lead,
                status=status,
                uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                invited_at=start - dt.timedelta(days=10) if status != Meeting.Status.PLANNED else None,
            )
        )
        day += dt.timedelta(weeks=3)
    Meeting.objects.bulk_create(meetings)
    items, attendances, minutes, actions, notes = [], [], [], [], []
    for number, meeting in enumerate(meetings):
        held = meeting.status == Meeting.Status.APPROVED
        for position, standing in enumerate(AgendaItem.Standing, start=1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind=AgendaItem.Kind.STANDING,
                    standing=standing.value,
                    title=str(standing.label),
                    duration_minutes=15,
                    note=rng.choice(NOTES[standing]) if held else "",
                )
            )
        if meeting.status == Meeting.Status.PLANNED:
            continue
        for membership in members:
            user = membership.user
            came = rng.random() < 0.8
            attendances.append(
                Attendance(
                    meeting=meeting,
                    user=user,
                    system_id=user.organisation.system_id if user.organisation_id else None,
                    organisation_name=user.organisation.name if user.organisation_id else "",
                    response=(Attendance.Response.ACCEPTED if came else Attendance.Response.DECLINED)
                    if held or rng.random() < 0.6
                    else Attendance.Response.PENDING,
                    invited_at=meeting.invited_at,
                    attended=came if held else None,
                    sent_sequence=0,
                )
            )
        if not held:
            continue
        minutes.append(
            Minutes(
                meeting=meeting,
                status=Minutes.Status.APPROVED,
                summary="Mødet gennemgik de faste punkter og virksomhedssagerne.",
                approved_by=lead,
                approved_at=meeting.end + dt.timedelta(days=2),
            )
        )
        owner = members[(number + index) % len(members)].user
        actions.append(
            ActionItem(
                partnership=partnership,
                meeting=meeting,
                title=ACTIONS[(number + index) % len(ACTIONS)],
                owner=owner,
                due_on=meeting.start.date() + dt.timedelta(days=21),
                # Older action items are done; the latest ones are still open and come back.
                status=ActionItem.Status.DONE if number < len(meetings) // 2 - 1 else ActionItem.Status.OPEN,
                created_by=lead,
            )
        )
        notes.append(
            LearningNote(
                partnership=partnership,
                meeting=meeting,
                kind=LearningNote.Kind.LEARNING,
                text=rng.choice(LEARNING),
                author=lead,
            )
        )
        if number % 2 == 0:
            notes.append(
                LearningNote(
                    partnership=partnership,
                    meeting=meeting,
                    kind=LearningNote.Kind.HANDOVER,
                    text=rng.choice(HANDOVER),
                    author=lead,
                )
            )
    AgendaItem.objects.bulk_create(items)
    Attendance.objects.bulk_create(attendances)
    Minutes.objects.bulk_create(minutes)
    ActionItem.objects.bulk_create(actions)
    LearningNote.objects.bulk_create(notes)
    return len(meetings)


def _seed_evaluations(rng, partnership, members, *, today) -> None:
    """Two closed rounds: the last two periods before the current one, the second a little better."""
    current = evaluation_period(today)
    previous = evaluation_period(current.start - dt.timedelta(days=1))
    before = evaluation_period(previous.start - dt.timedelta(days=1))
    respondents = [m.user for m in members][:5]
    lead = next((m.user for m in members if m.lead_role == Membership.LeadRole.COORDINATOR), respondents[0])
    base = rng.choice((1, 2, 2))
    for step, period in enumerate((before, previous)):
        evaluation = SelfEvaluation.objects.create(
            partnership=partnership,
            title=period.title,
            period_start=period.start,
            period_end=period.end,
            status=SelfEvaluation.Status.CLOSED,
            summary="Partnerskabet bevæger sig fra kantine mod klub." if step else "Vi er stadig tæt på kantinen.",
            opened_by=lead,
            closed_by=lead,
            closed_at=timezone.make_aware(dt.datetime.combine(period.end, dt.time(15))),
        )
        answers = []
        for user in respondents:
            for dimension in Dimension:
                level = max(1, min(4, base + step + rng.choice((-1, 0, 0, 1))))
                answers.append(
                    SelfEvaluationAnswer(
                        evaluation=evaluation,
                        respondent=user,
                        dimension=dimension.value,
                        level=level,
                        justification=JUSTIFICATIONS[level],
                    )
                )
        SelfEvaluationAnswer.objects.bulk_create(answers)
        names = {u.pk: u.get_full_name() or u.email for u in respondents}
        combined = combine_answers((a.dimension, a.level, a.justification, names[a.respondent_id]) for a in answers)
        SelfEvaluationResult.objects.bulk_create(
            [
                SelfEvaluationResult(
                    evaluation=evaluation,
                    dimension=dimension,
                    level=item.level,
                    lowest=item.lowest,
                    highest=item.highest,
                    answers=item.answers,
                    justification="\n".join(item.justifications[:3]),
                )
                for dimension, item in combined.items()
            ]
        )


def _seed_introduction(rng, members) -> None:
    steps = list(IntroductionStep.objects.filter(partnership__isnull=True).order_by("position"))
    today = timezone.localdate()
    IntroductionProgress.objects.bulk_create(
        [
            IntroductionProgress(membership=m, step=step, done_on=today - dt.timedelta(days=rng.randint(10, 300)))
            for m in members
            for step in steps[: rng.randint(1, len(steps))]
        ]
    )


def reset() -> None:
    """Remove the meetings, series and self-evaluations of the demo partnerships (all that hangs off
    them goes with them)."""
    demo = Partnership.objects.filter(pk__in=MeetingSeries.objects.filter(title=DEMO_TITLE).values("partnership_id"))
    ActionItem.objects.filter(partnership__in=demo).delete()
    Meeting.objects.filter(partnership__in=demo).delete()
    MeetingSeries.objects.filter(partnership__in=demo).delete()
    SelfEvaluation.objects.filter(partnership__in=demo).delete()
    LearningNote.objects.filter(partnership__in=demo).delete()
    IntroductionProgress.objects.filter(membership__partnership__in=demo).delete()
    titles = [title for _c, title, _f in PROGRAMME_DOCUMENTS]
    documents = ToolboxDocument.objects.filter(Q(partnership__in=demo) | Q(partnership__isnull=True, title__in=titles))
    for version in ToolboxVersion.objects.filter(document__in=documents):
        version.file.delete(save=False)
    documents.delete()


def summary(result: Seeded) -> str:
    text = f"{result.meetings} møder, {result.evaluations} selvevalueringer"
    return text if result.created else f"{text} (fandtes allerede)"
