"""Reads for a firm's case: the firm page and its timeline ("Forløb"), visit pages, and the agenda list.

Every function here runs a fixed number of queries, whatever the number of visits, needs or
contacts: one query per kind of row (plus one prefetch for the consultants of visits), never a
query per row. Callers pass in a firm they have already fetched through ``for_user``, so the rows
read here are the firm's own and need no second scoping.

The timeline is built from *sources*: small functions that each read one kind of row for a firm
and turn it into plain ``TimelineItem`` objects. Adding a kind of event to the timeline (meeting
decisions, activities) means writing one such function and adding it to ``TIMELINE_SOURCES``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from companies.models import (
    AgendaProposal,
    Company,
    CompetenceNeed,
    ContactPerson,
    SharingConsent,
    StatusChange,
    Visit,
)
from partnerships.models import Partnership, System, User

# The three public systems whose joint work the programme is about; the operator does not count.
THREE_SYSTEMS = (System.BUSINESS, System.EMPLOYMENT, System.EDUCATION)
OPEN_NEED_STATUSES = (CompetenceNeed.Status.IDENTIFIED, CompetenceNeed.Status.IN_PROGRESS)
OPEN_PROPOSAL_STATUSES = (AgendaProposal.Status.PENDING, AgendaProposal.Status.ON_AGENDA)


# ---------------------------------------------------------------------------
# Small display structures
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Badge:
    label: str
    css: str = "text-bg-secondary"


@dataclass(frozen=True)
class Person:
    """A consultant as shown next to a visit: name, organisation and system."""

    name: str
    organisation: str = ""
    system_code: str = ""
    system_name: str = ""


@dataclass(frozen=True)
class TimelineItem:
    """One event in a firm's case, ready to display. ``when`` is aware and only used for ordering."""

    when: dt.datetime
    kind: str
    kind_label: str
    title: str
    text: str = ""
    url: str = ""
    by: str = ""
    date_only: bool = False
    people: tuple[Person, ...] = ()
    badges: tuple[Badge, ...] = ()


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _person(user: User) -> Person:
    organisation = user.organisation
    system = organisation.system if organisation else None
    return Person(
        name=_name(user),
        organisation=organisation.name if organisation else "",
        system_code=system.code if system else "",
        system_name=system.short_name if system else "",
    )


def _at_start_of(day: dt.date, time: dt.time | None = None) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time or dt.time.min))


# ---------------------------------------------------------------------------
# Visits: which systems took part, and is it a joint visit?
# ---------------------------------------------------------------------------
def consultants_prefetch(lookup: str = "consultants") -> Prefetch:
    """Prefetch a visit's consultants with their organisation and system (one query for all visits)."""
    return Prefetch(
        lookup,
        queryset=User.objects.select_related("organisation__system").order_by("first_name", "last_name", "pk"),
    )


def visit_systems(consultants: Iterable[User]) -> list[System]:
    """The distinct systems of the consultants' organisations, in the systems' own order.

    Works on prefetched consultants (no queries)."""
    systems: dict[str, System] = {}
    for user in consultants:
        if user.organisation is not None:
            systems.setdefault(user.organisation.system_id, user.organisation.system)
    return sorted(systems.values(), key=lambda s: (s.sort_order, s.code))


def visit_is_joint(*, kind: str, systems: Iterable[System]) -> bool:
    """A joint visit ("fælles besøg") is one recorded as such, or one where consultants from at least
    two of the three systems took part."""
    return kind == Visit.Kind.JOINT or len({s.code for s in systems if s.code in THREE_SYSTEMS}) >= 2


# ---------------------------------------------------------------------------
# Timeline sources: one function per kind of event, one query each
# ---------------------------------------------------------------------------
def _visit_items(company: Company) -> Iterable[TimelineItem]:
    visits = Visit.objects.filter(company=company).prefetch_related(consultants_prefetch())
    for visit in visits:
        consultants = list(visit.consultants.all())
        systems = visit_systems(consultants)
        badges = []
        if visit.status == Visit.Status.DRAFT:
            badges.append(Badge(_("Kladde"), "text-bg-warning"))
        if visit_is_joint(kind=visit.kind, systems=systems):
            badges.append(Badge(_("Fælles besøg"), "text-bg-success"))
        yield TimelineItem(
            when=_at_start_of(visit.visit_date, visit.visit_time),
            kind="visit",
            kind_label=_("Besøg"),
            title=visit.get_kind_display(),
            text=visit.summary,
            url=visit.get_absolute_url(),
            date_only=visit.visit_time is None,
            people=tuple(_person(u) for u in consultants),
            badges=tuple(badges),
        )


