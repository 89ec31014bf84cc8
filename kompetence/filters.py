"""The base of every list page's filters (the list pattern of ``docs/architecture.md``).

A list's ``FilterSet`` inherits :class:`ListFilterSet` and gets, written once:

- **an invalid value gives an empty list**: django-filter leaves a field whose value does not
  validate out of the filtering, which would show (and export) every row the user may see when the
  user asked for some of them. ``invalid`` tells the page to say so and the export to refuse; ``qs``
  is then empty;
- the **sort order** as a ``sortering`` parameter naming one of ``sorts`` (name -> (label, keyset
  keys)), applied by the keyset pagination, not by the filter;
- choice fields **narrowed to what the user may see** in :meth:`ListFilterSet.narrow`, read with one
  plain query (:class:`ListModelChoiceIterator`) and rendered without Django's per-option templates
  (:class:`FastSelect`);
- Bootstrap's classes on every widget, so templates render fields as they are;
- the **form built once per class**: django-filter deep-copies every filter (their choices and
  querysets) and builds a new form class with new fields on every request, which cost the meeting
  list about a millisecond. Here the form class and its fields are made once per FilterSet class
  (:meth:`ListFilterSet.form_class`); each request gets shallow copies of the filters and Django's
  own copy of the form's fields, and the querysets ``narrow`` chose are set on that request's
  fields only. The fixed options' labels are translated once per language
  (:meth:`ListFilterSet.fixed_options`).

Parameter names are Danish so a shared link reads naturally (``?q=smed&kommune=751``).
This module imports no app: it sits below ``partnerships``.
"""

from __future__ import annotations

import copy
import html
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# A list's sort options: parameter value -> (label, keyset keys). Each key tuple ends with the primary
# key so the order is total.
Sorts = dict[str, tuple[Any, tuple[str, ...]]]

SORT_PARAMETER = "sortering"
_LOCK = threading.Lock()


def _escape(value: Any) -> str:
    # What conditional_escape gives, without its lazy-string and SafeString wrappers.
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


class FastSelect(forms.Select):
    """A ``<select>`` built in Python instead of through Django's widget templates.

    Django renders every ``<option>`` through two templates; with a filter form's hundred-odd options
    that cost more than the 50-row table below it (measured in bench/). Same markup, no option groups
    (no filter uses them).
    """

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        # Plain string building with the escaping conditional_escape does (format_html per option was
        # half the cost of the firm list's filter form).
        options = []
        for key, label in self.choices:
            key = str(key)
            options.append(
                f'<option value="{_escape(key)}"{" selected" if key in selected else ""}>{_escape(label)}</option>'
            )
        markup = mark_safe("".join(options))  # noqa: S308 (every key and label is escaped above)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), markup)


