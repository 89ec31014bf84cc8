"""A strict Content-Security-Policy on every response.

The portal has no inline scripts or styles and loads nothing from other sites (Bootstrap and htmx
are vendored), so the policy only allows the portal's own files. ``data:`` images are allowed for
the QR code allauth draws when a user sets up two-factor login.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
