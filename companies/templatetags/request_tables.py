"""The body rows of "Rekrutteringsbehov", written in Python (see ``kompetence.html``).

The table's header, caption and everything around it stay in ``companies/recruitment_list.html``
(through ``companies/_filtered_table.html``), which ``{% load request_tables %}`` and calls
``{{ rows|recruitment_table_rows:can_close }}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from kompetence.html import cell, join_rows

if TYPE_CHECKING:
    from companies.selectors.requests import RecruitmentRow

register = template.Library()

RECRUITMENT_ROW = (
    '<tr><td><strong>{}</strong><br><span class="small">{}</span></td>'
    '<td><a href="{}">{}</a><br><span class="small text-body-secondary">{}</span></td>'
    "<td>{}</td>"
    "<td>{}</td>"
    "<td>{}</td>"
    "<td>{}</td></tr>"
)


@register.filter
def recruitment_table_rows(rows: Iterable[RecruitmentRow], can_close: bool = False) -> SafeString:
    short_date = get_format("SHORT_DATE_FORMAT")  # looked up once, not for each date

    def date(value) -> str:
        return dateformat.format(value, short_date)

    overdue = f' <span class="badge text-bg-danger">{cell(gettext("overskredet"))}</span>'
    foreign, graduates, open_ = gettext("Udenlandske specialister"), gettext("Dimittender"), gettext("Åben")
    # The template's own msgid: "Luk" with the job for screen readers.
    close = gettext('Luk<span class="visually-hidden"> %(job)s</span>')

    def deadline(row: RecruitmentRow) -> SafeString | str:
        if not row.deadline:
            return "–"
        html = f'<time datetime="{row.deadline.isoformat()}">{cell(date(row.deadline))}</time>'
        return mark_safe(html + overdue if row.overdue else html)  # noqa: S308  (escaped)

    def considering(row: RecruitmentRow) -> str:
        chosen = ((row.foreign_specialists, foreign), (row.graduates, graduates))
        return ", ".join(label for wanted, label in chosen if wanted) or "–"

    def status(row: RecruitmentRow) -> SafeString | str:
        if row.outcome:
            return f"{row.outcome}, {date(row.closed_on)}" if row.closed_on else row.outcome
        if not can_close:
            return open_
        label = mark_safe(close % {"job": cell(row.job_title)})  # noqa: S308  (the job escaped, the msgid trusted)
        return mark_safe(f'{cell(open_)} · <a href="{cell(row.close_url)}">{label}</a>')  # noqa: S308  (escaped)

    return join_rows(
        RECRUITMENT_ROW,
        (
            (
                row.job_title,
                Truncator(row.skills).chars(120),
                row.company_url,
                row.company_name,
                row.partnership,
                row.positions,
                deadline(row),
                considering(row),
                status(row),
            )
            for row in rows
        ),
    )
