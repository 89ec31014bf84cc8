"""Recruitment needs: a competence need of kind rekruttering with its details, and how it is closed."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, CompetenceNeed, RecruitmentNeed, Visit
from kompetence.validation import validate
from partnerships.models import User

# Filled and partly filled cover the need; the others end it without.
COVERED_BY = {
    RecruitmentNeed.Outcome.FILLED: CompetenceNeed.Status.COVERED,
    RecruitmentNeed.Outcome.PARTLY_FILLED: CompetenceNeed.Status.COVERED,
    RecruitmentNeed.Outcome.NOT_FILLED: CompetenceNeed.Status.DROPPED,
    RecruitmentNeed.Outcome.WITHDRAWN: CompetenceNeed.Status.DROPPED,
}


def recruitment_validate(*, positions: int | None, deadline: dt.date | None, today: dt.date | None = None) -> dict:
    """The rules a form checks before saving (the service checks them again)."""
    today = today or timezone.localdate()
    errors = {}
    if positions is None:
        errors["positions"] = _("Skriv hvor mange stillinger, der skal besættes.")
    elif positions < 1:
        errors["positions"] = _("Antallet af stillinger skal være mindst 1.")
    if deadline is not None and deadline < today:
        errors["deadline"] = _("Fristen kan ikke ligge før i dag.")
    return errors


@transaction.atomic
def recruitment_create(
    *,
    company: Company,
    by: User,
    job_title: str,
    positions: int | None,
    skills: str,
    deadline: dt.date | None = None,
    foreign_specialists: bool = False,
    graduates: bool = False,
    visit: Visit | None = None,
) -> CompetenceNeed:
    """Record what the firm wants to recruit. The skills asked for are the need's description."""
    errors = recruitment_validate(positions=positions, deadline=deadline)
    need = CompetenceNeed(
        company=company,
        visit=visit,
        kind=CompetenceNeed.Kind.RECRUITMENT,
        area=CompetenceNeed.Area.OTHER,
        description=(skills or "").strip(),
        created_by=by,
    )
    detail = RecruitmentNeed(
        job_title=(job_title or "").strip(),
        positions=positions,
        deadline=deadline,
        foreign_specialists=foreign_specialists,
        graduates=graduates,
    )
    for instance, exclude, rename in ((need, ["company", "visit"], {"description": "skills"}), (detail, ["need"], {})):
        try:
            validate(instance, exclude=exclude)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(rename.get(name, name), " ".join(messages))
    if errors:
        raise ValidationError(errors)
    need.save()
    detail.need = need
    detail.save()
    return need


@transaction.atomic
def recruitment_close(*, need: CompetenceNeed, outcome: str, closed_on: dt.date | None, by: User) -> RecruitmentNeed:
    """Close a recruitment need with its outcome and date; the need is covered or dropped accordingly."""
    detail = RecruitmentNeed.objects.select_for_update().filter(need_id=need.pk).first()
    if detail is None or need.kind != CompetenceNeed.Kind.RECRUITMENT:
        raise ValidationError({"outcome": _("Behovet er ikke et rekrutteringsbehov.")})
    errors = {}
    if detail.outcome:
        errors["outcome"] = _("Behovet er allerede lukket (%(outcome)s).") % {"outcome": detail.get_outcome_display()}
    elif outcome not in RecruitmentNeed.Outcome.values:
        errors["outcome"] = _("Vælg hvordan det gik.")
    today = timezone.localdate()
    if closed_on is None:
        errors["closed_on"] = _("Skriv datoen, behovet blev lukket.")
    elif closed_on > today:
        errors["closed_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif closed_on < timezone.localdate(need.created_at):
        errors["closed_on"] = _("Datoen kan ikke ligge før behovet blev registreret.")
    if errors:
        raise ValidationError(errors)
    detail.outcome = outcome
    detail.closed_on = closed_on
    detail.closed_by = by
    detail.save(update_fields=["outcome", "closed_on", "closed_by"])
    need.status = COVERED_BY[outcome]
    need.save(update_fields=["status", "updated_at"])
    return detail
