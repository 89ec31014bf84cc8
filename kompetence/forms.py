"""Form pieces every app's forms use: Danish number fields, date and time widgets, length limits with
a character counter, and putting a service's errors on a form.

Forms parse and show errors; rules live in services. What is here only helps forms do that the same
way everywhere:

- ``DanishDecimalField`` / ``DanishIntegerField``: numbers read the Danish way in both languages
  ("3,5", "1.234,5"; see ``kompetence.formats``), rendered back with a decimal comma in a text input
  with ``inputmode``, so the browser never parses (and garbles) them.
- ``DateInput`` / ``TimeInput``: the native pickers, with ISO values whatever the page's language.
- ``portal_formfield``: a ModelForm ``Meta.formfield_callback`` that picks all of the above for a
  model's decimal, integer, date and time fields; ``DANISH_NUMBER_OVERRIDES`` does the same for the
  number fields of a ModelAdmin (``formfield_overrides``).
- ``apply_text_limits(form)``: the Danish max-length message on every length-limited text field, and
  on long ones the limit stated next to the field and a live counter (``static/js/char-counter.js``).
- ``apply_service_errors(form, exc)``: a service's ``ValidationError`` next to the fields it names.
- ``error_summary(...)``: the entries of the error summary (``templates/_partials/error_summary.html``).

This module imports no app of the portal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from kompetence.formats import NumberFormatError, format_decimal, format_integer, parse_decimal, parse_integer

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------
NUMBER_MESSAGES = {
    "invalid": _("Skriv et tal, fx 3,5 eller 1.234,5."),
    "characters": _("Skriv tallet med cifrene 0-9 og evt. komma, fx 3,5."),
}
INTEGER_MESSAGES = {
    "invalid": _("Skriv et helt tal, fx 12 eller 1.250."),
    "characters": _("Skriv tallet med cifrene 0-9, fx 12."),
    "not_integer": _("Skriv et helt tal uden decimaler, fx 12."),
}


class DanishNumberInput(forms.TextInput):
    """A text input for numbers: ``inputmode`` brings up the phone's number keys, and the value is
    written the Danish way (``1.234,5``). Not ``type="number"``: the browser would parse that with its
    own locale and send "35" for a typed "3,5" (or nothing at all for "1.234,5")."""

    def __init__(self, attrs: dict | None = None, *, inputmode: str = "decimal", places: int | None = None):
        super().__init__(attrs={"inputmode": inputmode, "autocomplete": "off", **(attrs or {})})
        self.places = places

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return value  # what the user typed, shown again as typed when the form has errors
        if isinstance(value, int) and not isinstance(value, bool):
            return format_integer(value)
        return format_decimal(value, self.places)


class DanishDecimalField(forms.DecimalField):
    """A decimal number typed the Danish way ("3,5", "1.234,5"; "3.5" also works), in both languages.

    Use it instead of ``forms.DecimalField`` (``field_classes`` or ``portal_formfield`` in a ModelForm).
    ``max_digits``, ``decimal_places``, ``min_value`` and ``max_value`` work as in Django.
    """

    widget = DanishNumberInput
    default_error_messages = NUMBER_MESSAGES

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.pop("localize", None)  # Django's localisation reads by the page's language: not wanted
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return Decimal(value)
        try:
            return parse_decimal(str(value))
        except NumberFormatError as error:
            code = error.code if error.code in self.error_messages else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Django adds step/min/max for <input type="number">; a text input takes none of them.
        return forms.Field.widget_attrs(self, widget)


class DanishIntegerField(forms.IntegerField):
    """A whole number typed the Danish way ("1.234", "1 234", "12"), in both languages."""

    widget = DanishNumberInput
    default_error_messages = INTEGER_MESSAGES

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.pop("localize", None)
        kwargs.setdefault("widget", DanishNumberInput(inputmode="numeric"))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        try:
            return parse_integer(str(value))
        except NumberFormatError as error:
            code = error.code if error.code in self.error_messages else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return forms.Field.widget_attrs(self, widget)


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------
class DateInput(forms.DateInput):
    """The native date picker. Its value must be ISO (yyyy-mm-dd) whatever the page's language; the
    browser shows it in the user's own format. A browser without a picker lets people type, and the
    field also reads the Danish "3.5.2026" (Django's Danish input formats)."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    """The native time picker (24 hours in Danish browsers); its value is always HH:MM."""

    input_type = "time"

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs=attrs, format="%H:%M")


