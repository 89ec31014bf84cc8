"""Pages of a firm's case: the firm page with its timeline, visits, competence needs, status, agenda.

Every view declares its rule (``kompetence.rules.rule``) and gets its objects through
``companies.access``, so a firm, visit or need outside the user's partnerships is a 404, for reading
and for every POST alike. Writing needs the role's change permission: Projektledelse reads every case
but does no case work (``companies.portal`` gives management view permissions only), so its POSTs
get 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import services
from companies.access import access_company, access_need, access_visit
from companies.forms.visits import (
    NEEDS_PREFIX,
    LeadForm,
    NeedForm,
    NeedFormSet,
    NeedStatusForm,
    ProposeForm,
    StatusForm,
    VisitForm,
    need_formset_with_rows,
)
from companies.models import Company, CompetenceNeed, Visit
from companies.selectors import followups
from companies.selectors.case import agenda_pending, case_page, visit_history, visit_is_joint, visit_systems
from kompetence.forms import apply_service_errors
from kompetence.pagination import keyset_paginate
from kompetence.rules import rule


def _user_name(user) -> str:
    if user is None:
        return _("en anden bruger")
    return user.get_full_name() or user.email


# ---------------------------------------------------------------------------
# The firm page and its small forms
# ---------------------------------------------------------------------------
@rule(perm="companies.view_company", objects={"pk": "companies.Company"})
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    company = access_company(user, pk)
    can_change = user.has_perm("companies.change_company")
    context = {
        "company": company,
        "page": case_page(company, user=user),
        "sme": company.sme,
        "can_change": can_change,
        "can_add_visit": user.has_perm("companies.add_visit"),
        "can_propose": user.has_perm("companies.add_agendaproposal"),
        "can_add_need": user.has_perm("companies.add_competenceneed"),
        "can_change_need": user.has_perm("companies.change_competenceneed"),
        "can_change_contact": user.has_perm("companies.change_contactperson"),
        "need_statuses": CompetenceNeed.Status.choices,
    }
    if can_change:
        context["status_form"] = StatusForm(initial={"status": company.status}, auto_id="status_%s")
        context["lead_form"] = LeadForm(
            company=company, initial={"lead": company.lead_consultant_id}, auto_id="lead_%s"
        )
    return render(request, "companies/company_detail.html", context)


@rule(perm="companies.change_company", objects={"pk": "companies.Company"})
@require_POST
def company_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = StatusForm(request.POST)
    changed = False
    if form.is_valid():
        try:
            changed = services.company_set_status(
                company=company, status=form.cleaned_data["status"], note=form.cleaned_data["note"], by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
    if form.errors:
        # A step back without a reason (or a bad value): the status form on a page of its own, the
        # message next to the reason field, what was chosen kept.
        step_back = services.status_is_step_back(from_status=company.status, to_status=form.data.get("status", ""))
        context = {"company": company, "form": form, "step_back": step_back}
        return render(request, "companies/company_status.html", context)
    if changed:
        messages.success(request, _("Status er ændret til »%(status)s«.") % {"status": company.get_status_display()})
    else:
        messages.info(request, _("Status er uændret."))
    return redirect(company)


@rule(perm="companies.change_company", objects={"pk": "companies.Company"})
@require_POST
def company_set_lead(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = LeadForm(request.POST, company=company)
    if not form.is_valid():
        messages.error(request, _("Vælg en tovholder blandt partnerskabets aktive medlemmer."))
        return redirect(company)
    lead = form.cleaned_data["lead"]
    services.company_set_lead(company=company, lead=lead, by=request.user)
    if lead is None:
        messages.success(request, _("Virksomheden har ikke længere en tovholder."))
    else:
        messages.success(request, _("%(name)s er nu tovholder.") % {"name": _user_name(lead)})
    return redirect(company)


@rule(perm="companies.add_agendaproposal", objects={"pk": "companies.Company"})
def agenda_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Sæt på dagsorden": ask what the partnership should decide, and put the firm on its list once."""
    company = access_company(request.user, pk)
    existing = services.agenda_open_proposal(company)
    form = ProposeForm(request.POST or None)
    if request.method == "POST":
        if existing is not None:
            messages.info(
                request,
                _("%(firm)s afventer allerede behandling i %(partnership)s.")
                % {"firm": company.name, "partnership": company.partnership.name},
            )
            return redirect(company)
        if form.is_valid():
            services.agenda_propose(company=company, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                _("%(firm)s er sat på listen til næste møde i %(partnership)s.")
                % {"firm": company.name, "partnership": company.partnership.name},
            )
            return redirect(company)
    return render(request, "companies/agenda_propose.html", {"company": company, "form": form, "existing": existing})


# ---------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------
def _as_typed(form_class, bound, **kwargs):
    """An unbound copy of ``bound`` showing what the user typed, without validating it (used when the
    form is shown again only to add a row of needs: "required" errors would greet the user)."""
    return form_class(initial={name: bound[name].data for name in bound.fields}, **kwargs)


