"""Path converters. ``<id:pk>`` is the converter for every primary key in our URLs.

Django's ``<int:pk>`` accepts any number of digits; a 26-digit id then reaches the database, which
cannot hold it (SQLite raises OverflowError, a 500). ``id`` accepts 1 to 18 ASCII digits, which
always fit a 64-bit ``bigint``, so a longer one simply does not match: a 404.
"""

from __future__ import annotations


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(int(value))
