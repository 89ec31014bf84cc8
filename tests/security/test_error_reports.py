"""No secret and no personal data in error reports or logs (issue 7, item 5)."""

from __future__ import annotations

import logging
import re

import pytest
from django.core import mail

from kompetence.errors import RedactingFormatter, StripQueryString, redact_path

CPR_SHAPED = re.compile(r"\d{6}-?\d{4}")
PASSWORD = "Hemmelig-Kode-2024!"


@pytest.mark.urls("tests.security.boom_urls")
def test_a_500_in_production_mails_the_admins_no_request_data_no_variables_and_nothing_cpr_shaped(
    settings, client_for, consultant_a
):
    settings.DEBUG = False
    settings.ADMINS = [("Drift", "drift@example.dk")]
    client = client_for(consultant_a)
    client.raise_request_exception = False
    client.cookies["tracking"] = "cookie-værdi-777"

    response = client.post(
        "/_test/boom/?cpr=0102031234&q=Smedjen+Hansen",
        {"note": "Ring til Ole, CPR 010203-1234", "password": PASSWORD, "csrfmiddlewaretoken": "x"},
        HTTP_USER_AGENT="Agent-med-data-555",
    )

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    everything = "\n".join(
        [message.subject, message.body, *(str(content) for content, _type in getattr(message, "alternatives", []))]
    )
    # Positive control: the report is useful.
    assert "ValueError" in everything
    assert "/_test/boom/" in everything
    assert "boom_urls.py" in everything
    assert f"bruger-id {consultant_a.pk}" in everything
    # Nothing the user sent, nothing secret, nothing CPR-shaped.
    for leaked in (
        "0102031234",
        "010203",
        "Ole",
        "Smedjen",
        PASSWORD,
        "cookie-værdi-777",
        "Agent-med-data-555",
        "sessionid",
        settings.SECRET_KEY,
        consultant_a.email,
    ):
        assert leaked not in everything, leaked
    assert not CPR_SHAPED.search(everything)
    assert "DATABASES" not in everything and "SECRET_KEY" not in everything


def test_the_reporter_filter_masks_urls_in_settings_on_the_debug_page(settings):
    from kompetence.errors import PortalExceptionReporterFilter

    settings.DEBUG = True
    settings.CELERY_BROKER_URL = "redis://:hemmeligt@redis:6379/0"
    settings.CACHES = {"default": {"BACKEND": "x", "LOCATION": "redis://:hemmeligt@redis:6379/0"}}

    safe = PortalExceptionReporterFilter().get_safe_settings()

    assert "hemmeligt" not in str(safe["CELERY_BROKER_URL"])
    assert "hemmeligt" not in str(safe["CACHES"])


def test_raw_service_urls_are_not_settings():
    from django.conf import settings

    assert not hasattr(settings, "DATABASE_URL")
    assert not hasattr(settings, "REDIS_URL")


def test_one_filter_for_every_view(settings):
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == "kompetence.errors.PortalExceptionReporterFilter"
    assert settings.DEFAULT_EXCEPTION_REPORTER == "kompetence.errors.PortalExceptionReporter"


def test_console_tracebacks_leave_out_the_exception_message_in_production(settings):
    settings.DEBUG = False
    typed_by_a_user = "CPR " + "-".join(["010203", "1234"])
    try:
        raise ValueError(typed_by_a_user)
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "Fejl", None, exc_info=__import__("sys").exc_info())

    text = RedactingFormatter("%(message)s").format(record)

    assert "ValueError" in text
    assert "010203" not in text


def test_request_log_lines_leave_out_the_query_string():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /virksomheder/?q=Smedjen HTTP/1.1", "200", "5"),
        None,
    )

    StripQueryString().filter(record)

    assert record.getMessage() == '"GET /virksomheder/ HTTP/1.1" 200 5'


def test_tokens_are_removed_from_paths():
    assert redact_path("/invitation/MTI/cb2k4e-0f9a7c1e2d3b4a5f6e7d8c9b/") == "/invitation/MTI/…/"
    assert redact_path("/virksomheder/42/ret/") == "/virksomheder/42/ret/"


def test_messages_are_kept_in_the_session_not_in_a_cookie(settings, client_for, administrator):
    from tests.factories import OrganisationFactory

    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"
    data = {
        "email": "ole.olsen@example.dk",
        "first_name": "Ole",
        "last_name": "Olsen",
        "organisation": OrganisationFactory(name="Jobcenter Test").pk,
        "role": "Projektledelse",
    }

    response = client_for(administrator).post("/partnerskaber/brugere/inviter/", data)

    assert response.status_code == 302
    assert "messages" not in response.cookies


def test_gunicorn_access_log_leaves_out_the_query_string_and_the_referer():
    from pathlib import Path

    config = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    namespace: dict = {}
    exec(compile(config.read_text(), str(config), "exec"), namespace)  # noqa: S102 (our own config file)

    log_format = namespace["access_log_format"]
    assert "%(U)s" in log_format
    for leaking in ("%(r)s", "%(q)s", "%(f)s", "%(a)s"):
        assert leaking not in log_format
