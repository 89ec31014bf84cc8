"""Programme targets (project management), each indicator against its target; partnerships' own goals
and their reviews."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence.forms import apply_service_errors
from kompetence.rules import rule
from partnerships.access import access, access_partnership
from reporting import selectors, services
from reporting.forms import GoalForm, PeriodForm, ReviewForm, TargetForm
from reporting.models import PartnershipGoal, Target


def _years(today) -> list[int]:
    first = selectors.default_period(today).start.year
    return list(range(min(2017, first), max(today.year, first) + 2))


@rule(perm="reporting.view_target")
def targets(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    form = None
    if request.method == "POST":
        if not user.has_perm("reporting.change_target"):
            raise PermissionDenied
        form = TargetForm(request.POST, years=_years(today))
        if form.is_valid():
            try:
                services.target_set(by=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Målet er gemt."))
                return redirect(request.get_full_path())
    period_form = PeriodForm(request.GET or None, default=selectors.default_period(today))
    period = period_form.period
    board = selectors.dashboard(user=user, period=period, today=today)
    with_targets = [line for _group, lines in board.groups for line in lines if line.target is not None]
    context = {
        "form": period_form,
        "board": board,
        "lines": with_targets,
        "target_form": (form or TargetForm(years=_years(today), initial={"year": period.start.year}))
        if user.has_perm("reporting.change_target")
        else None,
        "targets": Target.objects.filter(year__in=period.years).order_by("year", "indicator"),
    }
    return render(request, "reporting/targets.html", context, status=400 if form is not None else 200)


@rule(perm="reporting.view_partnershipgoal", objects={"pk": "partnerships.Partnership"})
def goals(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    partnership = access_partnership(user, pk, perm="reporting.view_partnershipgoal")
    form = None
    if request.method == "POST":
        if not user.has_perm("reporting.add_partnershipgoal"):
            raise PermissionDenied
        form = GoalForm(request.POST)
        if form.is_valid():
            try:
                services.goal_create(partnership=partnership, by=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Målet er oprettet."))
                return redirect("reporting:goals", pk=partnership.pk)
    context = {
        "partnership": partnership,
        "goals": selectors.partnership_goals(partnership, today=timezone.localdate()),
        "form": (form or GoalForm(initial={"start_on": timezone.localdate()}))
        if user.has_perm("reporting.add_partnershipgoal")
        else None,
    }
    return render(request, "reporting/goals.html", context, status=400 if form is not None else 200)


@rule(perm="reporting.view_partnershipgoal", objects={"pk": "reporting.PartnershipGoal"})
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    goal = access(
        PartnershipGoal.objects.select_related("partnership"), user, pk, perm="reporting.view_partnershipgoal"
    )
    form = None
    if request.method == "POST":
        if not user.has_perm("reporting.add_goalreview"):
            raise PermissionDenied
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.goal_review(goal=goal, by=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Gennemgangen er gemt."))
                return redirect("reporting:goal_detail", pk=goal.pk)
    progress = next(
        (
            p
            for g, p, _a in selectors.partnership_goals(goal.partnership, today=timezone.localdate())
            if g.pk == goal.pk
        ),
        None,
    )
    context = {
        "goal": goal,
        "progress": progress,
        "reviews": goal.reviews.select_related("reviewed_by").order_by("-reviewed_on", "-pk"),
        "form": (form or ReviewForm()) if user.has_perm("reporting.add_goalreview") else None,
    }
    return render(request, "reporting/goal_detail.html", context, status=400 if form is not None else 200)
