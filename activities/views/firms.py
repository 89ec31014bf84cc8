"""Firm-level ESF pages: recruiting a firm into an ESF project with its signed declarations, the
declarations' scans, the firm's headcount, and its de minimis total."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from activities import services
from activities.access import access_declaration, access_recruitment
from activities.forms.firms import DeclarationForm, HeadcountForm, RecruitmentForm
from activities.models import ActivityPlan, Declaration, Recruitment, recruitment_complete_on
from activities.uploads import content_type_of, open_stored
from activities.views.common import form_page
from companies.access import access_company
from kompetence.forms import apply_service_errors
from kompetence.rules import rule


@rule(perm="activities.add_recruitment", objects={"pk": "companies.Company"})
def recruitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    taken = list(Recruitment.objects.filter(company=company).values_list("project_id", flat=True))
    form = RecruitmentForm(request.POST or None, taken=taken)
    if request.method == "POST" and form.is_valid():
        try:
            recruitment = services.recruitment_create(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(firm)s er ved at blive rekrutteret til %(project)s. Registrér de tre underskrevne erklæringer.")
                % {"firm": company.name, "project": recruitment.project.name},
            )
            return redirect(recruitment)
    return form_page(
        request,
        title=_("Rekruttér virksomheden til et ESF-projekt"),
        forms=[form],
        back_url=company.get_absolute_url(),
        back_label=company.name,
        intro=_(
            "De to ESF-projekter holdes adskilt: en virksomhed rekrutteres til hvert projekt for sig og "
            "underskriver SMV-erklæring, de minimis-erklæring og hensigtserklæring til hvert."
        ),
    )


@rule(perm="activities.view_recruitment", objects={"pk": "activities.Recruitment"})
def recruitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The recruitment with its declarations; a form to register the ones still missing."""
    recruitment = access_recruitment(request.user, pk)
    declarations = list(recruitment.declarations.select_related("uploaded_by"))
    missing = [k for k in Declaration.Kind.values if k not in {d.kind for d in declarations}]
    form = None
    if missing and request.user.has_perm("activities.add_declaration"):
        form = DeclarationForm(request.POST or None, request.FILES or None, missing=missing)
        if request.method == "POST" and form.is_valid():
            try:
                services.declaration_add(recruitment=recruitment, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Erklæringen er registreret."))
                return redirect(recruitment)
    return render(
        request,
        "activities/recruitment_detail.html",
        {
            "recruitment": recruitment,
            "declarations": declarations,
            "complete_on": recruitment_complete_on(declarations),
            "form": form,
        },
    )


@rule(perm="activities.view_declaration", objects={"pk": "activities.Declaration"})
def declaration_scan(request: HttpRequest, pk: int) -> HttpResponse:
    declaration = access_declaration(request.user, pk)
    response = FileResponse(open_stored(declaration.scan), as_attachment=True, filename=declaration.scan_name or "scan")
    response["Content-Type"] = content_type_of(declaration.scan.name)
    response["Cache-Control"] = "private, no-store"
    return response


@rule(perm="activities.add_headcount", objects={"pk": "companies.Company"})
def headcount_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = HeadcountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.headcount_record(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Medarbejdertallet er registreret."))
            return redirect(company)
    return form_page(
        request,
        title=_("Registrér medarbejdertal"),
        forms=[form],
        back_url=company.get_absolute_url(),
        back_label=company.name,
        intro=_(
            "Akse 1b tæller beskæftigelsen i de støttede virksomheder: registrér tallet ved start og ved opfølgning."
        ),
    )


@rule(perm="activities.view_activityplan", objects={"pk": "companies.Company"})
def de_minimis(request: HttpRequest, pk: int) -> HttpResponse:
    """The firm's (CVR's) de minimis aid in the ceiling's window, plan by plan."""
    company = access_company(request.user, pk)
    status = None
    error = None
    try:
        status = services.de_minimis_status(company=company)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    plans = (
        ActivityPlan.objects.for_user(request.user)
        .filter(company=company, aid_eur__isnull=False)
        .exclude(status=ActivityPlan.Status.CANCELLED)
        .order_by("-aid_granted_on")
    )
    if status is not None:
        plans = plans.filter(aid_granted_on__gte=status.window_start)
    planned = (
        ActivityPlan.objects.for_user(request.user)
        .filter(company=company, status=ActivityPlan.Status.DRAFT)
        .select_related("type_mapping")
    )
    planned_dkk = sum((p.aid_value_dkk for p in planned), 0)
    would = None
    if status is not None and planned_dkk:
        would = services.de_minimis_status(company=company, adding_dkk=planned_dkk)
    return render(
        request,
        "activities/de_minimis.html",
        {"company": company, "status": status, "error": error, "plans": list(plans), "would": would},
    )
