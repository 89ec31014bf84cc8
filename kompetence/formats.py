"""Danish numbers and dates: reading what people type, and writing values the way Danes read them.

**Reading numbers.** The portal's users are Danish caseworkers; whichever language the page is in,
they type numbers the Danish way, and some type them the English way or on a phone keypad that only
has a dot. ``parse_decimal`` reads all of these without guessing wrong:

============  =========  ===============================================================
typed         read as    why
============  =========  ===============================================================
``3,5``       3.5        the comma is the Danish decimal sign
``1.234,5``   1234.5     dot groups thousands, comma is the decimal sign
``1234,5``    1234.5
``1 234,5``   1234.5     spaces (also no-break spaces) group thousands
``1.234``     1234       a lone dot followed by exactly three digits groups thousands,
                         as in Danish ("1.234" is one thousand two hundred and thirty-four)
``3.5``       3.5        a lone dot followed by anything but three digits cannot group
                         thousands, so it is a decimal point (an English phone keypad
                         offers only the dot)
``0.500``     0.5        a thousands group never follows a leading zero
``1,234.5``   1234.5     both signs: the last one is the decimal sign
``1.234.567`` 1234567    several dots (or several commas) can only group thousands
``1,234``     1.234      one comma is always the decimal sign, in English pages too
============  =========  ===============================================================

Anything else is refused: letters, exponents (``1e5``), ``NaN``, underscores, badly grouped digits
(``1.23,5``), two decimal signs, and digits that are not 0-9 (``²``, ``٣``, full-width digits) or
control characters such as NUL, which Python's ``Decimal``/``int`` or PostgreSQL would otherwise
accept, misread or fail on.

Why not Django's ``localize=True``: Django reads input with the *active language's* separators
(``formats.sanitize_separators``), so on an English page "3,5" loses its comma as a thousands
separator and becomes 35, and "1.234,5" is refused. Without ``localize`` a ``DecimalField`` renders
``<input type="number">``, whose value the *browser* parses with the browser's own locale: an English
Chromium turns a typed "3,5" into "35" before the server sees it, and sends an empty value (so the
field is silently cleared) for "1.234,5". That is how Omsætning "3,5" was stored as 35. The portal's
number fields (``kompetence.forms.DanishDecimalField``) therefore use a text input with
``inputmode="decimal"`` and this parser, in both languages.

**Writing numbers.** ``format_decimal`` always writes Danish (``1.234,5``): it is what the number
fields render back into their inputs, so what the parser reads and what the field shows agree in
both languages. For numbers in running text on a page, Django's own localisation (``{{ value }}``,
``floatformat``, ``intcomma``) follows the page's language, which is fine for display.

**Dates.** ``format_date``/``format_datetime``/``format_time`` use the active language's formats and,
unlike ``django.utils.formats.date_format``, turn aware datetimes into Copenhagen time first. Pages
format dates in templates (``|date:"SHORT_DATE_FORMAT"`` or the ``kompetence`` filters); selectors return
dates, never formatted strings.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

# Spaces people (and copy-paste from Word or a PDF) put between thousands.
_GROUPING_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
# The Unicode minus sign (from Word) means the same as the hyphen-minus.
_MINUS_SIGNS = ("\u2212", "\u2013")
_ALLOWED = re.compile(r"^[0-9.,]*$")
# Far beyond any number the portal stores; stops a megabyte of digits before it reaches Decimal.
MAX_NUMBER_LENGTH = 60

DASH = "–"  # en dash: "2–4" is a range to Excel, where "2-4" becomes the 2nd of April


class NumberFormatError(ValueError):
    """Raised by ``parse_decimal``. ``code`` is ``"characters"`` (something other than 0-9, comma,
    dot, space or a sign) or ``"invalid"`` (the right characters, in an order that is no number)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def parse_decimal(text: str) -> Decimal:
    """The number a Danish user meant by ``text`` (see the table in the module docstring).

    Raises ``NumberFormatError``; an empty text is an error too (fields handle emptiness first).
    """
    value = str(text)
    if len(value) > MAX_NUMBER_LENGTH:
        raise NumberFormatError("invalid")
    value = value.strip()
    negative = value[:1] in ("-", *_MINUS_SIGNS)
    if value[:1] in ("-", "+", *_MINUS_SIGNS):
        value = value[1:].lstrip()
    for space in _GROUPING_SPACES:
        value = value.replace(space, " ")
    if not _ALLOWED.match(value.replace(" ", "")):
        # Not even a NUL or a "²" may pass: isdigit() accepts "²", which int() then refuses.
        raise NumberFormatError("characters")
    if not any(c in "0123456789" for c in value):
        raise NumberFormatError("invalid")

    decimal_sign, grouping_sign = _signs(value)
    integer, fraction = value, ""
    if decimal_sign:
        integer, _sign, fraction = value.partition(decimal_sign)
        if not re.fullmatch(r"[0-9]*", fraction):
            raise NumberFormatError("invalid")
    groups = re.split(rf"[ {re.escape(grouping_sign)}]" if grouping_sign else " ", integer)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])):
        raise NumberFormatError("invalid")
    digits = "".join(groups)
    if not re.fullmatch(r"[0-9]*", digits):
        raise NumberFormatError("invalid")
    number = f"{'-' if negative else ''}{digits or '0'}"
    # No ".0" when nothing was typed after the sign: "1234" must pass a field with no decimal places.
    result = Decimal(f"{number}.{fraction}" if fraction else number)
    return abs(result) if result.is_zero() else result  # "-0" is 0


