"""Writes for a firm's case at its partnership's meetings: firms on the agenda, how each proposal ends,
and the partnership's decisions about a firm.

Kept apart from ``companies.services`` (firms, visits, needs). Every proposal ("Sæt på dagsorden")
ends in one of three ways: treated at a meeting with a decision, withdrawn with a reason, or moved to
a later meeting; the minutes cannot be approved while a firm on the agenda has no outcome. A
decision names the lead consultant and the consultants who go in, moves the firm's case status, and
stays open (coming back on the agenda) until it is done.

The partnerships app tells this module about its changes through the hooks registered in
``companies.portal`` (``meeting_cancelled``, ``agenda_item_removing``, ``minutes_approving``), and this
module raises ``decision_recorded`` for the apps above (activities turns decisions into draft plans).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import dashboard
from companies.models import AgendaProposal, CaseAgendaItem, CaseStatus, Company, Decision, DecisionConsultant
from companies.services import company_set_lead, company_set_status
from kompetence import registry
from kompetence.text import display_name
from partnerships import programme
from partnerships.localtime import as_local
from partnerships.models import ActivityType, AgendaItem, Meeting, User
from partnerships.services.meetings import active_members, agenda_item_add, ensure_open

# What a decision may move the case to. "Identificeret" and the like are steps before a meeting.
DECISION_STATUSES = (
    CaseStatus.TREATED,
    CaseStatus.AGREED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.NOT_RELEVANT,
    CaseStatus.CLOSED,
)


def _name(user: User | None) -> str:
    return display_name(user)


def _meeting_label(meeting: Meeting) -> str:
    return _("%(title)s %(date)s") % {
        "title": meeting.display_title.lower(),
        "date": as_local(meeting.start).strftime("%d.%m.%Y"),
    }


def _same_partnership(company: Company, meeting: Meeting, field: str = "company") -> None:
    if company.partnership_id != meeting.partnership_id:
        raise ValidationError(
            {
                field: _("%(firm)s hører til %(theirs)s, ikke til mødets partnerskab %(ours)s.")
                % {"firm": company.name, "theirs": company.partnership.name, "ours": meeting.partnership.name}
            }
        )


# ---------------------------------------------------------------------------
# Firms on the agenda
# ---------------------------------------------------------------------------
@transaction.atomic
def agenda_add_case(
    *,
    meeting: Meeting,
    proposal: AgendaProposal,
    by: User,
    presenter: User | None = None,
    duration_minutes: int | None = 10,
) -> CaseAgendaItem:
    """Put a proposed firm on the meeting's agenda; the proposal is then "på dagsorden"."""
    proposal = AgendaProposal.objects.select_for_update().select_related("company__partnership").get(pk=proposal.pk)
    ensure_open(meeting)
    _same_partnership(proposal.company, meeting, "proposal")
    if proposal.partnership_id != meeting.partnership_id:
        raise ValidationError({"proposal": _("Forslaget hører til et andet partnerskab.")})
    if proposal.status != AgendaProposal.Status.PENDING:
        raise ValidationError(
            {
                "proposal": _("%(firm)s er ikke på listen til behandling (%(status)s).")
                % {"firm": proposal.company.name, "status": proposal.get_status_display()}
            }
        )
    company = proposal.company
    lead = company.lead_consultant_id
    if presenter is None and lead is not None and active_members(meeting.partnership_id).filter(pk=lead).exists():
        presenter = company.lead_consultant
    item = agenda_item_add(
        meeting=meeting,
        by=by,
        kind=AgendaItem.Kind.FIRM_CASE,
        title=company.name,
        description=proposal.reason,
        presenter=presenter,
        duration_minutes=duration_minutes,
    )
    case_item = CaseAgendaItem.objects.create(agenda_item=item, meeting=meeting, company=company, proposal=proposal)
    proposal.status = AgendaProposal.Status.ON_AGENDA
    proposal.meeting = meeting
    proposal.save(update_fields=["status", "meeting"])
    return case_item


@transaction.atomic
def agenda_add_pending_cases(*, meeting: Meeting, by: User) -> list[CaseAgendaItem]:
    """Put every firm waiting for the partnership ("til behandling") on the agenda, oldest first."""
    ensure_open(meeting)
    proposals = (
        AgendaProposal.objects.pending()
        .filter(partnership_id=meeting.partnership_id, company__partnership_id=meeting.partnership_id)
        .order_by("proposed_at", "pk")
    )
    return [agenda_add_case(meeting=meeting, proposal=p, by=by) for p in proposals]


def open_decisions_for(meeting: Meeting):
    """Open decisions about the partnership's firms from earlier meetings: they come back until done."""
    return (
        Decision.objects.open()
        .filter(company__partnership_id=meeting.partnership_id, meeting__start__lt=meeting.start)
        .select_related("company", "lead_consultant", "meeting")
    )


