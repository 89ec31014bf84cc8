"""Pages of activity plans: the list and its export, creating a plan (from the firm page, or from a
partnership decision, pre-filled), the plan page, editing it, its workflow, type details and costs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.access import access_plan
from activities.filters import ActivityFilter
from activities.forms.plans import CostForm, DetailForm, NetworkMeetingForm, PlanForm, StatusForm
from activities.models import ActivityPlan
from activities.selectors.counts import list_total
from activities.selectors.plans import CatalogueNames, plan_page, plan_rows, plans_for_list
from activities.views.common import error_messages, form_page, query_without_cursor
from companies.access import access_company
from companies.models import Decision
from kompetence.exports import Column, Kind, csv_response
from kompetence.forms import apply_service_errors
from kompetence.pagination import keyset_ordering, keyset_paginate
from kompetence.rules import rule
from partnerships.access import valid_id
from partnerships.models import ActivityType

PAGE_SIZE = 50


@rule(perm="activities.view_activityplan")
def plan_list(request: HttpRequest) -> HttpResponse:
    """The activities of the user's partnerships: filters by type, axis, status, partnership, responsible."""
    filterset = ActivityFilter(request.GET or None, queryset=plans_for_list(request.user), user=request.user)
    queryset = filterset.qs
    page = keyset_paginate(queryset, keys=filterset.sort_keys, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "rows": plan_rows(page, names=CatalogueNames.for_user(request.user)),
        "total": list_total(queryset, filterset=filterset, user=request.user, name="plans"),
        "query_string": query_without_cursor(request),
    }
    template = "activities/_plan_results.html" if request.htmx else "activities/plan_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


EXPORT_COLUMNS = [
    Column("Titel", value=lambda r: r.title),
    Column("Virksomhed", value=lambda r: r.company),
    Column("Partnerskab", value=lambda r: r.partnership),
    Column("Type", value=lambda r: r.type_name),
    Column("Akse", Kind.INTEGER, value=lambda r: r.axis),
    Column("Status", value=lambda r: r.status),
    Column("Ansvarlig", value=lambda r: r.responsible),
    Column("Start", value=lambda r: r.start),
    Column("Slut", value=lambda r: r.end),
]


