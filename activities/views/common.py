"""Small helpers the activities views share (kept out of the views modules others might import)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


def form_page(
    request: HttpRequest, *, title: str, forms: list, back_url: str, back_label: str, **extra: Any
) -> HttpResponse:
    """The small form pages (one or two forms, a title, a way back)."""
    context = {
        "title": title,
        "forms": forms,
        "form": forms[0] if forms else None,
        "back_url": back_url,
        "back_label": back_label,
    }
    context.update(extra)
    return render(request, "activities/form.html", context)


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """A service's errors as messages, for the POST-only views that return to a page."""
    for message in exc.messages:
        messages.error(request, message)
