"""Template tags and filters of the shared helpers: ``{% load kompetence %}``.

- ``{{ user|display_name }}``: the person's name, else e-mail (``kompetence.text.display_name``).
- ``{{ value|danish_number }}``, ``{{ value|danish_number:2 }}``, ``{{ value|danish_integer }}``:
  numbers the Danish way, whatever the page's language (``kompetence.formats``).
- ``{{ band|number_range }}``: "2-4" written "2–4".
- ``{{ value|display_value }}``: any stored value as a person reads it (–, Ja/Nej, dates, numbers).
- ``{% error_summary_items form formset as errors %}``: the entries of the error summary; used by
  ``_partials/error_summary.html``, which is what pages include.
"""

from __future__ import annotations

from typing import Any

from django import template

from kompetence import formats
from kompetence.forms import SummaryError, error_summary
from kompetence.text import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user: Any) -> str:
    return _display_name(user)


@register.filter
def danish_number(value: Any, places: Any = None) -> str:
    if value in (None, ""):
        return ""
    try:
        return formats.format_decimal(value, int(places) if places not in (None, "") else None)
    except (ValueError, ArithmeticError):
        return str(value)


@register.filter
def danish_integer(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return formats.format_integer(value)
    except (ValueError, ArithmeticError):
        return str(value)


@register.filter
def number_range(value: Any) -> str:
    return formats.format_range(value)


@register.filter
def display_value(value: Any) -> str:
    return formats.display_value(value)


@register.simple_tag
def error_summary_items(*items: Any) -> list[SummaryError]:
    return error_summary(*items)