@rule(perm="activities.export_activityplan")
def plan_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (streamed; rows prepared in chunks from the same filter)."""
    filterset = ActivityFilter(request.GET or None, queryset=plans_for_list(request.user), user=request.user)
    if filterset.invalid:
        messages.error(request, _("Filteret er ugyldigt, så intet er eksporteret. Ret de markerede felter."))
        return redirect("activities:list")
    names = CatalogueNames.for_user(request.user)
    plans = filterset.qs.order_by(*keyset_ordering(ActivityPlan, filterset.sort_keys)).iterator(chunk_size=2000)

    def rows():
        chunk = []
        for plan in plans:
            chunk.append(plan)
            if len(chunk) == 2000:
                yield from plan_rows(chunk, names=names)
                chunk = []
        yield from plan_rows(chunk, names=names)

    return csv_response(f"aktiviteter-{timezone.localdate():%Y-%m-%d}.csv", EXPORT_COLUMNS, rows())


def _plan_form_page(request, *, form, company, plan=None, decision=None) -> HttpResponse:
    return render(
        request,
        "activities/plan_form.html",
        {"form": form, "company": company, "plan": plan, "decision": decision},
    )


def _plan_saved(request, plan: ActivityPlan, text: str) -> HttpResponse:
    messages.success(request, text)
    warning = services.substantial_part_warning(plan=plan)
    if warning:
        messages.warning(request, warning)
    return redirect(plan)


@rule(perm="activities.add_activityplan", objects={"pk": "companies.Company"})
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new plan for the firm; ``?beslutning=<id>`` starts it from a decision of the partnership
    (pre-filled with its lead consultant, consultants, text and deadline)."""
    company = access_company(request.user, pk)
    decision = None
    decision_id = request.GET.get("beslutning") or request.POST.get("beslutning")
    if decision_id and request.user.has_perm("companies.view_decision"):
        try:
            decision = Decision.objects.for_user(request.user).filter(company=company, pk=valid_id(decision_id)).first()
        except Http404:
            decision = None
    initial = {}
    if decision is not None:
        prefill = services.decision_plan_initial(decision)
        initial = {
            **prefill,
            "responsible": prefill["responsible"].pk,
            "consultants": [u.pk for u in prefill["consultants"]],
        }
        initial["title"] = _("Aktivitet for %(name)s") % {"name": company.name}
    else:
        initial = {"responsible": request.user.pk}
    type_code = request.GET.get("type")
    if type_code:
        chosen = ActivityType.objects.filter(code=type_code).first()
        if chosen is not None:
            initial["activity_type"] = chosen.pk
            initial["title"] = f"{chosen.name} – {company.name}"[:200]
    form = PlanForm(request.POST or None, initial=initial, company=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(company=company, by=request.user, decision=decision, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _plan_saved(
                request, plan, _("Aktiviteten »%(title)s« er oprettet som kladde.") % {"title": plan.title}
            )
    return _plan_form_page(request, form=form, company=company, decision=decision)


@rule(perm="activities.view_activityplan", objects={"pk": "activities.ActivityPlan"})
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    user = request.user
    context = {
        "plan": plan,
        "page": plan_page(plan, user=user),
        "can_change": user.has_perm("activities.change_activityplan") and plan.is_open,
        "can_enroll": user.has_perm("activities.add_enrollment") and plan.is_open,
        "can_register": user.has_perm("activities.add_participant") and plan.is_open,
        "can_add_cost": user.has_perm("activities.add_cost"),
        "today": timezone.localdate(),
    }
    if context["can_change"] and plan.allowed_transitions():
        context["status_form"] = StatusForm(plan=plan, auto_id="status_%s")
    if user.has_perm("activities.add_cost") and plan.status not in (
        ActivityPlan.Status.DRAFT,
        ActivityPlan.Status.CANCELLED,
    ):
        context["cost_form"] = CostForm(auto_id="cost_%s")
    return render(request, "activities/plan_detail.html", context)


@rule(perm="activities.change_activityplan", objects={"pk": "activities.ActivityPlan"})
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    if not plan.is_open:
        messages.info(request, _("En afsluttet eller annulleret aktivitet kan ikke ændres."))
        return redirect(plan)
    initial = {
        "title": plan.title,
        "purpose": plan.purpose,
        "description": plan.description,
        "planned_start": plan.planned_start,
        "planned_end": plan.planned_end,
        "planned_hours": plan.planned_hours,
        "planned_cost": plan.planned_cost,
        "staff_taking_part": plan.staff_taking_part,
        "managers_taking_part": plan.managers_taking_part,
        "activity_type": plan.activity_type_id,
        "responsible": plan.responsible_id,
        "consultants": list(plan.consultants.values_list("pk", flat=True)),
        "needs": list(plan.needs.values_list("pk", flat=True)),
    }
    form = PlanForm(request.POST or None, initial=initial, company=plan.company, user=request.user, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_update(plan=plan, by=request.user, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _plan_saved(request, plan, _("Ændringerne er gemt."))
    return _plan_form_page(request, form=form, company=plan.company, plan=plan)


@rule(perm="activities.change_activityplan", objects={"pk": "activities.ActivityPlan"})
@require_POST
def plan_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    form = StatusForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, _("Status blev ikke ændret: vælg en af de mulige statusser."))
        return redirect(plan)
    try:
        plan = services.plan_set_status(
            plan=plan,
            status=form.cleaned_data["status"],
            by=request.user,
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("Aktiviteten er nu »%(status)s«.") % {"status": plan.get_status_display()})
    return redirect(plan)


@rule(perm="activities.change_activityplan", objects={"pk": "activities.ActivityPlan"})
def plan_details(request: HttpRequest, pk: int) -> HttpResponse:
    """The type's own details (HR-chef til leje, jobrotation, netværk and its meetings, tilknytning)."""
    plan = access_plan(request.user, pk)
    detail = services.plan_detail(plan)
    if detail is None:
        messages.info(request, _("Aktivitetstypen har ingen særlige oplysninger ud over deltagerne."))
        return redirect(plan)
    form = DetailForm(request.POST or None, detail=detail, company=plan.company, prefix="detalje")
    meeting_form = None
    if plan.activity_type.kind == ActivityType.Kind.NETWORK:
        meeting_form = NetworkMeetingForm(
            request.POST or None if "moede-held_on" in request.POST else None, prefix="moede"
        )
    if request.method == "POST":
        target = meeting_form if meeting_form is not None and meeting_form.is_bound else form
        if target.is_valid():
            try:
                if target is meeting_form:
                    services.network_meeting_add(plan=plan, by=request.user, **target.cleaned_data)
                    messages.success(request, _("Netværksmødet er registreret."))
                else:
                    data = dict(target.cleaned_data)
                    members = data.pop("members", None)
                    services.plan_detail_save(plan=plan, by=request.user, members=members, **data)
                    messages.success(request, _("Oplysningerne er gemt."))
            except ValidationError as exc:
                apply_service_errors(target, exc)
            else:
                return redirect(plan)
    forms = [form] + ([meeting_form] if meeting_form is not None else [])
    return form_page(
        request,
        title=_("Særlige oplysninger: %(type)s") % {"type": plan.activity_type.name},
        forms=forms,
        back_url=plan.get_absolute_url(),
        back_label=plan.title,
        multipart=False,
    )


@rule(perm="activities.add_cost", objects={"pk": "activities.ActivityPlan"})
@require_POST
def cost_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk)
    form = CostForm(request.POST)
    if form.is_valid():
        try:
            services.cost_add(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Udgiften er registreret."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(plan)
