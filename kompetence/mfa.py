"""Two-factor login required for the roles that hold the most: administrators, and every user with a
permission named in ``MFA_REQUIRED_PERMISSIONS`` (revealing CPR numbers, from the activities work).

While ``MFA_REQUIRED`` is on (default: in production mode; off in development so the demo logins
work), such a user without an authenticator app (TOTP) is sent to set one up before anything else:
every page but the setup steps, logout and the language switch redirects there. Such a user also
cannot remove the last authenticator app (``MfaAdapter``). A permission that does not exist yet
(before the activities app grants it) simply makes nobody required.

Imports no app of ours: the role is read from ``user.role`` and permissions through ``has_perm``.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.utils.translation import gettext as _

# URL names a user who must set up two-factor login may still open.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
        "healthz",
        "favicon",
    }
)


def two_factor_required(user) -> bool:
    """Whether ``user``'s role or permissions demand two-factor login (whatever the setting)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or getattr(user, "role", None) in settings.MFA_REQUIRED_ROLES:
        return True
    return any(user.has_perm(permission) for permission in settings.MFA_REQUIRED_PERMISSIONS)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def must_set_up(user) -> bool:
    return settings.MFA_REQUIRED and two_factor_required(user) and not has_totp(user)


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith((settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/"))
            and not self._allowed(request)
            and must_set_up(user)
        ):
            messages.warning(
                request,
                _(
                    "Din rolle kræver totrinsbekræftelse. Opsæt en godkendelsesapp (fx Microsoft Authenticator) "
                    "på din telefon, før du fortsætter."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Exception:  # An unknown path answers 404 by itself.
            return True
        return match.url_name in ALLOWED_URL_NAMES or match.view_name in ALLOWED_URL_NAMES


class MfaAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if (
            settings.MFA_REQUIRED
            and authenticator.type == Authenticator.Type.TOTP
            and two_factor_required(authenticator.user)
        ):
            return False
        return super().can_delete_authenticator(authenticator)
