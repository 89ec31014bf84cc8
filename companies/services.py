"""Every write to firms, visits, needs and cases goes through these functions.

Views parse input and call one service; the service checks the business rules, writes inside a
transaction, and keeps derived fields (size class, visit dates, case status) in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
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
from companies.sme import assess_sme
from partnerships.models import Membership, Municipality, Partnership, User


class ConcurrentEditError(Exception):
    """Someone else saved the record after this user opened it."""

    def __init__(self, changed_by: User | None):
        super().__init__("The record was changed by someone else.")
        self.changed_by = changed_by


# ---------------------------------------------------------------------------
# Firms
# ---------------------------------------------------------------------------
def partnership_for_municipality(municipality: Municipality) -> Partnership | None:
    return Partnership.objects.filter(coverage__municipality=municipality).first()


def company_refresh_size(company: Company) -> None:
    company.size_class = assess_sme(
        employees=company.employees,
        employee_band=company.employee_band,
        turnover_eur_m=company.turnover_eur_m,
        balance_eur_m=company.balance_eur_m,
        part_of_group=company.part_of_group,
    ).size_class


@transaction.atomic
def company_create(*, by: User, partnership: Partnership | None = None, **fields: Any) -> Company:
    """Register a firm. Its partnership follows its municipality unless one is given explicitly."""
    company = Company(**fields, created_by=by)
    default = partnership_for_municipality(company.municipality)
    if partnership is not None and partnership != default:
        company.partnership = partnership
        company.partnership_overridden = True
    elif default is not None:
        company.partnership = default
    else:
        raise ValidationError(
            {
                "municipality": _("Ingen partnerskab dækker %(m)s. Vælg partnerskabet manuelt.")
                % {"m": company.municipality}
            }
        )
    company_refresh_size(company)
    company.full_clean()
    company.save()
    StatusChange.objects.create(company=company, from_status="", to_status=company.status, changed_by=by)
    return company


@transaction.atomic
def company_update(*, company: Company, by: User, **fields: Any) -> Company:
    """Change a firm's register data. A new municipality moves the firm to that municipality's
    partnership, unless the partnership was chosen by hand."""
    partnership = fields.pop("partnership", None)
    for name, value in fields.items():
        setattr(company, name, value)
    default = partnership_for_municipality(company.municipality)
    if partnership is not None and partnership != default:
        company.partnership, company.partnership_overridden = partnership, True
    elif (partnership is not None or not company.partnership_overridden) and default is not None:
        company.partnership, company.partnership_overridden = default, False
    company_refresh_size(company)
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def company_set_status(*, company: Company, status: str, by: User, note: str = "") -> bool:
    """Move the firm's case to a new pipeline status and record the step. Returns False if unchanged."""
    if status not in CaseStatus.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
    if status == company.status:
        return False
    StatusChange.objects.create(
        company=company, from_status=company.status, to_status=status, note=note[:500], changed_by=by
    )
    company.status = status
    company.save(update_fields=["status", "updated_at"])
    return True


def partnership_consultants(partnership_id: int) -> models.QuerySet[User]:
    """The people who may do case work for a partnership's firms: its active members."""
    members = Membership.objects.filter(partnership_id=partnership_id).values("user_id")
    return User.objects.filter(is_active=True, pk__in=members)


def company_set_lead(*, company: Company, lead: User | None, by: User) -> None:
    """Make ``lead`` the firm's lead consultant (tovholder); only an active member of its partnership may be."""
    if lead is not None and not partnership_consultants(company.partnership_id).filter(pk=lead.pk).exists():
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
    company.last_visit_on, company.next_follow_up_on = last, follow_up


# ---------------------------------------------------------------------------
# Visits and competence needs
# ---------------------------------------------------------------------------
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
    if complete and visit_date > today:
        errors["visit_date"] = _(
            "Et afsluttet besøg kan ikke ligge i fremtiden. Gem som kladde, hvis besøget er planlagt."
        )
    if follow_up_on and follow_up_on < visit_date:
        errors["follow_up_on"] = _("Opfølgningsdatoen kan ikke ligge før besøgsdatoen.")
    if not list(consultants):
        errors["consultants"] = _("Vælg mindst én deltagende konsulent.")
    if errors:
        raise ValidationError(errors)


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


def _visit_check_consultants(*, company: Company, consultants: list[User], visit: Visit | None) -> None:
    """Consultants must be active members of the firm's partnership; people already on the visit may stay
    (someone who has since left the partnership still took part in an old visit)."""
    allowed = set(partnership_consultants(company.partnership_id).values_list("pk", flat=True))
    if visit is not None and visit.pk:
        allowed |= set(visit.consultants.values_list("pk", flat=True))
    if any(user.pk not in allowed for user in consultants):
        raise ValidationError(
            {"consultants": _("Deltagende konsulenter skal være aktive medlemmer af virksomhedens partnerskab.")}
        )


