"""Admin for the programme's reference data (imported by ``partnerships/admin.py``).

Administrators edit here (the Administrator role holds every permission; the other roles hold none on
these models and are not staff). Every change is kept by django-simple-history ("Historik").
Dated rows are saved through ``services.effective_row_save``: the add form's box "Afslut den gældende
række dagen før" turns "from this date the value is …" into one step.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from partnerships import services
from partnerships.models import (
    ActivityType,
    ActivityTypeMapping,
    BudgetAmount,
    BudgetLine,
    DeMinimisRule,
    EligibleActivity,
    ESFProject,
    FinancingPlan,
    FinancingPlanLine,
    FinancingSource,
    ProgrammeThreshold,
    ReportingDeadline,
    StaffCostRate,
)

# Amounts, rates and caps are typed and shown the Danish way ("250,00", "7.500.000,00"), not "250.00".
DANISH_NUMBERS = {models.DecimalField: {"localize": True}}


class InForceFilter(admin.SimpleListFilter):
    """Gældende i dag / tidligere / kommende, for every dated table."""

    title = _("gyldighed")
    parameter_name = "gyldighed"

    def lookups(self, request, model_admin):
        return [("nu", _("Gældende i dag")), ("tidligere", _("Tidligere")), ("kommende", _("Kommende"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "nu":
            return queryset.in_force(today)
        if self.value() == "tidligere":
            return queryset.filter(valid_until__lt=today)
        if self.value() == "kommende":
            return queryset.filter(valid_from__gt=today)
        return queryset


class EffectiveRowForm(forms.ModelForm):
    """A dated row's form, with the option to close the row it replaces (on new rows only)."""

    supersede = forms.BooleanField(
        label=_("Afslut den gældende række dagen før"),
        required=False,
        help_text=_(
            "Sæt flueben, når rækken afløser en række, der gælder på startdatoen: den afsluttes automatisk dagen før."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        # Read by the model's overlap check (which then ignores the predecessor) and by save_model.
        self.instance.supersede = bool(cleaned.get("supersede")) and self.instance.pk is None
        return cleaned


class ProgrammeAdmin(SimpleHistoryAdmin):
    """Every programme table: history ("Historik") and Danish number input."""

    formfield_overrides = DANISH_NUMBERS


class EffectiveAdmin(ProgrammeAdmin):
    """Shared behaviour of the dated tables: period columns, the validity filter, saving through the service."""

    form = EffectiveRowForm
    date_hierarchy = "valid_from"

    def get_fields(self, request, obj=None):
        # What the row is about first, then its period, then (on new rows) the box to close the old one.
        period = ["valid_from", "valid_until"]
        fields = [name for name in super().get_fields(request, obj) if name not in {"supersede", *period}]
        return [*fields, *period] if obj is not None else [*fields, *period, "supersede"]

    def save_model(self, request, obj, form, change):
        services.effective_row_save(row=obj, supersede=bool(form.cleaned_data.get("supersede")) and not change)

    @admin.display(description=_("periode"), ordering="valid_from")
    def period(self, obj) -> str:
        return obj.period_display


@admin.register(ESFProject)
class ESFProjectAdmin(ProgrammeAdmin):
    list_display = ["name", "axis", "objective", "activity_code", "journal_display", "period_start", "period_end"]
    list_display_links = ["name"]
    list_filter = ["axis", "uses_flat_rate"]
    search_fields = ["name", "code", "journal_number"]

    @admin.display(description=_("journalnummer"), ordering="journal_number")
    def journal_display(self, obj: ESFProject) -> str:
        return obj.journal_number or _("(ikke indtastet)")


@admin.register(EligibleActivity)
class EligibleActivityAdmin(ProgrammeAdmin):
    list_display = ["name", "project", "code", "sort_order"]
    list_filter = ["project"]
    search_fields = ["name", "code", "description"]
    list_select_related = ["project"]


class BudgetAmountInline(admin.TabularInline):
    """The line's amounts, read-only here: edit them as dated rows under Budgetbeløb."""

    model = BudgetAmount
    fields = ["year", "amount", "valid_from", "valid_until"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


@admin.register(BudgetLine)
class BudgetLineAdmin(ProgrammeAdmin):
    list_display = ["name", "code", "project", "sort_order"]
    list_filter = ["project"]
    search_fields = ["name", "code"]
    list_select_related = ["project"]
    inlines = [BudgetAmountInline]


@admin.register(BudgetAmount)
class BudgetAmountAdmin(EffectiveAdmin):
    list_display = ["budget_line", "year", "amount", "period"]
    list_filter = [InForceFilter, "year", "budget_line", "budget_line__project"]
    list_select_related = ["budget_line"]


@admin.register(FinancingSource)
class FinancingSourceAdmin(ProgrammeAdmin):
    list_display = ["name", "code", "sort_order"]


class FinancingPlanLineInline(admin.StackedInline):
    # Stacked, not tabular: every field keeps its own label (the tabular cells have none for screen readers).
    model = FinancingPlanLine
    fields = ["source", "amount"]
    formfield_overrides = DANISH_NUMBERS
    extra = 0
    min_num = 1


@admin.register(FinancingPlan)
class FinancingPlanAdmin(EffectiveAdmin):
    list_display = ["name", "period", "total", "shares"]
    list_filter = [InForceFilter]
    inlines = [FinancingPlanLineInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines__source")

    @admin.display(description=_("i alt (kr.)"))
    def total(self, obj: FinancingPlan):
        return sum((line.amount for line in obj.lines.all()), 0)

    @admin.display(description=_("andele"))
    def shares(self, obj: FinancingPlan) -> str:
        lines = list(obj.lines.all())
        total = sum(line.amount for line in lines)
        if not total:
            return "–"
        return ", ".join(f"{line.source.name} {line.amount * 100 / total:.0f} %" for line in lines)


class MappingInline(admin.TabularInline):
    """The type's mappings over time, read-only here: change them under Tilknytninger af aktivitetstyper."""

    model = ActivityTypeMapping
    fields = ["eligible_activity", "budget_line", "charged_to_project", "valid_from", "valid_until"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True


@admin.register(ActivityType)
class ActivityTypeAdmin(ProgrammeAdmin):
    list_display = ["name", "code", "kind", "is_active", "sort_order"]
    list_filter = ["kind", "is_active", "mappings__eligible_activity__project"]
    search_fields = ["name", "code", "description"]
    inlines = [MappingInline]

    def get_readonly_fields(self, request, obj=None):
        # The code is what other tables and the activities work refer to: fixed once created.
        return ["code"] if obj is not None else []


@admin.register(ActivityTypeMapping)
class ActivityTypeMappingAdmin(EffectiveAdmin):
    list_display = ["activity_type", "axis", "eligible_activity", "budget_line", "charged_to_project", "period"]
    list_filter = [
        InForceFilter,
        "eligible_activity__project",
        "eligible_activity",
        "budget_line",
        "charged_to_project",
        "activity_type__kind",
    ]
    search_fields = ["activity_type__name", "activity_type__code"]
    list_select_related = ["activity_type", "eligible_activity__project", "budget_line"]

    def get_readonly_fields(self, request, obj=None):
        # A row that is or has been in force is frozen (activities keep it); only its end can be set.
        if obj is not None and obj.valid_from <= timezone.localdate():
            return ["activity_type", "eligible_activity", "budget_line", "charged_to_project", "valid_from"]
        return []

    @admin.display(description=_("akse"), ordering="eligible_activity__project__axis")
    def axis(self, obj: ActivityTypeMapping) -> int:
        return obj.axis


class StandardOrOrganisationFilter(admin.SimpleListFilter):
    title = _("gælder for")
    parameter_name = "gaelder_for"

    def lookups(self, request, model_admin):
        return [("standard", _("Standard")), ("organisation", _("En organisation"))]

    def queryset(self, request, queryset):
        if self.value() == "standard":
            return queryset.filter(organisation__isnull=True)
        if self.value() == "organisation":
            return queryset.filter(~Q(organisation__isnull=True))
        return queryset


@admin.register(StaffCostRate)
class StaffCostRateAdmin(EffectiveAdmin):
    list_display = ["applies_to", "method", "hourly_rate", "monthly_cap_hours", "period"]
    list_filter = [InForceFilter, StandardOrOrganisationFilter, "method"]
    search_fields = ["organisation__name"]
    list_select_related = ["organisation"]

    @admin.display(description=_("gælder for"), ordering="organisation__name")
    def applies_to(self, obj: StaffCostRate) -> str:
        return obj.organisation.name if obj.organisation_id else _("Standard")


@admin.register(DeMinimisRule)
class DeMinimisRuleAdmin(EffectiveAdmin):
    list_display = ["regulation", "ceiling_eur", "years", "window", "single_undertaking", "period"]
    list_filter = [InForceFilter, "window"]


@admin.register(ProgrammeThreshold)
class ProgrammeThresholdAdmin(EffectiveAdmin):
    list_display = ["key", "value", "period"]
    list_filter = [InForceFilter, "key"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(EffectiveAdmin):
    list_display = ["name", "month", "warning_days", "period"]
    list_filter = [InForceFilter]
