"""Input hygiene shared by every app: NUL bytes never reach a view, digits mean 0-9.

PostgreSQL refuses NUL (``\\x00``) in text columns and parameters, so a NUL typed or pasted into
any field, the search box or a filter used to end in a 500. ``StripNulMiddleware`` removes NUL from
every GET and POST key and value before a view, a form or a filter sees them (a NUL is never
meaningful in text a person typed). Uploaded files are not touched: the CSV import checks its file
itself and refuses one with NUL bytes as a whole.

``str.isdigit()`` accepts "²" and Arabic-Indic digits, which ``int()`` refuses or reads
differently; ``ascii_digits`` is the test for "only the digits 0-9".
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


def ascii_digits(value: str) -> bool:
    """Whether ``value`` is one or more of the digits 0-9 (and nothing else)."""
    return bool(value) and value.isascii() and value.isdigit()


def strip_nul(value: str) -> str:
    return value.replace(NUL, "")


def _has_nul(data: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _without_nul(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(strip_nul(key), [strip_nul(value) for value in values])
    cleaned._mutable = False
    return cleaned


class StripNulMiddleware:
    """Remove NUL bytes from the query string's and the form body's keys and values."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("QUERY_STRING") and _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        if request.method == "POST" and _has_nul(request.POST):
            request.POST = _without_nul(request.POST)
        return self.get_response(request)
