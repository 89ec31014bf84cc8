"""The security audit log: ``record(kind, ...)`` and the receivers that feed it.

What is recorded, with who (the account, or the login name typed), when and from where:
successful and failed logins, lockouts, logouts, password-reset requests and resets, password
changes, accepted invitations, changed login addresses, two-factor changes, and every look-up in
other partnerships' firms. Never a password, a token or the text of a form.

``client_ip(request)`` is the one answer to "where from": ``REMOTE_ADDR``, or, behind
``TRUSTED_PROXY_COUNT`` reverse proxies, the address the outermost trusted proxy saw (the same rule
allauth applies with ``ALLAUTH_TRUSTED_PROXY_COUNT`` and django-axes with ``AXES_CLIENT_IP_CALLABLE``,
both fed from ``DJANGO_TRUSTED_PROXY_COUNT``).

This module imports no app of ours; the user model is reached through ``settings.AUTH_USER_MODEL``.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from kompetence.models import AuditEvent

logger = logging.getLogger("kompetence.audit")

Kind = AuditEvent.Kind


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:1234"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "192.0.2.1:1234"
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with N trusted proxies the N-th address from the
    right of ``X-Forwarded-For`` (what the outermost trusted proxy saw connect to it).

    Addresses further left were written by the client itself and prove nothing. A request with
    fewer entries than trusted proxies did not come through them; its ``REMOTE_ADDR`` is used.
    """
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return _valid_ip(forwarded[-count])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


def login_identifier(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The login name typed (allauth passes the e-mail as ``email``), lower case, at most 254 characters.

    Used by django-axes (``AXES_USERNAME_CALLABLE``) so the lockout pair is (this, client address).
    """
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login") or ""
    return str(value).strip().lower()[:254]


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user=None,
    identifier: str = "",
    **detail: Any,
) -> AuditEvent:
    """Write one audit event. ``detail`` must hold plain facts only (counts, codes), never input."""
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if not identifier and user is not None:
        identifier = getattr(user, "email", "") or ""
    event = AuditEvent.objects.create(
        kind=kind,
        user=user,
        identifier=identifier[:254],
        ip_address=client_ip(request),
        detail=detail,
    )
    logger.info("audit %s user=%s ip=%s", kind, getattr(user, "pk", None), event.ip_address)
    return event


def recent(kind: str, *, since: dt.timedelta) -> QuerySet[AuditEvent]:
    """Events of ``kind`` within the last ``since``; the throttles count these."""
    return AuditEvent.objects.filter(kind=kind, at__gte=timezone.now() - since)


def failed_logins_from(ip_address: str | None, *, since: dt.timedelta) -> int:
    if not ip_address:
        return 0
    return recent(Kind.LOGIN_FAILED, since=since).filter(ip_address=ip_address).count()


# ---------------------------------------------------------------------------
# Receivers (connected in KompetenceConfig.ready)
# ---------------------------------------------------------------------------
def on_login_failed(sender, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs) -> None:
    # Django has already replaced the password with stars; only the login name is kept.
    record(Kind.LOGIN_FAILED, request=request, identifier=login_identifier(request, credentials))


def on_logged_in(sender, request: HttpRequest, user, **kwargs) -> None:
    record(Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request: HttpRequest, user, **kwargs) -> None:
    if user is not None:
        record(Kind.LOGOUT, request=request, user=user)


def on_locked_out(sender, request: HttpRequest, username: str | None = None, ip_address: str | None = None, **kwargs):
    record(Kind.LOCKED_OUT, request=request, identifier=(username or "")[:254])


def on_password_reset(sender, request: HttpRequest, user, **kwargs) -> None:
    record(Kind.PASSWORD_RESET, request=request, user=user)


def on_password_changed(sender, request: HttpRequest, user, **kwargs) -> None:
    record(Kind.PASSWORD_CHANGED, request=request, user=user)


def on_email_changed(sender, request: HttpRequest, user, from_email_address=None, to_email_address=None, **kwargs):
    record(Kind.EMAIL_CHANGED, request=request, user=user)


def on_authenticator_added(sender, request: HttpRequest, user, authenticator=None, **kwargs) -> None:
    record(Kind.MFA_ENABLED, request=request, user=user, type=getattr(authenticator, "type", ""))


def on_authenticator_removed(sender, request: HttpRequest, user, authenticator=None, **kwargs) -> None:
    record(Kind.MFA_DISABLED, request=request, user=user, type=getattr(authenticator, "type", ""))


def connect_receivers() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from axes.signals import user_locked_out
    from django.contrib.auth import signals as auth_signals

    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid="kompetence.audit.login_failed")
    auth_signals.user_logged_in.connect(on_logged_in, dispatch_uid="kompetence.audit.logged_in")
    auth_signals.user_logged_out.connect(on_logged_out, dispatch_uid="kompetence.audit.logged_out")
    user_locked_out.connect(on_locked_out, dispatch_uid="kompetence.audit.locked_out")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid="kompetence.audit.password_reset")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid="kompetence.audit.password_changed")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid="kompetence.audit.email_changed")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="kompetence.audit.mfa_added")
    mfa_signals.authenticator_removed.connect(on_authenticator_removed, dispatch_uid="kompetence.audit.mfa_removed")
