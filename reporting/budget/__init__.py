"""Budget against spend (issue 11, item 1). The stable API other modules and reports call:

* ``spend(period, partnership=None, project=None) -> Spend``: every krone spent, priced, as rows
  (year, ESF project, axis, budget line, partnership, organisation, kind, hours, amount), with
  ``.total``, ``.hours``, ``.by(key)``, ``.hours_by(key)``, ``.financing()`` (split over the sources
  by the plan in force), ``.uncosted`` (hours no rate prices) and ``.undeclared``;
* ``budget_report(period, partnership=None) -> BudgetReport``: ``Figure`` rows (label, budget, spent,
  remaining, percent) per line, year, axis, partnership, financing source and kind of cost.
"""

from reporting.budget.spend import FIRM_WORK_LINES, Kind, Spend, SpendRow, spend, split
from reporting.budget.table import BudgetReport, Figure, budget_report

__all__ = [
    "FIRM_WORK_LINES",
    "BudgetReport",
    "Figure",
    "Kind",
    "Spend",
    "SpendRow",
    "budget_report",
    "spend",
    "split",
]
