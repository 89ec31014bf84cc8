"""Keyset ("cursor") pagination for long lists.

Django's ``Paginator`` uses ``OFFSET``: page 400 makes the database read and throw away 20,000 rows,
so deep pages get slower with the page number. Keyset pagination remembers where the current page
ends (the values of the sort keys of its last row) and asks for the rows *after* that position, which
an index answers directly, however deep the page.

Usage::

    page = keyset_paginate(queryset, keys=["-last_visit_on", "-pk"], cursor=request.GET.get("cursor"))
    page.object_list, page.next_cursor, page.previous_cursor

``keys`` are Django ordering strings. The last key must be unique (normally ``pk``) so that the
order is total and no row is skipped or repeated when several rows share a value. Nullable keys sort
their NULLs last in both directions (a firm never visited comes after the visited ones whether the
list is sorted oldest or newest first).

A cursor is an opaque, URL-safe string; a cursor that does not decode, or that was made for another
ordering, silently gives the first page (an old bookmark must never raise an error).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q

DEFAULT_PAGE_SIZE = 50


@dataclass(frozen=True)
class _Key:
    name: str  # a field name, "pk", or an annotation
    descending: bool
    nullable: bool
    field: models.Field | None  # used to turn cursor strings back into dates, numbers...

    def value_of(self, obj: Any) -> Any:
        if isinstance(obj, dict):  # a row of values(): read with its keys among the fields
            return obj[self.name]
        return obj.pk if self.name == "pk" else getattr(obj, self.name)


@dataclass
class KeysetPage:
    """One page of rows and the cursors of its neighbours (``None`` where there is no neighbour)."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _parse_keys(model: type[models.Model], keys: Sequence[str]) -> list[_Key]:
    parsed = []
    for raw in keys:
        descending = raw.startswith("-")
        name = raw.lstrip("-")
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            nullable = bool(field.null)
        except FieldDoesNotExist:
            # An annotation: we cannot know, so assume it may be NULL (always correct, slightly slower).
            field, nullable = None, True
        parsed.append(_Key(name, descending, nullable, field))
    if not parsed or parsed[-1].nullable:
        raise ValueError("The last keyset key must be unique and not nullable, e.g. 'pk'.")
    return parsed


def _signature(keys: Sequence[_Key]) -> str:
    return ",".join(("-" if k.descending else "") + k.name for k in keys)


def encode_cursor(keys: Sequence[_Key], values: Sequence[Any], direction: str) -> str:
    payload = {"o": _signature(keys), "d": direction, "v": list(values)}
    raw = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(keys: Sequence[_Key], cursor: str | None) -> tuple[str, list[Any]] | None:
    """``(direction, values)`` of a cursor made for these keys, or None for anything else."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
        if payload["o"] != _signature(keys) or payload["d"] not in ("next", "prev"):
            return None
        values = payload["v"]
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        typed = [
            None if value is None else (key.field.to_python(value) if key.field is not None else value)
            for key, value in zip(keys, values, strict=True)
        ]
    except (ValueError, KeyError, TypeError, binascii.Error, ValidationError):
        return None
    if any(value is None and not key.nullable for key, value in zip(keys, typed, strict=True)):
        return None
    return payload["d"], typed


def _order_by(keys: Sequence[_Key], *, reverse: bool) -> list:
    """ORDER BY for the keys; ``reverse`` flips every key, NULLs included (they then come first)."""
    ordering = []
    for key in keys:
        descending = key.descending != reverse
        expression = F(key.name)
        if not key.nullable:
            ordering.append(expression.desc() if descending else expression.asc())
        elif reverse:
            ordering.append(expression.desc(nulls_first=True) if descending else expression.asc(nulls_first=True))
        else:
            ordering.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
    return ordering


def _after(keys: Sequence[_Key], values: Sequence[Any], *, reverse: bool) -> Q:
    """Rows strictly after ``values`` in the keys' order (or, with ``reverse``, strictly before).

    Lexicographic: (k1 after v1) OR (k1 = v1 AND k2 after v2) OR ... With NULLs last, NULL sorts
    after every value; walking backwards they come first.
    """
    never = Q(pk__in=[])
    condition = never
    equal_so_far = Q()
    for key, value in zip(keys, values, strict=True):
        descending = key.descending != reverse
        nulls_first = reverse  # NULLs are last going forwards, hence first going backwards
        if value is None:
            step = Q(**{f"{key.name}__isnull": False}) if nulls_first else never
            equal = Q(**{f"{key.name}__isnull": True})
        else:
            step = Q(**{f"{key.name}__{'lt' if descending else 'gt'}": value})
            if key.nullable and not nulls_first:
                step |= Q(**{f"{key.name}__isnull": True})
            equal = Q(**{key.name: value})
        condition |= equal_so_far & step
        equal_so_far &= equal
    first, first_value = keys[0], values[0]
    if first_value is not None and not first.nullable:
        # Redundant, but it lets the database start an index range scan at the cursor instead of
        # filtering the index from its beginning.
        descending = first.descending != reverse
        condition &= Q(**{f"{first.name}__{'lte' if descending else 'gte'}": first_value})
    return condition


def keyset_ordering(model: type[models.Model], keys: Sequence[str]) -> list:
    """The ORDER BY of ``keys`` (NULLs last), for a full listing in the same order as the pages."""
    return _order_by(_parse_keys(model, keys), reverse=False)


def keyset_paginate(
    queryset: models.QuerySet,
    *,
    keys: Sequence[str],
    cursor: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> KeysetPage:
    """The page of ``queryset`` (ordered by ``keys``) that ``cursor`` points at; the first page without one.

    One query per page (two when stepping back onto the first page). The queryset's own ordering
    is replaced.
    """
    parsed = _parse_keys(queryset.model, keys)
    position = decode_cursor(parsed, cursor)

    def first_page() -> KeysetPage:
        rows = list(queryset.order_by(*_order_by(parsed, reverse=False))[: page_size + 1])
        return _page(parsed, rows[:page_size], has_next=len(rows) > page_size, has_previous=False)

    if position is None:
        return first_page()
    direction, values = position
    if direction == "next":
        rows = list(
            queryset.filter(_after(parsed, values, reverse=False)).order_by(*_order_by(parsed, reverse=False))[
                : page_size + 1
            ]
        )
        return _page(parsed, rows[:page_size], has_next=len(rows) > page_size, has_previous=True)
    rows = list(
        queryset.filter(_after(parsed, values, reverse=True)).order_by(*_order_by(parsed, reverse=True))[
            : page_size + 1
        ]
    )
    if len(rows) <= page_size:
        # Stepped back onto the start of the list: show a full first page rather than a short one.
        return first_page()
    rows = rows[:page_size]
    rows.reverse()
    return _page(parsed, rows, has_next=True, has_previous=True)


def _page(keys: Sequence[_Key], rows: list, *, has_next: bool, has_previous: bool) -> KeysetPage:
    next_cursor = previous_cursor = None
    if rows and has_next:
        next_cursor = encode_cursor(keys, [k.value_of(rows[-1]) for k in keys], "next")
    if rows and has_previous:
        previous_cursor = encode_cursor(keys, [k.value_of(rows[0]) for k in keys], "prev")
    return KeysetPage(rows, has_next, has_previous, next_cursor, previous_cursor)
