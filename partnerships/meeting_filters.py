"""The filters of the meeting list: the list pattern of ``docs/architecture.md``, on
``kompetence.filters.ListFilterSet`` like the firm and activity lists.

Danish parameter names, choices narrowed to what the user may see, and an invalid value gives an
**empty** list (``invalid``) with a message, never the unfiltered one.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetence.filters import SORT_PARAMETER, FastSelect, ListFilterSet, sort_filter
from partnerships.models import Meeting, MeetingKind, Partnership, User

UPCOMING, PAST, ALL = "kommende", "afholdte", "alle"
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tid": (_("Tidspunkt (første først)"), ("start", "pk")),
    "-tid": (_("Tidspunkt (seneste først)"), ("-start", "-pk")),
}


class MeetingFilter(ListFilterSet):
    """Search, when (coming, held, all), partnership, kind, status and sort order of the meeting list.

    Pass ``partnerships``: the partnerships the user may see, already read (kept per process,
    ``meeting_selectors.partnership_choices``): they are the partnership field's options and the
    list's names. A chosen partnership is still checked against ``Partnership.objects.for_user``.
    """

    sorts, default_sort = SORTS, "tid"

    q = django_filters.CharFilter(
        label=_("Søg på mødets titel eller sted"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 200}),
    )
    tid = django_filters.ChoiceFilter(
        label=_("Hvornår"),
        choices=[(UPCOMING, _("Kommende")), (PAST, _("Afholdte")), (ALL, _("Alle"))],
        method="filter_when",
        empty_label=None,
        widget=FastSelect,
    )
    partnerskab = django_filters.ModelChoiceFilter(
        field_name="partnership",
        label=_("Partnerskab"),
        queryset=Partnership.objects.none(),
        empty_label=_("Alle"),
        widget=FastSelect,
    )
    type = django_filters.ChoiceFilter(
        field_name="kind", label=_("Type"), choices=MeetingKind.choices, empty_label=_("Alle"), widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Meeting.Status.choices, empty_label=_("Alle"), widget=FastSelect
    )
    sortering = sort_filter(SORTS)

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, user: User, partnerships: list[Partnership], **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("tid"):
            data["tid"] = UPCOMING
        self.partnership_rows = partnerships
        super().__init__(data, queryset, user=user, **kwargs)

    def narrow(self, user: User) -> None:
        # The options are the rows given; a queryset is needed only to validate a chosen value.
        if self.given("partnerskab"):
            self.filters["partnerskab"].queryset = Partnership.objects.for_user(user)

    def options(self, user: User) -> dict[str, list[tuple[str, str]]]:
        return {"partnerskab": [(str(p.pk), p.name) for p in self.partnership_rows]}

    @property
    def partnership_names(self) -> dict[int, str]:
        return {p.pk: p.name for p in self.partnership_rows}

    @property
    def sort(self) -> str:
        # Coming meetings soonest first, held ones latest first, unless the user chose an order.
        value = self.data.get(SORT_PARAMETER)
        if value in self.sorts:
            return value
        return "tid" if self.data.get("tid") == UPCOMING else "-tid"

    @property
    def is_filtered(self) -> bool:
        return self._given(leave_out=(SORT_PARAMETER, "tid"))

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()[:200]
        return queryset.filter(Q(title__icontains=text) | Q(location__icontains=text)) if text else queryset

    def filter_when(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        now = timezone.now()
        if value == UPCOMING:
            return queryset.filter(end__gte=now)
        if value == PAST:
            return queryset.filter(end__lt=now)
        return queryset
