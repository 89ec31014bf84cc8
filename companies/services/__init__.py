"""Every write to firms, visits, needs and cases goes through these functions, and every business
rule about them lives here.

Views parse input and call one service; forms may call a service's ``*_validate`` function so that
all messages appear at once next to their fields, but the service checks the rule again when it
writes. Each service is keyword-only, runs in a transaction, calls ``full_clean()`` and raises
``ValidationError`` keyed by field name with a Danish message; derived fields (size class, visit
dates, case status) are kept in step here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
from companies.selectors.firms import companies_held_elsewhere
from companies.sme import assess_sme
from companies.validators import normalise_cvr, validate_cvr
from kompetence import dashboard
from kompetence.inputs import ascii_digits
from kompetence.validation import validate
from partnerships.models import IndustrySection, Municipality, Partnership, User
from partnerships.selectors import partnership_for_municipality, partnership_members

# The programme started on 1 January 2017: nothing of its case work happened before.
PROGRAMME_START = dt.date(2017, 1, 1)


class ConcurrentEditError(Exception):
    """Someone else saved the record after this user opened it."""

    def __init__(self, changed_by: User | None):
        super().__init__("The record was changed by someone else.")
        self.changed_by = changed_by


class DuplicateCompany(ValidationError):
    """The CVR number is registered already. ``existing`` is the firm when the user may open it
    (the page then takes the user there), else None (the message names who holds it)."""

    def __init__(self, message: str, *, existing: Company | None):
        super().__init__({"cvr": [ValidationError(message, code="duplicate")]})
        self.existing = existing


class _Keep:
    def __repr__(self) -> str:
        return "KEEP"


# ``company_update(partnership=KEEP)``: leave the firm's partnership rule as it is.
KEEP: Any = _Keep()


# ---------------------------------------------------------------------------
# Firms
# ---------------------------------------------------------------------------
def company_check_cvr(*, cvr: str, by: User, company: Company | None = None) -> str:
    """The CVR number normalised to 8 digits, if it is valid and free (``company`` may keep its own).

    A duplicate raises ``DuplicateCompany``: for a firm in the user's partnerships with ``existing``
    set (registering it again should simply open it); for a firm held elsewhere with a message naming
    the partnership and whom to call, and nothing else about the firm.
    """
    cvr = normalise_cvr(cvr)
    try:
        validate_cvr(cvr)
    except ValidationError as exc:
        raise ValidationError({"cvr": exc.error_list}) from None
    duplicate = Company.objects.filter(cvr=cvr).exclude(pk=getattr(company, "pk", None)).first()
    if duplicate is None:
        return cvr
    if Company.objects.for_user(by).filter(pk=duplicate.pk).exists():
        if company is not None:
            message = _("CVR-nummeret tilhører %(name)s, som allerede er registreret.") % {"name": duplicate.name}
            raise DuplicateCompany(message, existing=None)
        raise DuplicateCompany(_("Virksomheden er allerede registreret."), existing=duplicate)
    holder = next(iter(companies_held_elsewhere(by, cvr)), None)
    if holder is None:  # Cannot happen for a valid CVR; be safe rather than leak.
        raise DuplicateCompany(_("CVR-nummeret er allerede registreret."), existing=None)
    raise DuplicateCompany(held_elsewhere_message(holder), existing=None)


def held_elsewhere_message(holder: dict) -> str:
    """The Danish sentence naming the partnership that holds a firm and whom to call."""
    contact = holder["contact_name"] or _("ukendt")
    details = ", ".join(v for v in (holder["contact_email"], holder["contact_phone"]) if v)
    who = _("tovholder") if holder["contact_is_lead"] else _("partnerskabets tovholder")
    return _(
        "CVR-nummeret %(cvr)s er allerede registreret i %(partnership)s. Kontakt %(who)s %(contact)s"
        "%(details)s, før I kontakter virksomheden."
    ) % {
        "cvr": holder["cvr"],
        "partnership": holder["partnership_name"],
        "who": who,
        "contact": contact,
        "details": f" ({details})" if details else "",
    }


# DB07: the two-digit division of an industry code decides its section (letter).
_DIVISION_RANGES = [
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
]


def section_for_industry_code(code: str) -> str | None:
    """The DB07 section letter of an industry code ("251100" -> "C"), or None if there is none."""
    code = (code or "").strip()
    if len(code) < 2 or not ascii_digits(code[:2]):
        return None
    division = int(code[:2])
    for low, high, section in _DIVISION_RANGES:
        if low <= division <= high:
            return section
    return None


def company_industry(*, industry_code: str, industry_section: IndustrySection | None) -> IndustrySection | None:
    """The firm's DB07 section: the one chosen, or the one its six-digit industry code belongs to.

    A code that is not six ASCII digits, or that belongs to another section than the one chosen, is
    refused (keyed ``industry_code``)."""
    if not industry_code:
        return industry_section
    derived = section_for_industry_code(industry_code)
    if not ascii_digits(industry_code) or len(industry_code) != 6 or derived is None:
        raise ValidationError({"industry_code": _("En branchekode (DB07) består af 6 cifre, fx 251100.")})
    if industry_section is None:
        return IndustrySection.objects.filter(code=derived).first()
    if industry_section.code != derived:
        raise ValidationError(
            {
                "industry_code": _("Branchekoden %(code)s hører til branche %(derived)s, ikke %(chosen)s.")
                % {"code": industry_code, "derived": derived, "chosen": industry_section.code}
            }
        )
    return industry_section


def company_refresh_size(company: Company) -> None:
    company.size_class = assess_sme(
        employees=company.employees,
        employee_band=company.employee_band,
        turnover_eur_m=company.turnover_eur_m,
        balance_eur_m=company.balance_eur_m,
        part_of_group=company.part_of_group,
    ).size_class


def company_partnership_for(
    *, municipality: Municipality | None, partnership: Partnership | None
) -> Partnership | None:
    """The partnership a firm in ``municipality`` will belong to: ``partnership`` when one is chosen,
    else the one covering the municipality (None: none does). Used to ask before registering a firm
    in a partnership the user is not a member of."""
    return partnership or partnership_for_municipality(municipality)


def _assign_partnership(company: Company, partnership: Partnership | None) -> None:
    """The firm's partnership: the one covering its municipality, unless another is chosen.

    ``partnership=None`` means "the municipality's" (and clears an earlier override); choosing the
    municipality's own partnership is the same as not choosing."""
    default = partnership_for_municipality(company.municipality)
    if partnership is not None and partnership != default:
        company.partnership, company.partnership_overridden = partnership, True
    elif default is not None:
        company.partnership, company.partnership_overridden = default, False
    else:
        raise ValidationError(
            {
                "municipality": _("Ingen partnerskab dækker %(m)s. Vælg partnerskabet manuelt.")
                % {"m": company.municipality}
            }
        )


