"""Synthetic participants for the demo: valid CPR numbers (date part right, century digit right),
Danish names that match the gender the number gives, and ESF facts in plausible proportions.

A generated number may coincide with a real person's: that is why they exist only where seed_demo
ran, are marked ``is_demo``, and are encrypted like any other (tests/activities/test_no_clear_cpr.py
proves none is stored in clear).
"""

from __future__ import annotations

import datetime as dt
import random

from companies import demo_names as words

# ESF facts: weights of the choices (employed people make up most of an SME programme).
EMPLOYMENT = {"employed": 88, "unemployed": 9, "inactive": 3}
ISCED = {1: 3, 2: 22, 3: 38, 4: 12, 5: 10, 6: 10, 7: 5}
YES_NO_DECLINED = {"nej": 86, "ja": 10, "oensker_ikke": 4}


def weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def synthetic_cpr(
    rng: random.Random, *, taken: set[str], born_from: int = 1958, born_to: int = 2001
) -> tuple[str, str]:
    """``(number, gender)``: a CPR number not in ``taken`` (added to it). The seventh digit is 0-3, which
    the CPR office's century rule reads as a 1900s birth (4 for births from 2000); the last digit's parity
    gives the gender."""
    while True:
        birth = dt.date(born_from, 1, 1) + dt.timedelta(
            days=rng.randrange((dt.date(born_to, 12, 31) - dt.date(born_from, 1, 1)).days)
        )
        gender = rng.choice(("woman", "man"))
        sequence = rng.randrange(0, 4) * 1000 + rng.randrange(0, 500) * 2 + (1 if gender == "man" else 0)
        if birth.year >= 2000:
            # 0-3 would read as the 1900s (29 February 2000 as a day 1900 never had); 4 reads 00-36 as 2000s.
            sequence = 4000 + sequence % 1000
        number = f"{birth:%d%m%y}{sequence:04d}"
        if number not in taken:
            taken.add(number)
            return number, gender


def name_for(rng: random.Random, gender: str) -> tuple[str, str]:
    first = rng.choice(words.FIRST_NAMES_FEMALE if gender == "woman" else words.FIRST_NAMES_MALE)
    return first, rng.choice(words.SURNAMES)
