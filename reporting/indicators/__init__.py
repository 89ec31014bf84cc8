"""Indicators as plain functions over a period and an optional partnership (see ``base``).

``compute(indicators, period, partnership=...)`` gives many numbers in a fixed number of queries;
``catalogue.indicator(code).rows(period)`` the rows behind one number. Modules: ``firms`` (outreach,
visits, needs, decisions, meetings), ``maturity`` (self-evaluation), ``targets`` (on track / behind).
"""

from reporting.indicators.base import Figures, Indicator, Source, compute
from reporting.indicators.catalogue import all_indicators, indicator

__all__ = ["Figures", "Indicator", "Source", "all_indicators", "compute", "indicator"]
