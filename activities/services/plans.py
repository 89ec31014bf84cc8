"""Activity plans: creating and changing them, the status workflow, details per type, costs, the firm's
headcount, de minimis, and the ``decision_recorded`` hook that turns a decision into draft plans.

Every rule of a plan lives here: the ESF mapping in force on the start day (``plan_mapping``), the
growth purpose axis 1 needs, the responsible consultant's membership, the allowed transitions (the
model's ``TRANSITIONS``), recruitment before the start, the de minimis ceiling at approval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    Cost,
    EuroRate,
    Headcount,
    HRForHireDetail,
    JobrotationDetail,
    NetworkDetail,
    NetworkMeeting,
    PlacementDetail,
    Recruitment,
)
from activities.services.common import PROGRAMME_START, clean_note, day, period, raise_if
from activities.services.recruitment import recruitment_check
from companies.models import Company, CompetenceNeed, Decision
from kompetence.validation import validate
from partnerships import programme
from partnerships.models import ActivityType, ActivityTypeMapping, User
from partnerships.selectors import partnership_members

Status = ActivityPlan.Status
Kind = ActivityType.Kind

# The fields a plan form edits (the rest are set by the workflow).
PLAN_FIELDS = (
    "title",
    "purpose",
    "description",
    "planned_start",
    "planned_end",
    "planned_hours",
    "planned_cost",
    "staff_taking_part",
    "managers_taking_part",
)

# The details model of each kind that has one.
DETAIL_MODELS = {
    Kind.HR_FOR_HIRE: HRForHireDetail,
    Kind.JOBROTATION: JobrotationDetail,
    Kind.NETWORK: NetworkDetail,
    Kind.GRADUATE: PlacementDetail,
    Kind.FOREIGN_SPECIALIST: PlacementDetail,
}


def plan_mapping(*, activity_type: ActivityType, on: dt.date) -> ActivityTypeMapping:
    """The ESF mapping in force on ``on``, or ValidationError keyed ``activity_type``."""
    try:
        return programme.activity_type_mapping(activity_type=activity_type, on=on)
    except programme.NotInForce as exc:
        raise ValidationError({"activity_type": str(exc)}) from None


def plan_validate(
    *,
    company: Company,
    activity_type: ActivityType | None,
    mapping: ActivityTypeMapping | None,
    responsible: User | None,
    fields: dict[str, Any],
) -> None:
    """The rules of a plan's own fields, all messages at once, keyed by field."""
    errors: dict[str, str] = {}
    start, end = fields.get("planned_start"), fields.get("planned_end")
    if activity_type is None:
        errors["activity_type"] = _("Vælg en aktivitetstype.")
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Giv aktiviteten en titel.")
    if start is None:
        errors["planned_start"] = _("Skriv den planlagte startdato.")
    elif start < PROGRAMME_START:
        errors["planned_start"] = _("En aktivitet kan ikke starte før programmets start (1. januar 2017).")
    if end is None:
        errors["planned_end"] = _("Skriv den planlagte slutdato.")
    elif start is not None and end < start:
        errors["planned_end"] = _("Planlagt slut kan ikke ligge før planlagt start.")
    if mapping is not None and mapping.requires_growth_purpose and not (fields.get("purpose") or "").strip():
        errors["purpose"] = _(
            "En akse 1-aktivitet skal have et vækst- eller produktivitetsformål ud fra virksomhedens "
            "vækststrategi (socialfondens krav)."
        )
    for name in ("planned_hours", "planned_cost"):
        value = fields.get(name)
        if value is not None and value < 0:
            errors[name] = _("Må ikke være negativ.")
    if responsible is None:
        errors["responsible"] = _("Vælg den ansvarlige konsulent.")
    elif not partnership_members(company.partnership_id).filter(pk=responsible.pk).exists():
        errors["responsible"] = _("Den ansvarlige skal være aktivt medlem af virksomhedens partnerskab.")
    elif responsible.organisation_id is None:
        errors["responsible"] = _("Den ansvarlige konsulent er ikke knyttet til en organisation.")
    raise_if(errors)


def _check_people(*, company: Company, consultants: Iterable[User], needs: Iterable[CompetenceNeed]) -> None:
    members = set(partnership_members(company.partnership_id).values_list("pk", flat=True))
    if any(user.pk not in members for user in consultants):
        raise ValidationError({"consultants": _("Konsulenterne skal være aktive medlemmer af partnerskabet.")})
    if any(need.company_id != company.pk for need in needs):
        raise ValidationError({"needs": _("Kompetencebehovene skal høre til virksomheden.")})


