"""The base of every list's filters (kompetence/filters.py): an invalid value never shows every row,
the sort order falls back to the default, choices are narrowed, and the fast select renders the same
markup as Django's own."""

from __future__ import annotations

import django_filters
import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kompetence.filters import FastSelect, ListFilterSet, sort_filter
from partnerships.models import Partnership
from tests.factories import PartnershipFactory

SORTS = {
    "navn": (_("Navn (A-Å)"), ("name", "pk")),
    "-navn": (_("Navn (Å-A)"), ("-name", "-pk")),
}


class PartnershipFilter(ListFilterSet):
    """A list of partnerships, filtered by name and by one partnership chosen among those allowed."""

    sorts, default_sort = SORTS, "navn"

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    valgt = django_filters.ModelChoiceFilter(
        queryset=Partnership.objects.none(), method="filter_chosen", empty_label=_("Alle"), widget=FastSelect
    )
    sortering = sort_filter(SORTS)

    class Meta:
        model = Partnership
        fields: list[str] = []

    def narrow(self, user) -> None:
        self.filters["valgt"].queryset = Partnership.objects.exclude(name="LKS Skjult").order_by("name")

    def filter_chosen(self, queryset, name, value):
        return queryset.filter(pk=value.pk) if value else queryset


@pytest.fixture
def partnerships(db):
    return [PartnershipFactory(name=name) for name in ("LKS Alfa", "LKS Beta", "LKS Skjult")]


def names(filterset) -> list[str]:
    return sorted(filterset.qs.values_list("name", flat=True))


def test_a_valid_filter_narrows_the_list(partnerships):
    alfa = partnerships[0]
    filterset = PartnershipFilter({"valgt": str(alfa.pk)}, Partnership.objects.all(), user=None)
    assert not filterset.invalid
    assert names(filterset) == ["LKS Alfa"]
    assert filterset.is_filtered and filterset.filters_active


def test_a_value_outside_the_narrowed_choices_gives_an_empty_list_not_every_row(partnerships):
    hidden = partnerships[2]
    filterset = PartnershipFilter({"valgt": str(hidden.pk)}, Partnership.objects.all(), user=None)
    assert filterset.invalid
    assert names(filterset) == []
    assert "valgt" in filterset.form.errors


@pytest.mark.parametrize("value", ["abc", "999999999"])
def test_an_impossible_value_gives_an_empty_list(partnerships, value):
    filterset = PartnershipFilter({"valgt": value}, Partnership.objects.all(), user=None)
    assert filterset.invalid and names(filterset) == []


def test_an_unbound_filter_shows_every_row_and_is_not_filtered(partnerships):
    filterset = PartnershipFilter(None, Partnership.objects.all(), user=None)
    assert not filterset.invalid and not filterset.is_filtered
    assert names(filterset) == ["LKS Alfa", "LKS Beta", "LKS Skjult"]


def test_the_sort_order_falls_back_to_the_default_and_is_not_a_filter(partnerships):
    assert PartnershipFilter({"sortering": "-navn"}, user=None).sort_keys == ("-name", "-pk")
    unknown = PartnershipFilter({"sortering": "ukendt"}, Partnership.objects.all(), user=None)
    assert unknown.sort == "navn" and unknown.sort_keys == ("name", "pk")
    only_sorted = PartnershipFilter({"sortering": "-navn"}, Partnership.objects.all(), user=None)
    assert not only_sorted.is_filtered
    assert PartnershipFilter({"q": "alfa"}, user=None).is_filtered
    assert not PartnershipFilter({"q": "alfa"}, user=None).filters_active


def test_the_choices_are_narrowed_and_the_widgets_styled(partnerships):
    form = PartnershipFilter(None, user=None).form
    html = str(form["valgt"])
    assert "LKS Alfa" in html and "LKS Beta" in html and "LKS Skjult" not in html
    assert 'class="form-select"' in html
    assert 'class="form-control"' in str(form["q"])


def test_the_fast_select_renders_the_markup_of_djangos_select():
    choices = [
        ("", "Alle"),
        ("1", "Æbler & pærer"),
        ("2", "<b>fed</b>"),
        ("3", mark_safe("<i>sikker</i>")),
        (4, _("Ja")),
    ]
    attrs = {"class": "form-select", "id": "id_x"}
    fast = FastSelect(attrs=attrs, choices=choices).render("x", "1")
    django = forms.Select(attrs=attrs, choices=choices).render("x", "1")
    assert _normalise(fast) == _normalise(django)


def _normalise(html: str) -> str:
    from django.test.html import parse_html

    return str(parse_html(html))


class GivenOnly(PartnershipFilter):
    """Narrowed only when a value is given (as the lists do), to the partnership named ``user``."""

    def narrow(self, user) -> None:
        if self.given("valgt"):
            self.filters["valgt"].queryset = Partnership.objects.filter(pk=user.pk)


def test_the_form_built_once_per_class_keeps_each_requests_narrowed_choices_to_that_request(partnerships):
    alfa, beta, _hidden = partnerships
    assert not GivenOnly({"valgt": str(alfa.pk)}, Partnership.objects.all(), user=alfa).invalid
    assert GivenOnly({"valgt": str(alfa.pk)}, Partnership.objects.all(), user=beta).invalid
    # A request that narrows nothing sees none of the earlier requests' querysets.
    later = GivenOnly({}, Partnership.objects.all(), user=beta)
    assert list(later.form.fields["valgt"].queryset) == []
    assert list(GivenOnly.form_class().base_fields["valgt"].queryset) == []
    assert later.filters["valgt"].field is later.form.fields["valgt"]


def test_the_fixed_options_are_written_in_the_language_of_each_request(partnerships):
    from django.utils import translation

    from partnerships.meeting_filters import MeetingFilter

    def tid(language):
        with translation.override(language):
            form = MeetingFilter({}, None, user=None, partnerships=[]).form
            return str(form["tid"])

    assert ">Kommende</option>" in tid("da")
    assert ">Upcoming</option>" in tid("en") and "Kommende" not in tid("en")
    assert ">Kommende</option>" in tid("da")
