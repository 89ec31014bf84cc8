"""The progress report's HTML and PDF: pure functions of the data and the report's narrative.

``progress_html(data, narrative=..., generated_at=...)`` lays out what ``data.progress_data`` read;
``progress_pdf(...)`` renders that HTML with WeasyPrint (``partnerships.pdf.html_to_pdf``: local files
only, nothing fetched). The same data and narrative give the same bytes: the generation time printed
on the cover is the report's request time, not the render's, so a retried render stores the same
file with the same checksum.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import override

from kompetence.formats import format_decimal, format_integer
from partnerships.pdf import html_to_pdf
from reporting import charts
from reporting.reports.data import KEY_INDICATORS, ProgressData

THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class Narrative:
    """What project management writes before generating (the ``Report``'s text fields)."""

    summary: str = ""
    highlights: str = ""
    challenges: str = ""
    outlook: str = ""

    @classmethod
    def of(cls, report) -> Narrative:
        return cls(report.summary, report.highlights, report.challenges, report.outlook)


def _kkr(value: Decimal) -> str:
    """Kroner as thousands with one decimal, the Danish way (``2.500,0``)."""
    return format_decimal(Decimal(value) / THOUSAND, 1)


def summary_sentences(data: ProgressData) -> list[str]:
    """The summary in words: what the key figures say."""
    if not data.has_data:
        return [_("Der er ingen registreringer i perioden: ingen besøg, aktiviteter, deltagere eller forbrug.")]
    sentences = [
        _(
            "I perioden har partnerskaberne nået %(firms)s virksomheder, heraf %(smes)s SMV'er, gennem "
            "%(visits)s virksomhedsbesøg; %(joint)s af besøgene var fælles besøg med to eller flere systemer."
        )
        % {
            "firms": format_integer(data.figure("firms_reached")),
            "smes": format_integer(data.figure("smes_reached")),
            "visits": format_integer(data.figure("visits")),
            "joint": format_integer(data.figure("joint_visits")),
        },
        _("Der er fundet %(needs)s kompetencebehov og truffet %(decisions)s beslutninger om virksomheder.")
        % {"needs": format_integer(data.figure("needs_found")), "decisions": format_integer(data.figure("decisions"))},
        _("%(activities)s aktiviteter er gået i gang; %(started)s deltagere er startet og %(exited)s er ophørt.")
        % {
            "activities": format_integer(data.activities_started),
            "started": format_integer(data.participants_started),
            "exited": format_integer(data.participants_exited),
        },
    ]
    budget = data.budget_total
    years = data.period.years
    if budget:
        sentences.append(
            _("Forbruget er %(spent)s kr. af budgettet for %(years)s på %(budget)s kr. (%(percent)s %%).")
            % {
                "spent": format_integer(data.spend.total),
                "years": str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}",
                "budget": format_integer(budget),
                "percent": format_decimal(data.spend.total * 100 / budget, 1),
            }
        )
    elif data.spend.total:
        sentences.append(_("Forbruget er %(spent)s kr.") % {"spent": format_integer(data.spend.total)})
    if data.uncosted_hours:
        sentences.append(
            _(
                "%(hours)s godkendte timer er ikke regnet med i forbruget, fordi der ikke er en timesats for "
                "organisationen på dagen."
            )
            % {"hours": format_decimal(data.uncosted_hours, 1)}
        )
    return sentences


def _charts(data: ProgressData) -> dict:
    from partnerships.models.evaluation import Level

    key = [row for row in data.indicators if row.code in KEY_INDICATORS]
    return {
        "key_figures": charts.bar_chart(
            [charts.Bar(row.label, row.value, row.target.target if row.target else None) for row in key],
            title=_("Nøgletal for perioden"),
            value_label=_("Resultat"),
            target_label=_("Mål"),
        ),
        "budget": charts.paired_bar_chart(
            [(row.label, (row.budget or 0) / THOUSAND, row.spent / THOUSAND) for row in data.budget_lines],
            title=_("Budget og forbrug pr. budgetlinje (1.000 kr.)"),
            legend=(_("Budget"), _("Forbrug")),
            places=1,
        ),
        "financing": charts.stacked_bar(
            [(row.label, row.spent / THOUSAND) for row in data.financing],
            title=_("Forbruget fordelt på finansieringskilder (1.000 kr.)"),
            places=1,
        ),
        "firms_by_partnership": charts.bar_chart(
            [
                charts.Bar(section.partnership.name, section.indicators[0].value if section.indicators else 0)
                for section in data.sections
            ],
            title=_("Virksomheder nået pr. partnerskab"),
        ),
        "participants": charts.paired_bar_chart(
            [(axis.label.split(":")[0], axis.started, axis.exited) for axis in data.axes],
            title=_("Deltagere pr. akse"),
            legend=(_("Startet"), _("Ophørt")),
        ),
        "maturity": charts.bar_chart(
            [charts.Bar(str(Level(level).label), count) for level, count in data.level_counts.items()],
            title=_("Partnerskaber pr. trin på modenhedsstigen"),
        ),
    }


def progress_html(
    data: ProgressData, *, narrative: Narrative, generated_at: dt.datetime, title: str | None = None
) -> str:
    from partnerships.models.evaluation import Level

    context = {
        "data": data,
        "title": title or _("Fremdriftsrapport til Vækstforum"),
        "narrative": narrative,
        "generated_at": generated_at,
        "summary": summary_sentences(data),
        "key": {row.code: row.value for row in data.indicators},
        "charts": _charts(data),
        "levels": [(level.value, level.label) for level in Level],
        "statuses": data.activity_statuses,
        "activity_rows": [
            (name, [counts.get(code, 0) for code, _label in data.activity_statuses], sum(counts.values()))
            for name, counts in data.activities_by_type
        ],
    }
    with override(settings.LANGUAGE_CODE):
        return render_to_string("reporting/reports/progress.html", context)


class _LayoutProgress(logging.Handler):
    """Turns WeasyPrint's "Creating layout - Page N" log lines into the report's progress."""

    def __init__(self, on_progress, *, expected_pages: int, start: int = 40, end: int = 90):
        super().__init__(logging.INFO)
        self.on_progress, self.expected, self.start, self.end = on_progress, max(1, expected_pages), start, end
        self.last = -1

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Creating layout - Page " not in message or "up-to-date" in message:
            if "Creating PDF" in message:
                self.on_progress(self.end, _("Skriver PDF-filen"))
            return
        try:
            page = int(message.rsplit("Page ", 1)[1].split()[0])
        except (IndexError, ValueError):
            return
        percent = self.start + min(self.end - self.start - 1, (self.end - self.start) * page // self.expected)
        if percent > self.last:
            self.last = percent
            self.on_progress(percent, _("Sætter side %(page)s op") % {"page": page})


def progress_pdf(data: ProgressData, *, narrative: Narrative, generated_at: dt.datetime, on_progress=None) -> bytes:
    html = progress_html(data, narrative=narrative, generated_at=generated_at)
    if on_progress is None:
        return html_to_pdf(html)
    handler = _LayoutProgress(on_progress, expected_pages=10 + len(data.sections))
    progress_logger = logging.getLogger("weasyprint.progress")
    old_level = progress_logger.level
    progress_logger.addHandler(handler)
    progress_logger.setLevel(logging.INFO)
    try:
        return html_to_pdf(html)
    finally:
        progress_logger.removeHandler(handler)
        progress_logger.setLevel(old_level)
