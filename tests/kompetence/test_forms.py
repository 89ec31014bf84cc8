"""Shared form pieces (kompetence/forms.py): Danish numbers, dates, length limits, service errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from companies.models import Company
from kompetence.forms import (
    DANISH_NUMBER_OVERRIDES,
    DanishDecimalField,
    DanishIntegerField,
    DateInput,
    TimeInput,
    apply_service_errors,
    apply_text_limits,
    portal_formfield,
)


class NumberForm(forms.Form):
    turnover = DanishDecimalField(max_digits=9, decimal_places=2, min_value=0, required=False)
    employees = DanishIntegerField(min_value=0, required=False)


@pytest.fixture(params=["da", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("3,5", "3.5"), ("1.234,5", "1234.5"), ("1234,5", "1234.5"), ("3.5", "3.5"), ("1.234", "1234"), ("", None)],
)
def test_decimal_field_reads_danish_numbers_in_both_languages(language, typed, stored):
    form = NumberForm({"turnover": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["turnover"] == (Decimal(stored) if stored else None)


@pytest.mark.parametrize("typed", ["²", "3\x005", "٣", "1e5", "NaN", "3,5 mio."])
def test_decimal_field_refuses_other_characters_with_a_danish_message(typed):
    with translation.override("da"):
        form = NumberForm({"turnover": typed})
        assert not form.is_valid()
        assert form.errors["turnover"] == ["Skriv tallet med cifrene 0-9 og evt. komma, fx 3,5."]


def test_decimal_field_refuses_a_badly_grouped_number_and_keeps_django_limits():
    with translation.override("da"):
        assert NumberForm({"turnover": "1.23,5"}).errors["turnover"] == ["Skriv et tal, fx 3,5 eller 1.234,5."]
        assert "decimal" in NumberForm({"turnover": "3,555"}).errors["turnover"][0]  # decimal_places=2
        assert NumberForm({"turnover": "-1"}).errors["turnover"]  # min_value


def test_integer_field_reads_thousands_and_refuses_decimals():
    with translation.override("da"):
        form = NumberForm({"employees": "1.250"})
        assert form.is_valid()
        assert form.cleaned_data["employees"] == 1250
        assert NumberForm({"employees": "12,5"}).errors["employees"] == ["Skriv et helt tal uden decimaler, fx 12."]
        assert NumberForm({"employees": "²"}).errors["employees"] == ["Skriv tallet med cifrene 0-9, fx 12."]


def test_number_fields_render_a_danish_text_input_in_both_languages(language):
    form = NumberForm(initial={"turnover": Decimal("1234.50"), "employees": 1250})
    turnover, employees = str(form["turnover"]), str(form["employees"])
    assert 'type="text"' in turnover and 'inputmode="decimal"' in turnover
    assert 'value="1.234,50"' in turnover
    assert 'inputmode="numeric"' in employees and 'value="1.250"' in employees
    assert "step=" not in turnover and 'type="number"' not in turnover


def test_number_field_shows_what_was_typed_after_an_error():
    form = NumberForm({"turnover": "3,5,5"})
    assert not form.is_valid()
    assert 'value="3,5,5"' in str(form["turnover"])


def test_number_field_round_trip_does_not_count_as_a_change():
    form = NumberForm({"turnover": "1.234,50"}, initial={"turnover": Decimal("1234.50")})
    assert not form.has_changed()


class FirmNumbersForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["turnover_eur_m", "employees", "employee_band"]
        formfield_callback = portal_formfield


def test_portal_formfield_fixes_omsaetning_three_comma_five(language):
    """Omsætning "3,5" was stored as 35: the firm form's ``<input type="number">`` let an English
    browser parse it (and Django's own ``localize`` reads "3,5" as 35 on English pages)."""
    form = FirmNumbersForm({"turnover_eur_m": "3,5", "employees": "1.250", "employee_band": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["turnover_eur_m"] == Decimal("3.5")
    assert form.cleaned_data["employees"] == 1250
    assert isinstance(form.fields["turnover_eur_m"], DanishDecimalField)
    assert isinstance(form.fields["employees"], DanishIntegerField)
    assert not isinstance(form.fields["employee_band"], DanishIntegerField | DanishDecimalField)
    assert 'value="3,50"' in str(FirmNumbersForm(instance=Company(turnover_eur_m=Decimal("3.50")))["turnover_eur_m"])


def test_admin_overrides_give_the_admin_danish_number_fields(language):
    from django.contrib import admin

    class FirmAdmin(admin.ModelAdmin):
        formfield_overrides = DANISH_NUMBER_OVERRIDES

    model_admin = FirmAdmin(Company, admin.site)
    turnover = model_admin.formfield_for_dbfield(Company._meta.get_field("turnover_eur_m"), request=None)
    employees = model_admin.formfield_for_dbfield(Company._meta.get_field("employees"), request=None)
    assert isinstance(turnover, DanishDecimalField) and isinstance(employees, DanishIntegerField)
    assert turnover.clean("3,5") == Decimal("3.5") and employees.clean("1.250") == 1250
    assert 'type="number"' not in employees.widget.render("employees", 1250)
    assert 'inputmode="numeric"' in employees.widget.render("employees", 1250)


def test_why_djangos_localize_was_not_enough():
    """Django's localized DecimalField reads by the page's language: on an English page the Danish
    "3,5" loses its comma as a thousands separator. This is the behaviour DanishDecimalField replaces."""
    field = forms.DecimalField(localize=True, required=False)
    with translation.override("en"):
        assert field.clean("3,5") == Decimal("35")
    with translation.override("da"):
        assert field.clean("3,5") == Decimal("3.5")
    assert 'type="number"' in forms.DecimalField().widget.render("x", None)


def test_date_and_time_inputs_are_native_pickers_with_iso_values(language):
    assert DateInput().render("d", dt.date(2026, 5, 3)) == '<input type="date" name="d" value="2026-05-03">'
    assert TimeInput().render("t", dt.time(9, 5)) == '<input type="time" name="t" value="09:05">'


def test_date_field_reads_iso_and_danish_typed_dates():
    field = forms.DateField(widget=DateInput)
    with translation.override("da"):
        assert field.clean("2026-05-03") == dt.date(2026, 5, 3)
        assert field.clean("3.5.2026") == dt.date(2026, 5, 3)


class NotesForm(forms.Form):
    summary = forms.CharField(max_length=10_000, widget=forms.Textarea, required=False)
    note = forms.CharField(max_length=150, required=False, help_text="Kort.")
    long_line = forms.CharField(max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_text_limits(self)


def test_text_limits_give_the_danish_message():
    with translation.override("da"):
        form = NotesForm({"summary": "x" * 10_250, "note": "y" * 151})
        assert not form.is_valid()
        assert form.errors["summary"] == ["Må højst være 10000 tegn (teksten er 10250 tegn)."]
        assert form.errors["note"] == ["Må højst være 150 tegn (teksten er 151 tegn)."]


def test_long_text_states_its_limit_and_gets_a_counter_instead_of_maxlength():
    with translation.override("da"):
        form = NotesForm()
        summary = str(form["summary"])
        assert " maxlength=" not in summary  # the browser would cut a long paste off silently
        assert 'data-maxlength="10000"' in summary and "data-char-counter" in summary
        assert 'data-counter-text="%(count)s af %(limit)s tegn"' in summary
        assert form.fields["summary"].help_text == "Højst 10.000 tegn."
        assert "data-char-counter" in str(form["long_line"])  # a single line, but long
        note = str(form["note"])
        assert 'maxlength="150"' in note and "data-char-counter" not in note
        assert form.fields["note"].help_text == "Kort."


def test_apply_text_limits_twice_states_the_limit_once():
    form = NotesForm()
    apply_text_limits(form)
    assert str(form.fields["summary"].help_text).count("10.000") == 1


class VisitLikeForm(forms.Form):
    visit_date = forms.DateField(widget=DateInput)
    follow_up_on = forms.DateField(widget=DateInput, required=False)
    lead = forms.CharField(required=False)


def _valid_visit_form() -> VisitLikeForm:
    form = VisitLikeForm({"visit_date": "2026-05-03", "follow_up_on": "2026-05-01"})
    assert form.is_valid()
    return form


def test_service_errors_go_next_to_their_fields_and_unknown_ones_on_top():
    form = _valid_visit_form()
    apply_service_errors(
        form,
        ValidationError(
            {
                "follow_up_on": "Opfølgningen kan ikke ligge før besøget.",
                "consultants": "Vælg mindst én konsulent.",
                "__all__": "Besøget er ændret af en anden.",
            }
        ),
    )
    assert form.errors["follow_up_on"] == ["Opfølgningen kan ikke ligge før besøget."]
    assert form.non_field_errors() == ["Vælg mindst én konsulent.", "Besøget er ændret af en anden."]
    assert "follow_up_on" not in form.cleaned_data
    assert not form.is_valid()


def test_service_error_without_fields_goes_on_top_and_names_can_be_mapped():
    form = _valid_visit_form()
    apply_service_errors(form, ValidationError("Virksomheden er lukket."))
    assert form.non_field_errors() == ["Virksomheden er lukket."]

    form = _valid_visit_form()
    apply_service_errors(form, ValidationError({"lead_consultant": "Ikke medlem."}), fields={"lead_consultant": "lead"})
    assert form.errors["lead"] == ["Ikke medlem."]
