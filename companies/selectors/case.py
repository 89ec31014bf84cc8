"""Reads for a firm's case: the firm page and its timeline ("Forløb"), visit pages, and the agenda list.

Every function here runs a fixed number of queries, whatever the number of visits, needs or
contacts: one query per kind of row (plus one prefetch for the consultants of visits), never a
query per row.

Every read of a firm's child rows (contacts, visits, needs, status changes ...) starts again from the
scoping rule, ``Model.objects.for_user(user).filter(company=company)``, even though the firm itself
came through ``access_company``: a selector called from a Celery task with a user id, or with the
wrong firm, is then as safe as a view.

The timeline is built from *sources*: small functions that each read one kind of row for a firm
and turn it into plain ``TimelineItem`` objects. Each app registers its sources with
``kompetence.registry.add_timeline_source`` (this app's are ``TIMELINE_SOURCES`` below, registered in
``companies.portal``); adding a kind of event (meeting decisions, activities) edits no module here.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
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
from kompetence import registry
from kompetence.text import display_name
from partnerships.models import Partnership, System, User

# The three public systems whose joint work the programme is about; the operator does not count.
THREE_SYSTEMS = (System.BUSINESS, System.EMPLOYMENT, System.EDUCATION)


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
    return display_name(user)


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
def _visit_items(*, company: Company, user: User) -> Iterable[TimelineItem]:
    visits = Visit.objects.for_user(user).filter(company=company).prefetch_related(consultants_prefetch())
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


def _need_items(*, company: Company, user: User) -> Iterable[TimelineItem]:
    # Recruitment needs are a source of their own (companies.selectors.requests).
    needs = (
        CompetenceNeed.objects.for_user(user).training().filter(company=company).select_related("created_by", "visit")
    )
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


def _status_items(*, company: Company, user: User) -> Iterable[TimelineItem]:
    changes = StatusChange.objects.for_user(user).filter(company=company).select_related("changed_by")
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


def _proposal_items(*, company: Company, user: User) -> Iterable[TimelineItem]:
    proposals = (
        AgendaProposal.objects.for_user(user).filter(company=company).select_related("partnership", "proposed_by")
    )
    for proposal in proposals:
        yield TimelineItem(
            when=proposal.proposed_at,
            kind="proposal",
            kind_label=_("Dagsorden"),
            title=_("Sat på dagsordenen i %(partnership)s") % {"partnership": proposal.partnership.name},
            text=proposal.reason,
            url=reverse("companies:agenda_list") if proposal.status in AgendaProposal.OPEN_STATUSES else "",
            by=_name(proposal.proposed_by),
            badges=(Badge(proposal.get_status_display(), "text-bg-primary"),),
        )


def _consent_items(*, company: Company, user: User) -> Iterable[TimelineItem]:
    consents = SharingConsent.objects.for_user(user).filter(company=company).select_related("recorded_by")
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


# Within the same moment, the cause reads above its effects (newest first reads top-down as "then"):
# lower rank first.
TIMELINE_SOURCES = [
    registry.TimelineSource("consent", _consent_items, rank=0),
    registry.TimelineSource("proposal", _proposal_items, rank=10),
    registry.TimelineSource("status", _status_items, rank=20),
    registry.TimelineSource("need", _need_items, rank=30),
    registry.TimelineSource("visit", _visit_items, rank=40),
]


def case_timeline(
    company: Company, *, user: User, sources: Iterable[registry.TimelineSource] | None = None
) -> list[TimelineItem]:
    """The firm's case, newest first: every registered source's items merged in Python."""
    sources = list(registry.timeline_sources() if sources is None else sources)
    rank = {source.name: source.rank for source in sources}
    items = list(itertools.chain.from_iterable(source.read(company=company, user=user) for source in sources))
    items.sort(key=lambda item: (item.when, -rank.get(item.kind, 99)), reverse=True)
    return items


# ---------------------------------------------------------------------------
# The firm page
# ---------------------------------------------------------------------------
@dataclass
class CasePage:
    company: Company
    contacts: list[ContactPerson]
    open_needs: list[CompetenceNeed]
    consent: SharingConsent | None
    open_proposal: AgendaProposal | None
    timeline: list[TimelineItem] = field(default_factory=list)
    # Sections other apps add to the firm page (kompetence.registry.FIRM_PAGE).
    sections: list[registry.RenderedSection] = field(default_factory=list)


def case_page(company: Company, *, user: User) -> CasePage:
    """Everything the firm page shows besides its forms, in a fixed number of queries."""
    contacts = list(ContactPerson.objects.for_user(user).filter(company=company).order_by("-is_active", "name", "pk"))
    open_needs = list(
        CompetenceNeed.objects.for_user(user)
        .training()
        .filter(company=company, status__in=CompetenceNeed.OPEN_STATUSES)
        .select_related("visit")
        .order_by("-created_at", "-pk")
    )
    consent = (
        SharingConsent.objects.for_user(user)
        .filter(company=company)
        .select_related("recorded_by")
        .order_by("-given_on", "-pk")
        .first()
    )
    open_proposal = open_proposal_of(company, user=user)
    return CasePage(
        company=company,
        contacts=contacts,
        open_needs=open_needs,
        consent=consent,
        open_proposal=open_proposal,
        timeline=case_timeline(company, user=user),
        sections=registry.render_sections(registry.FIRM_PAGE, company=company, user=user),
    )


def open_proposal_of(company: Company, *, user: User) -> AgendaProposal | None:
    """The firm's proposal still waiting for (or on) its partnership's agenda, if the user may see it."""
    return (
        AgendaProposal.objects.for_user(user)
        .open()
        .filter(company=company, partnership_id=company.partnership_id)
        .select_related("proposed_by")
        .first()
    )


# ---------------------------------------------------------------------------
# Visit pages
# ---------------------------------------------------------------------------
def visit_page_queryset() -> QuerySet[Visit]:
    """The shape of a visit for its pages: firm, consultants (and systems), participants and needs.

    Not scoped: ``companies.access.access_visit`` applies the scoping rule to it."""
    return Visit.objects.select_related("company__partnership", "created_by").prefetch_related(
        consultants_prefetch(),
        Prefetch("company_participants", queryset=ContactPerson.objects.order_by("name", "pk")),
        Prefetch("needs", queryset=CompetenceNeed.objects.order_by("created_at", "pk")),
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
        .annotate(open_needs=Count("company__needs", filter=Q(company__needs__status__in=CompetenceNeed.OPEN_STATUSES)))
        .order_by("partnership__name", "partnership_id", "proposed_at", "pk")
    )
    return [
        AgendaGroup(partnership=group[0].partnership, proposals=group)
        for group in (list(g) for _key, g in itertools.groupby(proposals, key=lambda p: p.partnership_id))
    ]
