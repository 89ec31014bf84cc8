"""CPR numbers: validation with Danish messages, the derived birth date and gender, the masked form.

python-stdnum's ``dk.cpr`` checks the length, the digits and the date part (with the century from
the seventh digit), and rightly not the old modulus-11 check, which the CPR office dropped in 2007
when numbers ran out. Its messages are English, so they are replaced here by Danish ones.

A CPR number is never logged, never put in a URL, a message or an exception's text: the messages
below say what is wrong without repeating the number.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.dk import cpr as stdnum_cpr

from kompetence.inputs import ascii_digits

MASK = "****"


def normalise_cpr(value: str) -> str:
    """Spaces and the dash removed: ``"010190-1234"`` -> ``"0101901234"``."""
    return "".join((value or "").split()).replace("-", "")


def validate_cpr(value: str) -> str:
    """The CPR number as 10 digits, or ``ValidationError`` with a Danish message (the number not in it)."""
    number = normalise_cpr(value)
    if not number:
        raise ValidationError(_("Skriv CPR-nummeret (ddmmåå-xxxx)."), code="required")
    if not ascii_digits(number):
        raise ValidationError(_("Et CPR-nummer består kun af cifre, fx 010190-1234."), code="invalid")
    if len(number) != 10:
        raise ValidationError(
            _("Et CPR-nummer har 10 cifre (du skrev %(count)d).") % {"count": len(number)}, code="length"
        )
    try:
        stdnum_cpr.validate(number)
    except stdnum_errors.InvalidComponent:
        if _date_part_is_a_date(number):
            raise ValidationError(_("Fødselsdatoen i CPR-nummeret ligger i fremtiden."), code="future") from None
        raise ValidationError(
            _("De første seks cifre skal være en gyldig fødselsdato (ddmmåå)."), code="date"
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("CPR-nummeret er ikke gyldigt."), code="invalid") from None
    return number


def _date_part_is_a_date(number: str) -> bool:
    try:
        stdnum_cpr.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return False
    return True


def birth_date(number: str) -> dt.date:
    """The birth date of a valid CPR number (the century follows from the seventh digit)."""
    return stdnum_cpr.get_birth_date(number)


def gender(number: str) -> str:
    """``"man"`` for an odd last digit, ``"woman"`` for an even one (the CPR office's rule)."""
    return "man" if int(number[-1]) % 2 else "woman"


def masked(birth: dt.date | None) -> str:
    """The shown form, ``010190-****``: the date part only, which is the birth date anyway."""
    if birth is None:
        return ""
    return f"{birth:%d%m%y}-{MASK}"


def formatted(number: str) -> str:
    """``0101901234`` -> ``010190-1234`` (for the one place it is shown: a recorded reveal)."""
    return f"{number[:6]}-{number[6:]}"
