"""Pages of the firm register: lists, search, register and edit a firm, contacts, P-numbers, consent, export.

Every view declares its rule (``kompetence.rules.rule``) and gets its firm or contact through
``companies.access``, so a firm outside the user's partnerships is a 404. The only look beyond is the
"Findes i et andet partnerskab" box, built by ``selectors.firms.companies_held_elsewhere``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from companies import services
from companies.access import access_company, access_contact
from companies.filters import CompanyFilter
from companies.forms.firms import CompanyForm, ContactPersonForm, ProductionUnitForm, SharingConsentForm
from companies.models import CaseStatus, Company, ContactPerson, ProductionUnit, SizeClass
from companies.selectors import followups
from companies.selectors.firms import (
    companies_held_elsewhere,
    firm_page,
    firm_rows,
    firms_for_list,
    firms_mine_page,
    fuzzy_search_available,
)
from kompetence.exports import Column, Kind, csv_response, xlsx_response
from kompetence.formats import format_integer
from kompetence.forms import apply_service_errors
from kompetence.pagination import keyset_ordering
from kompetence.rules import rule
from partnerships.models import Partnership

PAGE_SIZE = 50


def _query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


# ---------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------
@rule(perm="companies.view_company")
def company_list(request: HttpRequest) -> HttpResponse:
    """The firms of the user's partnerships: search, filters, sort, keyset pages of 50."""
    data = request.GET or None
    filterset = CompanyFilter(data, queryset=firms_for_list(request.user), user=request.user)
    queryset = filterset.qs
    total = queryset.count()
    fuzzy = False
    if total == 0 and filterset.search_term.kind == "name" and fuzzy_search_available():
        # Nothing contains the text: show similar names instead (typos, "Aarhus"/"Århus").
        filterset = CompanyFilter(data, queryset=firms_for_list(request.user), user=request.user, fuzzy=True)
        queryset = filterset.qs
        total = queryset.count()
        fuzzy = total > 0
    page = firm_page(queryset, keys=filterset.sort_keys, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    today = timezone.localdate()
    context = {
        "filter": filterset,
        "page": page,
        "rows": firm_rows(page, user=request.user, today=today),
        "total": total,
        "fuzzy": fuzzy,
        "held_elsewhere": companies_held_elsewhere(request.user, request.GET.get("q")),
        "search_term": filterset.search_term,
        "query_string": _query_without_cursor(request),
    }
    template = "companies/_company_results.html" if request.htmx else "companies/company_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@rule(perm="companies.view_company")
def company_mine(request: HttpRequest) -> HttpResponse:
    """Firms where the user is lead consultant or took part in a visit; due follow-ups first."""
    page, total = firms_mine_page(request.user, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    context = {
        "page": page,
        "rows": firm_rows(page, user=request.user, today=timezone.localdate()),
        "total": total,
        "query_string": _query_without_cursor(request),
    }
    return render(request, "companies/company_mine.html", context)


@rule(perm="companies.add_visit")
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """ "Dine opfølgninger": every overdue (``?vis=overskredet``) or upcoming (``?vis=kommende``, the
    next 14 days) follow-up of the user's firms, oldest first, in keyset pages."""
    when = request.GET.get("vis")
    if when not in followups.WHEN:
        when = followups.OVERDUE
    today = timezone.localdate()
    page = firm_page(
        followups.follow_ups(request.user, when=when, today=today),
        keys=followups.FOLLOW_UP_KEYS,
        cursor=request.GET.get("cursor"),
        page_size=PAGE_SIZE,
    )
    context = {
        "when": when,
        "counts": followups.follow_up_counts(request.user, today=today),
        "page": page,
        "rows": firm_rows(page, user=request.user, today=today),
        "query_string": _query_without_cursor(request),
    }
    return render(request, "companies/follow_up_list.html", context)


# ---------------------------------------------------------------------------
# Exports of the filtered list: XLSX for people (offered first), CSV as the machine format
# ---------------------------------------------------------------------------
# (field, column): the fields are read with one values_list; the kinds decide how each format writes
# them (kompetence.exports): codes and ranges stay text, so Excel keeps "014600" and never turns "2–4"
# into a date.
EXPORT_COLUMNS = [
    ("cvr", Column("CVR-nummer", Kind.CODE)),
    ("name", Column("Virksomhedsnavn", width=36)),
    ("address", Column("Adresse")),
    ("postcode", Column("Postnummer", Kind.CODE)),
    ("city", Column("By")),
    ("municipality__name", Column("Kommune")),
    ("industry_section_id", Column("Branche", Kind.CODE)),
    ("industry_code", Column("Branchekode", Kind.CODE)),
    ("employees", Column("Antal ansatte", Kind.INTEGER)),
    ("employee_band", Column("Antal ansatte (interval)", Kind.RANGE)),
    ("size_class", Column("SMV")),
    ("status", Column("Status")),
    ("partnership__name", Column("Partnerskab")),
    ("lead_consultant__first_name", Column("Tovholder fornavn")),
    ("lead_consultant__last_name", Column("Tovholder efternavn")),
    ("last_visit_on", Column("Seneste besøg", Kind.DATE)),
    ("next_follow_up_on", Column("Næste opfølgning", Kind.DATE)),
]
# An XLSX file is built in memory (openpyxl zips at save): beyond this, the CSV streams instead.
XLSX_MAX_ROWS = 50_000


def _export_rows(request: HttpRequest) -> CompanyFilter:
    """The list's filter, for an export: the same firms the list shows, from the scoping rule."""
    filterset = CompanyFilter(request.GET or None, queryset=Company.objects.for_user(request.user), user=request.user)
    return filterset


def _export_refused(request: HttpRequest, text: str) -> HttpResponse:
    # Exporting nothing as a file would look like an empty register: show the list with the message.
    messages.error(request, text)
    return redirect(reverse("companies:list") + "?" + request.GET.urlencode())


def _labelled(filterset: CompanyFilter):
    rows = (
        filterset.qs.order_by(*keyset_ordering(Company, filterset.sort_keys))
        .values_list(*(name for name, _column in EXPORT_COLUMNS))
        .iterator(chunk_size=2000)
    )
    names = [name for name, _column in EXPORT_COLUMNS]
    status_index, size_index = names.index("status"), names.index("size_class")
    status_labels = {value: str(label) for value, label in CaseStatus.choices}
    size_labels = {value: str(label) for value, label in SizeClass.choices}
    for row in rows:
        row = list(row)
        row[status_index] = status_labels.get(row[status_index], row[status_index])
        row[size_index] = size_labels.get(row[size_index], row[size_index])
        yield row


INVALID_FILTER_EXPORT = gettext_lazy("Filteret er ugyldigt, så intet er eksporteret. Ret de markerede felter.")


@rule(perm="companies.export_company")
def company_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV: UTF-8 with BOM, ``;`` separated, streamed; a faithful machine format
    (ranges with an en dash, ISO dates)."""
    filterset = _export_rows(request)
    if filterset.invalid:
        return _export_refused(request, str(INVALID_FILTER_EXPORT))
    return csv_response(
        f"virksomheder-{timezone.localdate():%Y-%m-%d}.csv",
        [column for _name, column in EXPORT_COLUMNS],
        _labelled(filterset),
    )


@rule(perm="companies.export_company")
def company_export_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook: codes and ranges as text cells, numbers and dates typed."""
    filterset = _export_rows(request)
    if filterset.invalid:
        return _export_refused(request, str(INVALID_FILTER_EXPORT))
    if filterset.qs.count() > XLSX_MAX_ROWS:
        return _export_refused(
            request,
            _("Listen har over %(limit)s virksomheder, for mange til et Excel-ark. Filtrér listen, eller hent CSV.")
            % {"limit": format_integer(XLSX_MAX_ROWS)},
        )
    return xlsx_response(
        f"virksomheder-{timezone.localdate():%Y-%m-%d}.xlsx",
        [column for _name, column in EXPORT_COLUMNS],
        _labelled(filterset),
        sheet_title=_("Virksomheder"),
    )


# ---------------------------------------------------------------------------
# Register and edit a firm
# ---------------------------------------------------------------------------
def _done(request: HttpRequest, company: Company, text: str) -> HttpResponse:
    """Go to the firm's page, or to the list if the firm now belongs to a partnership the user cannot see."""
    if Company.objects.for_user(request.user).filter(pk=company.pk).exists():
        messages.success(request, text)
        return redirect(company)
    messages.info(
        request,
        text
        + " "
        + _("Virksomheden hører til %(partnership)s, som du ikke er medlem af, så du kan ikke åbne den.")
        % {"partnership": company.partnership.name},
    )
    return redirect("companies:list")


CONFIRM_OUTSIDE = "bekraeft_partnerskab"


def _outside_own(request: HttpRequest, form: CompanyForm) -> Partnership | None:
    """The partnership the new firm would belong to, when the user is not a member of it and has not
    yet confirmed that partnership (a changed municipality asks again)."""
    destination = services.company_partnership_for(
        municipality=form.cleaned_data.get("municipality"), partnership=form.cleaned_data.get("partnership")
    )
    if destination is None or Partnership.objects.for_user(request.user).filter(pk=destination.pk).exists():
        return None
    if request.POST.get(CONFIRM_OUTSIDE) == str(destination.pk):
        return None
    return destination


@rule(perm="companies.add_company")
def company_create(request: HttpRequest) -> HttpResponse:
    form = CompanyForm(request.POST or None, user=request.user)
    if request.method == "POST" and request.POST.get("ret"):
        # "Nej, ret kommunen" on the confirmation: the form again, as it was filled in.
        form.is_valid()
        return render(request, "companies/company_form.html", {"form": form, "company": None})
    if request.method == "POST":
        if form.is_valid() and (outside := _outside_own(request, form)) is not None:
            # Registering there hands the firm to a partnership the user cannot open: ask first.
            posted = [
                (name, value)
                for name, values in request.POST.lists()
                if name not in ("csrfmiddlewaretoken", CONFIRM_OUTSIDE)
                for value in values
            ]
            context = {"form": form, "partnership": outside, "posted": posted, "confirm_name": CONFIRM_OUTSIDE}
            return render(request, "companies/company_confirm_outside.html", context)
        if form.is_valid():
            try:
                company = services.company_create(
                    by=request.user, partnership=form.cleaned_data.get("partnership"), **form.service_fields()
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return _done(
                    request,
                    company,
                    _("Virksomheden %(name)s er registreret. SMV-vurdering: %(size)s.")
                    % {"name": company.name, "size": company.get_size_class_display()},
                )
        elif form.existing_company is not None:
            messages.info(request, _("Virksomheden er allerede registreret."))
            return redirect(form.existing_company)
    return render(request, "companies/company_form.html", {"form": form, "company": None})


@rule(perm="companies.change_company", objects={"pk": "companies.Company"})
def company_update(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = CompanyForm(request.POST or None, instance=company, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            # An empty choice (None) means "the municipality's partnership" (see the service).
            company = services.company_update(
                company=company,
                by=request.user,
                partnership=form.cleaned_data.get("partnership"),
                **form.service_fields(),
            )
        except ValidationError as exc:
            company.refresh_from_db()
            apply_service_errors(form, exc)
        else:
            return _done(
                request,
                company,
                _("Ændringerne er gemt. SMV-vurdering: %(size)s.") % {"size": company.get_size_class_display()},
            )
    return render(request, "companies/company_form.html", {"form": form, "company": company, "sme": company.sme})


# ---------------------------------------------------------------------------
# Contacts, P-numbers, consent: small forms that return to the firm's page
# ---------------------------------------------------------------------------
def _subform(request: HttpRequest, company: Company, form, *, title: str, **extra) -> HttpResponse:
    return render(request, "companies/firm_subform.html", {"form": form, "company": company, "title": title, **extra})


@rule(perm="companies.add_contactperson", objects={"pk": "companies.Company"})
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = ContactPersonForm(request.POST or None, instance=ContactPerson(company=company))
    if request.method == "POST" and form.is_valid():
        contact = services.contact_save(contact=form.save(commit=False), by=request.user)
        messages.success(request, _("Kontaktpersonen %(name)s er tilføjet.") % {"name": contact.name})
        return redirect(company)
    return _subform(request, company, form, title=_("Tilføj kontaktperson"))


@rule(perm="companies.change_contactperson", objects={"pk": "companies.ContactPerson"})
def contact_update(request: HttpRequest, pk: int) -> HttpResponse:
    contact = access_contact(request.user, pk)
    form = ContactPersonForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.contact_save(contact=form.save(commit=False), by=request.user)
        messages.success(request, _("Kontaktpersonen %(name)s er gemt.") % {"name": contact.name})
        return redirect(contact.company)
    return _subform(request, contact.company, form, title=_("Ret kontaktperson"))


@rule(perm="companies.change_company", objects={"pk": "companies.Company"})
def production_unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = ProductionUnitForm(request.POST or None, instance=ProductionUnit(company=company))
    if request.method == "POST" and form.is_valid():
        unit = services.production_unit_save(unit=form.save(commit=False), by=request.user)
        messages.success(request, _("P-nummer %(p)s er tilføjet.") % {"p": unit.p_number})
        return redirect(company)
    return _subform(request, company, form, title=_("Tilføj P-nummer (produktionsenhed)"))


@rule(perm="companies.change_company", objects={"pk": "companies.Company"})
def consent_create(request: HttpRequest, pk: int) -> HttpResponse:
    company = access_company(request.user, pk)
    form = SharingConsentForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(company=company, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Samtykket til datadeling er registreret."))
            return redirect(company)
    return _subform(
        request,
        company,
        form,
        title=_("Samtykke til datadeling"),
        intro=_(
            "Registrér, at virksomheden har givet samtykke til, at jobcenter, erhvervsservice og "
            "uddannelsesinstitutioner i partnerskabet må dele dens oplysninger med hinanden."
        ),
        submit_label=_("Registrér samtykke"),
    )