@transaction.atomic
def agenda_add_decision_follow_ups(*, meeting: Meeting, by: User) -> list[CaseAgendaItem]:
    """Put every open decision of the partnership's firms on the agenda (once per meeting)."""
    ensure_open(meeting)
    on_agenda = set(
        CaseAgendaItem.objects.filter(meeting=meeting, decision__isnull=False).values_list("decision_id", flat=True)
    )
    members = set(active_members(meeting.partnership_id).values_list("pk", flat=True))
    added = []
    for decision in open_decisions_for(meeting).order_by("deadline", "pk"):
        if decision.pk in on_agenda:
            continue
        item = agenda_item_add(
            meeting=meeting,
            by=by,
            kind=AgendaItem.Kind.DECISION_FOLLOW_UP,
            title=_("Opfølgning: %(firm)s") % {"firm": decision.company.name},
            description=_("Besluttet på %(meeting)s: %(text)s (frist %(deadline)s)")
            % {
                "meeting": _meeting_label(decision.meeting),
                "text": decision.text,
                "deadline": decision.deadline.strftime("%d.%m.%Y"),
            },
            presenter=decision.lead_consultant if decision.lead_consultant_id in members else None,
            duration_minutes=5,
        )
        added.append(
            CaseAgendaItem.objects.create(
                agenda_item=item, meeting=meeting, company=decision.company, decision=decision
            )
        )
    return added


# ---------------------------------------------------------------------------
# How a firm's item ends
# ---------------------------------------------------------------------------
def _ensure_pending(case_item: CaseAgendaItem) -> None:
    if case_item.outcome != CaseAgendaItem.Outcome.PENDING:
        raise ValidationError(
            {
                "__all__": _("Punktet er allerede afsluttet (%(outcome)s).")
                % {"outcome": case_item.get_outcome_display()}
            }
        )


def _close_proposal(proposal: AgendaProposal | None, *, status: str, by: User, reason: str = "") -> None:
    if proposal is None or proposal.status not in AgendaProposal.OPEN_STATUSES:
        return
    proposal.status = status
    proposal.closed_at = timezone.now()
    proposal.closed_by = by
    proposal.close_reason = reason[:500]
    proposal.save(update_fields=["status", "closed_at", "closed_by", "close_reason"])


@transaction.atomic
def case_item_withdraw(*, case_item: CaseAgendaItem, by: User, reason: str) -> CaseAgendaItem:
    """The firm is taken off the partnership's list at the meeting, with the reason why."""
    ensure_open(case_item.meeting)
    _ensure_pending(case_item)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor sagen trækkes tilbage.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Skriv højst 500 tegn.")})
    case_item.outcome = CaseAgendaItem.Outcome.WITHDRAWN
    case_item.outcome_note = reason
    case_item.save(update_fields=["outcome", "outcome_note"])
    _close_proposal(case_item.proposal, status=AgendaProposal.Status.WITHDRAWN, by=by, reason=reason)
    return case_item


@transaction.atomic
def proposal_withdraw(*, proposal: AgendaProposal, by: User, reason: str) -> AgendaProposal:
    """Withdraw a firm from the list before it reaches a meeting ("Til behandling"), with the reason."""
    proposal = AgendaProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != AgendaProposal.Status.PENDING:
        raise ValidationError({"reason": _("Forslaget er på en dagsorden; træk det tilbage på mødet.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor sagen trækkes tilbage.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Skriv højst 500 tegn.")})
    _close_proposal(proposal, status=AgendaProposal.Status.WITHDRAWN, by=by, reason=reason)
    return proposal


@transaction.atomic
def case_item_move(*, case_item: CaseAgendaItem, to_meeting: Meeting, by: User) -> CaseAgendaItem:
    """Move the firm to a later meeting of the partnership; returns the item on that meeting's agenda."""
    ensure_open(case_item.meeting)
    _ensure_pending(case_item)
    if to_meeting.partnership_id != case_item.meeting.partnership_id:
        raise ValidationError({"to_meeting": _("Vælg et møde i samme partnerskab.")})
    if to_meeting.start <= case_item.meeting.start:
        raise ValidationError({"to_meeting": _("Vælg et senere møde.")})
    if to_meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.INVITED):
        raise ValidationError({"to_meeting": _("Det valgte møde er aflyst eller allerede holdt.")})
    item = agenda_item_add(
        meeting=to_meeting,
        by=by,
        kind=case_item.agenda_item.kind,
        title=case_item.agenda_item.title,
        description=case_item.agenda_item.description,
        presenter=case_item.agenda_item.presenter,
        duration_minutes=case_item.agenda_item.duration_minutes,
    )
    moved = CaseAgendaItem.objects.create(
        agenda_item=item,
        meeting=to_meeting,
        company=case_item.company,
        proposal=case_item.proposal,
        decision=case_item.decision,
    )
    case_item.outcome = CaseAgendaItem.Outcome.MOVED
    case_item.moved_to = to_meeting
    case_item.outcome_note = _("Flyttet til %(meeting)s") % {"meeting": _meeting_label(to_meeting)}
    case_item.save(update_fields=["outcome", "moved_to", "outcome_note"])
    if case_item.proposal is not None:
        AgendaProposal.objects.filter(pk=case_item.proposal_id).update(meeting=to_meeting)
    return moved


