"""Demo data for firms, contacts, visits, competence needs and cases (invented, shaped like the region).

Called by ``manage.py seed_demo`` after the partnerships' demo data, whose partnerships and
consultants it uses. About 400 firms per ``scale``, spread over the 19 municipalities in proportion
to their size, each held by the partnership covering its municipality, with about 1,000 visits per
``scale`` over the programme years 2017-2019 and the last eleven months.

The rules, in the order a reader will ask about them:

* **Deterministic.** Everything is drawn from the ``rng`` passed in, and database rows are read in
  a fixed order (partnerships by name, consultants by e-mail). The same seed on the same day gives
  the same data; "recent" visits are placed relative to ``timezone.localdate()``, and no timestamp
  lies after the start of today.
* **Idempotent.** Demo firms have CVR numbers from 30000000 to 39999999. If any firm in that range
  exists, the demo data counts as loaded: ``seed`` adds nothing and returns the current counts.
  (A real firm registered in that range would therefore also stop the demo from loading.)
* **Fast.** Rows are built in Python and written with ``bulk_create``, 2,000 firms at a time so
  memory stays flat; derived fields (``Company.last_visit_on``, ``next_follow_up_on``,
  ``size_class``) are computed here rather than through the services, which work one firm at a
  time. ``--scale 50`` gives 20,000 firms and about 53,000 visits in one to two minutes on
  PostgreSQL; scale 1 takes about two seconds on SQLite.
* **Historical timestamps.** ``bulk_create`` would stamp every ``auto_now``/``auto_now_add`` field
  "now", so a 2018 case would show status changes made today. While seeding, those fields keep the
  dates set here (see ``_keep_timestamps``). Each visit gets one history row (its creation).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeVar

from django.utils import timezone

from companies import demo_names as words
from companies.models import (
    AgendaProposal,
    CaseStatus,
    Company,
    CompetenceNeed,
    ContactPerson,
    ProductionUnit,
    SharingConsent,
    StatusChange,
    Visit,
)
from companies.sme import assess_sme, band_for
from partnerships.demo import DEMO_LOGINS
from partnerships.models import Membership, PartnershipMunicipality, Role, User

T = TypeVar("T")

FIRMS_PER_SCALE = 400
BATCH_SIZE = 2000  # rows per INSERT
CHUNK_SIZE = 2000  # firms generated and written together
DEMO_CVR_FIRST, DEMO_CVR_LAST = "30000000", "39999999"
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2)  # the eighth digit, the check digit, has weight 1
DEMO_CONSULTANT = next(email for email, _f, _l, role, *_ in DEMO_LOGINS if role == Role.CONSULTANT)
DEMO_CONSULTANT_FIRMS = 15  # per scale: 12 open cases with follow-ups, 3 others

PROGRAMME_START, PROGRAMME_END = dt.date(2017, 2, 1), dt.date(2019, 12, 13)
RECENT_DAYS = 330  # "recent" visits lie within this many days before today

S = CaseStatus
PIPELINE = [S.IDENTIFIED, S.CONTACTED, S.VISITED, S.TREATED, S.AGREED, S.IN_PROGRESS, S.CLOSED]
ACTIVE = (S.VISITED, S.TREATED, S.AGREED, S.IN_PROGRESS)  # open cases, with a follow-up date
STATUS_WEIGHTS = {
    S.IDENTIFIED: 7,
    S.CONTACTED: 8,
    S.VISITED: 20,
    S.TREATED: 10,
    S.AGREED: 10,
    S.IN_PROGRESS: 13,
    S.CLOSED: 24,  # most cases from the programme years are closed
    S.NOT_RELEVANT: 8,
}
# Completed visits per firm (inclusive ranges): closed cases, and the current round of open ones.
CLOSED_VISITS = (3, 5)
OPEN_VISITS = {S.VISITED: (1, 2), S.TREATED: (2, 3), S.AGREED: (2, 3), S.IN_PROGRESS: (2, 4)}
# How a firm's needs stand, by case status.
NEED_STATUS_WEIGHTS = {
    S.VISITED: {"identificeret": 85, "i_gang": 15},
    S.TREATED: {"identificeret": 70, "i_gang": 30},
    S.AGREED: {"identificeret": 40, "i_gang": 60},
    S.IN_PROGRESS: {"identificeret": 15, "i_gang": 60, "daekket": 25},
    S.CLOSED: {"daekket": 75, "droppet": 25},
    S.NOT_RELEVANT: {"droppet": 70, "identificeret": 30},
}
URGENCY_WEIGHTS = {"hoej": 25, "middel": 50, "lav": 25}
MOBILE_PREFIXES = ("20", "21", "22", "23", "24", "25", "26", "28", "29", "30", "31", "40", "41", "42", "50", "51", "60")


@dataclass
class Seeded:
    companies: int = 0
    visits: int = 0
    needs: int = 0
    created: bool = True


class Consultant(NamedTuple):
    id: int
    system: str


@dataclass
class _Firm:
    """A firm being generated: the unsaved Company and everything that hangs off it."""

    company: Company
    area: words.Area
    town: words.Town
    industry: words.Industry
    themes: list[str]
    members: list[Consultant]
    surname: str
    domain: str
    era: str = "recent"  # "programme" (2017-2019), "recent" (the last months) or "returning" (both)
    lead: Consultant | None = None
    demo_follow_up: str = ""  # for the demo consultant's cases: "overdue", "soon" or "later"
    contacts: list[ContactPerson] = field(default_factory=list)
    units: list[ProductionUnit] = field(default_factory=list)
    visits: list[tuple[Visit, list[int], list[ContactPerson]]] = field(default_factory=list)
    needs: list[CompetenceNeed] = field(default_factory=list)
    changes: list[StatusChange] = field(default_factory=list)
    consent: SharingConsent | None = None
    proposals: list[AgendaProposal] = field(default_factory=list)
    facts: dict[str, int] = field(default_factory=dict)  # numbers the notes repeat: owner's age, shares


@dataclass
class _Round:
    """One round of a firm's case: its completed visit dates and the status it reached."""

    dates: list[dt.date]
    final: str
    flagged: int | None = None  # index of the visit that put the case on the partnership's agenda
    visits: list[Visit] = field(default_factory=list)


