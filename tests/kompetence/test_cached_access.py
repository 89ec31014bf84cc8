"""Access taken away takes effect at once on the pages whose choices and totals are kept per process
(``kompetence.memo``: the firm list's and the activities lists' options, the lists' totals) and on
the cached reporting dashboards: a user who leaves a partnership, or changes role, never sees what
the cache kept for the access they had."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from partnerships.models import Membership, Role
from tests.activities.factories import make_participant, make_plan
from tests.companies.factories import CompanyFactory
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LISTS = ("companies:list", "activities:list", "activities:participant_list")


def _offers(html: str, partnership) -> bool:
    return f'<option value="{partnership.pk}">{partnership.name}</option>' in html


def test_leaving_a_partnership_takes_it_out_of_every_lists_choices_and_totals_at_once(
    client_for, consultant_a, partnership_a, partnership_b
):
    seat = MembershipFactory(user=consultant_a, partnership=partnership_b)
    firm_b = CompanyFactory(partnership=partnership_b)
    make_plan(firm_b, consultant_a)
    make_participant(partnership_b, n=3, employer=firm_b)
    client = client_for(consultant_a)
    for name in LISTS:
        assert _offers(client.get(reverse(name)).content.decode(), partnership_b), name
    assert client.get(reverse("activities:list")).context["total"] == 1
    assert client.get(reverse("activities:participant_list")).context["total"] == 1

    seat.delete()

    for name in LISTS:
        html = client.get(reverse(name)).content.decode()
        assert not _offers(html, partnership_b), name
        assert _offers(html, partnership_a), name
    assert client.get(reverse("activities:list")).context["total"] == 0
    assert client.get(reverse("activities:participant_list")).context["total"] == 0


def test_a_new_role_gets_the_lists_choices_and_totals_of_that_role_at_once(
    client_for, consultant_a, partnership_a, partnership_b
):
    make_plan(CompanyFactory(partnership=partnership_b), consultant_a)
    client = client_for(consultant_a)

    def seen() -> tuple[bool, int]:
        response = client.get(reverse("activities:list"))
        return _offers(response.content.decode(), partnership_b), response.context["total"]

    assert seen() == (False, 0)
    consultant_a.groups.set([Group.objects.get(name=Role.MANAGEMENT.value)])  # sees everything
    assert seen() == (True, 1)
    consultant_a.groups.set([Group.objects.get(name=Role.CONSULTANT.value)])
    assert seen() == (False, 0)


def test_leaving_a_partnership_closes_its_cached_reporting_dashboard_at_once(client_for, secretariat_a, partnership_a):
    client = client_for(secretariat_a)
    url = reverse("reporting:partnership", args=[partnership_a.pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now from the cache

    Membership.objects.filter(user=secretariat_a, partnership=partnership_a).delete()

    assert client.get(url).status_code == 404
