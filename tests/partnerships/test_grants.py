"""A user's role and permissions come from one query (User.grants) and answer as Django's ModelBackend would."""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from partnerships.models import Role, User
from tests.factories import UserFactory


def fresh(user: User) -> User:
    """The user loaded again, as the next request would (nothing cached)."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("role", list(Role))
def test_permissions_are_those_of_djangos_model_backend(db, role):
    user = UserFactory(role=role)
    django_answer = ModelBackend().get_all_permissions(fresh(user))
    assert fresh(user).get_all_permissions() == django_answer
    assert fresh(user).role == role


def test_role_and_every_permission_check_cost_one_query(db, django_assert_num_queries):
    user = fresh(UserFactory(role=Role.CONSULTANT))
    with django_assert_num_queries(1):
        assert user.role == Role.CONSULTANT
        assert user.has_perm("companies.view_company")
        # Asked of both backends when it is missing, and still no second query.
        assert not user.has_perm("partnerships.add_user")
        assert user.has_module_perms("companies")


def test_permissions_given_to_the_user_directly_count(db):
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_company"))
    user = fresh(user)
    assert user.has_perm("companies.view_company")
    assert user.get_user_permissions() == {"companies.view_company"}
    assert user.get_group_permissions() == set()
    assert user.role is None


def test_a_role_group_without_permissions_still_gives_the_role(db):
    Group.objects.get(name=Role.SECRETARIAT).permissions.clear()
    user = fresh(UserFactory(role=Role.SECRETARIAT))
    assert user.role == Role.SECRETARIAT
    assert user.get_all_permissions() == set()


def test_an_inactive_user_has_no_permissions(db):
    user = UserFactory(role=Role.MANAGEMENT, is_active=False)
    assert not fresh(user).has_perm("companies.view_company")
    assert fresh(user).get_all_permissions() == set()


def test_a_superuser_has_every_permission(db):
    user = fresh(UserFactory(is_superuser=True))
    assert user.has_perm("partnerships.add_user")
    assert user.get_all_permissions() == ModelBackend().get_all_permissions(fresh(user))
    assert user.role == Role.ADMINISTRATOR
