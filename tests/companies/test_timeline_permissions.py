"""A timeline source names the permission its events need (``registry.TimelineSource.perm``), and the
firm's timeline leaves out a source the user lacks it for, decided once in ``case_timeline``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from companies.selectors.case import case_timeline
from companies.services import recruitment as recruitment_services
from kompetence import registry
from partnerships.models import Role, User
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_a_source_is_read_only_for_users_with_its_permission(partnership_a, consultant_a):
    company = CompanyFactory(partnership=partnership_a)
    read = []
    source = registry.TimelineSource("probe", lambda case: read.append(case) or [], perm="companies.view_nothing_here")

    case_timeline(company, user=consultant_a, sources=[source])
    assert read == []

    open_source = registry.TimelineSource("probe", lambda case: read.append(case) or [])
    case_timeline(company, user=consultant_a, sources=[open_source])
    assert len(read) == 1


def test_a_role_without_the_recruitment_permission_does_not_see_recruitment_on_the_timeline(
    client_for, partnership_a, consultant_a, secretariat_a
):
    company = CompanyFactory(partnership=partnership_a)
    recruitment_services.recruitment_create(
        company=company,
        by=consultant_a,
        job_title="Svejser til natholdet",
        positions=1,
        skills="MIG",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    assert "Svejser til natholdet" in client_for(secretariat_a).get(company.get_absolute_url()).content.decode()

    group = Group.objects.get(name=Role.SECRETARIAT.value)
    needs = Permission.objects.get(content_type__app_label="companies", codename="view_competenceneed")
    group.permissions.remove(needs)
    secretariat = User.objects.get(pk=secretariat_a.pk)  # a fresh permission cache

    assert "Svejser til natholdet" not in client_for(secretariat).get(company.get_absolute_url()).content.decode()
