"""The meeting page (where the agenda is built) runs a fixed number of queries, whatever the number of
points, firms proposed, people invited and decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies import agenda_services
from partnerships.services import meetings as services
from tests.companies.factories import AgendaProposalFactory, CompanyFactory, CompetenceNeedFactory, VisitFactory
from tests.partnerships.meeting_factories import member_in

pytestmark = pytest.mark.django_db


def _fill(meeting, partnership, secretariat, size: int) -> None:
    people = [member_in(partnership, system=("business", "employment", "education")[n % 3]) for n in range(size)]
    services.meeting_invite(meeting=meeting, invitees=people, by=secretariat)
    for n in range(size):
        services.agenda_item_add(meeting=meeting, by=secretariat, title=f"Punkt {n}", presenter=people[n])
        firm = CompanyFactory(partnership=partnership)
        VisitFactory(company=firm, consultants=[people[n]])
        CompetenceNeedFactory(company=firm)
        proposal = AgendaProposalFactory(company=firm)
        if n % 2:
            agenda_services.agenda_add_case(meeting=meeting, proposal=proposal, by=secretariat)


@pytest.mark.parametrize("size", [2, 12])
def test_the_meeting_page_uses_a_constant_number_of_queries(
    size, make_meeting, partnership_a, secretariat_a, client_for, django_assert_max_num_queries
):
    meeting = make_meeting(days=3)
    _fill(meeting, partnership_a, secretariat_a, size)
    client = client_for(secretariat_a)
    client.get(reverse("partnerships:meeting_detail", args=[meeting.pk]))
    with django_assert_max_num_queries(45):
        response = client.get(reverse("partnerships:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert len(response.context["agenda"]) == size + size // 2


def test_the_meeting_page_query_count_is_the_same_at_two_sizes(
    make_meeting, partnership_a, secretariat_a, client_for, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_meeting(days=3)
    large = make_meeting(days=5, lead=None, hour=13)
    _fill(small, partnership_a, secretariat_a, 2)
    _fill(large, partnership_a, secretariat_a, 10)
    client = client_for(secretariat_a)
    counts = []
    for meeting in (small, large):
        client.get(reverse("partnerships:meeting_detail", args=[meeting.pk]))
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("partnerships:meeting_detail", args=[meeting.pk]))
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
