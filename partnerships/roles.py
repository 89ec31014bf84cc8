"""The four roles as Django groups, and the permissions each carries.

The groups are kept in step with this table after every ``migrate`` (post_migrate), so a new
permission is granted by adding one line here. Permissions of apps that do not exist yet are
skipped until they do.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from partnerships.models import Role

_CASE_WORK = [
    "companies.view_company",
    "companies.add_company",
    "companies.change_company",
    "companies.view_contactperson",
    "companies.add_contactperson",
    "companies.change_contactperson",
    "companies.view_visit",
    "companies.add_visit",
    "companies.change_visit",
    "companies.view_competenceneed",
    "companies.add_competenceneed",
    "companies.change_competenceneed",
    "companies.export_company",
    "companies.view_agendaproposal",
    "companies.add_agendaproposal",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CONSULTANT: [
        "partnerships.view_partnership",
        *_CASE_WORK,
    ],
    Role.SECRETARIAT: [
        "partnerships.view_partnership",
        "partnerships.change_partnership",
        "partnerships.view_membership",
        "partnerships.add_membership",
        "partnerships.change_membership",
        "partnerships.delete_membership",
        *_CASE_WORK,
    ],
    Role.MANAGEMENT: [
        "partnerships.view_partnership",
        "partnerships.view_organisation",
        "partnerships.view_user",
        "companies.view_company",
        "companies.view_contactperson",
        "companies.view_visit",
        "companies.view_competenceneed",
        "companies.view_agendaproposal",
        "companies.export_company",
        "companies.import_company",
    ],
    Role.ADMINISTRATOR: ["*"],
}


def _permissions(codes: list[str]):
    if codes == ["*"]:
        return Permission.objects.all()
    query = Q(pk__in=[])
    for code in codes:
        app_label, codename = code.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def sync_role_groups(**_kwargs) -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(codes))