class ListModelChoiceIterator(ModelChoiceIterator):
    """Choices read with one plain query. Django's iterator uses ``QuerySet.iterator()``, which on
    PostgreSQL opens a server-side cursor (three round trips) for a list of twenty rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def sort_filter(sorts: Sorts, *, label: Any = None) -> django_filters.ChoiceFilter:
    """The ``sortering`` filter offering ``sorts`` (the keyset pagination applies the order)."""
    return django_filters.ChoiceFilter(
        label=label if label is not None else _("Sortér efter"),
        choices=[(key, option) for key, (option, _keys) in sorts.items()],
        method="filter_nothing",
        empty_label=None,
        widget=FastSelect,
    )


class ListFilterSet(django_filters.FilterSet):
    """Search, filters and sort order of a list page. Pass ``user=request.user``.

    Subclasses declare their filters, ``sorts`` and ``default_sort`` (and ``sortering =
    sort_filter(sorts)`` when the user may choose the order), and narrow their choice fields to what
    the user may see in :meth:`narrow`.
    """

    sorts: ClassVar[Sorts] = {}
    default_sort: ClassVar[str] = ""

    def __init__(self, data=None, queryset=None, *, user, request=None, prefix=None):
        # django_filters.FilterSet.__init__ without its deepcopy of every filter (their choices and
        # querysets): each filter is copied shallowly, with a dict of its own for what it changes
        # (``extra``, ``queryset``), and its method bound to this FilterSet.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.model, filter_.parent = queryset.model, self
            if base.method is not None:
                filter_.method = base.method  # a FilterMethod of the copy's own
            self.filters[name] = filter_
        self.user = user
        self.narrow(user)
        offered = self.options(user)
        form = self.form
        for name, field in form.fields.items():
            filter_ = self.filters[name]
            chosen = getattr(filter_, "queryset", None)
            if chosen is not None and chosen is not getattr(self.base_filters[name], "queryset", None):
                field.queryset = chosen  # narrowed for this user: on this request's field only
            if name in offered:
                empty = [] if getattr(field, "empty_label", None) is None else [("", field.empty_label)]
                field.widget.choices = empty + offered[name]
            elif isinstance(field, forms.ModelChoiceField):
                field.iterator = ListModelChoiceIterator
                field.widget.choices = field.choices
            elif isinstance(field, forms.ChoiceField) and isinstance(field.widget, FastSelect):
                field.widget.choices = self.fixed_options(name)
            filter_._field = field  # what django-filter's filters read as ``self.field``

    @classmethod
    def form_class(cls) -> type[forms.Form]:
        """The form of this FilterSet class, with its fields built once from the class's filters
        (django-filter builds a new class and new fields on every request)."""
        built = cls.__dict__.get("_built_form")
        if built is None:
            fields = {}
            for name, base in cls.base_filters.items():
                filter_ = copy.deepcopy(base)
                filter_.model = cls._meta.model
                fields[name] = filter_.field
            for field in fields.values():
                select = isinstance(field.widget, forms.Select)
                field.widget.attrs["class"] = "form-select" if select else "form-control"
            built = type(f"{cls.__name__}Form", (cls._meta.form,), fields)
            cls._built_form, cls._fixed = built, {}
        return built

    @classmethod
    def fixed_options(cls, name: str) -> list[tuple[str, SafeString]]:
        """The options of the fixed choice field ``name`` (choices given in the class, lazy labels),
        escaped and translated into the active language once per process and language instead of
        once per option on every page."""
        cls.form_class()  # builds this class's own ``_fixed`` with its form
        key = (name, get_language())
        options = cls._fixed.get(key)
        if options is None:
            choices = cls.form_class().base_fields[name].choices
            options = [(str(value), mark_safe(_escape(label))) for value, label in choices]  # noqa: S308 (escaped)
            with _LOCK:
                cls._fixed[key] = options
        return options

    def get_form_class(self):
        return self.form_class()

    def narrow(self, user) -> None:
        """Narrow the choice fields to what ``user`` may see (set each filter's ``queryset``)."""

    def given(self, name: str) -> bool:
        """Whether the request gives a value for the filter ``name``."""
        return self.data.get(name) not in ("", None)

    def options(self, user) -> Mapping[str, list[tuple[str, str]]]:
        """Options already known for some choice fields (by name, without the empty choice), e.g. kept
        per process (``kompetence.memo``), so the form need not read them. A chosen value is still
        validated against the field's queryset."""
        return {}

    @property
    def invalid(self) -> bool:
        """Whether a value given is not one the filter accepts (the form shows which, next to it)."""
        return self.is_bound and not self.form.is_valid()

    @property
    def qs(self) -> QuerySet:
        # django-filter leaves an invalid field out of the filtering, which would show (and export)
        # every row the user may see when the user asked for some of them.
        if self.invalid:
            return self.queryset.none()
        return super().qs

    def filter_nothing(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # The sort order is applied by the keyset pagination.

    @property
    def sort(self) -> str:
        """The sort option in force: the one asked for when it exists, else ``default_sort``."""
        value = self.data.get(SORT_PARAMETER)
        return value if value in self.sorts else self.default_sort

    @property
    def sort_keys(self) -> tuple[str, ...]:
        return self.sorts[self.sort][1]

    def _given(self, *, leave_out: tuple[str, ...]) -> bool:
        return any(self.given(name) for name in self.data if name in self.filters and name not in leave_out)

    @property
    def is_filtered(self) -> bool:
        """Whether any search or filter (not just the sort order) narrows the list."""
        return self._given(leave_out=(SORT_PARAMETER,))

    @property
    def filters_active(self) -> bool:
        """Whether a filter beyond the search box ``q`` is set (a filter panel then opens by itself)."""
        return self._given(leave_out=("q", SORT_PARAMETER))