# ---------------------------------------------------------------------------
# The interface seed_demo calls
# ---------------------------------------------------------------------------
def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    """Create about 400 firms per ``scale``, their contacts, visits, needs and cases (once)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if Company.objects.filter(cvr__gte=DEMO_CVR_FIRST, cvr__lte=DEMO_CVR_LAST).exists():
        return _counts(created=False)
    generator = _Generator(rng=rng, scale=scale)
    firms = generator.firms(FIRMS_PER_SCALE * scale)
    generator.assign_leads(firms)
    users = User.objects.in_bulk({c.id for f in firms for c in f.members})
    # Cases are generated and written a chunk of firms at a time, so memory stays flat at any scale.
    # The generator draws in the same order either way, so chunking does not change the data.
    while firms:
        chunk, firms = firms[:CHUNK_SIZE], firms[CHUNK_SIZE:]
        for firm in chunk:
            generator.case(firm)
        _write(chunk, users=users)
    return _counts(created=True)


def reset() -> None:
    """Delete every firm and all that hangs off it.

    Every firm, not only the demo's: the partnerships' reset, which runs next, deletes the
    partnerships, and a partnership cannot be deleted while it holds firms.
    """
    Visit.consultants.through.objects.all().delete()
    Visit.company_participants.through.objects.all().delete()
    CompetenceNeed.objects.all().delete()
    AgendaProposal.objects.all().delete()
    StatusChange.objects.all().delete()
    # One SQL DELETE: deleting visits one by one would make django-simple-history write a "deleted"
    # history row for each (50,000 at --scale 50), only for them to be deleted on the next line.
    # Everything that points at a visit (needs, proposals, the consultant and participant tables)
    # is gone by now, so the database's foreign-key checks still hold.
    Visit.objects.all()._raw_delete(Visit.objects.db)
    Visit.history.model.objects.all().delete()
    SharingConsent.objects.all().delete()
    Company.objects.all().delete()  # contacts and P-numbers go with their firm


def summary(result: Seeded) -> str:
    text = (
        f"{_thousands(result.companies)} virksomheder, {_thousands(result.visits)} besøg, "
        f"{_thousands(result.needs)} kompetencebehov"
    )
    return text if result.created else f"{text} (fandtes allerede, intet tilføjet; brug --reset for at starte forfra)"


def _counts(*, created: bool) -> Seeded:
    return Seeded(
        companies=Company.objects.count(),
        visits=Visit.objects.count(),
        needs=CompetenceNeed.objects.count(),
        created=created,
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# ---------------------------------------------------------------------------
# Pure helpers
# ---------------------------------------------------------------------------
def cvr_from_base(base: int) -> str | None:
    """The CVR number whose first seven digits are ``base``, or None when no check digit fits (1 in 11)."""
    digits = f"{base:07d}"
    check = -sum(w * int(d) for w, d in zip(CVR_WEIGHTS, digits, strict=True)) % 11
    return None if check == 10 else f"{digits}{check}"


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), so small shares stay exact."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _weekday(day: dt.date, *, forward: bool = False) -> dt.date:
    """Move a weekend day to Friday (or to Monday with ``forward``): consultants visit on weekdays."""
    if day.weekday() < 5:
        return day
    if forward:
        return day + dt.timedelta(days=7 - day.weekday())
    return day - dt.timedelta(days=day.weekday() - 4)


def _genitive(name: str) -> str:
    return f"{name}'" if name[-1] in "sxz" else f"{name}s"


def _ascii(text: str) -> str:
    return "".join(c for c in text.lower().translate(words.ASCII) if c.isalnum() or c in " -")


def _domain(name: str) -> str:
    legal = {"a/s", "aps", "i/s", "p/s", "&", "og", "ved", "på", "i"}
    parts = [_ascii(w) for w in name.split() if w.lower() not in legal]
    return "-".join(p.strip("-") for p in parts[:3] if p.strip("-")) + ".dk"


def _pick(rng: random.Random, weights: dict[T, int]) -> T:
    """One key of ``weights``, drawn in proportion to its value."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@contextmanager
