"""Writes of the reporting app: programme targets, partnerships' goals and their reviews, partnership
declarations, and project management's changes to the budget and the financing plan.

Typed, keyword-only, atomic, validated with ``full_clean()``: a ``ValidationError`` keyed by field
name, nothing half-saved. A budget or plan change is a new dated row from the day it applies, the
previous row closed the day before (``partnerships.services.effective_row_save``), so what was in
force before stays readable.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partnerships.models import BudgetAmount, BudgetLine, FinancingPlan, FinancingPlanLine, FinancingSource
from partnerships.services import effective_row_save
from reporting.models import GoalReview, PartnershipDeclaration, PartnershipGoal, Target


@transaction.atomic
def target_set(*, indicator: str, year: int, value: Decimal, note: str = "", by: Any) -> Target:
    """Set (or change) the programme's target for ``indicator`` in ``year``."""
    target = Target.objects.select_for_update().filter(indicator=indicator, year=year).first()
    if target is None:
        target = Target(indicator=indicator, year=year)
    target.value = value
    target.note = note
    target.updated_by = by
    target.full_clean(validate_unique=False)
    target.save()
    return target


@transaction.atomic
def target_delete(*, target: Target) -> None:
    target.delete()


@transaction.atomic
def goal_create(*, partnership: Any, by: Any, **fields: Any) -> PartnershipGoal:
    goal = PartnershipGoal(partnership=partnership, created_by=by, **fields)
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_review(
    *, goal: PartnershipGoal, by: Any, reviewed_on: dt.date, assessment: str, note: str, evaluation: Any = None
) -> GoalReview:
    """Record the partnership's review of its goal; "nået"/"opgivet" also closes the goal."""
    review = GoalReview(
        goal=goal, reviewed_by=by, reviewed_on=reviewed_on, assessment=assessment, note=note, evaluation=evaluation
    )
    if not (note or "").strip():
        raise ValidationError({"note": _("Skriv en kort begrundelse for vurderingen.")})
    if reviewed_on and goal.start_on and reviewed_on < goal.start_on:
        raise ValidationError({"reviewed_on": _("Gennemgangen kan ikke ligge før målets startdato.")})
    review.full_clean()
    review.save()
    closing = {
        GoalReview.Assessment.ACHIEVED: PartnershipGoal.Status.ACHIEVED,
        GoalReview.Assessment.DROPPED: PartnershipGoal.Status.DROPPED,
    }
    if assessment in closing:
        PartnershipGoal.objects.filter(pk=goal.pk).update(status=closing[assessment])
    return review


@transaction.atomic
def declaration_record(
    *, organisation: Any, project: Any, signed_on: dt.date, signed_by: str, note: str = "", by: Any
) -> PartnershipDeclaration:
    """Record a financial partner's signed partnership declaration for an ESF project."""
    declaration = PartnershipDeclaration(
        organisation=organisation,
        project=project,
        signed_on=signed_on,
        signed_by=signed_by,
        note=note,
        recorded_by=by,
    )
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def budget_amount_set(*, line: BudgetLine, year: int, amount: Decimal, valid_from: dt.date) -> BudgetAmount:
    """From ``valid_from``, the budget of ``line`` in ``year`` is ``amount`` (a revision: a new dated row)."""
    if amount is None or amount < 0:
        raise ValidationError({"amount": _("Beløbet må ikke være negativt.")})
    current = BudgetAmount.objects.in_force(valid_from).filter(budget_line=line, year=year).first()
    if current is not None and current.valid_from == valid_from:
        current.amount = amount
        current.full_clean()
        current.save(update_fields=["amount"])
        return current
    row = BudgetAmount(budget_line=line, year=year, amount=amount, valid_from=valid_from)
    return effective_row_save(row=row, supersede=True)


@transaction.atomic
def financing_plan_set(*, year: int, amounts: dict[FinancingSource, Decimal]) -> FinancingPlan:
    """The financing plan of ``year`` (1 January to 31 December) gets these amounts per source."""
    if any(value is None or value < 0 for value in amounts.values()):
        raise ValidationError({"amount": _("Beløbet må ikke være negativt.")})
    if sum(amounts.values(), Decimal(0)) <= 0:
        raise ValidationError({"amount": _("Planen skal have mindst ét beløb over 0.")})
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    plan = FinancingPlan.objects.filter(valid_from=start).first()
    if plan is None:
        plan = FinancingPlan(valid_from=start, valid_until=end, name=_("Finansieringsplan %(year)s") % {"year": year})
        plan.full_clean()
        plan.save()
    for source, amount in amounts.items():
        FinancingPlanLine.objects.update_or_create(plan=plan, source=source, defaults={"amount": amount})
    return plan
