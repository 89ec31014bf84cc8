"""The filters of the firm list (and its CSV export, which uses the same ones).

Parameter names are Danish so a shared link reads naturally: ``?q=smed&kommune=751&lks=3&smv=ja``.
Choice fields are narrowed to what the user may see (``for_user``); a value outside them is
refused by the form like any other invalid choice. An invalid value (an unknown municipality, an
impossible date) gives an **empty** result, never the unfiltered list: ``invalid`` tells the list to
say so and the export to refuse.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from companies.models import SME_CLASSES, CaseStatus, Company, CompetenceNeed, SizeClass
from companies.selectors.firms import (
    firm_filter_options,
    firm_search,
    lead_consultant_choices,
    municipality_choices,
    parse_search,
)
from kompetence.filters import FastSelect, ListFilterSet, sort_filter
from kompetence.forms import DateInput
from partnerships.models import IndustrySection, Partnership, User

# Sort options: name -> (label, keyset keys). Each ends with pk so the order is total, and each is
# backed by an index (company_name, the unique cvr index, company_last_visit, company_follow_up).
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "navn": (_("Navn (A-Å)"), ("name", "pk")),
    "-navn": (_("Navn (Å-A)"), ("-name", "-pk")),
    "cvr": (_("CVR-nummer"), ("cvr", "pk")),
    "-seneste_besoeg": (_("Seneste besøg (nyeste først)"), ("-last_visit_on", "-pk")),
    "seneste_besoeg": (_("Seneste besøg (ældste først)"), ("last_visit_on", "pk")),
    "opfoelgning": (_("Næste opfølgning (først)"), ("next_follow_up_on", "pk")),
}
DEFAULT_SORT = "navn"


class SmeChoice:
    YES = "ja"
    NO = "nej"
    UNKNOWN = "ukendt"
    CHOICES = [(YES, _("Ja")), (NO, _("Nej")), (UNKNOWN, _("Ukendt"))]


class CompanyFilter(ListFilterSet):
    """Search, filters and sort order of the firm list. Pass ``user=request.user``."""

    sorts, default_sort = SORTS, DEFAULT_SORT

    q = django_filters.CharFilter(
        label=_("Søg på navn, CVR- eller P-nummer"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 200}),
    )
    kommune = django_filters.ModelChoiceFilter(
        field_name="municipality",
        label=_("Kommune"),
        queryset=None,
        empty_label=_("Alle kommuner"),
        widget=FastSelect,
    )
    lks = django_filters.ModelChoiceFilter(
        field_name="partnership",
        label=_("Partnerskab (LKS)"),
        queryset=None,
        empty_label=_("Alle partnerskaber"),
        widget=FastSelect,
    )
    branche = django_filters.ModelChoiceFilter(
        field_name="industry_section",
        label=_("Branche"),
        queryset=IndustrySection.objects.all(),
        empty_label=_("Alle brancher"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        field_name="status", label=_("Status"), choices=CaseStatus.choices, empty_label=_("Alle"), widget=FastSelect
    )
    smv = django_filters.ChoiceFilter(
        label=_("SMV"), choices=SmeChoice.CHOICES, method="filter_sme", empty_label=_("Alle"), widget=FastSelect
    )
    tovholder = django_filters.ModelChoiceFilter(
        field_name="lead_consultant", label=_("Tovholder"), queryset=None, empty_label=_("Alle"), widget=FastSelect
    )
    aabne_behov = django_filters.BooleanFilter(
        label=_("Har åbne behov"),
        method="filter_open_needs",
        widget=FastSelect(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nej"))]),
    )
    besoeg_efter = django_filters.DateFilter(
        field_name="last_visit_on", lookup_expr="gte", label=_("Seneste besøg efter"), widget=DateInput()
    )
    besoeg_foer = django_filters.DateFilter(
        field_name="last_visit_on", lookup_expr="lte", label=_("Seneste besøg før"), widget=DateInput()
    )
    sortering = sort_filter(SORTS)

    class Meta:
        model = Company
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user: User, fuzzy: bool = False, **kwargs):
        self.fuzzy = fuzzy
        self.search_term = parse_search((data or {}).get("q"))
        super().__init__(data, queryset, user=user, **kwargs)

    def narrow(self, user: User) -> None:
        # The options come from firm_filter_options; a queryset is needed only to validate a chosen
        # value, and building the three scoped ones cost more than the rest of the filter form.
        if self.given("kommune"):
            self.filters["kommune"].queryset = municipality_choices(user)
        if self.given("lks"):
            self.filters["lks"].queryset = Partnership.objects.for_user(user).order_by("name", "pk")
        if self.given("tovholder"):
            self.filters["tovholder"].queryset = lead_consultant_choices(user)

    def options(self, user: User) -> dict[str, list[tuple[str, str]]]:
        return firm_filter_options(user)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return firm_search(queryset, parse_search(value), fuzzy=self.fuzzy)

    def filter_sme(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == SmeChoice.YES:
            return queryset.filter(size_class__in=SME_CLASSES)
        if value == SmeChoice.NO:
            return queryset.filter(size_class=SizeClass.LARGE)
        if value == SmeChoice.UNKNOWN:
            return queryset.filter(size_class=SizeClass.UNKNOWN)
        return queryset

    def filter_open_needs(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        open_needs = Exists(CompetenceNeed.objects.open().filter(company=OuterRef("pk")))
        return queryset.filter(open_needs if value else ~open_needs)
