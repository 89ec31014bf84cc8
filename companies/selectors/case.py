"""Reads for a firm's case: the firm page and its timeline ("Forløb"), visit pages, and the agenda list.

Every function here runs a fixed number of queries, whatever the number of visits, needs or
contacts: one query per kind of row (plus one prefetch for the consultants of visits), never a
query per row.

Every read of a firm's child rows (contacts, visits, needs, status changes ...) starts again from the
scoping rule, ``Model.objects.for_user(user).filter(company=company)``, even though the firm itself
came through ``access_company``: a selector called from a Celery task with a user id, or with the
wrong firm, is then as safe as a view.

The timeline is built from *sources*: small functions that each turn one kind of row for a firm into
plain ``TimelineItem`` objects. Each app registers its sources with
``kompetence.registry.add_timeline_source`` (this app's are ``TIMELINE_SOURCES`` below, registered in
``companies.portal``); adding a kind of event (meeting decisions, activities) edits no module here.

One request reads each kind of row once: a source, a section of the page and the page itself get the
same ``FirmCase``, which reads the rows several of them show (needs, proposals, consents, and through
``FirmCase.once`` what other apps share, such as decisions) on first use and keeps them for the rest of
the request. Each query costs a firm page 2-3 ms of CPU in building and compiling alone, whatever it
returns (bench/README.md, phase 2), so the needs are one query for the training needs' source, the
recruitment needs' source, the open-needs card and the recruitment section, not four.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from companies.models import (
    AgendaProposal,
    CaseStatus,
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


@dataclass(frozen=True)
class _Named:
    """The name fields of a user read as plain values, for ``display_name`` (no model instance)."""

    first_name: str | None
    last_name: str | None
    email: str | None

    def get_full_name(self) -> str:
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


def _name_of(row: dict[str, Any], prefix: str) -> str:
    """``display_name`` of the user whose ``first_name``, ``last_name`` and ``email`` a ``values()`` row
    holds under ``prefix`` ("" for nobody, as for a deleted user)."""
    if row[f"{prefix}email"] is None:
        return ""
    return display_name(_Named(row[f"{prefix}first_name"], row[f"{prefix}last_name"], row[f"{prefix}email"]))


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
# One request's reads of one firm's case
# ---------------------------------------------------------------------------
T = TypeVar("T")


class FirmCase:
    """One firm's case as one request sees it: the firm, the user, and the rows read so far.

    ``company`` came through ``access_company`` (or is the firm of an object that did). Every read here
    starts again from ``for_user(user)``, exactly as the sources and sections did when each read for
    itself; what changes is that a read is made once per request however many parts of the page show
    it. Other apps share their own reads with ``once`` (e.g. the decisions, read by the meetings' timeline
    source and by the activities section), so this module never names them.
    """

    def __init__(self, company: Company, *, user: User) -> None:
        self.company = company
        self.user = user
        self._reads: dict[str, Any] = {}

    def once(self, key: str, read: Callable[[], T]) -> T:
        """``read()`` the first time ``key`` is asked for in this request; the same result after that.
        Name the key after the app and the rows (``"companies.decisions"``)."""
        if key not in self._reads:
            self._reads[key] = read()
        return self._reads[key]

    @property
    def needs(self) -> list[CompetenceNeed]:
        """Every need of the firm, training and recruitment, newest first (one query)."""
        return self.once("companies.needs", self._read_needs)

    @property
    def proposals(self) -> list[AgendaProposal]:
        """Every proposal to put the firm on an agenda, newest first (one query)."""
        return self.once("companies.proposals", self._read_proposals)

    @property
    def consents(self) -> list[SharingConsent]:
        """Every consent to share data, the latest given first (one query)."""
        return self.once("companies.consents", self._read_consents)

    def _read_needs(self) -> list[CompetenceNeed]:
        needs = list(
            CompetenceNeed.objects.for_user(self.user)
            .filter(company=self.company)
            .select_related("created_by", "visit", "recruitment__closed_by")
            .order_by("-created_at", "-pk")
        )
        for need in needs:
            need.company = self.company  # the rows are this firm's: its name and partnership without a query
        return needs

    def _read_proposals(self) -> list[AgendaProposal]:
        return list(
            AgendaProposal.objects.for_user(self.user)
            .filter(company=self.company)
            .select_related("partnership", "proposed_by", "closed_by")
            .order_by("-proposed_at", "-pk")
        )

    def _read_consents(self) -> list[SharingConsent]:
        return list(
            SharingConsent.objects.for_user(self.user)
            .filter(company=self.company)
            .select_related("recorded_by")
            .order_by("-given_on", "-pk")
        )

    def training_needs(self) -> list[CompetenceNeed]:
        return [need for need in self.needs if need.kind == CompetenceNeed.Kind.TRAINING]

    def recruitment_needs(self) -> list[CompetenceNeed]:
        """The recruitment needs that have their details (as every one made through the service has)."""
        return [
            need
            for need in self.needs
            if need.kind == CompetenceNeed.Kind.RECRUITMENT and getattr(need, "recruitment", None) is not None
        ]

    def open_proposal(self) -> AgendaProposal | None:
        """The proposal still waiting for (or on) the firm's own partnership's agenda, if any."""
        return next(
            (
                proposal
                for proposal in self.proposals
                if proposal.status in AgendaProposal.OPEN_STATUSES
                and proposal.partnership_id == self.company.partnership_id
            ),
            None,
        )


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
# The timeline shows a few fields of many rows: its sources read them as ``values()`` rows, which costs
# a fraction of building model instances with their related users (the user model alone has twenty
# columns), and say each source's order explicitly (ties keep it: the merge sorts stably).
_USER = ("first_name", "last_name", "email")


def _user_fields(prefix: str) -> list[str]:
    return [f"{prefix}{name}" for name in _USER]


def _visit_items(case: FirmCase) -> Iterable[TimelineItem]:
    # The visits with their consultants in one query: a row per visit and consultant (one row with no
    # consultant for a visit without any), the consultants in the order ``consultants_prefetch`` gives.
    rows = (
        Visit.objects.for_user(case.user)
        .filter(company=case.company)
        .order_by("-visit_date", "-pk", "consultants__first_name", "consultants__last_name", "consultants__pk")
        .values(
            "pk",
            "visit_date",
            "visit_time",
            "kind",
            "status",
            "summary",
            *_user_fields("consultants__"),
            "consultants__organisation__name",
            "consultants__organisation__system__code",
            "consultants__organisation__system__short_name",
        )
    )
    visits: dict[int, dict[str, Any]] = {}
    consultants: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        visits.setdefault(row["pk"], row)
        people = consultants.setdefault(row["pk"], [])
        if row["consultants__email"] is not None:
            people.append(row)
    kinds = dict(Visit.Kind.choices)
    for visit in visits.values():
        people = consultants[visit["pk"]]
        systems = [
            SimpleNamespace(code=code)
            for code in {row["consultants__organisation__system__code"] for row in people}
            if code is not None
        ]
        badges = []
        if visit["status"] == Visit.Status.DRAFT:
            badges.append(Badge(_("Kladde"), "text-bg-warning"))
        if visit_is_joint(kind=visit["kind"], systems=systems):
            badges.append(Badge(_("Fælles besøg"), "text-bg-success"))
        yield TimelineItem(
            when=_at_start_of(visit["visit_date"], visit["visit_time"]),
            kind="visit",
            kind_label=_("Besøg"),
            title=str(kinds.get(visit["kind"], visit["kind"])),
            text=visit["summary"],
            url=reverse("companies:visit_detail", args=[visit["pk"]]),
            date_only=visit["visit_time"] is None,
            people=tuple(
                Person(
                    name=_name_of(row, "consultants__"),
                    organisation=row["consultants__organisation__name"] or "",
                    system_code=row["consultants__organisation__system__code"] or "",
                    system_name=row["consultants__organisation__system__short_name"] or "",
                )
                for row in people
            ),
            badges=tuple(badges),
        )


def _need_items(case: FirmCase) -> Iterable[TimelineItem]:
    # Recruitment needs are a source of their own (companies.selectors.requests).
    for need in case.training_needs():
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


def _status_items(case: FirmCase) -> Iterable[TimelineItem]:
    changes = (
        StatusChange.objects.for_user(case.user)
        .filter(company=case.company)
        .order_by("-changed_at", "-pk")
        .values("changed_at", "from_status", "to_status", "note", *_user_fields("changed_by__"))
    )
    labels = dict(CaseStatus.choices)
    for change in changes:
        to_status = labels.get(change["to_status"], change["to_status"])
        if change["from_status"]:
            title = _("Status: %(from)s → %(to)s") % {
                "from": labels.get(change["from_status"], change["from_status"]),
                "to": to_status,
            }
        else:
            title = _("Virksomheden registreret (%(status)s)") % {"status": to_status}
        yield TimelineItem(
            when=change["changed_at"],
            kind="status",
            kind_label=_("Status"),
            title=title,
            text=change["note"],
            by=_name_of(change, "changed_by__"),
        )


def _proposal_items(case: FirmCase) -> Iterable[TimelineItem]:
    for proposal in case.proposals:
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


def _consent_items(case: FirmCase) -> Iterable[TimelineItem]:
    for consent in case.consents:
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
    company: Company,
    *,
    user: User,
    sources: Iterable[registry.TimelineSource] | None = None,
    case: FirmCase | None = None,
) -> list[TimelineItem]:
    """The firm's case, newest first: every registered source's items merged in Python."""
    case = case if case is not None else FirmCase(company, user=user)
    sources = [
        source
        for source in (registry.timeline_sources() if sources is None else sources)
        if not source.perm or user.has_perm(source.perm)
    ]
    rank = {source.name: source.rank for source in sources}
    items = list(itertools.chain.from_iterable(source.read(case) for source in sources))
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
    """Everything the firm page shows besides its forms, in a fixed number of queries (each kind of row
    read once, shared by the page's cards, its sections and the timeline through one ``FirmCase``)."""
    case = FirmCase(company, user=user)
    contacts = list(ContactPerson.objects.for_user(user).filter(company=company).order_by("-is_active", "name", "pk"))
    open_needs = [need for need in case.training_needs() if need.status in CompetenceNeed.OPEN_STATUSES]
    return CasePage(
        company=company,
        contacts=contacts,
        open_needs=open_needs,
        consent=case.consents[0] if case.consents else None,
        open_proposal=case.open_proposal(),
        timeline=case_timeline(company, user=user, case=case),
        sections=registry.render_sections(registry.FIRM_PAGE, company=company, user=user, case=case),
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
