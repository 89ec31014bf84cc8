"""The EU definition of micro, small and medium-sized enterprises (Recommendation 2003/361/EC).

A pure function, so the rule can be read and tested on its own. Staff headcount decides first;
then the enterprise must be under the turnover OR the balance-sheet ceiling of that size class.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

# size class: (staff below, turnover at most EUR m, balance sheet at most EUR m)
CEILINGS = [
    ("micro", 10, Decimal(2), Decimal(2)),
    ("small", 50, Decimal(10), Decimal(10)),
    ("medium", 250, Decimal(50), Decimal(43)),
]

# CVR-register employee bands: label -> (min, max); max None means open-ended.
EMPLOYEE_BANDS: dict[str, tuple[int, int | None]] = {
    "0": (0, 0),
    "1": (1, 1),
    "2-4": (2, 4),
    "5-9": (5, 9),
    "10-19": (10, 19),
    "20-49": (20, 49),
    "50-99": (50, 99),
    "100-199": (100, 199),
    "200-499": (200, 499),
    "500-999": (500, 999),
    "1000+": (1000, None),
}


@dataclass(frozen=True)
class SmeAssessment:
    size_class: str  # micro, small, medium, large or unknown
    is_sme: bool | None
    reasons: tuple[str, ...]


def band_for(employees: int) -> str:
    for label, (low, high) in EMPLOYEE_BANDS.items():
        if employees >= low and (high is None or employees <= high):
            return label
    return "1000+"


def assess_sme(
    *,
    employees: int | None,
    employee_band: str = "",
    turnover_eur_m: Decimal | None = None,
    balance_eur_m: Decimal | None = None,
    part_of_group: bool = False,
) -> SmeAssessment:
    reasons: list[str] = []
    if employees is None and employee_band in EMPLOYEE_BANDS:
        low, high = EMPLOYEE_BANDS[employee_band]
        if high is not None and high < 250:
            staff_upper = high
        elif low >= 250:
            staff_upper = low
        else:
            return SmeAssessment(
                "unknown",
                None,
                (
                    _("Intervallet %(band)s ansatte går over grænsen på 250: angiv det præcise antal.")
                    % {"band": employee_band},
                ),
            )
        staff_text = _("%(band)s ansatte") % {"band": employee_band}
    elif employees is not None:
        staff_upper = employees
        staff_text = _("%(n)d ansatte") % {"n": employees}
    else:
        return SmeAssessment("unknown", None, (_("Antal ansatte er ikke oplyst."),))

    if part_of_group:
        reasons.append(
            _("Virksomheden indgår i en koncern: partner- og tilknyttede virksomheders tal skal lægges til.")
        )

    for size_class, staff_below, max_turnover, max_balance in CEILINGS:
        if staff_upper >= staff_below:
            continue
        if turnover_eur_m is None and balance_eur_m is None:
            reasons.insert(
                0,
                _(
                    "%(staff)s (under %(limit)d); omsætning og balance er ikke oplyst, så det økonomiske "
                    "loft er ikke kontrolleret."
                )
                % {"staff": staff_text, "limit": staff_below},
            )
            return SmeAssessment(size_class, True, tuple(reasons))
        turnover_ok = turnover_eur_m is not None and turnover_eur_m <= max_turnover
        balance_ok = balance_eur_m is not None and balance_eur_m <= max_balance
        if turnover_ok or balance_ok:
            which = (
                _("omsætning højst %(max)s mio. EUR") % {"max": max_turnover}
                if turnover_ok
                else _("balance højst %(max)s mio. EUR") % {"max": max_balance}
            )
            reasons.insert(
                0,
                _("%(staff)s (under %(limit)d) og %(which)s.")
                % {"staff": staff_text, "limit": staff_below, "which": which},
            )
            return SmeAssessment(size_class, True, tuple(reasons))
    # Not within any class: say why.
    if staff_upper >= 250:
        reasons.insert(0, _("%(staff)s: 250 eller flere ansatte er ikke en SMV.") % {"staff": staff_text})
    else:
        reasons.insert(
            0,
            _("%(staff)s, men både omsætning (over 50 mio. EUR) og balance (over 43 mio. EUR) er over SMV-loftet.")
            % {"staff": staff_text},
        )
    return SmeAssessment("large", False, tuple(reasons))
