"""Markup rules every template keeps, checked over the template files themselves, so a page the
browser walks do not reach keeps them too."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SCROLL_BOX = re.compile(r"<div[^>]*class=\"[^\"]*\btable-responsive\b[^\"]*\"[^>]*>")


def test_every_table_that_scrolls_sideways_can_be_reached_by_keyboard():
    """On a phone a wide table scrolls inside its box: without tabindex a keyboard user cannot scroll
    it (WCAG 2.1.1; axe-core's scrollable-region-focusable)."""
    boxes = {
        f"{path.relative_to(TEMPLATES)}: {tag}"
        for path in TEMPLATES.rglob("*.html")
        for tag in SCROLL_BOX.findall(path.read_text(encoding="utf-8"))
    }
    assert boxes, "no table boxes found: the pattern no longer matches the templates"
    assert sorted(box for box in boxes if 'tabindex="0"' not in box) == []