def portal_formfield(db_field: models.Field, **kwargs: Any) -> forms.Field | None:
    """A ModelForm ``Meta.formfield_callback``: Danish number fields and the native date and time
    pickers for the model's fields, Django's defaults for the rest::

        class Meta:
            model = Company
            fields = [...]
            formfield_callback = portal_formfield

    Widgets named in ``Meta.widgets`` still win.
    """
    if db_field.choices is None:
        if isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", DanishDecimalField)
            kwargs.setdefault("widget", DanishNumberInput(places=db_field.decimal_places))
        elif isinstance(db_field, models.IntegerField) and not isinstance(db_field, models.AutoField):
            kwargs.setdefault("form_class", DanishIntegerField)
            kwargs.setdefault("widget", DanishNumberInput(inputmode="numeric"))
        elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
            kwargs.setdefault("widget", DateInput)
        elif isinstance(db_field, models.TimeField):
            kwargs.setdefault("widget", TimeInput)
    return db_field.formfield(**kwargs)


# For a ModelAdmin: ``formfield_overrides = DANISH_NUMBER_OVERRIDES`` (the admin's own number widgets are
# ``<input type="number">``, and ``localize=True`` reads "3,5" as 35 when the admin is in English).
DANISH_NUMBER_OVERRIDES: dict[type[models.Field], dict[str, Any]] = {
    models.DecimalField: {"form_class": DanishDecimalField, "widget": DanishNumberInput},
    models.IntegerField: {"form_class": DanishIntegerField, "widget": DanishNumberInput(inputmode="numeric")},
    models.BigIntegerField: {"form_class": DanishIntegerField, "widget": DanishNumberInput(inputmode="numeric")},
}


# ---------------------------------------------------------------------------
# Length limits and the character counter
# ---------------------------------------------------------------------------
MAX_LENGTH_MESSAGE = _("Må højst være %(limit_value)d tegn (teksten er %(show_value)d tegn).")
LIMIT_HELP = _("Højst %(limit)s tegn.")
COUNTER_TEXT = _("%(count)s af %(limit)s tegn")
COUNTER_OVER_TEXT = _("%(over)s tegn for meget: højst %(limit)s")
# Text fields at least this long, and every textarea, get the counter and the stated limit.
COUNTER_FROM = 500


def apply_text_limits(form: forms.BaseForm, *, counter_from: int = COUNTER_FROM) -> None:
    """Give a form's length-limited text fields the portal's behaviour. Call at the end of ``__init__``.

    - Every ``CharField`` with ``max_length`` gets the plain Danish message
      "Må højst være 10000 tegn (teksten er 10250 tegn)."
    - Long ones (a ``Textarea``, or a limit of at least ``counter_from``) state the limit next to the
      field ("Højst 10.000 tegn.") and get a live counter from ``static/js/char-counter.js``. They lose
      the ``maxlength`` attribute: with it the browser cuts a long paste off silently, mid-word; without
      it the counter shows the excess and the server refuses it with the message above.
    """
    for form_field in form.fields.values():
        if not isinstance(form_field, forms.CharField) or not form_field.max_length:
            continue
        form_field.error_messages["max_length"] = MAX_LENGTH_MESSAGE
        widget = form_field.widget
        if widget.is_hidden or not (isinstance(widget, forms.Textarea) or form_field.max_length >= counter_from):
            continue
        limit = format_integer(form_field.max_length)
        widget.attrs.pop("maxlength", None)
        widget.attrs.update(
            {
                "data-char-counter": "",
                "data-maxlength": str(form_field.max_length),
                "data-counter-text": COUNTER_TEXT,
                "data-counter-over-text": COUNTER_OVER_TEXT,
            }
        )
        stated = LIMIT_HELP % {"limit": limit}
        if str(stated) not in str(form_field.help_text or ""):
            form_field.help_text = f"{form_field.help_text} {stated}" if form_field.help_text else stated