def _need_items(company: Company) -> Iterable[TimelineItem]:
    needs = CompetenceNeed.objects.filter(company=company).select_related("created_by", "visit")
    for need in needs:
        badges = [Badge(need.get_status_display(), "text-bg-info")]
        if need.staff_groups:
            badges.append(Badge(", ".join(need.staff_groups), "text-bg-light border"))
        yield TimelineItem(
            when=need.created_at,
            kind="need",
            kind_label=_("Kompetencebehov"),
            title=need.get_area_display(),
            text=need.description,
            url=need.visit.get_absolute_url() if need.visit else "",
            by=_name(need.created_by),
            badges=tuple(badges),
        )


def _status_items(company: Company) -> Iterable[TimelineItem]:
    changes = StatusChange.objects.filter(company=company).select_related("changed_by")
    for change in changes:
        if change.from_status:
            title = _("Status: %(from)s → %(to)s") % {
                "from": change.get_from_status_display(),
                "to": change.get_to_status_display(),
            }
        else:
            title = _("Virksomheden registreret (%(status)s)") % {"status": change.get_to_status_display()}
        yield TimelineItem(
            when=change.changed_at,
            kind="status",
            kind_label=_("Status"),
            title=title,
            text=change.note,
            by=_name(change.changed_by),
        )


def _proposal_items(company: Company) -> Iterable[TimelineItem]:
    proposals = AgendaProposal.objects.filter(company=company).select_related("partnership", "proposed_by")
    for proposal in proposals:
        yield TimelineItem(
            when=proposal.proposed_at,
            kind="proposal",
            kind_label=_("Dagsorden"),
            title=_("Sat på dagsordenen i %(partnership)s") % {"partnership": proposal.partnership.name},
            text=proposal.reason,
            url=reverse("companies:agenda_list") if proposal.status in OPEN_PROPOSAL_STATUSES else "",
            by=_name(proposal.proposed_by),
            badges=(Badge(proposal.get_status_display(), "text-bg-primary"),),
        )


def _consent_items(company: Company) -> Iterable[TimelineItem]:
    consents = SharingConsent.objects.filter(company=company).select_related("recorded_by")
    for consent in consents:
        badges = ()
        if consent.withdrawn_on:
            withdrawn = formats.date_format(consent.withdrawn_on, "SHORT_DATE_FORMAT")
            badges = (Badge(_("Trukket tilbage %(date)s") % {"date": withdrawn}, "text-bg-danger"),)
        yield TimelineItem(
            when=_at_start_of(consent.given_on),
            kind="consent",
            kind_label=_("Samtykke"),
            title=_("Samtykke til datadeling"),
            text=_("Givet af %(by)s til %(to)s.") % {"by": consent.given_by, "to": consent.given_to},
            by=_name(consent.recorded_by),
            date_only=True,
            badges=badges,
        )


TimelineSource = Callable[[Company], Iterable[TimelineItem]]

TIMELINE_SOURCES: list[TimelineSource] = [
    _visit_items,
    _need_items,
    _status_items,
    _proposal_items,
    _consent_items,
]

# Within the same moment, show the cause above its effects (newest first reads top-down as "then").
_KIND_ORDER = {"consent": 0, "proposal": 1, "status": 2, "need": 3, "visit": 4}


def case_timeline(company: Company, sources: Iterable[TimelineSource] = ()) -> list[TimelineItem]:
    """The firm's case, newest first: every source's items merged in Python."""
    items = list(itertools.chain.from_iterable(source(company) for source in (sources or TIMELINE_SOURCES)))
    items.sort(key=lambda item: (item.when, -_KIND_ORDER.get(item.kind, 9)), reverse=True)
    return items


# ---------------------------------------------------------------------------
# The firm page
# ---------------------------------------------------------------------------
def case_companies(user: User) -> QuerySet[Company]:
    """Firms the user may open, with what the firm page's header needs in the same query."""
    return Company.objects.for_user(user).select_related(
        "municipality",
        "partnership",
        "industry_section",
        "lead_consultant__organisation__system",
    )


@dataclass
class CasePage:
    company: Company
    contacts: list[ContactPerson]
    open_needs: list[CompetenceNeed]
    consent: SharingConsent | None
    open_proposal: AgendaProposal | None
    timeline: list[TimelineItem] = field(default_factory=list)


