"""Admin for the companies app, plus the page "Importér fra CVR-udtræk" on the firm changelist.

The admin is the system owner's tool and sees every row; the portal's pages are where scoping
applies. The firm changelist is tuned for 20,000+ firms: related rows are joined
(``list_select_related``), the name search uses the trigram index, and the unfiltered total is not
counted on every page (``show_full_result_count = False``).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from companies import services
from companies.forms.firms import ImportForm
from companies.importing import ImportRefused, import_companies
from companies.models import (
    AgendaProposal,
    Company,
    CompetenceNeed,
    ContactPerson,
    ProductionUnit,
    PublicRequest,
    RecruitmentNeed,
    SharingConsent,
    StatusChange,
    Visit,
)
from companies.validators import normalise_cvr
from kompetence.inputs import ascii_digits


class ProductionUnitInline(admin.TabularInline):
    model = ProductionUnit
    extra = 0
    fields = ["p_number", "name", "address", "postcode", "city", "municipality"]


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = ["name", "role", "title", "email", "phone", "consent_to_contact", "is_active"]


class SharingConsentInline(admin.TabularInline):
    model = SharingConsent
    extra = 0
    fields = ["given_on", "given_by", "given_to", "recorded_by", "withdrawn_on"]
    raw_id_fields = ["recorded_by"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    change_list_template = "companies/import_change_list.html"
    list_display = [
        "name",
        "cvr",
        "municipality",
        "partnership",
        "industry_section",
        "status",
        "size_class",
        "lead_consultant",
        "last_visit_on",
    ]
    list_filter = ["municipality", "status", "size_class", "industry_section"]
    list_select_related = ["municipality", "partnership", "industry_section", "lead_consultant"]
    search_fields = ["name"]
    search_help_text = gettext_lazy("Del af navnet, eller et CVR-nummer (8 cifre).")
    show_full_result_count = False
    raw_id_fields = ["lead_consultant"]
    readonly_fields = ["size_class", "last_visit_on", "next_follow_up_on", "created_by", "created_at", "updated_at"]
    inlines = [ProductionUnitInline, ContactPersonInline, SharingConsentInline]

    def get_search_results(self, request, queryset, search_term):
        # A CVR number is looked up exactly (the unique index); the admin's "=cvr" would compare
        # UPPER(cvr) and scan the table.
        cvr = normalise_cvr(search_term)
        if ascii_digits(cvr) and len(cvr) == 8:
            return queryset.filter(cvr=cvr), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        # The admin bypasses the portal's forms: keep the derived size class right all the same.
        services.company_refresh_size(obj)
        super().save_model(request, obj, form, change)

    def get_urls(self):
        urls = super().get_urls()
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="companies_company_import",
            )
        ]
        return own + urls

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a CVR extract; a dry run (the default) shows the per-row report and writes nothing."""
        if not request.user.has_perm("companies.import_company"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = import_companies(
                    form.cleaned_data["file"].read(), by=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except ImportRefused as exc:
                form.add_error("file", str(exc))
            else:
                messages.info(request, report.summary())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importér fra CVR-udtræk"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "companies/import_companies.html", context)


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "company", "email", "phone", "consent_to_contact", "is_active"]
    list_filter = ["role", "consent_to_contact", "is_active"]
    list_select_related = ["company"]
    search_fields = ["name", "email", "company__name"]
    raw_id_fields = ["company"]
    show_full_result_count = False


@admin.register(ProductionUnit)
class ProductionUnitAdmin(admin.ModelAdmin):
    list_display = ["p_number", "name", "company", "municipality"]
    list_select_related = ["company", "municipality"]
    search_fields = ["=p_number", "name"]
    raw_id_fields = ["company"]


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ["visit_date", "company", "kind", "status", "for_partnership", "follow_up_on"]
    list_filter = ["kind", "status", "for_partnership"]
    list_select_related = ["company"]
    search_fields = ["company__name", "=company__cvr"]
    date_hierarchy = "visit_date"
    raw_id_fields = ["company", "consultants", "company_participants"]
    show_full_result_count = False


@admin.register(CompetenceNeed)
class CompetenceNeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "company", "area", "urgency", "status", "created_at"]
    list_filter = ["area", "urgency", "status"]
    list_select_related = ["company"]
    search_fields = ["company__name", "description"]
    raw_id_fields = ["company", "visit"]
    show_full_result_count = False


@admin.register(AgendaProposal)
class AgendaProposalAdmin(admin.ModelAdmin):
    list_display = ["company", "partnership", "status", "proposed_by", "proposed_at"]
    list_filter = ["status", "partnership"]
    list_select_related = ["company", "partnership", "proposed_by"]
    search_fields = ["company__name"]
    raw_id_fields = ["company", "visit", "proposed_by"]


@admin.register(SharingConsent)
class SharingConsentAdmin(admin.ModelAdmin):
    list_display = ["company", "given_on", "given_by", "given_to", "recorded_by", "withdrawn_on"]
    list_select_related = ["company", "recorded_by"]
    search_fields = ["company__name", "given_by"]
    raw_id_fields = ["company", "recorded_by"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    """The case's audit trail: shown, never added, changed or deleted by hand (the services write it)."""

    list_display = ["company", "from_status", "to_status", "changed_by", "changed_at"]
    list_filter = ["to_status"]
    list_select_related = ["company", "changed_by"]
    search_fields = ["company__name"]
    raw_id_fields = ["company", "changed_by"]
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PublicRequest)
class PublicRequestAdmin(admin.ModelAdmin):
    """Requests through the public form (Én indgang). They arrive only through the form, so none is added here."""

    list_display = ["company_name", "cvr", "municipality", "partnership", "status", "created_at", "taken_by"]
    list_filter = ["status", "partnership"]
    list_select_related = ["municipality", "partnership", "taken_by"]
    search_fields = ["company_name", "=cvr"]
    raw_id_fields = ["company", "taken_by", "forwarded_from", "forwarded_by"]
    readonly_fields = ["created_company", "taken_at", "forwarded_at", "privacy_notice_version", "consent"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(RecruitmentNeed)
class RecruitmentNeedAdmin(admin.ModelAdmin):
    """Recruitment needs (a competence need of the kind "rekruttering" and its positions, deadline and outcome)."""

    list_display = ["job_title", "need", "positions", "deadline", "outcome", "closed_on"]
    list_filter = ["outcome", "foreign_specialists", "graduates"]
    list_select_related = ["need__company"]
    search_fields = ["job_title", "need__company__name"]
    raw_id_fields = ["need", "closed_by"]
    show_full_result_count = False