# ---------------------------------------------------------------------------
# A service's errors on the form
# ---------------------------------------------------------------------------
def apply_service_errors(
    form: forms.BaseForm, exc: ValidationError, *, fields: Mapping[str, str] | None = None
) -> None:
    """Put a service's ``ValidationError`` on ``form`` (after ``is_valid()``): each error next to the
    field it names, errors of fields the form does not have (and errors with no field) at the top.

    ``fields`` renames where the service's and the form's names differ: ``{"lead_consultant": "lead"}``.
    """
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        target = (fields or {}).get(name, name)
        form.add_error(target if target in form.fields else None, errors)


# ---------------------------------------------------------------------------
# The error summary
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary: the field's label (empty for a form's own errors), the message,
    and the id of the element the line links to (empty: not linked)."""

    message: str
    label: str = ""
    target: str = ""


FORMSET_LABEL = _("%(label)s (nr. %(number)d)")


def error_summary(*items: Any) -> list[SummaryError]:
    """Every error of the given forms and formsets, in page order, for the error summary.

    ``items`` may be forms, formsets, lists of either, or None (ignored). A formset's own errors
    ("højst 20 behov") come first, then each of its forms' errors, labelled with the form's number:
    a formset may name the form with an ``error_summary_label`` attribute, e.g. ``"Behov %(number)d"``.
    Fields link to the id of their input (the first box of a group of checkboxes or radio buttons);
    hidden fields and errors of the whole form are listed without a link.
    """
    found: list[SummaryError] = []
    for item in _flatten(items):
        if isinstance(item, forms.BaseFormSet):
            found.extend(SummaryError(message=str(message)) for message in item.non_form_errors())
            label = getattr(item, "error_summary_label", None)
            for index, member in enumerate(item.forms):
                if item.can_delete and getattr(member, "cleaned_data", {}).get(forms.formsets.DELETION_FIELD_NAME):
                    continue
                prefix = (label % {"number": index + 1}) if label else None
                found.extend(_form_errors(member, number=index + 1, prefix=prefix))
        elif isinstance(item, forms.BaseForm):
            found.extend(_form_errors(item))
    return found


def _flatten(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        if item is None or item == "":
            continue
        if isinstance(item, list | tuple):
            yield from _flatten(item)
        else:
            yield item


def _form_errors(form: forms.BaseForm, *, number: int | None = None, prefix: str | None = None) -> list[SummaryError]:
    if not form.is_bound or not form.errors:
        return []
    found = [SummaryError(message=str(message), label=prefix or "") for message in form.non_field_errors()]
    for bound in form:
        if not bound.errors:
            continue
        label = str(bound.label or bound.name)
        if prefix:
            label = f"{prefix}: {label}"
        elif number is not None:
            label = str(FORMSET_LABEL % {"label": label, "number": number})
        target = "" if bound.is_hidden else _target_id(bound)
        found.extend(SummaryError(message=str(message), label=label, target=target) for message in bound.errors)
    return found


def _target_id(bound: forms.BoundField) -> str:
    """The id of the element a summary link should move to: the input itself, or for a group of
    checkboxes or radio buttons (whose label points nowhere) the first box."""
    if bound.id_for_label:
        return bound.id_for_label
    if not bound.auto_id:
        return ""
    widget = bound.field.widget
    if isinstance(widget, forms.RadioSelect | forms.MultiWidget):
        return f"{bound.auto_id}_0"
    return bound.auto_id
