"""Reads for the firm register pages: the firm list, "Mine virksomheder", search, and the one
deliberate look outside the user's partnerships (``companies_held_elsewhere``).

Every function starts from ``Company.objects.for_user(user)``, the scoping rule, except
``companies_held_elsewhere``, which is documented below and returns a fixed, minimal set of fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypedDict

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat, Upper
from django.urls import reverse

from companies.models import CaseStatus, Company, ProductionUnit, Visit
from companies.validators import normalise_cvr
from kompetence import audit
from kompetence.inputs import ascii_digits
from kompetence.memo import Memo
from kompetence.pagination import KeysetPage, keyset_paginate
from partnerships.models import IndustrySection, Membership, Municipality, Partnership, PartnershipMunicipality, User
from partnerships.scoping import user_sees_everything
from partnerships.selectors import region_municipalities

# The look outside the user's partnerships answers a specific question, never lists the register
# (issue 7): a full CVR or P-number, or a name of at least HELD_ELSEWHERE_MIN_LENGTH letters that
# matches at most HELD_ELSEWHERE_MAX_MATCHES firms (more: nothing is shown, only "search on the CVR
# number"). Every look-up that shows firms is recorded in the audit log, and a user may make at most
# settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY of them in 24 hours (counted there, so without Redis too).
HELD_ELSEWHERE_MIN_LENGTH = 4
HELD_ELSEWHERE_MAX_MATCHES = 3


class HeldElsewhere(list):
    """The firms found elsewhere (a list of dicts), and ``notice``: why nothing more is shown.

    ``notice`` is "" (nothing to say), ``"too_many"`` (the name matches more firms than may be
    shown) or ``"throttled"`` (the user's look-ups for today are used up).
    """

    def __init__(self, rows=(), notice: str = ""):
        super().__init__(rows)
        self.notice = notice


@dataclass(frozen=True)
class SearchTerm:
    """What the user typed, understood as a CVR number, a P-number or part of a name."""

    kind: str  # "cvr", "cvr_prefix", "p_number", "name" or "" (nothing typed)
    value: str


# A CVR number is searched by its beginning from this many digits ("3040" finds 30409985).
CVR_PREFIX_MIN_DIGITS = 4


def parse_search(query: str | None) -> SearchTerm:
    """8 digits are a CVR number, 10 digits a P-number (spaces, dashes and "DK" allowed), 4 to 7
    digits the beginning of a CVR number; else a name."""
    text = (query or "").strip()
    if not text:
        return SearchTerm("", "")
    compact = normalise_cvr(text)
    if ascii_digits(compact) and len(compact) == 8:
        return SearchTerm("cvr", compact)
    digits = re.sub(r"[\s-]", "", text)
    if ascii_digits(digits) and len(digits) == 10:
        return SearchTerm("p_number", digits)
    if ascii_digits(compact) and CVR_PREFIX_MIN_DIGITS <= len(compact) < 8:
        return SearchTerm("cvr_prefix", compact)
    return SearchTerm("name", text[:200])


def firm_search(queryset: QuerySet[Company], term: SearchTerm, *, fuzzy: bool = False) -> QuerySet[Company]:
    """Narrow ``queryset`` to the firms matching ``term``.

    A name is matched with ``icontains``; on PostgreSQL that is ``UPPER(name) LIKE UPPER('%…%')``,
    which the trigram GIN index ``company_name_trgm`` (migration 0002) answers without a table scan.
    ``fuzzy=True`` (PostgreSQL only) matches similar names instead, for typos ("Vestas Wnd"); it uses
    the same index through ``UPPER(name) % UPPER(query)``.
    """
    if term.kind == "cvr":
        return queryset.filter(cvr=term.value)
    if term.kind == "cvr_prefix":
        # LIKE '3040%', answered by the index company_cvr_prefix (varchar_pattern_ops).
        return queryset.filter(cvr__startswith=term.value)
    if term.kind == "p_number":
        # A subquery, not a join, so a firm never appears twice.
        return queryset.filter(pk__in=ProductionUnit.objects.filter(p_number=term.value).values("company_id"))
    if term.kind == "name":
        if fuzzy:
            return queryset.alias(name_upper=Upper("name")).filter(name_upper__trigram_similar=term.value.upper())
        return queryset.filter(name__icontains=term.value)
    return queryset


def fuzzy_search_available() -> bool:
    return connection.vendor == "postgresql"


# The columns a list row needs. Loading only these, not the 30-odd columns of each table, halves
# the time spent turning rows into objects.
LIST_FIELDS = (
    "name",
    "cvr",
    "status",
    "last_visit_on",
    "next_follow_up_on",
    "municipality_id",
    "industry_section_id",
    "partnership_id",
    "lead_consultant__first_name",
    "lead_consultant__last_name",
    "lead_consultant__email",
)


def firms_for_list(user: User) -> QuerySet[Company]:
    """The firms the user may see, with what a list row shows: one query, whatever the number of rows.

    Only the lead consultant is joined. Municipality, DB07 section and partnership are small
    reference tables whose names ``firm_rows`` takes from ``ReferenceNames`` (three tiny queries):
    joining all four made PostgreSQL spend more time planning the query (5-8 ms) than running it
    (under 1 ms), measured on the --scale 50 benchmark data.
    """
    return Company.objects.for_user(user).select_related("lead_consultant").only(*LIST_FIELDS)


# Reference names and the filter form's options, kept per process (kompetence.memo) until a row they
# come from changes: companies.portal connects ``REFERENCE.changed`` to the signals of every model in
# REFERENCE_MODELS. The list read them with seven queries per request before (bench/notes/list.md).
REFERENCE = Memo("companies:reference", seconds=60)
REFERENCE_MODELS = (Municipality, IndustrySection, Partnership, PartnershipMunicipality, Membership, User)


def reference_changed(sender, update_fields=None, **kwargs) -> None:
    """A row the reference names or filter options come from was saved or deleted."""
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # Every login saves the user's last_login, which no option shows.
    REFERENCE.changed()


@dataclass(frozen=True)
class ReferenceNames:
    """Names of municipalities, DB07 sections and partnerships, by key, for display."""

    municipalities: dict[int, str]
    sections: dict[str, str]
    partnerships: dict[int, str]

    @classmethod
    def load(cls) -> ReferenceNames:
        """The names, kept per process until a municipality, section or partnership changes."""
        return REFERENCE.get("names", cls.read)

    @classmethod
    def read(cls) -> ReferenceNames:
        return cls(
            municipalities=dict(Municipality.objects.order_by().values_list("code", "name")),
            sections=dict(IndustrySection.objects.order_by().values_list("code", "name")),
            partnerships=dict(Partnership.objects.order_by().values_list("pk", "name")),
        )


def firms_mine(user: User) -> QuerySet[Company]:
    """Firms where the user is lead consultant or took part in a visit (each firm once)."""
    took_part = Visit.objects.filter(company=OuterRef("pk"), consultants=user)
    return firms_for_list(user).filter(Q(lead_consultant=user) | Exists(took_part))


# Keyset orderings of "Mine virksomheder": follow-up dates ascending puts overdue (oldest first)
# and due follow-ups at the top, then later ones, then firms without a follow-up, by name.
MINE_KEYS = ("next_follow_up_on", "name", "pk")


def firms_mine_page(user: User, *, cursor: str | None, page_size: int) -> tuple[KeysetPage, int]:
    """A page of ``firms_mine`` and the total number of the user's firms (two queries).

    The page walks the follow-up index and stops after a page of hits. The total is counted over the
    firms' ids from a UNION of two index look-ups (the firms the user leads, the firms of the user's
    visits), the same set as ``firms_mine``: counting "lead OR took part" (or ``COUNT(*) OVER ()`` on
    the page) made PostgreSQL test every firm of the partnerships against the user's visits, two to
    three times the cost at --scale 50.
    """
    page = firm_page(firms_mine(user), keys=MINE_KEYS, cursor=cursor, page_size=page_size)
    if not page.object_list and not page.has_previous:
        return page, 0
    led = Company.objects.filter(lead_consultant=user).order_by().values("pk")
    took_part = Visit.objects.filter(consultants=user).order_by().values("company_id")
    return page, Company.objects.for_user(user).filter(pk__in=led.union(took_part)).count()


# The values a list row is made of: ``firm_page`` reads them with ``values()``, without making model
# instances (a millisecond per page of 50).
ROW_VALUES = ("pk", *LIST_FIELDS, "lead_consultant_id")


def firm_page(queryset: QuerySet[Company], *, keys: Sequence[str], cursor: str | None, page_size: int) -> KeysetPage:
    """A keyset page of ``queryset`` (``firms_for_list`` narrowed) as rows of ``ROW_VALUES`` for ``firm_rows``."""
    return keyset_paginate(queryset.values(*ROW_VALUES), keys=keys, cursor=cursor, page_size=page_size)


class FirmRow(TypedDict):
    """One line of a firm list, with its display values worked out once in Python.

    Rendering a model instance row by row in the template (a URL reverse, translated choice labels,
    date filters, related-object lookups) cost about half a millisecond a row, five times the rest of
    the page; plain strings cost a tenth of that (see bench/). A dict, because the template engine
    tries a key before an attribute: an attribute costs it a caught exception per variable. An empty
    value is already the dash the table shows.
    """

    pk: int
    url: str
    name: str
    cvr: str
    municipality: str
    partnership: str
    industry: str
    status: str
    lead: str
    is_lead: bool
    last_visit: str
    next_follow_up: str
    overdue: bool
    due_today: bool


NO_VALUE = "–"


def _date(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else NO_VALUE


def _lead_name(row: dict) -> str:
    # As kompetence.text.display_name names a user: the full name, else the e-mail address.
    if row["lead_consultant_id"] is None:
        return NO_VALUE
    full = f"{row['lead_consultant__first_name'] or ''} {row['lead_consultant__last_name'] or ''}"
    return " ".join(full.split()) or row["lead_consultant__email"] or NO_VALUE


def firm_rows(
    companies: Iterable[dict], *, user: User, today: dt.date, names: ReferenceNames | None = None
) -> list[FirmRow]:
    """Display rows of firms read by ``firm_page`` (no query while the reference names are kept)."""
    names = names or ReferenceNames.load()
    url_pattern = reverse("companies:detail", args=[987654321])
    status_labels = {value: str(label) for value, label in CaseStatus.choices}
    rows = []
    for company in companies:
        section, follow_up = company["industry_section_id"], company["next_follow_up_on"]
        industry = NO_VALUE
        if section:
            name = names.sections.get(section, "")
            industry = f"{section} {name if len(name) <= 24 else name[:23].rstrip() + '…'}"
        rows.append(
            FirmRow(
                pk=company["pk"],
                url=url_pattern.replace("987654321", str(company["pk"])),
                name=company["name"],
                cvr=company["cvr"],
                municipality=names.municipalities.get(company["municipality_id"], ""),
                partnership=names.partnerships.get(company["partnership_id"], ""),
                industry=industry,
                status=status_labels.get(company["status"], company["status"]),
                lead=_lead_name(company),
                is_lead=company["lead_consultant_id"] == user.pk,
                last_visit=_date(company["last_visit_on"]),
                next_follow_up=_date(follow_up),
                overdue=follow_up is not None and follow_up < today,
                due_today=follow_up == today,
            )
        )
    return rows


def municipality_choices(user: User) -> QuerySet[Municipality]:
    """The region's municipalities covered by the user's partnerships (all 19 for those who see everything)."""
    municipalities = region_municipalities()
    if user_sees_everything(user):
        return municipalities
    return municipalities.filter(coverage__partnership__in=Partnership.objects.for_user(user).values("pk"))


def _options(queryset: QuerySet) -> list[tuple[str, str]]:
    # What a ModelChoiceField offers: the primary key and str() of each object.
    return [(str(obj.pk), str(obj)) for obj in queryset]


def firm_filter_options(user: User) -> dict[str, list[tuple[str, str]]]:
    """The options of the firm list's choice filters (without their "Alle" entries), by filter name.

    The same for everyone who sees the same partnerships, so they are kept per process and scope
    (``REFERENCE``). What a user may choose is still decided by the filters' querysets, which the form
    validates a chosen value against; these only say what the form offers.
    """

    def read() -> dict[str, list[tuple[str, str]]]:
        return {
            "kommune": _options(municipality_choices(user)),
            "lks": _options(Partnership.objects.for_user(user).order_by("name", "pk")),
            "branche": _options(IndustrySection.objects.all()),
            "tovholder": _options(lead_consultant_choices(user)),
        }

    # Keyed by the user rather than by the user's partnerships: finding those would cost a query, and
    # any change of a membership empties the memo anyway. The flags are what else for_user decides on.
    key = ("firm_filter", user.pk, user.is_active, user_sees_everything(user))
    return REFERENCE.get(key, read)


def lead_consultant_choices(user: User) -> QuerySet[User]:
    """People who may be a firm's lead: active members of the partnerships the user sees."""
    members = Membership.objects.filter(partnership__in=Partnership.objects.for_user(user).values("pk"))
    return User.objects.filter(pk__in=members.values("user_id"), is_active=True).order_by(
        "first_name", "last_name", "pk"
    )


