"""The four roles as Django groups, kept in step with the permissions the apps register.

Each app grants its own permissions to the roles from its ``AppConfig.ready()``
(``kompetence.registry.grant``); this module only turns the registered table into groups, after every
``migrate`` (post_migrate), so a new permission is granted by one line in the app that owns it.
Permissions of apps or models that do not exist (yet) are skipped.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from kompetence import registry
from partnerships.models import Role


def _permissions(codes: frozenset[str]):
    if registry.ALL_PERMISSIONS in codes:
        return Permission.objects.all()
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def sync_role_groups(**_kwargs) -> None:
    """Create the four role groups and give each exactly the permissions registered for it."""
    table = registry.role_permissions()
    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(table.get(role.value, frozenset())))
