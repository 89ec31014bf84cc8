"""The firm list and 'Mine virksomheder' use the same number of queries whatever the number of rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.companies.factories import CompanyFactory, CompetenceNeedFactory, ContactPersonFactory, VisitFactory
from tests.factories import MembershipFactory, UserFactory

# Session, user, role, permissions (navigation), the header's organisation, three filter choices,
# count, page, three reference-name look-ups, "held elsewhere" (when searching), two savepoints.
LIST_CEILING = 17
# The same without filters and search; the total comes with the first page.
MINE_CEILING = 12


def _populate(partnership, consultant, n: int) -> None:
    for i in range(n):
        lead = UserFactory(first_name=f"Leder{i}")
        MembershipFactory(user=lead, partnership=partnership)
        firm = CompanyFactory(partnership=partnership, lead_consultant=consultant if i % 2 else lead)
        ContactPersonFactory(company=firm)
        CompetenceNeedFactory(company=firm)
        VisitFactory(company=firm, consultants=[consultant, lead])


@pytest.mark.parametrize("n", [5, 60])
def test_firm_list_query_count_is_constant(client_for, consultant_a, partnership_a, django_assert_max_num_queries, n):
    _populate(partnership_a, consultant_a, n)
    client = client_for(consultant_a)
    with django_assert_max_num_queries(LIST_CEILING):
        response = client.get(reverse("companies:list"), {"aabne_behov": "true", "q": "Testvirksomhed"})
    assert len(response.context["page"].object_list) == min(n, 50)


@pytest.mark.parametrize("n", [5, 60])
def test_mine_query_count_is_constant(client_for, consultant_a, partnership_a, django_assert_max_num_queries, n):
    _populate(partnership_a, consultant_a, n)
    client = client_for(consultant_a)
    with django_assert_max_num_queries(MINE_CEILING):
        response = client.get(reverse("companies:mine"))
    assert len(response.context["page"].object_list) == min(n, 50)


@pytest.mark.parametrize("n", [5, 60])
def test_firm_list_for_management_query_count_is_constant(
    client_for, management, partnership_a, consultant_a, django_assert_max_num_queries, n
):
    _populate(partnership_a, consultant_a, n)
    client = client_for(management)
    with django_assert_max_num_queries(LIST_CEILING):
        client.get(reverse("companies:list"), {"sortering": "-seneste_besoeg"})


def test_the_open_needs_index_covers_exactly_the_open_statuses():
    # The partial index's condition is written out in Meta (the class's constants are out of reach there).
    from companies.models import CompetenceNeed

    (index,) = [i for i in CompetenceNeed._meta.indexes if i.name == "need_open_company"]
    assert sorted(index.condition.children[0][1]) == sorted(CompetenceNeed.OPEN_STATUSES)
