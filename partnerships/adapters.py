"""allauth customisation: no open sign-up, the per-address login limit, and the audit of
password-reset requests."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from kompetence import audit


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: administrators invite users, who then choose a password."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_authenticate(self, request, **credentials: Any) -> None:
        """Refuse any login from an address with too many recent failures, whatever the account.

        The strict limit, per (account, address), is django-axes' (see settings). This looser one
        stops one address from trying a few passwords on many accounts. Both count in the database,
        so they hold while Redis is down.
        """
        failures = audit.failed_logins_from(audit.client_ip(request), since=settings.LOGIN_FAILURES_PER_ADDRESS_WINDOW)
        if failures >= settings.LOGIN_FAILURES_PER_ADDRESS:
            audit.record(
                audit.Kind.LOCKED_OUT,
                request=request,
                identifier=audit.login_identifier(request, credentials),
                scope="address",
            )
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def send_password_reset_mail(self, user, email: str, context: dict[str, Any]) -> None:
        audit.record(audit.Kind.PASSWORD_RESET_REQUESTED, request=self.request, user=user, identifier=email)
        super().send_password_reset_mail(user, email, context)
