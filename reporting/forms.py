"""Forms of the reporting pages: the period filter, targets, goals and reviews, declarations, budget."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kompetence.forms import DanishDecimalField, DateInput, apply_text_limits
from partnerships.models import BudgetLine, ESFProject, FinancingSource, Organisation, Partnership
from reporting.models import GoalReview, indicator_choices
from reporting.periods import Period, PeriodError


class PeriodForm(forms.Form):
    """``?periode=2018&partnerskab=3``: a period as ``Period.parse`` reads it, optionally a partnership."""

    periode = forms.CharField(
        label=_("Periode"),
        required=False,
        max_length=40,
        help_text=_("Fx 2018, 2018-K3, 2018-H1 eller 2018-01-01..2018-06-30."),
    )
    partnerskab = forms.ModelChoiceField(
        label=_("Partnerskab"), queryset=Partnership.objects.none(), required=False, empty_label=_("Hele programmet")
    )

    def __init__(self, *args: Any, partnerships=None, default: Period, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default = default
        if partnerships is None:
            del self.fields["partnerskab"]
        else:
            self.fields["partnerskab"].queryset = partnerships
        apply_text_limits(self)

    def clean_periode(self) -> Period:
        text = self.cleaned_data.get("periode") or ""
        if not text.strip():
            return self.default
        try:
            return Period.parse(text)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None

    @property
    def period(self) -> Period:
        if self.is_valid():
            return self.cleaned_data["periode"]
        return self.default

    @property
    def partnership(self) -> Partnership | None:
        if "partnerskab" in self.fields and self.is_valid():
            return self.cleaned_data.get("partnerskab")
        return None


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indikator"), choices=())
    year = forms.TypedChoiceField(label=_("År"), coerce=int, choices=())
    value = DanishDecimalField(label=_("Mål"), max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=300)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = indicator_choices()
        self.fields["year"].choices = [(year, str(year)) for year in years]
        apply_text_limits(self)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Mål"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator = forms.ChoiceField(label=_("Indikator (valgfri)"), required=False, choices=())
    target_value = DanishDecimalField(label=_("Målværdi"), required=False, max_digits=12, decimal_places=2, min_value=0)
    start_on = forms.DateField(label=_("Gælder fra"), widget=DateInput)
    due_on = forms.DateField(label=_("Skal være nået"), widget=DateInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "–"), *indicator_choices()]
        apply_text_limits(self)


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Gennemgået den"), widget=DateInput, initial=dt.date.today)
    assessment = forms.ChoiceField(label=_("Vurdering"), choices=GoalReview.Assessment.choices)
    note = forms.CharField(label=_("Begrundelse"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class DeclarationForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.order_by("name"))
    project = forms.ModelChoiceField(label=_("ESF-projekt"), queryset=ESFProject.objects.order_by("sort_order"))
    signed_on = forms.DateField(label=_("Underskrevet den"), widget=DateInput)
    signed_by = forms.CharField(label=_("Underskrevet af"), max_length=150)
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class BudgetAmountForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budgetlinje"), queryset=BudgetLine.objects.order_by("sort_order"))
    year = forms.IntegerField(label=_("Budgetår"), min_value=2014, max_value=2100)
    amount = DanishDecimalField(label=_("Beløb (kr.)"), max_digits=14, decimal_places=2, min_value=0)
    valid_from = forms.DateField(
        label=_("Gælder fra"), widget=DateInput, help_text=_("Den hidtidige værdi gælder til og med dagen før.")
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


class FinancingForm(forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=2014, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sources = list(FinancingSource.objects.order_by("sort_order"))
        for source in self.sources:
            self.fields[f"source_{source.pk}"] = DanishDecimalField(
                label=_("%(source)s (kr.)") % {"source": source.name}, max_digits=14, decimal_places=2, min_value=0
            )
        apply_text_limits(self)

    def amounts(self) -> dict:
        return {source: self.cleaned_data[f"source_{source.pk}"] for source in self.sources}
