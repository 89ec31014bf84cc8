"""The portal's own public pages that belong to no app: the accessibility statement."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kompetence.rules import rule


@rule(public=True)
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """Tilgængelighedserklæringen, which Danish public bodies must publish (webtilgængelighedsloven § 4),
    linked from every page's footer; public, so it can be read before logging in."""
    return render(
        request,
        "accessibility_statement.html",
        {
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_phone": settings.ACCESSIBILITY_CONTACT_PHONE,
        },
    )