def _apply_industry(fields: dict[str, Any], company: Company) -> None:
    if "industry_code" in fields or "industry_section" in fields:
        fields["industry_section"] = company_industry(
            industry_code=fields.get("industry_code", company.industry_code),
            industry_section=fields.get("industry_section", company.industry_section),
        )


@transaction.atomic
def company_create(*, by: User, partnership: Partnership | None = None, **fields: Any) -> Company:
    """Register a firm. Its partnership follows its municipality unless ``partnership`` is given.

    ``fields`` are Company fields (``cvr``, ``name``, ``municipality``, ...). The CVR number must be
    valid and not registered (``DuplicateCompany``); the industry section follows the industry code.
    """
    fields["cvr"] = company_check_cvr(cvr=fields.get("cvr", ""), by=by)
    company = Company(created_by=by)
    _apply_industry(fields, company)
    for name, value in fields.items():
        setattr(company, name, value)
    _assign_partnership(company, partnership)
    company_refresh_size(company)
    validate(company)
    company.save()
    StatusChange.objects.create(company=company, from_status="", to_status=company.status, changed_by=by)
    return company


@transaction.atomic
def company_update(*, company: Company, by: User, partnership: Partnership | None = KEEP, **fields: Any) -> Company:
    """Change a firm's register data.

    ``partnership``: ``KEEP`` (default) leaves the rule as it is (a firm that follows its municipality
    moves with a new municipality; a chosen partnership stays); ``None`` makes it follow its
    municipality; a partnership chooses it.
    """
    if "cvr" in fields:
        fields["cvr"] = company_check_cvr(cvr=fields["cvr"], by=by, company=company)
    _apply_industry(fields, company)
    for name, value in fields.items():
        setattr(company, name, value)
    if partnership is KEEP:
        if not company.partnership_overridden:
            _assign_partnership(company, None)
    else:
        _assign_partnership(company, partnership)
    company_refresh_size(company)
    validate(company)
    company.save()
    return company


