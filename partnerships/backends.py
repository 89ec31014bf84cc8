"""Authentication backends: allauth's e-mail login and Django's model login, both loading the user
with the organisation the header shows on every page (one query instead of two, its SQL compiled
once: ``load_user``), and both reading permissions from the user's one grants query
(``User.grants``) instead of ModelBackend's two.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections, router
from django.db.models import Field

from kompetence import registry
from partnerships.models.people import PARTNERSHIP_LEAD


def _get_user(backend: ModelBackend, user_id):
    user = load_user(user_id)
    return user if user is not None and backend.user_can_authenticate(user) else None


def load_user(user_id) -> AbstractBaseUser | None:
    """The user with the organisation the header shows, in one query, or None.

    The same as ``User.objects.select_related("organisation").get(pk=user_id)``, which every
    request ran to find its user, but with the SQL written once per process: compiling that query
    cost the request three times the CPU of running it (bench/README.md). The row is turned into
    model instances as the ORM would, with each column's database converters (on SQLite, booleans
    and time-zone-aware datetimes).
    """
    user_model = get_user_model()
    alias = router.db_for_read(user_model)
    connection = connections[alias]
    query = _user_query(alias)
    with connection.cursor() as cursor:
        cursor.execute(query.sql, [user_model._meta.pk.to_python(user_id)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, field in enumerate(query.fields):
        column = field.get_col(field.model._meta.db_table)
        for convert in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
            values[index] = convert(values[index], column, connection)
    count = len(query.user_names)
    user = user_model.from_db(alias, query.user_names, values[:count])
    organisation = values[count:]
    organisation_model = user_model._meta.get_field("organisation").related_model
    user.organisation = (
        organisation_model.from_db(alias, query.organisation_names, organisation)
        if organisation[query.organisation_pk_index] is not None
        else None
    )
    return user


@dataclass(frozen=True)
class _UserQuery:
    sql: str
    fields: tuple[Field, ...]  # the columns, in order: the user's, then the organisation's
    user_names: tuple[str, ...]
    organisation_names: tuple[str, ...]
    organisation_pk_index: int


@functools.cache
def _user_query(alias: str) -> _UserQuery:
    user_model = get_user_model()
    link = user_model._meta.get_field("organisation")
    organisation_model = link.related_model
    quote = connections[alias].ops.quote_name
    user_fields = tuple(user_model._meta.concrete_fields)
    organisation_fields = tuple(organisation_model._meta.concrete_fields)
    columns = [f"u.{quote(f.column)}" for f in user_fields] + [f"o.{quote(f.column)}" for f in organisation_fields]
    # Identifiers only, from the models' metadata; the one value (the user id) is a parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(user_model._meta.db_table)} u "  # noqa: S608
        f"LEFT OUTER JOIN {quote(organisation_model._meta.db_table)} o "
        f"ON o.{quote(link.target_field.column)} = u.{quote(link.column)} "
        f"WHERE u.{quote(user_model._meta.pk.column)} = %s"
    )
    return _UserQuery(
        sql=sql,
        fields=user_fields + organisation_fields,
        user_names=tuple(f.attname for f in user_fields),
        organisation_names=tuple(f.attname for f in organisation_fields),
        organisation_pk_index=organisation_fields.index(organisation_model._meta.pk),
    )


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

    def has_perm(self, user_obj, perm, obj=None):
        """The role's permissions, and those a partnership's lead (tovholder) holds whatever the role
        (``PARTNERSHIP_LEAD`` in ``kompetence.registry``): a Konsulent who leads a partnership runs its
        meetings. Which partnership is decided per object (``meeting_access``); the lead's one query is
        asked only for a permission the role lacks and a lead holds."""
        if super().has_perm(user_obj, perm, obj):
            return True
        return (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and perm in registry.permissions_of(PARTNERSHIP_LEAD)
            and user_obj.leads_a_partnership
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
    """allauth's e-mail login, by the user's own (primary, verified) address only.

    allauth would also accept any other address row of the user, verified or not; users cannot add
    addresses (only administrators change the login address), and an address that was never
    verified must never log in.
    """

    def _authenticate_by_email(self, email: str, password: str):
        user = super()._authenticate_by_email(email, password)
        if user is not None and user.email.lower() != (email or "").strip().lower():
            return None
        return user

    def get_user(self, user_id):
        return _get_user(self, user_id)


class PortalModelBackend(OneQueryPermissions, ModelBackend):
    def get_user(self, user_id):
        return _get_user(self, user_id)
