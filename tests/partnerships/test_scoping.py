"""Who sees which partnership: ``Partnership.objects.for_user`` and the pages built on it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import MembershipFactory, PartnershipFactory


def visible(user) -> list[str]:
    return list(Partnership.objects.for_user(user).values_list("name", flat=True))


def test_consultant_sees_own_partnership_only(consultant_a, partnership_b):
    assert visible(consultant_a) == ["LKS Alfa"]


def test_secretariat_sees_own_partnership_only(secretariat_a, partnership_b):
    assert visible(secretariat_a) == ["LKS Alfa"]


@pytest.mark.parametrize("cast_member", ["management", "administrator"])
def test_management_and_administrator_see_every_partnership(cast_member, partnership_a, partnership_b, request):
    assert visible(request.getfixturevalue(cast_member)) == ["LKS Alfa", "LKS Beta"]


def test_superuser_without_a_role_group_sees_every_partnership(consultant_a, partnership_b):
    consultant_a.groups.clear()
    consultant_a.is_superuser = True
    consultant_a.save()

    assert visible(consultant_a) == ["LKS Alfa", "LKS Beta"]


@pytest.mark.parametrize("cast_member", ["consultant_a", "management", "administrator"])
def test_inactive_user_sees_nothing(cast_member, partnership_a, partnership_b, request):
    user = request.getfixturevalue(cast_member)
    user.is_active = False
    user.save()

    assert visible(user) == []


def test_anonymous_user_sees_nothing(partnership_a, partnership_b):
    assert visible(AnonymousUser()) == []


def test_user_in_both_partnerships_sees_each_once(consultant_a, partnership_b):
    MembershipFactory(user=consultant_a, partnership=partnership_b)

    assert visible(consultant_a) == ["LKS Alfa", "LKS Beta"]
    assert Partnership.objects.for_user(consultant_a).count() == 2


def test_consultant_without_memberships_sees_nothing(consultant_a):
    consultant_a.memberships.all().delete()

    assert visible(consultant_a) == []


def test_consultant_gets_404_for_another_partnerships_page(client_for, consultant_a, partnership_b):
    response = client_for(consultant_a).get(reverse("partnerships:detail", args=[partnership_b.pk]))

    assert response.status_code == 404


def test_consultant_opens_own_partnerships_page(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).get(reverse("partnerships:detail", args=[partnership_a.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "LKS Alfa" in page
    assert "Aarhus" in page


def test_partnership_list_shows_only_own_partnerships(client_for, consultant_a, partnership_b):
    page = client_for(consultant_a).get(reverse("partnerships:list")).content.decode()

    assert "LKS Alfa" in page
    assert "LKS Beta" not in page


def test_management_opens_any_partnerships_page(client_for, management, partnership_a, partnership_b):
    client = client_for(management)

    for partnership in (partnership_a, partnership_b):
        assert client.get(reverse("partnerships:detail", args=[partnership.pk])).status_code == 200


def test_dashboard_lists_only_own_partnerships_for_a_consultant(client_for, consultant_a, partnership_b):
    page = client_for(consultant_a).get(reverse("dashboard")).content.decode()

    assert "LKS Alfa" in page
    assert "LKS Beta" not in page


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["partnerships:list", "dashboard"])
def test_partnership_lists_make_the_same_number_of_queries_for_more_rows(client_for, management, url_name):
    client = client_for(management)
    url = reverse(url_name)
    PartnershipFactory(municipalities=[751])
    cache.clear()  # the dashboard's firm figures counted in both, not read from the cache
    few = queries_for(client, url)

    for code in (657, 661, 665, 671):
        MembershipFactory.create_batch(3, partnership=PartnershipFactory(municipalities=[code]))
    cache.clear()
    many = queries_for(client, url)

    assert many == few
    # Today's count (session, user, role, permissions, the lists, savepoints); raise it knowingly.
    # The dashboard also counts firms, visits, joint visits, open needs and pending proposals.
    assert many <= (15 if url_name == "partnerships:list" else 21)