# The pipeline's order: moving a case to an earlier step needs a reason. "Ikke relevant" may be
# chosen from any step, and leaving it is not a step back.
_PIPELINE = [
    CaseStatus.IDENTIFIED,
    CaseStatus.CONTACTED,
    CaseStatus.VISITED,
    CaseStatus.TREATED,
    CaseStatus.AGREED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.CLOSED,
]


def status_is_step_back(*, from_status: str, to_status: str) -> bool:
    if from_status not in _PIPELINE or to_status not in _PIPELINE:
        return False
    return _PIPELINE.index(to_status) < _PIPELINE.index(from_status)


@transaction.atomic
def company_set_status(*, company: Company, status: str, by: User, note: str = "") -> bool:
    """Move the firm's case to a new pipeline status and record the step. Returns False if unchanged.

    A step back in the pipeline (Besøgt → Identificeret) needs a reason in ``note``."""
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
    if status == company.status:
        return False
    note = note.strip()
    if status_is_step_back(from_status=company.status, to_status=status) and not note:
        raise ValidationError(
            {
                "note": _("Skriv hvorfor sagen går tilbage fra »%(from)s« til »%(to)s«.")
                % {"from": company.get_status_display(), "to": CaseStatus(status).label}
            }
        )
    if len(note) > 500:
        raise ValidationError({"note": _("Bemærkningen må højst være 500 tegn.")})
    StatusChange.objects.create(company=company, from_status=company.status, to_status=status, note=note, changed_by=by)
    company.status = status
    company.save(update_fields=["status", "updated_at"])
    return True


def company_set_lead(*, company: Company, lead: User | None, by: User) -> None:
    """Make ``lead`` the firm's lead consultant (tovholder); only an active member of its partnership may be."""
    if lead is not None and not partnership_members(company.partnership_id).filter(pk=lead.pk).exists():
        raise ValidationError({"lead_consultant": _("Tovholderen skal være aktivt medlem af partnerskabet.")})
    company.lead_consultant = lead
    company.save(update_fields=["lead_consultant", "updated_at"])


def company_refresh_visit_dates(company: Company) -> None:
    """Keep the firm's "last visit" and "next follow-up" in step with its completed visits."""
    visits = Visit.objects.filter(company=company, status=Visit.Status.COMPLETED)
    last = visits.aggregate(last=Max("visit_date"))["last"]
    # The follow-up that counts is the one set at the latest visit: a later visit is itself the
    # follow-up of an earlier one.
    follow_up = visits.order_by("-visit_date", "-pk").values_list("follow_up_on", flat=True).first()
    Company.objects.filter(pk=company.pk).update(last_visit_on=last, next_follow_up_on=follow_up)
    dashboard.changed("companies.Company")  # update() sends no signal; the dashboard shows follow-ups
    company.last_visit_on, company.next_follow_up_on = last, follow_up


# ---------------------------------------------------------------------------
# Visits and competence needs
# ---------------------------------------------------------------------------
# The visit's own fields, as forms and services know them (consultants and the firm's
# participants are many-to-many and passed separately).
VISIT_FIELDS = (
    "visit_date",
    "visit_time",
    "kind",
    "other_participants",
    "growth_plans",
    "summary",
    "next_step",
    "follow_up_on",
    "for_partnership",
)