def _keep_timestamps() -> Iterator[None]:
    """Let bulk_create write the past dates set on demo rows instead of stamping them "now".

    Django's auto_now/auto_now_add fields overwrite any value on insert. They are switched off
    while the demo rows are inserted, in this process only (seed_demo is a one-off command, never
    a request), and switched back on however the block ends.
    """
    fields = [
        model._meta.get_field(name)
        for model, names in (
            (Company, ("created_at", "updated_at")),
            (Visit, ("created_at", "updated_at")),
            (CompetenceNeed, ("created_at", "updated_at")),
            (StatusChange, ("changed_at",)),
            (AgendaProposal, ("proposed_at",)),
            (SharingConsent, ("recorded_at",)),
        )
        for name in names
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


# ---------------------------------------------------------------------------
# Generation: plain Python, no queries after __init__
# ---------------------------------------------------------------------------
class _Generator:
    """Builds unsaved rows from the random generator; reads the partnerships once, then no queries."""

    def __init__(self, *, rng: random.Random, scale: int):
        self.rng = rng
        self.scale = scale
        self.today = timezone.localdate()
        self.yesterday = self.today - dt.timedelta(days=1)
        # Looked up once: timezone.make_aware() asks asgiref for the current zone on every call,
        # which is measurable over a few hundred thousand timestamps. Europe/Copenhagen is a
        # zoneinfo zone, so attaching it with tzinfo= is correct (no pytz-style localize needed).
        self.tz = timezone.get_current_timezone()
        # No timestamp lies after the start of today: never in the future, and the same data
        # whatever the time of day the seeding runs.
        self.cutoff = dt.datetime.combine(self.today, dt.time(0), tzinfo=self.tz)
        self.recent_start = self.today - dt.timedelta(days=RECENT_DAYS)

        self.partnership_of: dict[int, tuple[int, str]] = {
            code: (pid, name)
            for code, pid, name in PartnershipMunicipality.objects.order_by("municipality_id").values_list(
                "municipality_id", "partnership_id", "partnership__name"
            )
        }
        if not self.partnership_of:
            raise RuntimeError("No partnership covers any municipality: load the partnerships' demo data first.")
        self.members: dict[int, list[Consultant]] = {}
        for pid, uid, system in (
            Membership.objects.filter(user__groups__name=Role.CONSULTANT, user__is_active=True)
            .order_by("partnership__name", "user__email")
            .values_list("partnership_id", "user_id", "user__organisation__system_id")
        ):
            self.members.setdefault(pid, []).append(Consultant(uid, system))
        demo = User.objects.filter(email=DEMO_CONSULTANT).values_list("pk", "organisation__system_id").first()
        self.demo_consultant = Consultant(*demo) if demo else None
        self.taken_p_numbers = set(ProductionUnit.objects.values_list("p_number", flat=True))
        self.names: set[str] = set()

    # -- dates -------------------------------------------------------------
    def _days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def _at(self, day: dt.date, hour: tuple[int, int] = (8, 15)) -> dt.datetime:
        """An aware datetime on ``day`` within working hours, never later than the start of today."""
        clock = dt.time(self.rng.randint(*hour), self.rng.choice((0, 15, 30, 45)))
        return min(dt.datetime.combine(day, clock, tzinfo=self.tz), self.cutoff)

    def _spread(self, start: dt.date, end: dt.date, n: int, gap: int = 14) -> list[dt.date]:
        """``n`` distinct weekdays between start and end, sorted, at least ``gap`` days apart if room allows."""
        if n <= 0 or end < start:
            return []
        days = (end - start).days
        gap = max(3, min(gap, days // n))
        while n > 1 and days - (n - 1) * gap + 1 < n:
            n -= 1
        room = days - (n - 1) * gap
        offsets = sorted(self.rng.sample(range(room + 1), n))
        return [_weekday(start + dt.timedelta(days=o + i * gap)) for i, o in enumerate(offsets)]

    # -- firms -------------------------------------------------------------
    def firms(self, total: int) -> list[_Firm]:
        codes = [c for c in words.AREAS if c in self.partnership_of]
        counts = apportion(total, [words.AREAS[c].population for c in codes])
        plan = [code for code, count in zip(codes, counts, strict=True) for _ in range(count)]
        self.rng.shuffle(plan)
        base7 = self.rng.sample(range(3_000_000, 4_000_000), int(total * 1.2) + 20)
        cvrs = [cvr for cvr in map(cvr_from_base, base7) if cvr][:total]
        sections = list(words.SECTIONS)
        section_weights = [words.SECTIONS[s][0] for s in sections]
        return [
            self._firm(code, cvr, self.rng.choices(sections, weights=section_weights)[0])
            for code, cvr in zip(plan, cvrs, strict=True)
        ]

    def _firm(self, code: int, cvr: str, section: str) -> _Firm:
        rng = self.rng
        area = words.AREAS[code]
        town = rng.choices(area.towns, weights=[t.weight for t in area.towns])[0]
        industries = words.SECTIONS[section][1]
        industry = rng.choices(industries, weights=[i.weight for i in industries])[0]
        employees = self._employees()
        surname = rng.choice(words.SURNAMES)
        name = self._name(section, industry, area, town, surname, big=employees > 150)
        domain = _domain(name)
        partnership_id, _ = self.partnership_of[code]
        members = self.members.get(partnership_id, [])

        company = Company(
            cvr=cvr,
            name=name,
            address=self._street(section, town),
            postcode=town.postcode,
            city=town.city,
            municipality_id=code,
            partnership_id=partnership_id,
            industry_section_id=section,
            industry_code=industry.code,
            part_of_group=employees > 100 and rng.random() < 0.25,
            website=f"https://www.{domain}" if rng.random() < 0.6 else "",
            status=_pick(rng, STATUS_WEIGHTS) if members else S.IDENTIFIED,
        )
        self._size(company, employees)
        if rng.random() < 0.15:
            company.notes = rng.choice(words.COMPANY_NOTES).format(year=rng.randint(1948, 1995))
        theme_weights = words.THEME_WEIGHTS.get(section, words.DEFAULT_THEME_WEIGHTS)
        themes = [_pick(rng, theme_weights)]
        if rng.random() < 0.6:
            second = _pick(rng, theme_weights)
            if second != themes[0]:
                themes.append(second)
        firm = _Firm(company, area, town, industry, themes, members, surname, domain)
        firm.era = self._era(company.status)
        firm.facts = {
            "n": rng.randint(2, max(2, min(8, employees))),
            "workers": industry.workers,
            "town": town.name,
            "pct": rng.choice((15, 20, 30, 40, 60)),
            "age": rng.randint(58, 67),
            "grow": max(10, round(employees * 1.4 / 5) * 5),
        }
        firm.contacts = self._contacts(firm, employees)
        firm.units = self._units(firm, employees)
        return firm

    def _employees(self) -> int:
        r = self.rng.random()
        if r < 0.04:
            return self.rng.randint(251, 1200)  # a few large firms: "not an SME" must show
        if r < 0.14:
            return self.rng.randint(2, 9)
        if r < 0.55:
            return self.rng.randint(10, 49)
        if r < 0.9:
            return self.rng.randint(50, 150)
        return self.rng.randint(151, 249)

    def _size(self, company: Company, employees: int) -> None:
        rng = self.rng
        if rng.random() < 0.12:
            company.employee_band = band_for(employees)  # only the CVR register's band is known
        else:
            company.employees = employees
        if rng.random() < 0.35:
            per_head = rng.uniform(0.3, 0.8) if company.industry_section_id == "G" else rng.uniform(0.12, 0.35)
            turnover = employees * per_head
            balance = turnover * rng.uniform(0.3, 0.9)
            if 180 <= employees < 250 and rng.random() < 0.2:
                turnover, balance = rng.uniform(55, 90), rng.uniform(45, 70)  # under 250 staff, over both ceilings
            company.turnover_eur_m = Decimal(f"{turnover:.2f}")
            company.balance_eur_m = Decimal(f"{balance:.2f}")
        company.size_class = assess_sme(
            employees=company.employees,
            employee_band=company.employee_band,
            turnover_eur_m=company.turnover_eur_m,
            balance_eur_m=company.balance_eur_m,
            part_of_group=company.part_of_group,
        ).size_class

    def _name(
        self, section: str, industry: words.Industry, area: words.Area, town: words.Town, surname: str, *, big: bool
    ) -> str:
        rng = self.rng
        family = section in words.FAMILY_SECTIONS  # "Hansen & Søn", "Brødrene Holm": crafts and trade
        for _attempt in range(8):
            trade = rng.choice(industry.trades)
            other = rng.choice(words.SURNAMES)
            region = rng.choice(area.regions) if rng.random() < 0.7 else rng.choice(words.GENERAL_REGIONS)
            first, second = rng.sample("ABCDEFGHJKLMNPRST", 2)
            patterns = {
                f"{surname} & Søn {trade}": 8 if family else 0,
                f"{region} {trade}": 22,
                f"{town.name} {trade}": 12,
                f"{_genitive(surname)} {trade}": 12,
                f"{surname} {trade}": 14,
                f"{first}{second} {trade}": 8,
                f"Brødrene {surname}": 4 if family else 0,
                f"{surname} & {other} {trade}": 6 if other != surname else 0,
            }
            if industry.definite:
                patterns[f"{rng.choice(industry.definite)} {rng.choice(words.LOCATIVES)}"] = 6
            name = _pick(rng, patterns)
            if industry.definite and name.startswith(industry.definite):
                legal = rng.choice(("I/S", "", "ApS"))
            elif big:
                legal = "A/S"
            else:
                legal = _pick(rng, {"ApS": 50, "A/S": 15, "": 20, "I/S": 5, "P/S": 2})
            if name not in self.names:  # "Aarhus Slagteri ApS" and "Aarhus Slagteri A/S" are one name too many
                break
        self.names.add(name)
        return f"{name} {legal}".strip()

    def _street(self, section: str, town: words.Town) -> str:
        if section in words.RURAL_SECTIONS:
            streets = words.RURAL_STREETS
        elif section in words.INDUSTRIAL_SECTIONS or self.rng.random() < 0.3:
            streets = words.INDUSTRIAL_STREETS
        else:
            streets = words.TOWN_STREETS
        number = str(self.rng.randint(1, 120))
        if self.rng.random() < 0.1:
            number += self.rng.choice("ABC")
        return f"{self.rng.choice(streets)} {number}"

    def _phone(self, area: words.Area, *, mobile: bool) -> str:
        prefix = self.rng.choice(MOBILE_PREFIXES if mobile else area.landline)
        rest = [f"{self.rng.randint(0, 99):02d}" for _ in range(3)]
        return f"+45 {prefix} {' '.join(rest)}"

    def _contacts(self, firm: _Firm, employees: int) -> list[ContactPerson]:
        rng = self.rng
        count = _pick(rng, {0: 10, 1: 35, 2: 35, 3: 20})
        roles = ["ejer" if employees < 50 else "leder"]
        extra = ["leder"] + (["hr"] if employees >= 40 else []) + (["tr"] if employees >= 20 else [])
        roles += rng.sample(extra, min(len(extra), count - 1)) if count > 1 else []
        contacts = []
        for i, role in enumerate(roles[:count]):
            first = rng.choice(words.FIRST_NAMES_FEMALE if rng.random() < 0.4 else words.FIRST_NAMES_MALE)
            last = firm.surname if i == 0 and firm.surname in firm.company.name else rng.choice(words.SURNAMES)
            local = rng.choice((_ascii(first), f"{_ascii(first)}.{_ascii(last)}", _ascii(f"{first[0]}{last[0]}")))
            contacts.append(
                ContactPerson(
                    company=firm.company,
                    name=f"{first} {last}",
                    role=role,
                    title=rng.choice(words.CONTACT_TITLES[role]),
                    email=f"{local}@{firm.domain}",
                    phone=self._phone(firm.area, mobile=rng.random() < 0.4),
                    consent_to_contact=rng.random() < 0.75,
                )
            )
        return contacts

    def _units(self, firm: _Firm, employees: int) -> list[ProductionUnit]:
        rng = self.rng
        if rng.random() >= (0.35 if employees >= 50 else 0.04):
            return []
        units = []
        for i in range(rng.choice((1, 1, 2))):
            while (number := f"10{rng.randrange(10**8):08d}") in self.taken_p_numbers:
                pass
            self.taken_p_numbers.add(number)
            town = firm.town if i == 0 else rng.choice(firm.area.towns)
            company = firm.company
            units.append(
                ProductionUnit(
                    company=company,
                    p_number=number,
                    name=company.name if i == 0 else f"{company.name}, afd. {town.name}",
                    address=company.address if i == 0 else self._street("C", town),
                    postcode=town.postcode,
                    city=town.city,
                    municipality_id=company.municipality_id,
                )
            )
        return units

    def _era(self, status: str) -> str:
        r = self.rng.random()
        if status in (S.CLOSED, S.NOT_RELEVANT):
            return "programme" if r < 0.85 else "recent"
        if status in ACTIVE:
            return "returning" if r < 0.55 else "recent"
        return "recent"

    # -- leads -------------------------------------------------------------
    def assign_leads(self, firms: list[_Firm]) -> None:
        """A lead consultant from the firm's partnership; the demo consultant gets ~15 cases per scale."""
        rng, demo = self.rng, self.demo_consultant
        for firm in firms:
            others = [m for m in firm.members if m != demo] or firm.members
            if others and not (firm.company.status == S.IDENTIFIED and rng.random() < 0.5):
                firm.lead = rng.choice(others)
        if demo is not None:
            self._give_demo_consultant_cases(firms, demo)
        for firm in firms:
            firm.company.lead_consultant_id = firm.lead.id if firm.lead else None

    def _give_demo_consultant_cases(self, firms: list[_Firm], demo: Consultant) -> None:
        """About 15 cases per scale for the demo login, so "Mine virksomheder" has overdue and due follow-ups."""
        rng = self.rng
        mine = [f for f in firms if demo in f.members]
        open_cases = [f for f in mine if f.company.status in ACTIVE]
        other_cases = [f for f in mine if f.company.status in (S.CONTACTED, S.CLOSED)]
        quota = DEMO_CONSULTANT_FIRMS * self.scale
        chosen = rng.sample(open_cases, min(len(open_cases), quota * 4 // 5))
        for i, firm in enumerate(chosen):
            firm.lead, firm.demo_follow_up = demo, ("overdue", "soon", "later")[i % 3]
        for firm in rng.sample(other_cases, min(len(other_cases), quota - len(chosen))):
            firm.lead = demo

    # -- the case: rounds of visits, status path, needs, consent, proposals ---------
    def case(self, firm: _Firm) -> None:
        """Visits, status changes, needs, consent and agenda proposals of one firm, consistent with its status."""
        rng, company = self.rng, firm.company
        rounds, follow_up = self._rounds(firm)
        previous = None
        for number, round_ in enumerate(rounds):
            round_.flagged = self._flagged(round_)
            for i, day in enumerate(round_.dates):
                if i == len(round_.dates) - 1:
                    visit_follow_up = follow_up if round_ is rounds[-1] else None
                elif rng.random() < 0.8:
                    visit_follow_up = min(day + self._days(14, 60), round_.dates[i + 1])
                else:
                    visit_follow_up = None
                opening = "first" if i == 0 and number == 0 else "again" if i == 0 else ""
                closing = round_.final if i == len(round_.dates) - 1 else ""
                visit = self._visit(
                    firm,
                    day,
                    opening=opening,
                    previous=previous,
                    closing=closing,
                    follow_up=visit_follow_up,
                    flag=i == round_.flagged,
                )
                round_.visits.append(visit)
                previous = day
        dates = [day for round_ in rounds for day in round_.dates]
        self._drafts(firm, has_visits=bool(dates))
        if dates:
            # What services.company_refresh_visit_dates() would store: the latest visit and its follow-up.
            company.last_visit_on, company.next_follow_up_on = dates[-1], follow_up
        self._path(firm, rounds)
        for round_ in rounds:
            if round_.visits:
                self._needs(firm, round_, count=1 if len(rounds) > 1 else _pick(rng, {1: 40, 2: 40, 3: 20}))
            if round_.flagged is not None:
                self._proposal(firm, round_)
        if dates and company.status != S.CONTACTED and firm.lead and rng.random() < 0.62:
            self._consent(firm, dates[0])

    def _rounds(self, firm: _Firm) -> tuple[list[_Round], dt.date | None]:
        """The firm's rounds of completed visits, and the follow-up date set at the very last visit.

        Most firms have one round. A "returning" firm had a round during the programme, closed then,
        and a new round in the last months that is still open.
        """
        rng, status = self.rng, firm.company.status
        if not firm.members or status in (S.IDENTIFIED, S.CONTACTED):
            return [_Round([], status)], None
        if status in (S.CLOSED, S.NOT_RELEVANT):
            n = rng.randint(*CLOSED_VISITS) if status == S.CLOSED else rng.randint(0, 1)
            if firm.era == "programme":
                return [_Round(self._spread(PROGRAMME_START, PROGRAMME_END, n), status)], None
            return [_Round(self._spread(self.recent_start, self.yesterday, n), status)], None

        # An open case: the last visit lies within the last months, with a follow-up after it.
        if firm.demo_follow_up:
            low, high = {"overdue": (-25, -1), "soon": (0, 10), "later": (15, 60)}[firm.demo_follow_up]
            follow_up = self.today + self._days(low, high)
            last = min(_weekday(follow_up - self._days(14, 45)), self.yesterday)
        else:
            last = _weekday(self.today - self._days(1, 110))
            follow_up = last + self._days(14, 75)
        if firm.era == "returning":
            earlier = self._spread(PROGRAMME_START, PROGRAMME_END, rng.randint(1, 3))
            n = 1 if status == S.VISITED else 2
        else:
            earlier, n = [], rng.randint(*OPEN_VISITS[status])
        recent = [*self._spread(self.recent_start, last - dt.timedelta(days=14), n - 1), last]
        current = _Round(recent, status)
        return ([_Round(earlier, S.CLOSED), current] if earlier else [current]), follow_up

    def _flagged(self, round_: _Round) -> int | None:
        """The visit after which the case went to the partnership ("til behandling i partnerskabet"):
        an early one when the partnership has treated the case, the latest for some cases just
        visited (still pending) and for some that came to nothing (withdrawn)."""
        if not round_.dates:
            return None
        if round_.final in (S.TREATED, S.AGREED, S.IN_PROGRESS, S.CLOSED):
            return self.rng.randrange(max(1, len(round_.dates) - 1))
        if self.rng.random() < {S.VISITED: 0.35, S.NOT_RELEVANT: 0.4}.get(round_.final, 0):
            return len(round_.dates) - 1
        return None

    def _team(self, firm: _Firm, *, first: bool) -> list[Consultant]:
        """Who went: usually the lead, and in about a quarter of visits colleagues from other systems."""
        rng, lead = self.rng, firm.lead
        anchor = lead if lead and (first or rng.random() < 0.85) else rng.choice(firm.members)
        team = [anchor]
        if rng.random() < 0.27:
            systems = sorted({m.system for m in firm.members} - {anchor.system})
            for system in rng.sample(systems, min(len(systems), 1 if rng.random() < 0.7 else 2)):
                team.append(rng.choice([m for m in firm.members if m.system == system]))
        elif rng.random() < 0.1:
            colleagues = [m for m in firm.members if m.system == anchor.system and m != anchor]
            if colleagues:
                team.append(rng.choice(colleagues))
        return team

    def _who(self, firm: _Firm) -> str:
        if not firm.contacts:
            return "ledelsen"
        contact = self.rng.choice(firm.contacts[:2])
        title = contact.title if contact.title[1:2].isupper() else contact.title[0].lower() + contact.title[1:]
        return f"{title} {contact.name}"

    def _fill(self, template: str, firm: _Firm, day: dt.date) -> str:
        return template.format(**firm.facts, year=day.year + 1, previous=f"{day:%d.%m.%Y}")

    def _visit(
        self,
        firm: _Firm,
        day: dt.date,
        *,
        opening: str,
        previous: dt.date | None,
        closing: str,
        follow_up: dt.date | None,
        flag: bool,
    ) -> Visit:
        """A completed visit with its notes. ``opening`` is "first", "again" (a new round) or ""."""
        rng = self.rng
        team = self._team(firm, first=bool(opening))
        joint = len({c.system for c in team}) > 1
        if joint and rng.random() < 0.8:
            kind = Visit.Kind.JOINT
        elif opening == "first":
            kind = Visit.Kind.FIRST
        else:
            kind = Visit.Kind.REMOTE if not joint and rng.random() < 0.3 else Visit.Kind.FOLLOW_UP
        theme = rng.choice(firm.themes)
        who = self._who(firm)

        summary = []
        if joint:
            systems = sorted({words.SYSTEM_WORDS.get(c.system, c.system) for c in team})
            summary.append(rng.choice(words.JOINT_OPENINGS).format(systems=", ".join(systems)))
        if opening == "first":
            summary.append(rng.choice(words.FIRST_VISIT_OPENINGS).format(who=who))
        elif opening == "again":
            summary.append(rng.choice(words.AGAIN_OPENINGS).format(who=who, year=previous.year))
        else:
            openings = words.REMOTE_OPENINGS if kind == Visit.Kind.REMOTE else words.FOLLOW_UP_OPENINGS
            summary.append(rng.choice(openings).format(who=who, previous=f"{previous:%d.%m.%Y}"))
        if opening:
            summary += [self._fill(rng.choice(words.OBSERVATIONS[t]), firm, day) for t in firm.themes]
            summary.append(rng.choice(words.CLOSINGS))
        else:
            summary.append(self._fill(rng.choice(words.PROGRESS), firm, day))
            if rng.random() < 0.4:
                summary.append(self._fill(rng.choice(words.OBSERVATIONS[theme]), firm, day))
        if closing in words.ENDINGS:
            summary.append(rng.choice(words.ENDINGS[closing]))
        growth = ""
        if opening or rng.random() < 0.3:
            growth = " ".join(self._fill(rng.choice(words.GROWTH_PLANS[t]), firm, day) for t in firm.themes)
        next_step = "" if closing in words.ENDINGS else self._fill(rng.choice(words.NEXT_STEPS[theme]), firm, day)
        if flag:
            next_step = f"{next_step} {words.FOR_PARTNERSHIP_STEP}".strip()

        remote = kind == Visit.Kind.REMOTE
        start = self._at(day, (9, 15) if remote else (8, 14))
        # Written up the same afternoon, or the next morning.
        later = dt.timedelta(hours=rng.randint(1, 5)) if rng.random() < 0.8 else dt.timedelta(days=1)
        created = min(start + later, self.cutoff)
        completed = min(created + dt.timedelta(days=rng.choice((0, 0, 0, 1, 3))), self.cutoff)
        visit = Visit(
            company=firm.company,
            visit_date=day,
            visit_time=start.astimezone(self.tz).time(),
            kind=kind,
            status=Visit.Status.COMPLETED,
            other_participants=rng.choice(words.OTHER_PARTICIPANTS) if rng.random() < 0.08 else "",
            growth_plans=growth,
            summary=" ".join(summary),
            next_step=next_step,
            follow_up_on=follow_up,
            for_partnership=flag,
            created_by_id=team[0].id,
            created_at=created,
            updated_at=completed,
            completed_at=completed,
        )
        present = [] if remote or not firm.contacts else rng.sample(firm.contacts, min(len(firm.contacts), 2))
        firm.visits.append((visit, [c.id for c in team], present if rng.random() < 0.7 else []))
        return visit

    def _drafts(self, firm: _Firm, *, has_visits: bool) -> None:
        """A handful of visits saved as drafts: planned ones in the future, a few not yet completed."""
        rng, status = self.rng, firm.company.status
        if not firm.members:
            return
        chance = {S.IDENTIFIED: 0.1, S.CONTACTED: 0.3}.get(status, 0.05 if status in ACTIVE else 0)
        if rng.random() < chance:
            day = _weekday(self.today + self._days(2, 40), forward=True)
            topic = words.TOPICS[rng.choice(firm.themes)]
            summary, created = words.PLANNED_VISIT.format(topic=topic), self._at(self.today - self._days(1, 20))
        elif status in ACTIVE and rng.random() < 0.03:
            day = _weekday(self.today - self._days(1, 7))
            summary, created = words.DRAFT_SUMMARY, self._at(day, (15, 17))
        else:
            return
        team = self._team(firm, first=not has_visits)
        joint = len({c.system for c in team}) > 1
        kind = Visit.Kind.JOINT if joint else (Visit.Kind.FOLLOW_UP if has_visits else Visit.Kind.FIRST)
        visit = Visit(
            company=firm.company,
            visit_date=day,
            visit_time=dt.time(rng.randint(8, 14), 0),
            kind=kind,
            status=Visit.Status.DRAFT,
            summary=summary,
            created_by_id=team[0].id,
            created_at=created,
            updated_at=created,
        )
        firm.visits.append((visit, [c.id for c in team], []))

    def _path(self, firm: _Firm, rounds: list[_Round]) -> None:
        """The case's steps through the pipeline, round by round, ending in the firm's status."""
        rng, company = self.rng, firm.company
        steps: list[tuple[str, dt.date]] = []
        for number, round_ in enumerate(rounds):
            final, dates = round_.final, round_.dates
            if dates:
                identified = dates[0] - self._days(10, 90)
                contacted = dates[0] - self._days(2, 9)
            else:
                if firm.era == "programme":
                    identified = PROGRAMME_START + self._days(0, (PROGRAMME_END - PROGRAMME_START).days)
                else:
                    identified = self.today - self._days(20, 300)
                contacted = min(identified + self._days(3, 40), self.yesterday)
            if number == 0:
                steps.append((S.IDENTIFIED, identified))
            if final != S.IDENTIFIED:
                steps.append((S.CONTACTED, contacted))
            if dates and final != S.CONTACTED:
                steps.append((S.VISITED, dates[0]))
            if final in (S.TREATED, S.AGREED, S.IN_PROGRESS, S.CLOSED):
                treated = dates[round_.flagged or 0] + self._days(7, 35)
                agreed = treated + self._days(3, 30)
                in_progress = agreed + self._days(7, 45)
                reached = PIPELINE.index(final)
                for step, day in ((S.TREATED, treated), (S.AGREED, agreed), (S.IN_PROGRESS, in_progress)):
                    if reached >= PIPELINE.index(step):
                        steps.append((step, day))
                if final == S.CLOSED:
                    steps.append((S.CLOSED, max(dates[-1], in_progress) + self._days(7, 60)))
            if final == S.NOT_RELEVANT:
                steps.append((S.NOT_RELEVANT, (dates[-1] if dates else contacted) + self._days(1, 30)))

        lead_id = firm.lead.id if firm.lead else None
        previous, moment = "", None
        for step, day in steps:
            at = self._at(min(day, self.today), (8, 16))
            moment = at if moment is None else max(at, moment)  # never before the step it follows
            firm.changes.append(
                StatusChange(
                    company=company,
                    from_status=previous,
                    to_status=step,
                    note=rng.choice(words.STATUS_NOTES[step]),
                    changed_by_id=lead_id,
                    changed_at=moment,
                )
            )
            previous = step
        company.created_at = firm.changes[0].changed_at
        company.updated_at = max([moment, *(v.updated_at for v, _c, _p in firm.visits)])
        company.created_by_id = lead_id

    def _needs(self, firm: _Firm, round_: _Round, *, count: int) -> None:
        """Competence needs found on the round's visits, their status following the round's outcome."""
        rng, company = self.rng, firm.company
        pool = [need for theme in firm.themes for need in words.NEEDS[theme]]
        pool += [need for need in words.NEEDS[rng.choice(list(words.NEEDS))] if need not in pool]
        staff = company.employees or 20
        last_change = firm.changes[-1].changed_at
        for area, description, groups in rng.sample(pool, min(count, len(pool))):
            visit = round_.visits[0] if rng.random() < 0.6 else rng.choice(round_.visits)
            status = _pick(rng, NEED_STATUS_WEIGHTS[round_.final])
            created = visit.created_at + dt.timedelta(minutes=5)
            firm.needs.append(
                CompetenceNeed(
                    company=company,
                    visit=visit,
                    area=area,
                    description=self._fill(description, firm, visit.visit_date),
                    employees_affected=rng.randint(1, 5) if groups == "l" else rng.randint(1, max(1, min(staff, 40))),
                    staff_unskilled="u" in groups,
                    staff_skilled="s" in groups,
                    staff_salaried="f" in groups,
                    staff_managers="l" in groups,
                    urgency=_pick(rng, URGENCY_WEIGHTS),
                    status=status,
                    created_by_id=visit.created_by_id,
                    created_at=created,
                    updated_at=created if status == CompetenceNeed.Status.IDENTIFIED else max(created, last_change),
                )
            )

    def _consent(self, firm: _Firm, day: dt.date) -> None:
        rng = self.rng
        given_by = firm.contacts[0].name if firm.contacts else "Virksomhedens direktør"
        _pid, partnership_name = self.partnership_of[firm.company.municipality_id]
        withdrawn = min(day + self._days(30, 400), self.yesterday) if rng.random() < 0.04 else None
        firm.consent = SharingConsent(
            company=firm.company,
            given_on=day,
            given_by=given_by,
            given_to=f"Jobcenter, erhvervsservice og uddannelsesinstitutioner i {partnership_name}",
            recorded_by_id=firm.lead.id,
            recorded_at=self._at(day, (12, 17)),
            withdrawn_on=withdrawn if withdrawn and withdrawn >= day else None,
        )

    def _proposal(self, firm: _Firm, round_: _Round) -> None:
        """The agenda proposal made at the round's flagged visit; its state follows the round's outcome."""
        visit = round_.visits[round_.flagged]
        if round_.final == S.VISITED:
            state = AgendaProposal.Status.ON_AGENDA if self.rng.random() < 0.25 else AgendaProposal.Status.PENDING
        elif round_.final == S.NOT_RELEVANT:
            state = AgendaProposal.Status.WITHDRAWN
        else:
            state = AgendaProposal.Status.TREATED
        firm.proposals.append(
            AgendaProposal(
                company=firm.company,
                partnership_id=firm.company.partnership_id,
                visit=visit,
                reason=visit.next_step or "Foreslået efter besøg",
                status=state,
                proposed_by_id=visit.created_by_id,
                proposed_at=visit.created_at,
            )
        )


# ---------------------------------------------------------------------------
# Writing: one bulk insert per table, parents first
# ---------------------------------------------------------------------------
def _write(firms: list[_Firm], *, users: dict[int, User]) -> None:
    def insert(model, rows: list) -> list:
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        if rows and rows[0].pk is None:
            # PostgreSQL, and SQLite 3.35+, return the new primary keys; the children need them.
            raise RuntimeError(f"The database did not return primary keys for {model.__name__}.")
        return rows

    with _keep_timestamps():
        insert(Company, [f.company for f in firms])
        # Children point at their parent object; bulk_create copies its new pk into the foreign key.
        insert(ContactPerson, [c for f in firms for c in f.contacts])
        insert(ProductionUnit, [u for f in firms for u in f.units])
        insert(SharingConsent, [f.consent for f in firms if f.consent])
        insert(StatusChange, [c for f in firms for c in f.changes])
        visits = insert(Visit, [v for f in firms for v, _c, _p in f.visits])
        for visit in visits:
            visit._history_date = visit.completed_at or visit.created_at
            visit._history_user = users.get(visit.created_by_id)
        Visit.history.bulk_history_create(visits, batch_size=BATCH_SIZE)
        consultants = Visit.consultants.through
        consultants.objects.bulk_create(
            [consultants(visit_id=v.pk, user_id=uid) for f in firms for v, team, _p in f.visits for uid in team],
            batch_size=BATCH_SIZE,
        )
        participants = Visit.company_participants.through
        participants.objects.bulk_create(
            [participants(visit_id=v.pk, contactperson_id=c.pk) for f in firms for v, _t, ps in f.visits for c in ps],
            batch_size=BATCH_SIZE,
        )
        insert(CompetenceNeed, [n for f in firms for n in f.needs])
        insert(AgendaProposal, [p for f in firms for p in f.proposals])