@transaction.atomic
def visit_save(
    *,
    company: Company,
    by: User,
    data: dict[str, Any],
    consultants: Iterable[User],
    company_participants: Iterable[ContactPerson] = (),
    needs: Iterable[dict[str, Any]] = (),
    complete: bool = False,
    visit: Visit | None = None,
    expected_version: int | None = None,
) -> Visit:
    """Create or update a visit with its consultants, the firm's participants and new needs.

    ``complete=True`` completes the visit (it may then not lie in the future). Updating needs the
    version the user started from: if someone saved in between, ConcurrentEditError is raised and
    nothing is written. Completed visits keep their history (django-simple-history). Everything
    happens in one transaction: a need that fails validation leaves no visit behind.
    """
    consultants = list(consultants)
    is_new = visit is None or visit.pk is None
    # Read what is stored, not the instance: a bound ModelForm may already have changed the instance.
    stored = {} if is_new else Visit.objects.filter(pk=visit.pk).values("status", "for_partnership").first() or {}
    was_completed = stored.get("status") == Visit.Status.COMPLETED
    was_for_partnership = bool(stored.get("for_partnership"))
    is_completed = complete or was_completed
    visit_validate(
        visit_date=data["visit_date"],
        follow_up_on=data.get("follow_up_on"),
        consultants=consultants,
        complete=is_completed,
    )
    _visit_check_consultants(company=company, consultants=consultants, visit=None if is_new else visit)
    if is_new:
        visit = Visit(company=company, created_by=by)
    else:
        # Claim the next version atomically; zero rows updated means someone else saved first.
        claimed = Visit.objects.filter(pk=visit.pk, version=expected_version).update(version=F("version") + 1)
        if not claimed:
            last = visit.history.select_related("history_user").order_by("-history_date", "-history_id").first()
            raise ConcurrentEditError(last.history_user if last else None)
        visit.version = expected_version + 1
    for name in VISIT_FIELDS:
        if name in data:
            setattr(visit, name, data[name])
    if is_completed and not was_completed:
        visit.status = Visit.Status.COMPLETED
        visit.completed_at = timezone.now()
    visit._history_user = by
    visit.full_clean(exclude=["company"])
    visit.save()
    visit.consultants.set(consultants)
    visit.company_participants.set([p for p in company_participants if p.company_id == company.pk])
    for need in needs:
        need_create(company=company, visit=visit, by=by, **need)

    if visit.status == Visit.Status.COMPLETED:
        company_refresh_visit_dates(company)
        if company.status in (CaseStatus.IDENTIFIED, CaseStatus.CONTACTED):
            company_set_status(company=company, status=CaseStatus.VISITED, by=by, note=_("Besøg registreret"))
        # Propose the firm when the visit is completed with the box ticked, or the box is ticked on a
        # completed visit; not on every later edit (that would re-propose a firm already treated).
        if visit.for_partnership and not (was_completed and was_for_partnership):
            agenda_propose(
                company=company,
                by=by,
                visit=visit,
                reason=visit.next_step or visit.summary[:500] or _("Foreslået efter besøg"),
            )
    if company.lead_consultant_id is None and by in consultants:
        company_set_lead(company=company, lead=by, by=by)
    return visit


def need_create(*, company: Company, by: User, visit: Visit | None = None, **fields: Any) -> CompetenceNeed:
    need = CompetenceNeed(company=company, visit=visit, created_by=by, **fields)
    need.full_clean(exclude=["company", "visit"])
    need.save()
    return need


def need_set_status(*, need: CompetenceNeed, status: str, by: User) -> bool:
    """Move a competence need to a new status. Returns False if unchanged."""
    if status not in CompetenceNeed.Status.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
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
    return AgendaProposal.objects.filter(
        company=company,
        partnership_id=company.partnership_id,
        status__in=[AgendaProposal.Status.PENDING, AgendaProposal.Status.ON_AGENDA],
    ).first()


@transaction.atomic
def agenda_propose(*, company: Company, by: User, reason: str, visit: Visit | None = None) -> AgendaProposal:
    """Put the firm on its partnership's list for the next meeting (once; a second call returns the open one)."""
    existing = agenda_open_proposal(company)
    if existing:
        return existing
    proposal = AgendaProposal(
        company=company, partnership_id=company.partnership_id, visit=visit, reason=reason, proposed_by=by
    )
    proposal.full_clean(exclude=["company", "partnership", "visit"])
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
    contact.full_clean()
    contact.save()
    return contact


def production_unit_save(*, unit: ProductionUnit, by: User) -> ProductionUnit:
    """Add or change one of the firm's production units (P-numbers)."""
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def consent_record(*, company: Company, by: User, given_on: dt.date, given_by: str, given_to: str) -> SharingConsent:
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Datoen for samtykket kan ikke ligge i fremtiden.")})
    consent = SharingConsent(company=company, given_on=given_on, given_by=given_by, given_to=given_to, recorded_by=by)
    consent.full_clean(exclude=["company", "recorded_by"])
    consent.save()
    return consent


def consent_withdraw(*, consent: SharingConsent, on: dt.date, by: User) -> None:
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
