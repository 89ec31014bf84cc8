"""Demo data for the firm cases at partnership meetings: every held demo meeting treated one or two
firms with a decision (a lead consultant and a consultant from another system, a deadline), and the
firms the firm demo put "på dagsorden" are on their partnership's next meeting.

Registered as the demo step "meeting_cases" (after the meetings). Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from companies.models import AgendaProposal, CaseAgendaItem, CaseStatus, Company, Decision, DecisionConsultant, Visit
from partnerships.demo import DEMO_LOGINS
from partnerships.models import AgendaItem, Meeting, Membership, Role

DEMO_CONSULTANT = next(email for email, _f, _l, role, *_ in DEMO_LOGINS if role == Role.CONSULTANT)
TREATED_STATUSES = (CaseStatus.TREATED, CaseStatus.AGREED, CaseStatus.IN_PROGRESS)
DECISIONS = [
    "Fælles besøg med jobcenter og skole; uddannelsesplan for de ufaglærte operatører og RKV af to medarbejdere.",
    "Erhvervsservice tager vækstsamtalen; jobcentret undersøger jobrotation under efteruddannelsen.",
    "Skolen laver kompetenceafklaring; jobcentret finder kandidater til de to ledige stillinger.",
    "HR-chef til leje i tre måneder; VEU-centret planlægger AMU-forløb i automation.",
]


@dataclass
class Seeded:
    decisions: int = 0
    items: int = 0
    created: bool = False


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    if CaseAgendaItem.objects.exists():
        return Seeded(decisions=Decision.objects.count(), items=CaseAgendaItem.objects.count())
    today = timezone.localdate()
    demo_user = Membership.objects.filter(user__email=DEMO_CONSULTANT).values_list("user_id", flat=True).first()
    meetings = list(Meeting.objects.select_related("partnership").order_by("partnership__name", "start", "pk"))
    by_partnership: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        by_partnership.setdefault(meeting.partnership_id, []).append(meeting)
    decisions = items = 0
    for partnership_id, own in by_partnership.items():
        members = list(
            Membership.objects.filter(partnership_id=partnership_id, user__is_active=True)
            .select_related("user__organisation")
            .order_by("pk")
        )
        if len(members) < 2:
            continue
        # Firms treated in the partnership after a visit flagged for it (the proposal names that visit).
        flagged = {
            v.company_id: v
            for v in Visit.objects.filter(
                company__partnership_id=partnership_id,
                company__status__in=TREATED_STATUSES,
                status=Visit.Status.COMPLETED,
                for_partnership=True,
            ).order_by("company_id", "visit_date", "pk")
        }
        firms = list(Company.objects.filter(pk__in=list(flagged)).order_by("pk")[: 2 * len(own)])
        held = [m for m in own if m.status == Meeting.Status.APPROVED]
        for number, meeting in enumerate(held):
            for firm in firms[number * 2 : number * 2 + rng.choice((1, 2))]:
                items += 1
                decisions += _treat(
                    rng, meeting, firm, members, visit=flagged[firm.pk], today=today, demo_user=demo_user
                )
        upcoming = next((m for m in own if m.status in (Meeting.Status.INVITED, Meeting.Status.PLANNED)), None)
        if upcoming is not None:
            for proposal in AgendaProposal.objects.filter(
                partnership_id=partnership_id, status=AgendaProposal.Status.ON_AGENDA, meeting__isnull=True
            ).select_related("company"):
                item = AgendaItem.objects.create(
                    meeting=upcoming,
                    position=10 + items,
                    kind=AgendaItem.Kind.FIRM_CASE,
                    title=proposal.company.name,
                    description=proposal.reason,
                    duration_minutes=10,
                )
                CaseAgendaItem.objects.create(
                    agenda_item=item, meeting=upcoming, company=proposal.company, proposal=proposal
                )
                AgendaProposal.objects.filter(pk=proposal.pk).update(meeting=upcoming)
                items += 1
    return Seeded(decisions=decisions, items=items, created=True)


def _treat(rng, meeting: Meeting, firm: Company, members: list[Membership], *, visit: Visit, today, demo_user) -> int:
    """The firm treated at a held meeting: a proposal, the agenda item, the decision and its consultants."""
    lead = next((m.user for m in members if m.user_id == firm.lead_consultant_id), None)
    if lead is None:
        lead = next((m.user for m in members if m.user_id == demo_user), members[0].user)
    other = next(
        (
            m.user
            for m in members
            if m.user_id != lead.pk
            and m.user.organisation_id
            and m.user.organisation.system_id != lead.organisation.system_id
        ),
        None,
    )
    proposal = AgendaProposal.objects.create(
        company=firm,
        partnership_id=firm.partnership_id,
        visit=visit,
        reason="Hvem går ind, og hvad tilbyder vi?",
        status=AgendaProposal.Status.TREATED,
        meeting=meeting,
        closed_at=meeting.end,
        closed_by=meeting.lead,
    )
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=3,
        kind=AgendaItem.Kind.FIRM_CASE,
        title=firm.name,
        description=proposal.reason,
        presenter=lead,
        duration_minutes=10,
        note="Partnerskabet drøftede virksomhedens behov og besluttede en fælles indsats.",
    )
    case_item = CaseAgendaItem.objects.create(
        agenda_item=item, meeting=meeting, company=firm, proposal=proposal, outcome=CaseAgendaItem.Outcome.TREATED
    )
    deadline = timezone.localtime(meeting.start).date() + dt.timedelta(days=rng.choice((30, 45, 60)))
    decision = Decision.objects.create(
        company=firm,
        meeting=meeting,
        case_item=case_item,
        proposal=proposal,
        text=rng.choice(DECISIONS),
        lead_consultant=lead,
        deadline=deadline,
        case_status=firm.status,
        status=Decision.Status.DONE if deadline < today - dt.timedelta(days=20) else Decision.Status.OPEN,
        created_by=meeting.lead,
    )
    DecisionConsultant.objects.bulk_create(
        [
            DecisionConsultant(
                decision=decision, user=user, system_id=user.organisation.system_id, is_lead=user == lead
            )
            for user in (lead, other)
            if user is not None and user.organisation_id
        ]
    )
    return 1


def reset() -> None:
    Decision.objects.all().delete()
    CaseAgendaItem.objects.all().delete()


def summary(result: Seeded) -> str:
    text = f"{result.items} virksomhedssager på møder, {result.decisions} beslutninger"
    return text if result.created else f"{text} (fandtes allerede)"
