"""Danish messages around python-stdnum's checks (its own messages are English)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_errors
from stdnum.dk import cvr as stdnum_cvr

from kompetence.inputs import ascii_digits


def normalise_cvr(value: str) -> str:
    """Strip spaces, dashes and a leading 'DK' the way users type them."""
    return stdnum_cvr.compact(value or "")


def validate_cvr(value: str) -> None:
    number = normalise_cvr(value)
    if not ascii_digits(number):
        raise ValidationError(_("Et CVR-nummer består kun af cifre."), code="cvr_digits")
    if len(number) != 8:
        raise ValidationError(
            _("Et CVR-nummer har 8 cifre (du skrev %(n)d)."), code="cvr_length", params={"n": len(number)}
        )
    try:
        stdnum_cvr.validate(number)
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("CVR-nummeret %(cvr)s findes ikke: kontrolcifferet passer ikke. Tjek nummeret i CVR-registret."),
            code="cvr_checksum",
            params={"cvr": number},
        ) from None


def validate_p_number(value: str) -> None:
    number = (value or "").replace(" ", "")
    if not ascii_digits(number) or len(number) != 10:
        raise ValidationError(_("Et P-nummer består af 10 cifre."), code="p_number")
