"""Charts as SVG drawn on the server: the same markup in the browser and in the PDF.

Pure functions from numbers to SVG text. No script and no ``style`` attribute anywhere (the portal's
Content-Security-Policy allows neither inline scripts nor inline styles): colours, sizes and fonts are
SVG presentation attributes. Every chart is ``role="img"`` with a ``<title>`` and a ``<desc>`` that
says the numbers in words, and pages show the same numbers in a table beside it, so nobody depends
on seeing the picture. Numbers are written the Danish way (``kompetence.formats``).

The colours are dark enough for text on white and distinct for colour-blind readers (blue / orange,
the usual safe pair), and each series is also told apart by the legend's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kompetence.formats import format_decimal, format_integer

BLUE = "#1f5f99"
ORANGE = "#b45309"
GREY = "#6b7280"
LIGHT = "#e5e7eb"
TEXT = "#111827"
FONT = "DejaVu Sans, Arial, sans-serif"
SERIES = (BLUE, ORANGE, "#047857", "#7c3aed")


@dataclass(frozen=True)
class Bar:
    """One bar: a label and a value, optionally with a target (drawn as a mark) or a second value."""

    label: str
    value: Decimal | int | float
    target: Decimal | int | float | None = None


def _number(value, places: int | None) -> str:
    if places:
        return format_decimal(value, places)
    return format_integer(round(Decimal(str(value))))


def _open(width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="chart" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(desc)}</desc>",
    ]


def _label_chars(label_width: int) -> int:
    """How many characters of a 12 px label fit left of the bars (about 7 px a character, 8 px margin)."""
    return max(8, (label_width - 8) // 7)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    unit: str = "",
    places: int | None = None,
    width: int = 640,
    label_width: int = 200,
    target_label: str = "",
    value_label: str = "",
) -> SafeString:
    """Horizontal bars, one per item, with the value at the end and an optional target mark.

    With targets, a legend names the bar (``value_label``, else the unit, else "Opnået") and the mark.
    """
    row, top = 26, 8
    label_chars = _label_chars(label_width)
    legend = 22 if any(bar.target is not None for bar in bars) else 0
    height = top + row * max(1, len(bars)) + 8 + legend
    scale_max = max([float(bar.value) for bar in bars] + [float(bar.target or 0) for bar in bars] + [0]) or 1.0
    plot = width - label_width - 70
    words = "; ".join(
        f"{bar.label}: {_number(bar.value, places)}{' ' + unit if unit else ''}"
        + (f" ({target_label or 'mål'} {_number(bar.target, places)})" if bar.target is not None else "")
        for bar in bars
    )
    parts = _open(width, height, title, words or title)
    if not bars:
        parts.append(f'<text x="8" y="24" font-size="12" fill="{GREY}">–</text>')
    for index, bar in enumerate(bars):
        y = top + index * row
        length = max(0.0, float(bar.value)) / scale_max * plot
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" font-size="12" text-anchor="end" fill="{TEXT}">'
            f"{escape(_truncate(str(bar.label), label_chars))}</text>"
        )
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{plot}" height="16" fill="{LIGHT}"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="16" fill="{BLUE}"/>')
        if bar.target is not None:
            x = label_width + max(0.0, float(bar.target)) / scale_max * plot
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + 23}" stroke="{ORANGE}" stroke-width="3"/>'
            )
        parts.append(
            f'<text x="{label_width + plot + 6}" y="{y + 16}" font-size="12" fill="{TEXT}">'
            f"{escape(_number(bar.value, places))}</text>"
        )
    if legend:
        y = height - 14
        parts.append(f'<rect x="{label_width}" y="{y - 9}" width="12" height="12" fill="{BLUE}"/>')
        bar_name = value_label or unit or _("Opnået")
        parts.append(f'<text x="{label_width + 16}" y="{y + 1}" font-size="11" fill="{TEXT}">{escape(bar_name)}</text>')
        parts.append(
            f'<line x1="{label_width + 120}" x2="{label_width + 120}" y1="{y - 10}" y2="{y + 4}" '
            f'stroke="{ORANGE}" stroke-width="3"/>'
        )
        parts.append(
            f'<text x="{label_width + 128}" y="{y + 1}" font-size="11" fill="{TEXT}">'
            f"{escape(target_label or _('Mål'))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def paired_bar_chart(
    items: Sequence[tuple[str, Decimal | int | float, Decimal | int | float]],
    *,
    title: str,
    legend: tuple[str, str],
    places: int | None = None,
    width: int = 640,
    label_width: int = 200,
) -> SafeString:
    """Two bars per item (budget and spend, say), on one scale, with a legend."""
    row, top, legend_height = 40, 8, 24
    label_chars = _label_chars(label_width)
    height = top + row * max(1, len(items)) + legend_height
    scale_max = max([float(a) for _l, a, _b in items] + [float(b) for _l, _a, b in items] + [0]) or 1.0
    plot = width - label_width - 90
    words = "; ".join(
        f"{label}: {legend[0]} {_number(a, places)}, {legend[1]} {_number(b, places)}" for label, a, b in items
    )
    parts = _open(width, height, title, words or title)
    for index, (label, first, second) in enumerate(items):
        y = top + index * row
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 20}" font-size="12" text-anchor="end" fill="{TEXT}">'
            f"{escape(_truncate(str(label), label_chars))}</text>"
        )
        for offset, value, colour in ((2, first, BLUE), (18, second, ORANGE)):
            length = max(0.0, float(value)) / scale_max * plot
            parts.append(f'<rect x="{label_width}" y="{y + offset}" width="{length:.1f}" height="14" fill="{colour}"/>')
            parts.append(
                f'<text x="{label_width + length + 5:.1f}" y="{y + offset + 11}" font-size="11" fill="{TEXT}">'
                f"{escape(_number(value, places))}</text>"
            )
    y = height - 10
    for index, (name, colour) in enumerate(zip(legend, (BLUE, ORANGE), strict=True)):
        x = label_width + index * 160
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" font-size="11" fill="{TEXT}">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def stacked_bar(
    parts_in: Sequence[tuple[str, Decimal | int | float]],
    *,
    title: str,
    places: int | None = None,
    width: int = 640,
) -> SafeString:
    """One bar split into its parts (the financing sources' shares of the spend), with a legend.

    The legend has two entries a row, so long names with their values fit the width.
    """
    columns = 2
    rows = max(1, -(-len(parts_in) // columns))
    height = 40 + 18 * rows + 4
    total = sum(float(value) for _label, value in parts_in) or 1.0
    words = "; ".join(f"{label}: {_number(value, places)}" for label, value in parts_in)
    parts = _open(width, height, title, words or title)
    x = 0.0
    for index, (label, value) in enumerate(parts_in):
        length = max(0.0, float(value)) / total * width
        colour = SERIES[index % len(SERIES)]
        parts.append(f'<rect x="{x:.1f}" y="4" width="{length:.1f}" height="24" fill="{colour}"/>')
        legend_x = (index % columns) * (width // columns)
        legend_y = 40 + (index // columns) * 18
        parts.append(f'<rect x="{legend_x}" y="{legend_y}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{legend_x + 16}" y="{legend_y + 10}" font-size="11" fill="{TEXT}">'
            f"{escape(_truncate(str(label), 32))}: {escape(_number(value, places))}</text>"
        )
        x += length
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
