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


def test_long_labels_are_shortened_to_fit_left_of_the_bars():
    long_name = "Styrkelse af virksomhedernes kompetenceforsyning"
    svg = charts.bar_chart([charts.Bar(long_name, 4)], title="Forbrug")
    label = re.search(r'text-anchor="end"[^>]*>([^<]*)</text>', svg).group(1)
    # 12 px text at about 7 px a character must end at x=192 without starting left of the picture.
    assert label.startswith("Styrkelse af")
    assert len(label) * 7 <= 192


def test_the_stacked_bar_puts_two_legend_entries_a_row():
    sources = [("ESF", 0), ("Region Midtjylland", 0), ("Anden offentlig", 0), ("Uden finansieringsplan", 164.3)]
    svg = charts.stacked_bar(sources, title="Finansiering", places=1)
    rows = re.findall(r'<text x="(\d+)" y="(\d+)" font-size="11"', svg)
    assert len(rows) == 4
    assert len({y for _x, y in rows}) == 2
    assert "Uden finansieringsplan: 164,3" in svg