@transaction.atomic
def case_item_follow_up(*, case_item: CaseAgendaItem, by: User, done: bool, note: str = "") -> CaseAgendaItem:
    """Follow up an open decision at the meeting: done (it stops coming back) or still open."""
    ensure_open(case_item.meeting)
    _ensure_pending(case_item)
    if case_item.decision is None:
        raise ValidationError({"__all__": _("Punktet er ikke en opfølgning på en beslutning.")})
    case_item.outcome = CaseAgendaItem.Outcome.FOLLOWED_UP
    case_item.outcome_note = note.strip()[:500]
    case_item.save(update_fields=["outcome", "outcome_note"])
    if done:
        decision_complete(decision=case_item.decision, by=by, note=note)
    return case_item


# ---------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------
def decision_validate(
    *,
    company: Company,
    meeting: Meeting,
    text: str,
    lead_consultant: User | None,
    consultants: list[User],
    deadline: dt.date | None,
    case_status: str,
) -> None:
    """The rules of a decision, with Danish messages keyed by field."""
    _same_partnership(company, meeting)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Skriv hvad partnerskabet har besluttet.")
    members = set(active_members(meeting.partnership_id).values_list("pk", flat=True))
    if lead_consultant is None:
        errors["lead_consultant"] = _("Vælg en tovholder for indsatsen: den konsulent, der har ansvaret.")
    elif lead_consultant.pk not in members:
        errors["lead_consultant"] = _("Tovholderen skal være aktivt medlem af partnerskabet.")
    outsiders = [u for u in consultants if u.pk not in members]
    if outsiders:
        errors["consultants"] = _("Ikke aktive medlemmer af partnerskabet: %(names)s.") % {
            "names": ", ".join(_name(u) for u in outsiders)
        }
    if deadline is None:
        errors["deadline"] = _("Angiv en frist.")
    elif deadline < as_local(meeting.start).date():
        errors["deadline"] = _("Fristen kan ikke ligge før mødet.")
    if case_status not in DECISION_STATUSES:
        errors["case_status"] = _("Vælg virksomhedens nye status.")
    if errors:
        raise ValidationError(errors)


def decision_activity_choices(*, on: dt.date) -> list[ActivityType]:
    """The activities a decision can offer: the programme's catalogue in force on the meeting's day."""
    return [mapping.activity_type for mapping in programme.activity_catalogue(on=on)]


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    company: Company,
    by: User,
    text: str,
    lead_consultant: User | None,
    consultants: Iterable[User] = (),
    deadline: dt.date | None,
    case_status: str = CaseStatus.TREATED,
    case_item: CaseAgendaItem | None = None,
    activity_types: Iterable[ActivityType] = (),
) -> Decision:
    """Record the partnership's decision about a firm at a meeting.

    The firm's proposal is treated (and leaves "Til behandling"), the case moves to ``case_status``
    (on the firm's timeline), the lead consultant becomes the firm's tovholder, and the lead and the
    consultants see the task on their dashboards until the decision is done.
    """
    meeting = Meeting.objects.select_related("partnership").get(pk=meeting.pk)
    company = Company.objects.select_for_update().select_related("partnership").get(pk=company.pk)
    ensure_open(meeting)
    if meeting.start > timezone.now():
        raise ValidationError({"__all__": _("Beslutninger registreres, når mødet er begyndt.")})
    consultants = list({u.pk: u for u in consultants if lead_consultant is None or u.pk != lead_consultant.pk}.values())
    activity_types = list({t.pk: t for t in activity_types}.values())
    offerable = {t.pk for t in decision_activity_choices(on=as_local(meeting.start).date())}
    if any(t.pk not in offerable for t in activity_types):
        raise ValidationError(
            {"activity_types": _("Vælg aktiviteter fra programmets katalog, som gælder på mødets dato.")}
        )
    decision_validate(
        company=company,
        meeting=meeting,
        text=text,
        lead_consultant=lead_consultant,
        consultants=consultants,
        deadline=deadline,
        case_status=case_status,
    )
    if case_item is None:
        case_item = (
            CaseAgendaItem.objects.filter(meeting=meeting, company=company, decision__isnull=True)
            .exclude(outcome__in=[CaseAgendaItem.Outcome.WITHDRAWN, CaseAgendaItem.Outcome.MOVED])
            .first()
        )
    elif case_item.meeting_id != meeting.pk or case_item.company_id != company.pk:
        raise ValidationError({"__all__": _("Punktet hører ikke til denne virksomhed på dette møde.")})
    elif case_item.outcome in (CaseAgendaItem.Outcome.WITHDRAWN, CaseAgendaItem.Outcome.MOVED):
        raise ValidationError({"__all__": _("Sagen er trukket tilbage eller flyttet og kan ikke besluttes her.")})
    proposal = case_item.proposal if case_item else None
    decision = Decision(
        company=company,
        meeting=meeting,
        case_item=case_item,
        proposal=proposal,
        text=text.strip(),
        lead_consultant=lead_consultant,
        deadline=deadline,
        case_status=case_status,
        created_by=by,
    )
    decision.full_clean(exclude=["company", "meeting", "case_item", "proposal", "lead_consultant"])
    decision.save()
    DecisionConsultant.objects.bulk_create(
        [
            DecisionConsultant(
                decision=decision,
                user=user,
                system_id=user.organisation.system_id if user.organisation_id else None,
                is_lead=user.pk == lead_consultant.pk,
            )
            for user in [lead_consultant, *consultants]
        ]
    )
    if case_item is not None and case_item.outcome == CaseAgendaItem.Outcome.PENDING:
        case_item.outcome = CaseAgendaItem.Outcome.TREATED
        case_item.save(update_fields=["outcome"])
    _close_proposal(proposal, status=AgendaProposal.Status.TREATED, by=by)
    note = _("Besluttet på %(meeting)s") % {"meeting": _meeting_label(meeting)}
    company_set_status(company=company, status=case_status, by=by, note=note)
    if company.lead_consultant_id != lead_consultant.pk:
        company_set_lead(company=company, lead=lead_consultant, by=by)
    decision.activity_types.set(activity_types)
    registry.run_hooks("decision_recorded", decision=decision, by=by)
    return decision