def visit_validate(
    *,
    visit_date: dt.date,
    follow_up_on: dt.date | None,
    consultants: Iterable[User],
    complete: bool,
) -> None:
    """The rules of a visit, with Danish messages keyed by field."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if visit_date < PROGRAMME_START:
        errors["visit_date"] = _("Besøgsdatoen kan ikke ligge før programmets start (1. januar 2017).")
    elif complete and visit_date > today:
        errors["visit_date"] = _(
            "Et afsluttet besøg kan ikke ligge i fremtiden. Gem som kladde, hvis besøget er planlagt."
        )
    if follow_up_on and follow_up_on < visit_date:
        errors["follow_up_on"] = _("Opfølgningsdatoen kan ikke ligge før besøgsdatoen.")
    if not list(consultants):
        errors["consultants"] = _("Vælg mindst én deltagende konsulent.")
    if errors:
        raise ValidationError(errors)


def visit_consultant_choices(company: Company, visit: Visit | None = None):
    """Who may be ticked as a visit's consultants: active members of the firm's partnership who have
    accepted their invitation (an invited user has no usable password until then, and has not taken
    part in anything), plus whoever is already on the visit (someone who has since left still took
    part in an old visit)."""
    members = (
        partnership_members(company.partnership_id)
        .exclude(password__startswith="!")  # noqa: S106 (Django's marker of an unusable password)
        .values("pk")
    )
    condition = Q(pk__in=members)
    if visit is not None and visit.pk:
        condition |= Q(pk__in=visit.consultants.values("pk"))
    return User.objects.filter(condition)


def _visit_check_consultants(*, company: Company, consultants: list[User], visit: Visit | None) -> None:
    allowed = set(visit_consultant_choices(company, visit).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in consultants):
        raise ValidationError(
            {"consultants": _("Deltagende konsulenter skal være aktive medlemmer af virksomhedens partnerskab.")}
        )


def _visit_write(
    *,
    visit: Visit,
    company: Company,
    by: User,
    fields: dict[str, Any],
    consultants: list[User],
    company_participants: Iterable[ContactPerson],
    needs: Iterable[dict[str, Any]],
    completed: bool,
    completing: bool,
) -> None:
    """The part creating and updating share: the rules, the fields, the people and the new needs.
    ``completed``: the visit is (or becomes) completed; ``completing``: it becomes completed now."""
    visit_validate(
        visit_date=fields.get("visit_date", visit.visit_date),
        follow_up_on=fields.get("follow_up_on", visit.follow_up_on),
        consultants=consultants,
        complete=completed,
    )
    _visit_check_consultants(company=company, consultants=consultants, visit=visit if visit.pk else None)
    for name in VISIT_FIELDS:
        if name in fields:
            setattr(visit, name, fields[name])
    if completing:
        visit.status = Visit.Status.COMPLETED
        visit.completed_at = timezone.now()
    visit._history_user = by
    validate(visit, exclude=["company"])
    visit.save()
    visit.consultants.set(consultants)
    visit.company_participants.set([p for p in company_participants if p.company_id == company.pk])
    for need in needs:
        need_create(company=company, visit=visit, by=by, **need)


@transaction.atomic
def visit_create(
    *,
    company: Company,
    by: User,
    fields: dict[str, Any],
    consultants: Iterable[User],
    company_participants: Iterable[ContactPerson] = (),
    needs: Iterable[dict[str, Any]] = (),
    complete: bool = False,
) -> Visit:
    """Register a visit (a draft, or completed at once with ``complete=True``) with its consultants,
    the firm's participants and new needs, all in one transaction: a need that fails validation leaves
    no visit behind."""
    visit = Visit(company=company, created_by=by)
    consultants = list(consultants)
    _visit_write(
        visit=visit,
        company=company,
        by=by,
        fields=fields,
        consultants=consultants,
        company_participants=company_participants,
        needs=needs,
        completed=complete,
        completing=complete,
    )
    if complete:
        _visit_completed(visit=visit, by=by)
    _visit_set_lead(company=company, by=by, consultants=consultants)
    return visit


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    by: User,
    expected_version: int | None,
    fields: dict[str, Any],
    consultants: Iterable[User],
    company_participants: Iterable[ContactPerson] = (),
    needs: Iterable[dict[str, Any]] = (),
    complete: bool = False,
) -> Visit:
    """Change a visit (and complete a draft with ``complete=True``).

    ``expected_version`` is the version the user started from: if someone saved in between,
    ``ConcurrentEditError`` is raised and nothing is written. Completed visits keep their history
    (django-simple-history)."""
    company = visit.company
    # Read what is stored, not the instance: a bound ModelForm may already have changed it.
    stored = Visit.objects.filter(pk=visit.pk).values("status", "for_partnership").get()
    was_completed = stored["status"] == Visit.Status.COMPLETED
    # Claim the next version atomically; zero rows updated means someone else saved first.
    claimed = Visit.objects.filter(pk=visit.pk, version=expected_version).update(version=F("version") + 1)
    if not claimed:
        last = visit.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        raise ConcurrentEditError(last.history_user if last else None)
    visit.version = expected_version + 1
    consultants = list(consultants)
    _visit_write(
        visit=visit,
        company=company,
        by=by,
        fields=fields,
        consultants=consultants,
        company_participants=company_participants,
        needs=needs,
        completed=complete or was_completed,
        completing=complete and not was_completed,
    )
    if was_completed:
        company_refresh_visit_dates(company)
        if visit.for_partnership and not stored["for_partnership"]:
            _visit_propose(visit=visit, by=by)
    elif complete:
        _visit_completed(visit=visit, by=by)
    _visit_set_lead(company=company, by=by, consultants=consultants)
    return visit


def _visit_completed(*, visit: Visit, by: User) -> None:
    """What completing a visit does to the case: the firm's dates and status, and the proposal for
    the agenda."""
    company = visit.company
    company_refresh_visit_dates(company)
    if company.status in (CaseStatus.IDENTIFIED, CaseStatus.CONTACTED):
        company_set_status(company=company, status=CaseStatus.VISITED, by=by, note=_("Besøg registreret"))
    if visit.for_partnership:
        _visit_propose(visit=visit, by=by)


def _visit_propose(*, visit: Visit, by: User) -> None:
    """A completed visit with "til behandling i partnerskabet" ticked puts the firm on the agenda, once
    (not again on every later edit, which would re-propose a firm already treated)."""
    agenda_propose(
        company=visit.company,
        by=by,
        visit=visit,
        reason=visit.next_step or visit.summary[:500] or _("Foreslået efter besøg"),
    )


def _visit_set_lead(*, company: Company, by: User, consultants: Iterable[User]) -> None:
    """A firm without a lead consultant gets the first consultant who registers a visit with it."""
    if company.lead_consultant_id is None and any(user.pk == by.pk for user in consultants):
        company_set_lead(company=company, lead=by, by=by)


def need_create(*, company: Company, by: User, visit: Visit | None = None, **fields: Any) -> CompetenceNeed:
    need = CompetenceNeed(company=company, visit=visit, created_by=by, **fields)
    validate(need, exclude=["company", "visit"])
    need.save()
    return need


def need_set_status(*, need: CompetenceNeed, status: str, by: User) -> bool:
    """Move a competence need to a new status. Returns False if unchanged."""
    if status not in CompetenceNeed.Status.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
    if need.kind == CompetenceNeed.Kind.RECRUITMENT:
        # Its status follows its outcome (services.recruitment.recruitment_close).
        raise ValidationError({"status": _("Et rekrutteringsbehov lukkes med et resultat under »Rekrutteringsbehov«.")})
    if status == need.status:
        return False
    need.status = status
    need.save(update_fields=["status", "updated_at"])
    return True


# ---------------------------------------------------------------------------
# The partnership's agenda, and consent to share data
# ---------------------------------------------------------------------------
def agenda_open_proposal(company: Company) -> AgendaProposal | None:
    """The firm's proposal still waiting for (or on) its partnership's agenda, if any."""
    return AgendaProposal.objects.open().filter(company=company, partnership_id=company.partnership_id).first()


@transaction.atomic
def agenda_propose(*, company: Company, by: User, reason: str, visit: Visit | None = None) -> AgendaProposal:
    """Put the firm on its partnership's list for the next meeting (once; a second call returns the open one)."""
    existing = agenda_open_proposal(company)
    if existing:
        return existing
    proposal = AgendaProposal(
        company=company, partnership_id=company.partnership_id, visit=visit, reason=reason, proposed_by=by
    )
    validate(proposal, exclude=["company", "partnership", "visit"])
    try:
        # Two people pressing the button at once: the partial unique constraint lets one in; the
        # other gets the proposal that won.
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        existing = agenda_open_proposal(company)
        if existing is None:
            raise
        return existing
    return proposal


def contact_save(*, contact: ContactPerson, by: User) -> ContactPerson:
    """Add or change a person at the firm."""
    validate(contact)
    contact.save()
    return contact


def production_unit_save(*, unit: ProductionUnit, by: User) -> ProductionUnit:
    """Add or change one of the firm's production units (P-numbers)."""
    validate(unit)
    unit.save()
    return unit


def consent_validate(*, given_on: dt.date) -> None:
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Datoen for samtykket kan ikke ligge i fremtiden.")})


@transaction.atomic
def consent_record(*, company: Company, by: User, given_on: dt.date, given_by: str, given_to: str) -> SharingConsent:
    """Record the firm's consent to share its data across the three systems."""
    consent_validate(given_on=given_on)
    consent = SharingConsent(company=company, given_on=given_on, given_by=given_by, given_to=given_to, recorded_by=by)
    validate(consent, exclude=["company", "recorded_by"])
    consent.save()
    return consent


def consent_withdraw(*, consent: SharingConsent, on: dt.date, by: User) -> None:
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
