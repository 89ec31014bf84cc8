"""The filters of the activity and participant lists (and their exports, which use the same ones).

Both are ``kompetence.filters.ListFilterSet``s, as the firm list's: Danish parameter names, choices
narrowed to what the user may see (``narrow``, which builds a scoped queryset only to validate a value
given; the options themselves are kept per process, ``options``), and an invalid value gives an
**empty** list (``invalid``), never the unfiltered one.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import ActivityPlan, Participant
from activities.selectors.plans import activity_type_options, lead_options, partnership_options
from companies.selectors.firms import lead_consultant_choices
from kompetence.filters import FastSelect, ListFilterSet, Sorts, sort_filter
from partnerships.models import ActivityType, Axis, Partnership, User

PLAN_SORTS: Sorts = {
    "-start": (_("Start (nyeste først)"), ("-planned_start", "-pk")),
    "start": (_("Start (ældste først)"), ("planned_start", "pk")),
    "titel": (_("Titel (A-Å)"), ("title", "pk")),
}
PARTICIPANT_SORTS: Sorts = {
    "navn": (_("Efternavn (A-Å)"), ("last_name", "first_name", "pk")),
    "-start": (_("Startdato (nyeste først)"), ("-entry_date", "-pk")),
}


class ActivityFilter(ListFilterSet):
    """Search, filters (type, axis, status, partnership, responsible) and sort order of the activity list."""

    sorts, default_sort = PLAN_SORTS, "-start"

    q = django_filters.CharFilter(
        label=_("Søg på titel eller virksomhed"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 200}),
    )
    type = django_filters.ModelChoiceFilter(
        field_name="activity_type",
        label=_("Type"),
        queryset=ActivityType.objects.all(),  # validates a chosen type; the options are kept per process
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    akse = django_filters.ChoiceFilter(
        field_name="type_mapping__eligible_activity__project__axis",
        label=_("ESF-akse"),
        choices=[(str(a.value), _("Akse %(n)s") % {"n": a.value}) for a in Axis],
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActivityPlan.Status.choices, empty_label=_("Alle"), widget=FastSelect
    )
    partnerskab = django_filters.ModelChoiceFilter(
        field_name="company__partnership",
        label=_("Partnerskab"),
        queryset=Partnership.objects.none(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    ansvarlig = django_filters.ModelChoiceFilter(
        field_name="responsible",
        label=_("Ansvarlig"),
        queryset=User.objects.none(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    sortering = sort_filter(PLAN_SORTS)

    class Meta:
        model = ActivityPlan
        fields: list[str] = []

    def narrow(self, user: User) -> None:
        # The form offers ``options``; a scoped queryset is needed only to validate a chosen value.
        if self.given("partnerskab"):
            self.filters["partnerskab"].queryset = Partnership.objects.for_user(user)
        if self.given("ansvarlig"):
            self.filters["ansvarlig"].queryset = lead_consultant_choices(user)

    def options(self, user: User) -> dict[str, list[tuple[str, str]]]:
        return {
            "type": activity_type_options(),
            "partnerskab": partnership_options(user),
            "ansvarlig": lead_options(user),
        }

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()[:200]
        return queryset.filter(Q(title__icontains=text) | Q(company__name__icontains=text)) if text else queryset


class ParticipantFilter(ListFilterSet):
    """Search by name and filters of the participant list. Never by CPR number: the search is a GET, and
    a CPR number must not appear in a URL (it would be in access logs and the browser's history)."""

    sorts, default_sort = PARTICIPANT_SORTS, "navn"

    q = django_filters.CharFilter(
        label=_("Søg på navn"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 100}),
    )
    partnerskab = django_filters.ModelChoiceFilter(
        field_name="partnership",
        label=_("Partnerskab"),
        queryset=Partnership.objects.none(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    ophoert = django_filters.ChoiceFilter(
        label=_("Deltagelse"),
        choices=[("nej", _("Deltager stadig")), ("ja", _("Ophørt")), ("anonym", _("Anonymiseret"))],
        method="filter_exit",
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    sortering = sort_filter(PARTICIPANT_SORTS)

    class Meta:
        model = Participant
        fields: list[str] = []

    def narrow(self, user: User) -> None:
        if self.given("partnerskab"):
            self.filters["partnerskab"].queryset = Partnership.objects.for_user(user)

    def options(self, user: User) -> dict[str, list[tuple[str, str]]]:
        return {"partnerskab": partnership_options(user)}

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()[:100]
        if not text:
            return queryset
        query = Q()
        for word in text.split()[:4]:
            query &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(query)

    def filter_exit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "ja":
            return queryset.filter(exit_date__isnull=False, anonymised_at__isnull=True)
        if value == "nej":
            return queryset.filter(exit_date__isnull=True, anonymised_at__isnull=True)
        if value == "anonym":
            return queryset.filter(anonymised_at__isnull=False)
        return queryset
