"""The companies app's dashboard panels read from the database: one query each, whatever the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from companies import dashboard
from companies.models import Visit
from partnerships.models import User
from tests.companies.factories import CompanyFactory, VisitFactory


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.django_db
def test_follow_ups_and_drafts_take_one_query_each(count, consultant_a, partnership_a, django_assert_num_queries):
    today = timezone.localdate()
    for i in range(count):
        firm = CompanyFactory(
            partnership=partnership_a,
            lead_consultant=consultant_a,
            name=f"Firma {i:02d}",
            next_follow_up_on=today + dt.timedelta(days=i % 2 * 3 - 1),  # overdue, upcoming, overdue, ...
        )
        VisitFactory(company=firm, consultants=[consultant_a], status=Visit.Status.DRAFT)
    user = User.objects.get(pk=consultant_a.pk)
    user.grants  # noqa: B018 - the permission query is the page's, not the panels'

    with django_assert_num_queries(1):
        follow_ups = dashboard.follow_ups(user=user)
    with django_assert_num_queries(1):
        drafts = dashboard.drafts(user=user)

    half = count // 2
    assert (follow_ups["overdue_count"], follow_ups["upcoming_count"]) == (half, half)
    assert [r.name for r in follow_ups["overdue"]] == [f"Firma {i:02d}" for i in range(0, count, 2)][:5]
    assert [r.name for r in follow_ups["upcoming"]] == [f"Firma {i:02d}" for i in range(1, count, 2)][:5]
    assert drafts["drafts_count"] == count and len(drafts["drafts"]) == min(count, 5)
