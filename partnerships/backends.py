"""Authentication backends: allauth's e-mail login, loading the user with the organisation the
header shows on every page (one query instead of two)."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def _get_user(backend: ModelBackend, user_id):
    user_model = get_user_model()
    try:
        user = user_model._default_manager.select_related("organisation").get(pk=user_id)
    except user_model.DoesNotExist:
        return None
    return user if backend.user_can_authenticate(user) else None


class EmailBackend(AllauthBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)


class PortalModelBackend(ModelBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)