@transaction.atomic
def plan_create(
    *,
    company: Company,
    activity_type: ActivityType | None,
    responsible: User | None,
    by: User,
    consultants: Iterable[User] = (),
    needs: Iterable[CompetenceNeed] = (),
    decision: Decision | None = None,
    **fields: Any,
) -> ActivityPlan:
    """A draft plan for the firm, under the ESF mapping in force on its planned start (from the
    partnership's ``decision`` when there is one: it must be about the same firm)."""
    if decision is not None and decision.company_id != company.pk:
        raise ValidationError({"__all__": _("Beslutningen handler om en anden virksomhed.")})
    consultants, needs = list(consultants), list(needs)
    mapping = None
    if activity_type is not None and fields.get("planned_start"):
        mapping = plan_mapping(activity_type=activity_type, on=fields["planned_start"])
    plan_validate(company=company, activity_type=activity_type, mapping=mapping, responsible=responsible, fields=fields)
    _check_people(company=company, consultants=consultants, needs=needs)
    plan = ActivityPlan(
        company=company,
        decision=decision,
        activity_type=activity_type,
        type_mapping=mapping,
        responsible=responsible,
        organisation_id=responsible.organisation_id,
        created_by=by,
        **{name: value for name, value in fields.items() if name in PLAN_FIELDS},
    )
    plan.title = plan.title.strip()
    validate(plan, exclude=["company", "activity_type", "type_mapping", "responsible", "organisation"])
    plan.save()
    plan.consultants.set([u for u in consultants if u.pk != responsible.pk])
    plan.needs.set(needs)
    ActivityStatusChange.objects.create(
        plan=plan, from_status="", to_status=plan.status, changed_by=by, changed_at=timezone.now()
    )
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: ActivityPlan,
    by: User,
    responsible: User | None,
    activity_type: ActivityType | None = None,
    consultants: Iterable[User] = (),
    needs: Iterable[CompetenceNeed] = (),
    **fields: Any,
) -> ActivityPlan:
    """Change a plan. Before it starts its type may change and its mapping follows the planned start;
    once started, type and mapping stay (the mapping is the one it started under). Finished or
    cancelled plans are closed."""
    plan = ActivityPlan.objects.select_for_update().select_related("activity_type", "type_mapping").get(pk=plan.pk)
    if plan.status in (Status.COMPLETED, Status.CANCELLED):
        raise ValidationError({"__all__": _("En afsluttet eller annulleret aktivitet kan ikke ændres.")})
    consultants, needs = list(consultants), list(needs)
    merged = {name: fields.get(name, getattr(plan, name)) for name in PLAN_FIELDS}
    activity_type = activity_type or plan.activity_type
    if plan.is_started:
        if activity_type.pk != plan.activity_type_id:
            raise ValidationError({"activity_type": _("Typen kan ikke ændres, når aktiviteten er startet.")})
        mapping = plan.type_mapping
    else:
        mapping = (
            plan_mapping(activity_type=activity_type, on=merged["planned_start"]) if merged["planned_start"] else None
        )
    plan_validate(
        company=plan.company, activity_type=activity_type, mapping=mapping, responsible=responsible, fields=merged
    )
    _check_people(company=plan.company, consultants=consultants, needs=needs)
    for name, value in merged.items():
        setattr(plan, name, value)
    plan.title = plan.title.strip()
    plan.activity_type, plan.type_mapping = activity_type, mapping
    plan.responsible, plan.organisation_id = responsible, responsible.organisation_id
    validate(plan, exclude=["company", "activity_type", "type_mapping", "responsible", "organisation"])
    plan.save()
    plan.consultants.set([u for u in consultants if u.pk != responsible.pk])
    plan.needs.set(needs)
    return plan


# ---------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------
NOTE_REQUIRED = {Status.DRAFT, Status.CANCELLED}


