"""The body rows of the meeting list, written in Python (as ``activities.templatetags.activity_tables``).

Each ``{{ }}`` of a template costs about 10 µs (lookup, localisation, escaping); the 50 rows of ten
values each were the largest part of the list's own rendering (``bench/notes/feed.md``). One row is
one ``str.format`` of its markup with every value escaped as ``format_html`` would. The table's
header, caption and everything around it stay in ``partnerships/meeting_list.html``, which ``{% load
meeting_tables %}`` and calls ``{{ rows|meeting_table_rows }}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe

from kompetence.html import cell as _cell

if TYPE_CHECKING:
    # Only for the annotation: the template engine imports every app's tag libraries when it starts
    # (the bench's bare floor too, which installs the models alone), so this module imports no app code.
    from partnerships.meeting_selectors import MeetingRow

register = template.Library()

MEETING_ROW = (
    '<tr><td>{}<br><span class="text-body-secondary">{}</span></td>'
    '<td><a href="{}">{}</a>{}</td>'
    "<td>{}</td>"
    '<td><span class="badge {}">{}</span></td>'
    "<td>{}</td></tr>"
)
LOCATION = '<br><span class="small text-body-secondary">{}</span>'


@register.filter
def meeting_table_rows(rows: Iterable[MeetingRow]) -> SafeString:
    return mark_safe(  # noqa: S308  (every value escaped by _cell)
        "".join(
            MEETING_ROW.format(
                _cell(r.day),
                _cell(r.hours),
                _cell(r.url),
                _cell(r.title),
                LOCATION.format(_cell(r.location)) if r.location else "",
                _cell(r.partnership),
                _cell(r.status_css),
                _cell(r.status),
                _cell(r.my_answer or "–"),
            )
            for r in rows
        )
    )
