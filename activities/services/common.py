"""Small pieces the activities services share."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The programme started on 1 January 2017: nothing of its activities happened before.
PROGRAMME_START = dt.date(2017, 1, 1)


def day(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def period(start: dt.date, end: dt.date | None) -> str:
    return f"{day(start)}–{day(end)}" if end else _("fra %(start)s") % {"start": day(start)}


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def clean_note(note: str, *, field: str = "note", limit: int = 500) -> str:
    note = (note or "").strip()
    if len(note) > limit:
        raise ValidationError({field: _("Må højst være %(limit)d tegn.") % {"limit": limit}})
    return note