def _visit_form(request: HttpRequest, company: Company, visit: Visit | None = None) -> HttpResponse:
    """The visit form, for a new visit and for editing one (a draft, or a completed visit)."""
    already_completed = visit is not None and visit.status == Visit.Status.COMPLETED
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "draft")
        complete = action == "complete" or already_completed
        form = VisitForm(request.POST, instance=visit, company=company, user=request.user, complete=complete)
        needs = NeedFormSet(request.POST, prefix=NEEDS_PREFIX)
        if action == "add_need":
            # Show the form again with what was typed and one more empty need (the formset's extra).
            form = _as_typed(VisitForm, form, instance=visit, company=company, user=request.user, complete=complete)
            needs = need_formset_with_rows([{name: f[name].data for name in f.fields} for f in needs.forms])
        elif form.is_valid() and needs.is_valid():
            people = {
                "fields": form.visit_fields(),
                "consultants": form.cleaned_data["consultants"],
                "company_participants": form.cleaned_data["company_participants"],
                "needs": [f.need_data() for f in needs.forms if f.has_changed()],
            }
            try:
                if visit is None:
                    saved = services.visit_create(company=company, by=request.user, complete=complete, **people)
                else:
                    saved = services.visit_update(
                        visit=visit,
                        by=request.user,
                        expected_version=form.cleaned_data["version"],
                        complete=complete,
                        **people,
                    )
            except services.ConcurrentEditError as error:
                form.add_error(
                    None,
                    _(
                        "Besøget er blevet ændret af %(name)s, mens du redigerede. Genindlæs siden for at se "
                        "den nye udgave, og skriv dine ændringer ind igen. Intet af det, du har skrevet, er gemt."
                    )
                    % {"name": _user_name(error.changed_by)},
                )
                status = 409
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if saved.status == Visit.Status.COMPLETED:
                    messages.success(request, _("Besøget er gemt og afsluttet."))
                    return redirect(company)
                messages.success(request, _("Besøget er gemt som kladde. Du kan afslutte det senere."))
                return redirect(saved)
    else:
        form = VisitForm(instance=visit, company=company, user=request.user, complete=already_completed)
        needs = NeedFormSet(prefix=NEEDS_PREFIX)

    # Which systems the chosen consultants come from, shown without JavaScript too (the script keeps
    # it up to date as boxes are ticked). The choices are few; this is one query.
    chosen = {str(value) for value in (form["consultants"].value() or [])}
    systems = visit_systems(u for u in form.fields["consultants"].queryset if str(u.pk) in chosen)
    context = {
        "company": company,
        "visit": visit,
        "form": form,
        "systems": systems,
        "is_joint": visit_is_joint(kind=form["kind"].value(), systems=systems),
        "needs": needs,
        "already_completed": already_completed,
        "existing_needs": list(visit.needs.all()) if visit is not None else [],
    }
    return render(request, "companies/visit_form.html", context, status=status)


@rule(perm="companies.add_visit", objects={"pk": "companies.Company"})
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_form(request, access_company(request.user, pk))


@rule(perm="companies.change_visit", objects={"pk": "companies.Visit"})
def visit_update(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    return _visit_form(request, visit.company, visit)


@rule(perm="companies.change_visit")
def draft_list(request: HttpRequest) -> HttpResponse:
    """ "Dine kladder": the user's draft visits, newest first, in keyset pages."""
    visits = followups.drafts(request.user)
    page = keyset_paginate(visits, keys=followups.DRAFT_KEYS, cursor=request.GET.get("cursor"), page_size=50)
    context = {"page": page, "rows": followups.draft_rows(page), "total": visits.count(), "query_string": ""}
    return render(request, "companies/draft_list.html", context)


@rule(perm="companies.view_visit", objects={"pk": "companies.Visit"})
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = access_visit(request.user, pk)
    consultants = list(visit.consultants.all())
    systems = visit_systems(consultants)
    context = {
        "visit": visit,
        "company": visit.company,
        "consultants": consultants,
        "systems": systems,
        "is_joint": visit_is_joint(kind=visit.kind, systems=systems),
        "history": visit_history(visit),
        "can_change": request.user.has_perm("companies.change_visit"),
    }
    return render(request, "companies/visit_detail.html", context)


# ---------------------------------------------------------------------------
# Competence needs
# ---------------------------------------------------------------------------
@rule(perm="companies.add_competenceneed", objects={"pk": "companies.Company"})
def need_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_create(company=company, by=request.user, **form.need_data())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Kompetencebehovet er registreret."))
            return redirect(reverse("companies:detail", args=[company.pk]) + "#behov")
    return render(request, "companies/need_form.html", {"company": company, "form": form})


@rule(perm="companies.change_competenceneed", objects={"pk": "companies.CompetenceNeed"})
@require_POST
def need_set_status(request: HttpRequest, pk: int) -> HttpResponse:
    need = access_need(request.user, pk)
    form = NeedStatusForm(request.POST)
    if form.is_valid() and services.need_set_status(need=need, status=form.cleaned_data["status"], by=request.user):
        messages.success(
            request,
            _("Behovet »%(area)s« har nu status »%(status)s«.")
            % {"area": need.get_area_display(), "status": need.get_status_display()},
        )
    elif not form.is_valid():
        messages.error(request, _("Vælg en gyldig status."))
    return redirect(reverse("companies:detail", args=[need.company_id]) + "#behov")


# ---------------------------------------------------------------------------
# The partnerships' lists for their next meetings
# ---------------------------------------------------------------------------
@rule(perm="companies.view_agendaproposal")
def agenda_list(request: HttpRequest) -> HttpResponse:
    groups = agenda_pending(request.user)
    return render(
        request,
        "companies/agenda_list.html",
        {"groups": groups, "count": sum(len(g.proposals) for g in groups)},
    )
