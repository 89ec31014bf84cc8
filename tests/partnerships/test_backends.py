"""The user of each request is loaded with the organisation in one query, as the ORM would load it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from partnerships.backends import PortalModelBackend, load_user
from partnerships.models import Role, User
from tests.factories import DEFAULT_PASSWORD, UserFactory


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_user_and_the_organisation_are_those_the_orm_loads(partnership_a, django_assert_num_queries):
    user = UserFactory(role=Role.SECRETARIAT, organisation=partnership_a.secretariat, is_staff=True)
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - dt.timedelta(hours=3))
    expected = User.objects.select_related("organisation").get(pk=user.pk)
    with django_assert_num_queries(1):
        loaded = load_user(user.pk)
        assert loaded.organisation.name == partnership_a.secretariat.name
    assert _fields(loaded) == _fields(expected)
    assert _fields(loaded.organisation) == _fields(expected.organisation)
    assert loaded.is_staff is True and loaded.is_superuser is False
    assert timezone.is_aware(loaded.last_login)
    assert loaded.check_password(DEFAULT_PASSWORD)


def test_a_user_without_organisation_needs_no_second_query(db, django_assert_num_queries):
    user = UserFactory(organisation=None)
    with django_assert_num_queries(1):
        assert load_user(user.pk).organisation is None


def test_an_unknown_or_inactive_user_is_nobody(db):
    inactive = UserFactory(is_active=False)
    assert load_user(inactive.pk + 1000) is None
    assert PortalModelBackend().get_user(inactive.pk + 1000) is None
    assert PortalModelBackend().get_user(inactive.pk) is None
    assert PortalModelBackend().get_user(UserFactory().pk) is not None


def test_a_loaded_user_can_be_saved(db):
    user = load_user(UserFactory(first_name="Før").pk)
    user.first_name = "Efter"
    user.save()
    assert User.objects.get(pk=user.pk).first_name == "Efter"
