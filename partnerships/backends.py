"""Authentication backends: allauth's e-mail login and Django's model login, both loading the user
with the organisation the header shows on every page (one query instead of two), and both reading
permissions from the user's one grants query (``User.grants``) instead of ModelBackend's two.
"""

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


class OneQueryPermissions:
    """Permissions from ``User.grants`` (groups and permissions in one query, kept on the user).

    The same answers as ModelBackend: nothing for inactive or anonymous users and for object
    permissions; for superusers every permission (left to ModelBackend, which reads them all, and is
    rarely asked: ``User.has_perm`` answers yes to an active superuser without asking a backend).
    Both backends share the one cache, so a permission the user lacks, asked of both, costs no
    second query.
    """

    def _from_grants(self, user_obj, obj) -> bool:
        return (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and hasattr(user_obj, "grants")
        )

    def get_user_permissions(self, user_obj, obj=None):
        if not self._from_grants(user_obj, obj):
            return super().get_user_permissions(user_obj, obj)
        return user_obj.grants.user_permissions

    def get_group_permissions(self, user_obj, obj=None):
        if not self._from_grants(user_obj, obj):
            return super().get_group_permissions(user_obj, obj)
        return user_obj.grants.group_permissions

    def get_all_permissions(self, user_obj, obj=None):
        if not self._from_grants(user_obj, obj):
            return super().get_all_permissions(user_obj, obj)
        return user_obj.grants.all_permissions


class EmailBackend(OneQueryPermissions, AllauthBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)


class PortalModelBackend(OneQueryPermissions, ModelBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)
