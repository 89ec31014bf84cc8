"""Middleware of the portal: a strict Content-Security-Policy, and Danish first.

The portal has no inline scripts or styles and loads nothing from other sites (Bootstrap and htmx
are vendored), so the policy only allows the portal's own files. ``data:`` images are allowed for
the QR code allauth draws when a user sets up two-factor login.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DanishFirstLocaleMiddleware(LocaleMiddleware):
    """Danish unless the user chose English in the footer (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a caseworker with an
    English browser would get an English portal; a Danish public-sector portal speaks Danish until
    asked not to.
    """

    def process_request(self, request: HttpRequest) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
