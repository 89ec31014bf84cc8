"""Reads for a firm's case at partnership meetings: the firms proposed for a meeting's agenda (with a
short digest of their visits and needs), the firm cases on a meeting, the decisions on the firm's
timeline and on the consultants' dashboards. Each runs a fixed number of queries.

The meeting comes through ``partnerships.meeting_access`` (or the minutes PDF task); every read
starts from the meeting's partnership, so a firm of another partnership never shows up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from companies.models import (
    AgendaProposal,
    CaseAgendaItem,
    Company,
    CompetenceNeed,
    Decision,
    DecisionConsultant,
    Visit,
)
from companies.selectors.case import (
    Badge,
    FirmCase,
    Person,
    TimelineItem,
    consultants_prefetch,
    visit_is_joint,
    visit_systems,
)
from kompetence.text import display_name
from partnerships.localtime import as_local
from partnerships.models import Meeting, User

DIGEST_VISITS = 3


def _name(user: User | None) -> str:
    return display_name(user)


def _date(value: dt.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _meeting_day(meeting: Meeting) -> str:
    return _date(as_local(meeting.start).date())


# ---------------------------------------------------------------------------
# A firm's digest: recent visits and open needs
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class VisitLine:
    date: str
    kind: str
    systems: str
    joint: bool
    summary: str


@dataclass(frozen=True)
class FirmDigest:
    company: Company
    visits: list[VisitLine]
    needs: list[str]
    open_needs: int


def _digests(companies: Iterable[Company]) -> dict[int, FirmDigest]:
    """Visits and open needs of the given firms (2-3 queries in all, whatever the number of firms)."""
    ids = [c.pk for c in companies]
    visits: dict[int, list[Visit]] = {pk: [] for pk in ids}
    for visit in (
        Visit.objects.filter(company_id__in=ids, status=Visit.Status.COMPLETED)
        .prefetch_related(consultants_prefetch())
        .order_by("company_id", "-visit_date", "-pk")
    ):
        visits[visit.company_id].append(visit)
    needs: dict[int, list[CompetenceNeed]] = {pk: [] for pk in ids}
    for need in CompetenceNeed.objects.open().filter(company_id__in=ids).order_by("company_id", "-created_at"):
        needs[need.company_id].append(need)
    digests = {}
    for company in companies:
        lines = []
        for visit in visits[company.pk][:DIGEST_VISITS]:
            systems = visit_systems(list(visit.consultants.all()))
            lines.append(
                VisitLine(
                    date=_date(visit.visit_date),
                    kind=visit.get_kind_display(),
                    systems=", ".join(s.short_name for s in systems),
                    joint=visit_is_joint(kind=visit.kind, systems=systems),
                    summary=visit.summary[:200],
                )
            )
        open_needs = needs[company.pk]
        digests[company.pk] = FirmDigest(
            company=company,
            visits=lines,
            needs=[f"{n.get_area_display()}: {n.description[:120]}" for n in open_needs[:3]],
            open_needs=len(open_needs),
        )
    return digests


# ---------------------------------------------------------------------------
# Firms proposed for a meeting's agenda
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseSuggestion:
    proposal: AgendaProposal
    digest: FirmDigest
    since_last_meeting: bool
    proposed_by: str
    proposed_on: str


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.active()
        .filter(partnership_id=meeting.partnership_id, start__lt=meeting.start)
        .order_by("-start")
        .first()
    )


def case_suggestions(meeting: Meeting) -> list[CaseSuggestion]:
    """The firms waiting for the partnership ("til behandling"), oldest first, each with a digest of
    its visits and needs; marked when proposed since the partnership's last meeting."""
    last = previous_meeting(meeting)
    proposals = list(
        AgendaProposal.objects.pending()
        .filter(partnership_id=meeting.partnership_id, company__partnership_id=meeting.partnership_id)
        .select_related("company__municipality", "proposed_by")
        .order_by("proposed_at", "pk")
    )
    digests = _digests([p.company for p in proposals])
    return [
        CaseSuggestion(
            proposal=p,
            digest=digests[p.company_id],
            since_last_meeting=last is None or p.proposed_at >= last.start,
            proposed_by=_name(p.proposed_by),
            proposed_on=_date(as_local(p.proposed_at).date()),
        )
        for p in proposals
    ]