def _signs(value: str) -> tuple[str, str]:
    """Which character is the decimal sign and which groups thousands ("" for none)."""
    commas, dots = value.count(","), value.count(".")
    if commas and dots:
        decimal_sign = "," if value.rfind(",") > value.rfind(".") else "."
        grouping_sign = "." if decimal_sign == "," else ","
        if value.count(decimal_sign) > 1:
            raise NumberFormatError("invalid")
        return decimal_sign, grouping_sign
    if commas == 1:
        return ",", ""
    if dots == 1:
        integer, _sign, fraction = value.partition(".")
        integer = integer.replace(" ", "")
        # "1.234" groups thousands (Danish); "3.5", "0.500" and "1234.567" can only be decimals.
        if len(fraction) == 3 and 1 <= len(integer) <= 3 and not integer.startswith("0"):
            return "", "."
        return ".", ""
    if commas > 1:
        return "", ","
    if dots > 1:
        return "", "."
    return "", ""


def parse_integer(text: str) -> int:
    """A whole number typed the Danish way ("1.234", "1 234", "12"); "3,0" is 3, "3,5" is an error."""
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise NumberFormatError("not_integer")
    return int(number)


def format_decimal(value: Any, places: int | None = None, *, grouping: bool = True) -> str:
    """``value`` written the Danish way: ``1.234,5``. ``places`` rounds half up to that many decimals
    (None keeps the value's own, so a ``Decimal("3.50")`` from the database stays ``3,50``)."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return ""
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(number, "f")
    negative = text.startswith("-")
    integer, _point, fraction = text.lstrip("-").partition(".")
    if grouping:
        integer = f"{int(integer):,}".replace(",", ".")
    result = f"{integer},{fraction}" if fraction else integer
    if negative and any(c not in "0.," for c in result):
        result = "-" + result
    return result


def format_integer(value: Any, *, grouping: bool = True) -> str:
    """A whole number the Danish way: ``1.234``."""
    return format_decimal(value, 0, grouping=grouping)


def format_range(text: Any) -> str:
    """A range such as an employee band ("2-4") with an en dash ("2–4"), which spreadsheets and
    screen readers leave alone; other text is returned as it is."""
    if text is None:
        return ""
    return re.sub(r"^(\d+)\s*-\s*(\d+)$", rf"\1{DASH}\2", str(text).strip())


# ---------------------------------------------------------------------------
# Dates and times (active language; aware datetimes shown in Copenhagen time)
# ---------------------------------------------------------------------------
def format_date(value: dt.date | dt.datetime | None, *, long: bool = False) -> str:
    """A date as the page's language writes it: ``03.05.2026`` (short) or ``3. maj 2026`` (long)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).date()
    return formats.date_format(value, "DATE_FORMAT" if long else "SHORT_DATE_FORMAT")


def format_datetime(value: dt.datetime | None, *, long: bool = False) -> str:
    """A moment in Copenhagen time: ``03.05.2026 14:30`` (short) or ``3. maj 2026 14:30`` (long)."""
    if value is None:
        return ""
    local = _local(value)
    return f"{format_date(local, long=long)} {formats.time_format(local.time(), 'TIME_FORMAT')}"


def format_time(value: dt.time | dt.datetime | None) -> str:
    """A time of day (``14:30``); a datetime is first turned into Copenhagen time."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    return formats.time_format(value, "TIME_FORMAT")


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def display_value(value: Any, *, empty: str = "–") -> str:
    """Any stored value as a person reads it: ``–`` for nothing, Ja/Nej, dates in the page's language,
    decimals the Danish way. For history lists and other places that show values of several types."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, dt.time):
        return format_time(value)
    if isinstance(value, Decimal | float):
        return format_decimal(value)
    if isinstance(value, int):
        return format_integer(value)
    return str(value)
