"""The body rows of the activity and participant lists, written in Python.

Each ``{{ }}`` of a template costs about 10 µs (lookup, localisation, escaping); a 50-row table of a
dozen columns spent more than the rest of the page on it (measured in ``bench/``, see
``bench/notes/act.md``). Here one row is one ``str.format`` of its markup with every value escaped as
``format_html`` would (``conditional_escape``: Django's ``escape`` is ``html.escape``), without the
lazy-string wrapper Django puts around each call, which cost as much as the escaping.
The tables' headers, captions and everything around them stay in the templates
(``activities/_plan_results.html``, ``activities/participant_list.html``), which ``{% load
activity_tables %}`` and call ``{{ rows|plan_table_rows }}``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from activities.selectors.participants import ParticipantRow
from activities.selectors.plans import PlanRow
from kompetence.html import cell as _cell
from kompetence.html import join_rows as _join

register = template.Library()


PLAN_ROW = (
    '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th>'
    '<td class="d-none d-md-table-cell"><a href="{}">{}</a><br><span class="small">{}</span></td>'
    '<td class="small d-none d-lg-table-cell">{}</td>'
    '<td class="d-none d-sm-table-cell">{}</td>'
    '<td><span class="badge {}">{}</span></td>'
    '<td class="d-none d-lg-table-cell">{}</td>'
    '<td class="text-nowrap small d-none d-md-table-cell">{}–{}</td></tr>'
)

PARTICIPANT_ROW = (
    '<tr><th scope="row" class="fw-normal"><a href="{}">{}</a></th>'
    '<td class="text-nowrap">{}</td>'
    '<td class="d-none d-md-table-cell">{}</td>'
    '<td class="d-none d-lg-table-cell small">{}</td>'
    '<td class="d-none d-sm-table-cell text-nowrap">{}</td>'
    '<td class="d-none d-sm-table-cell text-nowrap">{}</td>'
    "<td>{}</td></tr>"
)


@register.filter
def plan_table_rows(rows: Iterable[PlanRow]) -> SafeString:
    return _join(
        PLAN_ROW,
        (
            (
                r.url,
                r.title,
                r.company_url,
                r.company,
                r.partnership,
                r.type_name,
                "–" if r.axis is None else r.axis,
                r.status_css,
                r.status,
                r.responsible,
                r.start,
                r.end,
            )
            for r in rows
        ),
    )


def _missing_badge(row: ParticipantRow, anonymised: SafeString) -> SafeString | str:
    if row.anonymised:
        return anonymised
    if row.missing:
        text = ngettext("%(counter)s oplysning", "%(counter)s oplysninger", row.missing) % {"counter": row.missing}
        return mark_safe(f'<span class="badge text-bg-warning">{_cell(text)}</span>')  # noqa: S308  (escaped)
    return "–"


@register.filter
def participant_table_rows(rows: Iterable[ParticipantRow]) -> SafeString:
    anonymised = mark_safe(f'<span class="badge text-bg-light border">{_cell(gettext("Anonymiseret"))}</span>')  # noqa: S308
    return _join(
        PARTICIPANT_ROW,
        (
            (
                r.url,
                r.name,
                r.cpr_masked or "–",
                r.employer or "–",
                r.partnership,
                r.entry,
                r.exit or "–",
                _missing_badge(r, anonymised),
            )
            for r in rows
        ),
    )