def case_page(company: Company) -> CasePage:
    """Everything the firm page shows besides its forms, in a fixed number of queries."""
    contacts = list(ContactPerson.objects.filter(company=company).order_by("-is_active", "name", "pk"))
    open_needs = list(
        CompetenceNeed.objects.filter(company=company, status__in=OPEN_NEED_STATUSES)
        .select_related("visit")
        .order_by("-created_at", "-pk")
    )
    consents = SharingConsent.objects.filter(company=company).select_related("recorded_by")
    consent = consents.order_by("-given_on", "-pk").first()
    open_proposal = (
        AgendaProposal.objects.filter(
            company=company, partnership_id=company.partnership_id, status__in=OPEN_PROPOSAL_STATUSES
        )
        .select_related("proposed_by")
        .first()
    )
    return CasePage(
        company=company,
        contacts=contacts,
        open_needs=open_needs,
        consent=consent,
        open_proposal=open_proposal,
        timeline=case_timeline(company),
    )


# ---------------------------------------------------------------------------
# Visit pages
# ---------------------------------------------------------------------------
def case_visits(user: User) -> QuerySet[Visit]:
    """Visits the user may open, with their firm, consultants (and systems), participants and needs."""
    return (
        Visit.objects.for_user(user)
        .select_related("company__partnership", "created_by")
        .prefetch_related(
            consultants_prefetch(),
            Prefetch("company_participants", queryset=ContactPerson.objects.order_by("name", "pk")),
            Prefetch("needs", queryset=CompetenceNeed.objects.order_by("created_at", "pk")),
        )
    )


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str = ""
    new: str = ""
    # Long texts are only named, not shown twice; the current text is on the page.
    shown: bool = True


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    by: str
    action: str
    changes: tuple[FieldChange, ...] = ()


_HISTORY_IGNORED = ["created_at", "updated_at", "completed_at", "created_by", "company"]
_LONG_TEXT = {"growth_plans", "summary", "next_step", "other_participants"}


def _display(visit_field, value) -> str:
    if value in (None, ""):
        return "–"
    if visit_field.choices:
        return str(dict(visit_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, dt.time):
        return formats.time_format(value, "TIME_FORMAT")
    return str(value)


def visit_history(visit: Visit, limit: int = 100) -> list[HistoryEntry]:
    """Who changed what when, newest first, from django-simple-history (one query).

    The consultants and the firm's participants are many-to-many and not part of the history.
    """
    records = list(visit.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
    entries = []
    for record, previous in itertools.zip_longest(records, records[1:]):
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=_HISTORY_IGNORED)
            for change in delta.changes:
                model_field = Visit._meta.get_field(change.field)
                label = str(model_field.verbose_name)
                if change.field in _LONG_TEXT:
                    changes.append(FieldChange(label=label, shown=False))
                else:
                    changes.append(
                        FieldChange(
                            label=label, old=_display(model_field, change.old), new=_display(model_field, change.new)
                        )
                    )
        action = {"+": _("Oprettet"), "~": _("Ændret"), "-": _("Slettet")}.get(record.history_type, "")
        entries.append(
            HistoryEntry(
                when=record.history_date,
                by=_name(record.history_user) or _("ukendt"),
                action=action,
                changes=tuple(changes),
            )
        )
    return entries


# ---------------------------------------------------------------------------
# The agenda list ("Til behandling")
# ---------------------------------------------------------------------------
@dataclass
class AgendaGroup:
    partnership: Partnership
    proposals: list[AgendaProposal]


def agenda_pending(user: User) -> list[AgendaGroup]:
    """Pending proposals in the user's partnerships, grouped by partnership, oldest first in each group
    (the order they were put forward). One query; each proposal carries ``open_needs``."""
    proposals = (
        AgendaProposal.objects.for_user(user)
        .pending()
        .select_related("company__municipality", "partnership", "proposed_by__organisation__system")
        .annotate(open_needs=Count("company__needs", filter=Q(company__needs__status__in=OPEN_NEED_STATUSES)))
        .order_by("partnership__name", "partnership_id", "proposed_at", "pk")
    )
    return [
        AgendaGroup(partnership=group[0].partnership, proposals=group)
        for group in (list(g) for _key, g in itertools.groupby(proposals, key=lambda p: p.partnership_id))
    ]
