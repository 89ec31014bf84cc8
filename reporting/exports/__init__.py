"""The reporting exports, declared once as ``kompetence.exports.Column`` lists with their rows:

* the **ESF participant file**: one row per participant taking part in the period (entered by its end
  and not left before its start), every ESF field (``ESF.md``); the CPR number masked unless the caller
  passes rows from ``cpr_rows`` (``activities.reveal_cpr``, two factors and a reason: each number
  recorded as exported through ``activities.services.participant_cpr_export``, chunk by chunk);
* the **indicator table**, **budget against spend** and the **activity list** of a period.

Rows are read with ``iterator(chunk_size=...)`` and ``values()`` so a file of any size is written in
constant memory; CSV streams (``csv_lines``), XLSX is openpyxl write-only (``write_xlsx``).

The package: ``esf`` (the ESF file's rows, columns and values), ``esf_files`` (its fast CSV and XLSX
writers), ``tables`` (indicators, budget, activities); every public name is imported from here.
``check_period`` refuses what cannot be exported (a period in the future) with a Danish message.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from reporting.exports.esf import (
    CHUNK,
    ESF_FIELDS,
    FREE_TEXT,
    check_cpr_export,
    cpr_rows,
    esf_columns,
    esf_participants,
    esf_rows,
    esf_values,
)
from reporting.exports.esf_files import esf_csv_lines, esf_csv_response, esf_xlsx_bytes, write_esf_xlsx
from reporting.exports.tables import (
    activity_columns,
    activity_rows,
    budget_columns,
    budget_rows,
    indicator_columns,
)
from reporting.periods import Period, PeriodError


def check_period(period: Period, *, today: dt.date) -> None:
    """Raise ``PeriodError`` for a period nothing of which has happened yet."""
    if period.is_future(today):
        raise PeriodError(
            _("Perioden %(period)s ligger i fremtiden; der er intet at eksportere endnu.") % {"period": period.label}
        )


__all__ = [
    "CHUNK",
    "ESF_FIELDS",
    "FREE_TEXT",
    "activity_columns",
    "activity_rows",
    "budget_columns",
    "budget_rows",
    "check_cpr_export",
    "check_period",
    "cpr_rows",
    "esf_columns",
    "esf_csv_lines",
    "esf_csv_response",
    "esf_participants",
    "esf_rows",
    "esf_values",
    "esf_xlsx_bytes",
    "indicator_columns",
    "write_esf_xlsx",
]