def companies_held_elsewhere(user: User, query: str | None) -> HeldElsewhere:
    """Firms matching ``query`` that are held by a partnership the user cannot see.

    This is the one read that deliberately crosses the scoping rule, so that two systems do not
    call on the same firm without knowing of each other ("no double outreach"). It therefore
    returns, by design, only:

    * ``name`` and ``cvr`` of the firm,
    * ``partnership_name``: the partnership holding it,
    * ``contact_name``, ``contact_email``, ``contact_phone``: whom to call, namely the firm's lead
      consultant, or, when the firm has none, the partnership's coordinator (tovholder), with
      ``contact_is_lead`` saying which.

    Never notes, visits, needs, status, contacts at the firm, or the firm's primary key (so a page
    cannot link to it). To keep it a look-up and not a way to list the register (see the constants
    above): a full CVR or P-number, or a name of at least ``HELD_ELSEWHERE_MIN_LENGTH`` letters
    matching at most ``HELD_ELSEWHERE_MAX_MATCHES`` firms; throttled per user and recorded.
    """
    if user_sees_everything(user) or not (user.is_authenticated and user.is_active):
        return HeldElsewhere()
    term = parse_search(query)
    # The beginning of a CVR number would list other partnerships' firms: only whole numbers here.
    if term.kind in ("", "cvr_prefix") or (
        term.kind == "name" and len(term.value.replace(" ", "")) < HELD_ELSEWHERE_MIN_LENGTH
    ):
        return HeldElsewhere()
    if held_elsewhere_lookups_today(user) >= settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY:
        return HeldElsewhere(notice="throttled")
    # Outside the user's scope: held by a partnership the user cannot see (the scoping rule applied
    # to partnerships; cheaper than excluding the thousands of firms the user can see).
    outside = Company.objects.exclude(partnership__in=Partnership.objects.for_user(user).values("pk"))
    coordinator = Membership.objects.filter(
        partnership=OuterRef("partnership"), lead_role=Membership.LeadRole.COORDINATOR, user__is_active=True
    ).order_by("pk")
    coordinator_name = coordinator.annotate(
        full=Concat("user__first_name", Value(" "), "user__last_name", output_field=CharField())
    ).values("full")[:1]
    has_lead = Q(lead_consultant__isnull=False)
    rows = (
        firm_search(outside, term)
        .annotate(
            partnership_name=F("partnership__name"),
            contact_is_lead=Case(When(has_lead, then=Value(True)), default=Value(False)),
            contact_name=Case(
                When(
                    has_lead,
                    then=Concat(
                        "lead_consultant__first_name",
                        Value(" "),
                        "lead_consultant__last_name",
                        output_field=CharField(),
                    ),
                ),
                default=Subquery(coordinator_name),
                output_field=CharField(),
            ),
            contact_email=Case(
                When(has_lead, then=F("lead_consultant__email")),
                default=Subquery(coordinator.values("user__email")[:1]),
                output_field=CharField(),
            ),
            contact_phone=Case(
                When(has_lead, then=F("lead_consultant__phone")),
                default=Subquery(coordinator.values("user__phone")[:1]),
                output_field=CharField(),
            ),
        )
        .order_by("name", "pk")
        .values(
            "name",
            "cvr",
            "partnership_name",
            "contact_is_lead",
            "contact_name",
            "contact_email",
            "contact_phone",
        )[: HELD_ELSEWHERE_MAX_MATCHES + 1]
    )
    found = list(rows)
    if len(found) > HELD_ELSEWHERE_MAX_MATCHES:
        return HeldElsewhere(notice="too_many")
    if found:
        audit.record(
            audit.Kind.HELD_ELSEWHERE_LOOKUP,
            user=user,
            term=term.kind,
            shown=[row["cvr"] for row in found],
        )
    return HeldElsewhere(found)


def held_elsewhere_lookups_today(user: User) -> int:
    """Look-ups in the last 24 hours that showed the user firms of other partnerships."""
    return audit.recent(audit.Kind.HELD_ELSEWHERE_LOOKUP, since=dt.timedelta(hours=24)).filter(user=user).count()
