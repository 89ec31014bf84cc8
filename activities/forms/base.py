"""Shared pieces of the activities forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model

from kompetence.forms import portal_formfield


def fields_for(model, names, **options: Any) -> dict[str, forms.Field]:
    """The form fields of ``model``'s ``names``, with the portal's Danish number and date widgets."""
    return fields_for_model(model, fields=names, formfield_callback=portal_formfield, **options)
