"""The filters of the meeting list: the list pattern of ``docs/architecture.md``.

Danish parameter names, choices narrowed to what the user may see, and an invalid value gives an
**empty** list (``invalid``) with a message, never the unfiltered one.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetence.filters import FastSelect
from partnerships.models import Meeting, MeetingKind, Partnership, User

UPCOMING, PAST, ALL = "kommende", "afholdte", "alle"
SORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "tid": (_("Tidspunkt (første først)"), ("start", "pk")),
    "-tid": (_("Tidspunkt (seneste først)"), ("-start", "-pk")),
}


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices of a model field read from the rows the filter already loaded (``field.rows``):
    the list's partnership names and the field's options come from one query. Django's iterator runs
    the query again, through ``QuerySet.iterator()`` (on PostgreSQL a server-side cursor: three round
    trips). A chosen value is still checked against the queryset."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows) + (1 if self.field.empty_label is not None else 0)


class MeetingFilter(django_filters.FilterSet):
    """Search, when (coming, held, all), partnership, kind, status and sort order of the meeting list."""

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
    sortering = django_filters.ChoiceFilter(
        label=_("Sortér efter"),
        choices=[(key, label) for key, (label, _keys) in SORTS.items()],
        method="filter_nothing",
        empty_label=None,
        widget=FastSelect,
    )

    class Meta:
        model = Meeting
        fields: list[str] = []

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        user: User,
        partnerships: QuerySet[Partnership],
        partnership_rows: list[Partnership] | None = None,
        **kwargs,
    ):
        data = data.copy() if data is not None else {}
        if not data.get("tid"):
            data["tid"] = UPCOMING
        super().__init__(data, queryset, **kwargs)
        self.user = user
        self.filters["partnerskab"].queryset = partnerships
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        # The partnerships the user may choose, read once (or given, already read): the field's options
        # and the list's names. A chosen value is still checked against ``partnerships``.
        choice = self.form.fields["partnerskab"]
        choice.rows = list(partnerships) if partnership_rows is None else partnership_rows
        choice.iterator = ListedChoiceIterator
        choice.widget.choices = choice.choices

    @property
    def partnership_names(self) -> dict[int, str]:
        return {p.pk: p.name for p in self.form.fields["partnerskab"].rows}

    @property
    def invalid(self) -> bool:
        return not self.form.is_valid()

    @property
    def qs(self) -> QuerySet:
        if self.invalid:
            return self.queryset.none()
        return super().qs

    @property
    def sort_keys(self) -> tuple[str, ...]:
        value = self.data.get("sortering")
        if value not in SORTS:
            value = "tid" if self.data.get("tid") == UPCOMING else "-tid"
        return SORTS[value][1]

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in ("q", "partnerskab", "type", "status"))

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # the sort order is applied by the keyset pagination

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