@transaction.atomic
def plan_set_status(
    *, plan: ActivityPlan, status: str, by: User, note: str = "", on: dt.date | None = None
) -> ActivityPlan:
    """Move a plan along its workflow (``ActivityPlan.TRANSITIONS``), recording who, when and why.

    - Godkendt: the growth purpose is checked again, and the aid to the firm is fixed (its cost to the
      project in euro on the day) and checked against the de minimis ceiling in force.
    - I gang (on ``on``, default today): the firm must be recruited into the project by then; the ESF
      mapping becomes the one in force on the actual start, and stays.
    - Afsluttet (on ``on``): the actual end, not before the start.
    - Back to Kladde, or Annulleret: a reason in ``note``.
    """
    plan = (
        ActivityPlan.objects.select_for_update()
        .select_related("company", "activity_type", "type_mapping__eligible_activity__project")
        .get(pk=plan.pk)
    )
    note = clean_note(note)
    on = on or timezone.localdate()
    if status not in Status.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
    if not plan.can_move_to(status):
        raise ValidationError(
            {
                "status": _("En aktivitet kan ikke gå fra »%(from)s« til »%(to)s«.")
                % {"from": plan.get_status_display(), "to": Status(status).label}
            }
        )
    if status in NOTE_REQUIRED and not note:
        raise ValidationError({"note": _("Skriv hvorfor aktiviteten går til »%(to)s«.") % {"to": Status(status).label}})
    if on > timezone.localdate() and status in (Status.IN_PROGRESS, Status.COMPLETED):
        raise ValidationError({"on": _("Datoen kan ikke ligge i fremtiden.")})
    if status == Status.APPROVED:
        if plan.type_mapping.requires_growth_purpose and not plan.purpose.strip():
            raise ValidationError(
                {"status": _("Aktiviteten mangler et formål i virksomhedens vækststrategi (akse 1).")}
            )
        _grant_aid(plan, on=on)
    elif status == Status.IN_PROGRESS:
        mapping = plan_mapping(activity_type=plan.activity_type, on=on)
        recruitment_check(company=plan.company, project=mapping.project, on=on)
        plan.type_mapping, plan.actual_start = mapping, on
    elif status == Status.COMPLETED:
        if on < plan.actual_start:
            raise ValidationError(
                {"on": _("Slutdatoen kan ikke ligge før startdatoen %(day)s.") % {"day": day(plan.actual_start)}}
            )
        plan.actual_end = on
    elif status == Status.DRAFT:
        plan.aid_granted_on = plan.aid_dkk = plan.aid_eur = None
    ActivityStatusChange.objects.create(
        plan=plan, from_status=plan.status, to_status=status, note=note, changed_by=by, changed_at=timezone.now()
    )
    plan.status = status
    plan.save()
    return plan


# ---------------------------------------------------------------------------
# De minimis
# ---------------------------------------------------------------------------
EURO_CENT = Decimal("0.01")


def euro_rate(*, on: dt.date) -> Decimal:
    row = EuroRate.objects.in_force(on).first()
    if row is None:
        raise ValidationError({"status": _("Der er ingen eurokurs, der gælder den %(day)s.") % {"day": day(on)}})
    return row.dkk_per_eur