@transaction.atomic
def decision_complete(*, decision: Decision, by: User, note: str = "") -> Decision:
    """The decision is carried out: it no longer comes back on the agenda or the dashboards."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.OPEN:
        raise ValidationError({"__all__": _("Beslutningen er allerede markeret som udført.")})
    decision.status = Decision.Status.DONE
    decision.done_at = timezone.now()
    decision.done_by = by
    decision.done_note = note.strip()[:500]
    decision.save(update_fields=["status", "done_at", "done_by", "done_note"])
    return decision


# ---------------------------------------------------------------------------
# Hooks the partnerships app raises (registered in companies.portal)
# ---------------------------------------------------------------------------
def on_meeting_cancelled(*, meeting: Meeting, by: User, **_kwargs) -> None:
    """A cancelled meeting's firms go back on the list, to be put on another meeting."""
    items = CaseAgendaItem.objects.filter(meeting=meeting, outcome=CaseAgendaItem.Outcome.PENDING)
    proposal_ids = list(items.exclude(proposal__isnull=True).values_list("proposal_id", flat=True))
    AgendaProposal.objects.filter(pk__in=proposal_ids, status=AgendaProposal.Status.ON_AGENDA).update(
        status=AgendaProposal.Status.PENDING, meeting=None
    )
    dashboard.figures_changed()  # an update() sends no signal; the dashboards count pending proposals
    items.update(outcome=CaseAgendaItem.Outcome.MOVED, outcome_note=_("Mødet blev aflyst"))


def on_agenda_item_removing(*, item: AgendaItem, by: User, **_kwargs) -> None:
    """A firm taken off the agenda goes back on the list."""
    case_item = CaseAgendaItem.objects.filter(agenda_item=item).first()
    if case_item is None:
        return
    if case_item.outcome != CaseAgendaItem.Outcome.PENDING or case_item.decisions.exists():
        raise ValidationError({"__all__": _("Sagen er behandlet på mødet og kan ikke fjernes fra dagsordenen.")})
    if case_item.proposal_id:
        AgendaProposal.objects.filter(pk=case_item.proposal_id, status=AgendaProposal.Status.ON_AGENDA).update(
            status=AgendaProposal.Status.PENDING, meeting=None
        )
        dashboard.figures_changed()


def on_minutes_approving(*, meeting: Meeting, by: User, **_kwargs) -> None:
    """Every firm on the agenda must have an outcome before the minutes are approved."""
    pending = list(
        CaseAgendaItem.objects.filter(meeting=meeting, outcome=CaseAgendaItem.Outcome.PENDING)
        .select_related("company")
        .order_by("pk")
    )
    if pending:
        names = ", ".join(item.company.name for item in pending)
        raise ValidationError(
            {
                "agenda": _(
                    "Disse virksomheder mangler en afslutning (beslutning, trukket tilbage eller flyttet): %(names)s."
                )
                % {"names": names}
            }
        )
