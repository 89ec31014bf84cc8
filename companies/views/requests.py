"""Pages of én indgang and recruitment needs.

The public request form (``request_form``, ``request_thanks``) needs no login; every other page is for
the partnership's members and gets its objects through ``companies.access`` (404 outside the user's
partnerships, 403 without the role's permission).

The public form's protection: Django's CSRF check, a honeypot field, a rate limit per client address
(``kompetence.throttle``, fail-soft), the form's size limits and the service's duplicate check. Its
answers never say whether the firm was known, and nothing the requester typed is logged.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies.access import access_company, access_recruitment, access_request
from companies.forms.requests import (
    ForwardForm,
    PublicRequestForm,
    RecruitmentCloseForm,
    RecruitmentFilterForm,
    RecruitmentForm,
    RequestFilterForm,
    TakeForm,
)
from companies.models import PRIVACY_NOTICE_VERSION
from companies.selectors import requests as selectors
from companies.services import recruitment as recruitment_services
from companies.services import requests as services
from kompetence import audit, throttle
from kompetence.forms import apply_service_errors
from kompetence.rules import rule

# Requests one client address may send per minute (people behind one firm's router share an address).
REQUESTS_PER_MINUTE = 10


# ---------------------------------------------------------------------------
# The public form
# ---------------------------------------------------------------------------
@rule(public=True)
def request_form(request: HttpRequest) -> HttpResponse:
    # Bound on every POST, an empty one too (``request.POST or None`` would show an empty POST a fresh form).
    form = PublicRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not throttle.allow("public_request", audit.client_ip(request), limit=REQUESTS_PER_MINUTE, window=60):
            response = render(
                request,
                "companies/request_form.html",
                {"form": form, "throttled": True, "privacy_version": PRIVACY_NOTICE_VERSION},
                status=429,
            )
            response["Retry-After"] = "60"
            return response
        if form.is_bot:
            return redirect("requests:thanks")
        if form.is_valid():
            try:
                services.request_submit(**form.submit_data())
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("requests:thanks")
    return render(request, "companies/request_form.html", {"form": form, "privacy_version": PRIVACY_NOTICE_VERSION})


@rule(public=True)
def request_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "companies/request_thanks.html")


# ---------------------------------------------------------------------------
# "Nye henvendelser"
# ---------------------------------------------------------------------------
@rule(perm="companies.view_publicrequest")
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = RequestFilterForm(request.GET or None)
    invalid = filters.is_bound and not filters.is_valid()
    status = "ny" if not filters.is_bound or invalid else filters.status_value()
    queryset = selectors.requests_for(user, status=status)
    if invalid:
        queryset = queryset.none()
    page, rows = selectors.request_page(queryset, cursor=request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "companies/request_list.html",
        {
            "filters": filters,
            "invalid": invalid,
            "page": page,
            "rows": rows,
            "status": status,
            "query_string": query.urlencode(),
        },
    )


@rule(perm="companies.view_publicrequest", objects={"pk": "companies.PublicRequest"})
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    public_request = access_request(request.user, pk)
    return _detail(request, public_request)


def _detail(request, public_request, *, take_form=None, forward_form=None, status=200) -> HttpResponse:
    can_change = request.user.has_perm("companies.change_publicrequest")
    context = {"req": public_request, "can_change": can_change}
    if can_change and public_request.status == public_request.Status.NEW:
        context["take_form"] = take_form or TakeForm(
            request=public_request,
            initial={"lead": public_request.company.lead_consultant_id or request.user.pk},
            auto_id="tag_%s",
        )
        context["forward_form"] = forward_form or ForwardForm(request=public_request, auto_id="send_%s")
    return render(request, "companies/request_detail.html", context, status=status)


@rule(perm="companies.change_publicrequest", objects={"pk": "companies.PublicRequest"})
@require_POST
def request_take(request: HttpRequest, pk: int) -> HttpResponse:
    public_request = access_request(request.user, pk, perm="companies.change_publicrequest")
    form = TakeForm(request.POST, request=public_request, auto_id="tag_%s")
    if form.is_valid():
        try:
            services.request_take(request=public_request, by=request.user, lead=form.cleaned_data["lead"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Henvendelsen er taget. %(name)s er tovholder for %(firm)s.")
                % {"name": _display(form.cleaned_data["lead"]), "firm": public_request.company.name},
            )
            return redirect(public_request.company)
    return _detail(request, public_request, take_form=form)


@rule(perm="companies.change_publicrequest", objects={"pk": "companies.PublicRequest"})
@require_POST
def request_forward(request: HttpRequest, pk: int) -> HttpResponse:
    public_request = access_request(request.user, pk, perm="companies.change_publicrequest")
    form = ForwardForm(request.POST, request=public_request, auto_id="send_%s")
    if form.is_valid():
        target = form.cleaned_data["partnership"]
        try:
            services.request_forward(request=public_request, to=target, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Henvendelsen er sendt videre til %(p)s.") % {"p": target.name})
            return redirect("requests:list")
    return _detail(request, public_request, forward_form=form)


def _display(user) -> str:
    return user.get_full_name() or user.email


# ---------------------------------------------------------------------------
# "Rekrutteringsbehov"
# ---------------------------------------------------------------------------
@rule(perm="companies.view_competenceneed")
def recruitment_list(request: HttpRequest) -> HttpResponse:
    filters = RecruitmentFilterForm(request.GET or None)
    invalid = filters.is_bound and not filters.is_valid()
    state = "open" if not filters.is_bound or invalid else (filters.cleaned_data.get("state") or "open")
    queryset = selectors.recruitment_for(request.user, state=state)
    if invalid:
        queryset = queryset.none()
    page, rows = selectors.recruitment_page(queryset, cursor=request.GET.get("cursor"))
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "companies/recruitment_list.html",
        {
            "filters": filters,
            "invalid": invalid,
            "page": page,
            "rows": rows,
            "state": state,
            "query_string": query.urlencode(),
            "can_close": request.user.has_perm("companies.change_competenceneed"),
        },
    )


@rule(perm="companies.add_competenceneed", objects={"pk": "companies.Company"})
def recruitment_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk, perm="companies.add_competenceneed")
    form = RecruitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recruitment_services.recruitment_create(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Rekrutteringsbehovet er gemt."))
            return redirect(company)
    return render(request, "companies/recruitment_form.html", {"company": company, "form": form})


@rule(perm="companies.change_competenceneed", objects={"pk": "companies.RecruitmentNeed"})
def recruitment_close(request: HttpRequest, pk: int) -> HttpResponse:
    detail = access_recruitment(request.user, pk, perm="companies.change_competenceneed")
    need = detail.need
    form = RecruitmentCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closed = recruitment_services.recruitment_close(need=need, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Rekrutteringsbehovet »%(job)s« er lukket: %(outcome)s.")
                % {"job": closed.job_title, "outcome": closed.get_outcome_display()},
            )
            return redirect(reverse("requests:recruitment_list"))
    return render(
        request,
        "companies/recruitment_close.html",
        {"detail": detail, "need": need, "company": need.company, "form": form},
    )