def to_euro(amount_dkk: Decimal, *, on: dt.date) -> Decimal:
    return (Decimal(amount_dkk) / euro_rate(on=on)).quantize(EURO_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class DeMinimisStatus:
    """The firm's de minimis aid in the window ending on ``on``, against the ceiling in force that day."""

    regulation: str
    ceiling_eur: Decimal
    window_start: dt.date
    on: dt.date
    granted_eur: Decimal  # the project's activities approved in the window
    declared_eur: Decimal  # other de minimis aid the firm declared
    adding_eur: Decimal  # the activity about to be approved, if any

    @property
    def total_eur(self) -> Decimal:
        return self.granted_eur + self.declared_eur + self.adding_eur

    @property
    def remaining_eur(self) -> Decimal:
        return self.ceiling_eur - self.total_eur

    @property
    def exceeded(self) -> bool:
        return self.total_eur > self.ceiling_eur

    @property
    def near(self) -> bool:
        """Within 10 % of the ceiling: worth a warning before more is planned."""
        return not self.exceeded and self.total_eur >= self.ceiling_eur * Decimal("0.9")


def de_minimis_status(
    *,
    company: Company,
    on: dt.date | None = None,
    adding_dkk: Decimal = Decimal(0),
    exclude: ActivityPlan | None = None,
) -> DeMinimisStatus:
    """The firm's (CVR's) de minimis total on ``on``: approved aid in the ceiling's window, plus the other aid
    it declared on recruitment (the largest declared, linked undertakings counted as one), plus
    ``adding_dkk``."""
    on = on or timezone.localdate()
    try:
        rule = programme.de_minimis_rule(on=on)
    except programme.NotInForce as exc:
        raise ValidationError({"status": str(exc)}) from None
    recruitments = Recruitment.objects.filter(company=company)
    month = recruitments.order_by("created_at").values_list("fiscal_year_start_month", flat=True).first() or 1
    start = rule.window_start(on, fiscal_year_start=(month, 1))
    plans = ActivityPlan.objects.filter(
        company=company, aid_granted_on__gte=start, aid_granted_on__lte=on, aid_eur__isnull=False
    ).exclude(status=Status.CANCELLED)
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    granted = plans.aggregate(total=Sum("aid_eur"))["total"] or Decimal(0)
    declared = max(recruitments.values_list("other_de_minimis_eur", flat=True), default=Decimal(0))
    adding = to_euro(adding_dkk, on=on) if adding_dkk else Decimal(0)
    return DeMinimisStatus(
        regulation=rule.regulation,
        ceiling_eur=rule.ceiling_eur,
        window_start=start,
        on=on,
        granted_eur=granted,
        declared_eur=declared,
        adding_eur=adding,
    )


def _grant_aid(plan: ActivityPlan, *, on: dt.date) -> None:
    aid = plan.aid_value_dkk
    status = de_minimis_status(company=plan.company, on=on, adding_dkk=aid, exclude=plan)
    if status.exceeded:
        raise ValidationError(
            {
                "status": _(
                    "Godkendelsen ville give virksomheden %(total)s EUR i de minimis-støtte i perioden "
                    "%(period)s; loftet efter %(regulation)s er %(ceiling)s EUR."
                )
                % {
                    "total": f"{status.total_eur:,.2f}",
                    "period": period(status.window_start, on),
                    "regulation": status.regulation,
                    "ceiling": f"{status.ceiling_eur:,.2f}",
                }
            }
        )
    plan.aid_granted_on, plan.aid_dkk, plan.aid_eur = on, aid, status.adding_eur


# ---------------------------------------------------------------------------
# Axis 1: "a substantial part" of staff or management taking part
# ---------------------------------------------------------------------------
def latest_headcount(*, company: Company, on: dt.date) -> Headcount | None:
    return Headcount.objects.filter(company=company, counted_on__lte=on).order_by("-counted_on", "-pk").first()


def substantial_part_warning(*, plan: ActivityPlan, headcount: Headcount | None = None) -> str | None:
    """A warning (not a refusal) when an axis-1 plan's participation is not "a substantial part"."""
    if not plan.type_mapping.requires_growth_purpose:
        return None
    headcount = headcount or latest_headcount(company=plan.company, on=plan.start)
    if headcount is None:
        return _("Registrér virksomhedens medarbejdertal, så det kan vurderes, om en væsentlig del deltager.")
    staff, managers = plan.staff_taking_part, plan.managers_taking_part
    if staff is None and managers is None:
        return _("Skriv hvor mange medarbejdere og ledere der deltager (akse 1: en væsentlig del skal deltage).")
    try:
        percent = programme.substantial_part_percent(on=plan.start)
        reached = programme.is_substantial_part(taking_part=staff or 0, total=headcount.employees, on=plan.start) or (
            headcount.managers is not None
            and programme.is_substantial_part(taking_part=managers or 0, total=headcount.managers, on=plan.start)
        )
    except programme.NotInForce:
        return None
    if reached:
        return None
    return _(
        "Kun %(staff)s af %(total)s medarbejdere deltager: under %(percent)s %%, som socialfonden kan kræve "
        "som »en væsentlig del« af medarbejdere eller ledelse (akse 1)."
    ) % {"staff": staff or 0, "total": headcount.employees, "percent": f"{percent:.0f}"}


@transaction.atomic
def headcount_record(
    *,
    company: Company,
    by: User,
    counted_on: dt.date,
    employees: int,
    occasion: str,
    source: str,
    managers: int | None = None,
) -> Headcount:
    errors = {}
    if counted_on is None:
        errors["counted_on"] = _("Skriv datoen, medarbejdertallet gælder.")
    elif counted_on > timezone.localdate():
        errors["counted_on"] = _("Datoen kan ikke ligge i fremtiden.")
    if employees is not None and managers is not None and managers > employees:
        errors["managers"] = _("Der kan ikke være flere ledere end ansatte.")
    raise_if(errors)
    headcount = Headcount(
        company=company,
        counted_on=counted_on,
        employees=employees,
        managers=managers,
        occasion=occasion,
        source=source,
        recorded_by=by,
    )
    validate(headcount, exclude=["company"])
    headcount.save()
    return headcount


# ---------------------------------------------------------------------------
# Details per type, costs, network meetings
# ---------------------------------------------------------------------------
def plan_detail(plan: ActivityPlan):
    """The plan's details row (unsaved and empty when there is none yet), or None for kinds without one."""
    model = DETAIL_MODELS.get(plan.activity_type.kind)
    if model is None:
        return None
    return model.objects.filter(plan=plan).first() or model(plan=plan)


@transaction.atomic
def plan_detail_save(*, plan: ActivityPlan, by: User, members: Iterable[Company] | None = None, **fields: Any):
    """Save the type's details (HR-chef til leje, jobrotation, netværk, tilknytning)."""
    detail = plan_detail(plan)
    if detail is None:
        raise ValidationError({"__all__": _("Denne aktivitetstype har ingen særlige oplysninger.")})
    # Outcomes are often known only after the end, so details stay editable on closed plans.
    for name, value in fields.items():
        setattr(detail, name, value)
    validate(detail, exclude=["plan"])
    detail.save()
    if isinstance(detail, NetworkDetail) and members is not None:
        members = list(members)
        if any(m.partnership_id != plan.company.partnership_id for m in members):
            raise ValidationError({"members": _("Medlemmerne skal høre til partnerskabets virksomheder.")})
        detail.members.set(members)
    return detail


@transaction.atomic
def network_meeting_add(
    *, plan: ActivityPlan, by: User, held_on: dt.date, topic: str, firms_present: int
) -> NetworkMeeting:
    if plan.activity_type.kind != Kind.NETWORK:
        raise ValidationError({"__all__": _("Møder registreres kun på netværk.")})
    meeting = NetworkMeeting(plan=plan, held_on=held_on, topic=(topic or "").strip(), firms_present=firms_present)
    validate(meeting, exclude=["plan"])
    meeting.save()
    return meeting


@transaction.atomic
def cost_add(
    *, plan: ActivityPlan, by: User, incurred_on: dt.date, kind: str, description: str, amount: Decimal
) -> Cost:
    """An actual expense of the activity (dated within it, never negative)."""
    errors = {}
    if plan.status in (Status.DRAFT, Status.CANCELLED):
        errors["__all__"] = _("Udgifter registreres på godkendte og igangværende aktiviteter.")
    if amount is not None and amount <= 0:
        errors["amount"] = _("Beløbet skal være større end 0.")
    if incurred_on is not None and incurred_on > timezone.localdate():
        errors["incurred_on"] = _("Datoen kan ikke ligge i fremtiden.")
    raise_if(errors)
    cost = Cost(
        plan=plan,
        incurred_on=incurred_on,
        kind=kind,
        description=(description or "").strip(),
        amount=amount,
        created_by=by,
    )
    validate(cost, exclude=["plan"])
    cost.save()
    return cost


# ---------------------------------------------------------------------------
# The decision_recorded hook: a partnership's decision becomes draft plans
# ---------------------------------------------------------------------------
def _offered_types(decision: Any) -> list[ActivityType]:
    offered = getattr(decision, "activity_types", None)
    if offered is None:
        return []
    return list(offered.all()) if hasattr(offered, "all") else list(offered)


def decision_plan_initial(decision: Any, *, activity_type: ActivityType | None = None) -> dict[str, Any]:
    """What a plan made from ``decision`` starts with (the plan form's initial values, and the hook's)."""
    today = timezone.localdate()
    deadline = getattr(decision, "deadline", None)
    start = today
    end = deadline if deadline and deadline >= start else start + dt.timedelta(days=90)
    company = decision.company
    title = f"{activity_type.name} – {company.name}" if activity_type else company.name
    consultants = [
        u
        for u in (decision.consultants.all() if hasattr(getattr(decision, "consultants", None), "all") else [])
        if u.pk != decision.lead_consultant_id
    ]
    return {
        "title": title[:200],
        "purpose": (getattr(decision, "text", "") or "")[:2000],
        "planned_start": start,
        "planned_end": end,
        "responsible": decision.lead_consultant,
        "consultants": consultants,
    }


def on_decision_recorded(*, decision: Any, by: User, **_kwargs: Any) -> list[ActivityPlan]:
    """``decision_recorded``: each activity type the decision offers becomes a draft plan for the firm,
    with the decision's lead consultant responsible and its text as the starting purpose. A type that
    cannot be planned (no mapping in force, the lead no longer a member) is skipped rather than
    failing the decision, which the partnership has taken whatever the portal's state."""
    plans = []
    for activity_type in _offered_types(decision):
        initial = decision_plan_initial(decision, activity_type=activity_type)
        responsible = initial.pop("responsible")
        consultants = initial.pop("consultants")
        try:
            with transaction.atomic():
                plans.append(
                    plan_create(
                        company=decision.company,
                        activity_type=activity_type,
                        responsible=responsible,
                        consultants=consultants,
                        decision=decision if isinstance(decision, Decision) else None,
                        by=by,
                        **initial,
                    )
                )
        except ValidationError:
            continue
    return plans
