"""Error reports and logs without secrets or personal data.

In production (``DEBUG`` off) an error e-mail to ``ADMINS`` carries what a developer needs to find
the fault and nothing a user typed or a secret:

* the exception's **type**, the traceback's files, lines and code, the view, the user's id, the
  method and the path (long tokens in it replaced by ``…``);
* **not** the exception's message (``DataError``, ``ValueError`` and others repeat the values that
  caused them), the POST, GET or FILES data, the query string, cookies, ``META``, the settings, or
  any local variable.

``PortalExceptionReporterFilter`` (``DEFAULT_EXCEPTION_REPORTER_FILTER``, for every view at once) and
``PortalExceptionReporter`` (``DEFAULT_EXCEPTION_REPORTER``) do this; with ``DEBUG`` on, Django's
debug page is kept, with the settings that hold a URL (passwords) masked as well.
``RedactingFormatter`` writes tracebacks to the console the same way (type, no message), and
``StripQueryString`` keeps query strings (search terms: firm names, CVR numbers) out of runserver's
request log. gunicorn's access log format is set in ``gunicorn.conf.py`` for the same reason.
"""

from __future__ import annotations

import logging
import re
import traceback

from django.conf import settings
from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

WITHHELD = "[tilbageholdt: kan indeholde brugerdata]"
_TOKEN_SEGMENT = re.compile(r"[A-Za-z0-9_\-:.]{20,}")


def redact_path(path: str) -> str:
    """``/invitation/MTI/c5x-3f0e…/`` without its token: long opaque segments become ``…``."""
    return "/".join("…" if _TOKEN_SEGMENT.fullmatch(part) else part for part in path.split("/"))


def _production() -> bool:
    return not settings.DEBUG


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    """One filter for all views: nothing from the request, no variables, no settings in production."""

    # Django hides names with API, TOKEN, KEY, SECRET, PASS, SIGNATURE; the URLs of the broker, the
    # result backend and the cache may hold a password too.
    hidden_settings = re.compile("API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|LOCATION|BACKEND|DSN", re.I)

    def is_active(self, request) -> bool:
        return _production()

    def get_post_parameters(self, request):
        return {} if _production() else super().get_post_parameters(request)

    def get_traceback_frame_variables(self, request, tb_frame):
        return [] if _production() else super().get_traceback_frame_variables(request, tb_frame)

    def get_safe_request_meta(self, request):
        return {} if _production() else super().get_safe_request_meta(request)

    def get_safe_cookies(self, request):
        return {} if _production() else super().get_safe_cookies(request)

    def get_safe_settings(self):
        return {} if _production() else super().get_safe_settings()


class PortalExceptionReporter(ExceptionReporter):
    def get_traceback_data(self):
        data = super().get_traceback_data()
        if not _production():
            return data
        for frame in data.get("frames", []):
            frame["vars"] = []
        data.update(
            request_GET_items=[],
            request_FILES_items=[],
            request_COOKIES_items=[],
            filtered_POST_items=[],
            request_meta={},
            settings={},
            sys_path=[],
            template_info=None,
            postmortem=None,
            exception_value=WITHHELD if self.exc_type else data.get("exception_value", ""),
            exception_notes="",
            unicode_hint="",
        )
        if self.request is not None:
            data["request_insecure_uri"] = f"{self.request.method} {redact_path(self.request.path)}"
            user = getattr(self.request, "user", None)
            data["user_str"] = f"bruger-id {user.pk}" if getattr(user, "is_authenticated", False) else "anonym"
        return data


class PortalAdminEmailHandler(AdminEmailHandler):
    """Django's error mail, with the path's tokens removed from the subject and the first line."""

    def emit(self, record: logging.LogRecord) -> None:
        request = getattr(record, "request", None)
        if request is not None and record.args:
            record = logging.makeLogRecord(record.__dict__)
            record.args = tuple(redact_path(arg) if arg == request.path else arg for arg in record.args)
        super().emit(record)


class RedactingFormatter(logging.Formatter):
    """Tracebacks with the exception's type and no message, in production (messages may hold input)."""

    def formatException(self, ei) -> str:
        if not _production():
            return super().formatException(ei)
        exc_type, _exc, tb = ei
        lines = traceback.format_tb(tb)
        return "Traceback (most recent call last):\n" + "".join(lines) + f"{exc_type.__name__}: {WITHHELD}"


class StripQueryString(logging.Filter):
    """Remove ``?query`` from the request line runserver logs (``"GET /virksomheder/?q=… HTTP/1.1"``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                re.sub(r"\?[^ ]*", "", arg) if isinstance(arg, str) and "?" in arg else arg for arg in record.args
            )
        return True
