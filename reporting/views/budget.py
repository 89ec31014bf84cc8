"""Budget against spend, and project management's editing of the budget, the financing plan and the
partnership declarations (a POST with ``handling=beloeb|finansiering|erklaering``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence.forms import apply_service_errors
from kompetence.rules import rule
from partnerships.models import BudgetAmount, FinancingPlan, Partnership
from reporting import selectors, services
from reporting.budget import budget_report
from reporting.forms import BudgetAmountForm, DeclarationForm, FinancingForm, PeriodForm
from reporting.models import PartnershipDeclaration

ACTIONS = {
    "beloeb": ("partnerships.change_budgetamount", BudgetAmountForm),
    "finansiering": ("partnerships.change_financingplanline", FinancingForm),
    "erklaering": ("reporting.add_partnershipdeclaration", DeclarationForm),
}


@rule(perm="reporting.view_budget")
def budget(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    bound = {}
    if request.method == "POST":
        action = request.POST.get("handling", "")
        if action not in ACTIONS:
            messages.error(request, _("Ukendt handling."))
            return redirect("reporting:budget")
        perm, form_class = ACTIONS[action]
        if not user.has_perm(perm):
            raise PermissionDenied
        form = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                _save(action, form, user)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Gemt."))
                return redirect(request.get_full_path())
        bound[action] = form
    period_form = PeriodForm(
        request.GET or None,
        partnerships=Partnership.objects.for_user(user).order_by("name"),
        default=selectors.default_period(today),
    )
    report = budget_report(period_form.period, partnership=period_form.partnership)
    editing = {
        action: bound.get(action) or form_class(prefix=action)
        for action, (perm, form_class) in ACTIONS.items()
        if user.has_perm(perm)
    }
    context = {
        "form": period_form,
        "report": report,
        "editing": editing,
        "amounts": BudgetAmount.objects.filter(year__in=period_form.period.years)
        .select_related("budget_line")
        .order_by("year", "budget_line__sort_order", "valid_from"),
        "plans": FinancingPlan.objects.filter(valid_from__year__in=period_form.period.years).prefetch_related(
            "lines__source"
        ),
        "declarations": PartnershipDeclaration.objects.select_related("organisation", "project"),
    }
    return render(request, "reporting/budget.html", context, status=400 if bound else 200)


def _save(action: str, form, user) -> None:
    data = form.cleaned_data
    if action == "beloeb":
        services.budget_amount_set(
            line=data["line"], year=data["year"], amount=data["amount"], valid_from=data["valid_from"]
        )
    elif action == "finansiering":
        services.financing_plan_set(year=data["year"], amounts=form.amounts())
    else:
        services.declaration_record(
            organisation=data["organisation"],
            project=data["project"],
            signed_on=data["signed_on"],
            signed_by=data["signed_by"],
            note=data["note"],
            by=user,
        )
