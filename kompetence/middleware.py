"""Middleware of the portal: a strict Content-Security-Policy, Danish first, and atomic writes.

The portal has no inline scripts or styles and loads nothing from other sites (Bootstrap and htmx
are vendored), so the policy only allows the portal's own files. ``data:`` images are allowed for
the QR code allauth draws when a user sets up two-factor login.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

# RFC 9110's safe methods: they only read, so they need no transaction of their own.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


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


class AtomicWritesMiddleware:
    """Run the view of every POST, PUT, PATCH and DELETE in one transaction; pages that only read run without.

    This is ``ATOMIC_REQUESTS`` for writes only. ``ATOMIC_REQUESTS`` wraps every view, so every page
    view paid a ``BEGIN`` and a ``COMMIT`` round trip to the database for nothing (a read needs no
    transaction: each query sees a consistent snapshot, and the services that write open their own
    ``transaction.atomic``). For the unsafe methods nothing changes: the view, its ``process_view``
    hooks and its template rendering run in one transaction, which is rolled back when the view
    raises (``process_exception``), whether or not a later hook turns the exception into a response
    (allauth's ``ImmediateHttpResponse``). Views marked ``transaction.non_atomic_requests`` are left
    alone, as Django would.

    It must come after every middleware that has a ``process_exception`` hook (allauth's), since
    those hooks run from the last middleware up: its own then runs first, before any other can turn
    the exception into a response. Placed at the end it wraps little more than the view, as
    ``ATOMIC_REQUESTS`` does; the session is saved outside the transaction, as before.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not self._wants_transaction(request):
            return self.get_response(request)
        with transaction.atomic(using=DEFAULT_DB_ALIAS):
            response = self.get_response(request)
            if getattr(request, "_atomic_writes_failed", False):
                transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        request._atomic_writes_failed = True  # The view raised: undo its writes (the response is someone else's).

    @staticmethod
    def _wants_transaction(request: HttpRequest) -> bool:
        try:
            view = resolve(request.path_info, getattr(request, "urlconf", None)).func
        except Resolver404:
            return True
        return DEFAULT_DB_ALIAS not in getattr(view, "_non_atomic_requests", set())