# ---------------------------------------------------------------------------
# The firm cases on a meeting (the meeting page's section and the minutes PDF)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionLine:
    decision: Decision
    text: str
    lead: Person
    consultants: list[Person]
    systems: str
    deadline: str
    case_status: str
    status: str
    is_open: bool


@dataclass
class CaseRow:
    item: CaseAgendaItem
    company: Company
    kind: str
    reason: str
    outcome: str
    outcome_label: str
    outcome_note: str
    digest: FirmDigest | None
    decisions: list[DecisionLine] = field(default_factory=list)


def _person(user: User, system_name: str = "") -> Person:
    organisation = user.organisation
    return Person(
        name=_name(user),
        organisation=organisation.name if organisation else "",
        system_code=organisation.system_id if organisation else "",
        system_name=system_name or (organisation.system.short_name if organisation else ""),
    )


def _decision_line(decision: Decision) -> DecisionLine:
    assignments = list(decision.assignments.all())
    lead = next((a for a in assignments if a.is_lead), None)
    people = [_person(a.user, a.system.short_name if a.system else "") for a in assignments if not a.is_lead]
    systems = sorted({a.system.short_name for a in assignments if a.system})
    return DecisionLine(
        decision=decision,
        text=decision.text,
        lead=_person(lead.user, lead.system.short_name if lead and lead.system else "")
        if lead
        else _person(decision.lead_consultant),
        consultants=people,
        systems=", ".join(systems),
        deadline=_date(decision.deadline),
        case_status=decision.get_case_status_display(),
        status=decision.get_status_display(),
        is_open=decision.status == Decision.Status.OPEN,
    )


def decisions_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=DecisionConsultant.objects.select_related("user__organisation__system", "system").order_by(
            "-is_lead", "system__sort_order", "pk"
        ),
    )


def meeting_cases(meeting: Meeting, *, with_digest: bool = True) -> list[CaseRow]:
    """The firm items on the meeting, in agenda order, with their outcome and decisions."""
    items = list(
        CaseAgendaItem.objects.filter(meeting=meeting, company__partnership_id=meeting.partnership_id)
        .select_related("company", "proposal", "agenda_item", "decision")
        .order_by("agenda_item__position", "pk")
    )
    decisions = (
        Decision.objects.filter(meeting=meeting)
        .select_related("lead_consultant__organisation__system")
        .prefetch_related(decisions_prefetch())
        .order_by("created_at", "pk")
    )
    by_item: dict[int | None, list[Decision]] = {}
    for decision in decisions:
        by_item.setdefault(decision.case_item_id, []).append(decision)
    digests = _digests([i.company for i in items]) if with_digest else {}
    return [
        CaseRow(
            item=item,
            company=item.company,
            kind=item.agenda_item.get_kind_display(),
            reason=item.agenda_item.description,
            outcome=item.outcome,
            outcome_label=item.get_outcome_display(),
            outcome_note=item.outcome_note,
            digest=digests.get(item.company_id),
            decisions=[_decision_line(d) for d in by_item.get(item.pk, [])],
        )
        for item in items
    ]


def meeting_decisions(meeting: Meeting) -> list[DecisionLine]:
    """Every decision made at the meeting (for the minutes), in the order they were made."""
    decisions = (
        Decision.objects.filter(meeting=meeting)
        .select_related("company", "lead_consultant__organisation__system")
        .prefetch_related(decisions_prefetch())
        .order_by("created_at", "pk")
    )
    return [_decision_line(d) for d in decisions]


def minutes_pdf_section(*, meeting: Meeting, user: User | None = None) -> dict[str, Any] | None:
    """The decisions in the minutes PDF (registered as a section of the "meeting_pdf" page)."""
    decisions = meeting_decisions(meeting)
    outcomes = [
        row for row in meeting_cases(meeting, with_digest=False) if row.outcome != CaseAgendaItem.Outcome.TREATED
    ]
    if not decisions and not outcomes:
        return None
    return {"decisions": decisions, "other_outcomes": outcomes}


# ---------------------------------------------------------------------------
# The firm's timeline and the consultants' dashboards
# ---------------------------------------------------------------------------
def firm_decisions(case: FirmCase) -> list[Decision]:
    """The partnership's decisions about the firm, newest first, with their consultants: read once per
    request (two queries) for the timeline and the firm page's sections (the activities section offers
    the open ones as plans)."""
    return case.once(
        "companies.decisions",
        lambda: list(
            Decision.objects.for_user(case.user)
            .filter(company=case.company)
            .select_related("meeting", "created_by")
            .prefetch_related(decisions_prefetch())
            .order_by("-created_at", "-pk")
        ),
    )


