"""Table rows written in Python, for the long lists whose 50 rows were most of their page's cost.

Each ``{{ }}`` of a template costs about 10 µs (lookup, localisation, escaping); a 50-row table of a
dozen values spent more than the rest of its page on them (``bench/notes/act.md``). A list's tag
library writes one row as one ``str.format`` of its markup with every value passed through
:func:`cell`, which escapes as ``format_html`` would (``conditional_escape``: Django's ``escape`` is
``html.escape``) without the lazy-string wrapper Django puts around each call.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe


def cell(value: Any) -> str:
    """``conditional_escape`` without its lazy wrapper: safe markup as it is, anything else escaped."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return escape(str(value))


def join_rows(markup: str, rows: Iterable[tuple]) -> SafeString:
    """``markup.format(*values)`` for each row of values, every value escaped by :func:`cell`."""
    return mark_safe("".join(markup.format(*map(cell, values)) for values in rows))  # noqa: S308  (escaped)
