"""The SVG charts of the indicator pages and the progress report say what their marks mean."""

from __future__ import annotations

import re

from reporting import charts


def legend_texts(svg: str) -> list[str]:
    # The legend is the last row of the chart: the texts after the last bar's value.
    return re.findall(r'font-size="11"[^>]*>([^<]*)</text>', svg)


def test_a_chart_with_targets_names_both_the_bar_and_the_target_mark():
    svg = charts.bar_chart(
        [charts.Bar("Virksomheder nået", 138, 120), charts.Bar("Aktiviteter", 60, 60)],
        title="Hovedtal",
    )
    assert legend_texts(svg) == ["Opnået", "Mål"]


def test_the_legend_uses_the_given_names():
    svg = charts.bar_chart([charts.Bar("Timer", 10, 12)], title="Timer", value_label="Brugt", target_label="Budget")
    assert legend_texts(svg) == ["Brugt", "Budget"]


def test_a_chart_without_targets_has_no_legend():
    svg = charts.bar_chart([charts.Bar("Afsluttet", 5)], title="Aktiviteter efter status")
    assert legend_texts(svg) == []