def decision_timeline_items(case: FirmCase) -> Iterable[TimelineItem]:
    """The partnership's decisions about the firm (a timeline source)."""
    for decision in firm_decisions(case):
        line = _decision_line(decision)
        badges = [Badge(decision.get_status_display(), "text-bg-success" if line.is_open else "text-bg-secondary")]
        badges.append(Badge(_("Frist %(date)s") % {"date": line.deadline}, "text-bg-light border"))
        yield TimelineItem(
            when=decision.created_at,
            kind="decision",
            kind_label=_("Beslutning"),
            title=_("Besluttet på %(meeting)s %(date)s")
            % {"meeting": decision.meeting.display_title.lower(), "date": _meeting_day(decision.meeting)},
            text=decision.text,
            url=decision.meeting.get_absolute_url(),
            by=_name(decision.created_by),
            people=(line.lead, *line.consultants),
            badges=tuple(badges),
        )


def proposal_end_items(case: FirmCase) -> Iterable[TimelineItem]:
    """How each proposal ended: treated, withdrawn (with the reason) (a timeline source; the proposals are
    the page's, read once)."""
    for proposal in (p for p in case.proposals if p.closed_at is not None):
        if proposal.status == AgendaProposal.Status.WITHDRAWN:
            title = _("Trukket tilbage fra dagsordenen i %(p)s") % {"p": proposal.partnership.name}
        else:
            title = _("Behandlet i %(p)s") % {"p": proposal.partnership.name}
        yield TimelineItem(
            when=proposal.closed_at,
            kind="proposal_end",
            kind_label=_("Dagsorden"),
            title=title,
            text=proposal.close_reason,
            by=_name(proposal.closed_by),
            badges=(Badge(proposal.get_status_display(), "text-bg-primary"),),
        )


@dataclass(frozen=True)
class TaskLine:
    decision: Decision
    company: Company
    text: str
    deadline: dt.date
    overdue: bool
    is_lead: bool
    meeting_url: str


def my_decisions(*, user: User) -> dict[str, Any] | None:
    """The open decisions the user was sent in on (a dashboard panel); one query."""
    if not user.has_perm("companies.view_decision"):
        return None
    today = timezone.localdate()
    assignments = (
        DecisionConsultant.objects.filter(user=user, decision__status=Decision.Status.OPEN)
        .filter(decision__in=Decision.objects.for_user(user))
        .select_related("decision__company", "decision__meeting")
        .order_by("decision__deadline", "pk")[:20]
    )
    tasks = [
        TaskLine(
            decision=a.decision,
            company=a.decision.company,
            text=a.decision.text,
            deadline=a.decision.deadline,
            overdue=a.decision.deadline < today,
            is_lead=a.is_lead,
            meeting_url=a.decision.meeting.get_absolute_url(),
        )
        for a in assignments
    ]
    if not tasks and user.role not in ("Konsulent", "Sekretariat"):
        return None
    return {"decision_tasks": tasks, "decisions_url": reverse("companies:mine")}


def meeting_page_section(*, meeting: Meeting, user: User) -> dict[str, Any] | None:
    """The firm cases on the meeting page: the firms on the agenda with their outcome and decisions,
    and for those running the meeting the firms waiting to be put on it (a registered section)."""
    from partnerships.services.meetings import can_manage_meetings

    manage = (
        user.has_perm("partnerships.change_meeting")
        and can_manage_meetings(user, meeting.partnership)
        and not meeting.is_locked
    )
    rows = meeting_cases(meeting)
    context: dict[str, Any] = {
        "case_rows": rows,
        "manage_cases": manage,
        "meeting_started": meeting.start <= timezone.now(),
        "suggestions": case_suggestions(meeting) if manage else [],
        "later_meetings": [],
    }
    if manage:
        context["later_meetings"] = list(
            Meeting.objects.filter(partnership_id=meeting.partnership_id, start__gt=meeting.start)
            .exclude(status__in=[Meeting.Status.CANCELLED, Meeting.Status.APPROVED])
            .order_by("start")[:10]
        )
        context["open_decisions"] = (
            Decision.objects.open()
            .filter(company__partnership_id=meeting.partnership_id, meeting__start__lt=meeting.start)
            .count()
        )
    return context
