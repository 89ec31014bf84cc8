"""Every indicator the portal computes, in the order reports show them.

Targets and partnership goals name an indicator by its ``code``; ``target_choices`` gives the form's
choices. New indicator modules add their list to ``_modules`` below.
"""

from __future__ import annotations

from functools import cache

from reporting.indicators.base import Indicator


def _modules() -> list[list[Indicator]]:
    from reporting.indicators import activities, firms, participants

    return [firms.INDICATORS, activities.INDICATORS, participants.INDICATORS]


@cache
def all_indicators() -> tuple[Indicator, ...]:
    return tuple(indicator for module in _modules() for indicator in module)


def indicator(code: str) -> Indicator:
    """The indicator with ``code``; ``KeyError`` if there is none."""
    for item in all_indicators():
        if item.code == code:
            return item
    raise KeyError(code)


def target_choices() -> list[tuple[str, str]]:
    return [(item.code, str(item.label)) for item in all_indicators() if item.targetable]
