"""Model validation as the services run it: ``full_clean`` plus the length of long texts.

Django's ``full_clean`` does not check a ``TextField``'s ``max_length`` (only the form field does), so a
service called without a form would store a 2 MB "summary". ``validate`` checks it, with the same
Danish message the forms give, then runs ``full_clean``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _


def text_length_errors(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, str]:
    errors = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, models.TextField) or not field.max_length or field.name in exclude:
            continue
        value = getattr(instance, field.attname) or ""
        if len(value) > field.max_length:
            errors[field.name] = _("Må højst være %(limit_value)d tegn (teksten er %(show_value)d tegn).") % {
                "limit_value": field.max_length,
                "show_value": len(value),
            }
    return errors


def validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """``instance.full_clean()``, refusing long texts over their ``max_length`` as well."""
    exclude = list(exclude)
    errors = text_length_errors(instance, exclude=exclude)
    try:
        instance.full_clean(exclude=exclude or None)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
