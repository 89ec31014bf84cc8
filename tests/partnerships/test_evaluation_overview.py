"""Projektledelse sees every partnership's self-evaluation side by side; members see their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import Dimension, Level, SelfEvaluation, SelfEvaluationResult
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

URL = "/partnerskaber/selvevaluering/"


def _round(partnership, year: int, level: int, title: str) -> SelfEvaluation:
    evaluation = SelfEvaluation.objects.create(
        partnership=partnership,
        title=title,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 6, 30),
        status=SelfEvaluation.Status.CLOSED,
    )
    SelfEvaluationResult.objects.bulk_create(
        SelfEvaluationResult(evaluation=evaluation, dimension=d, level=level, justification="Begrundet.")
        for d in Dimension.values
    )
    return evaluation


def test_management_sees_every_partnership_side_by_side_with_the_change(
    client_for, management, partnership_a, partnership_b
):
    _round(partnership_a, 2025, Level.KANTINE, "Forår 2025")
    _round(partnership_a, 2026, Level.KLUB, "Forår 2026")
    _round(partnership_b, 2026, Level.KOMPAGNI, "Forår 2026 B")

    assert reverse("partnerships:self_evaluation_overview") == URL
    response = client_for(management).get(URL)
    page = response.content.decode()

    rows = {row.partnership.name: row for row in response.context["rows"]}
    assert set(rows) >= {"LKS Alfa", "LKS Beta"}
    assert [c.label for c in rows["LKS Alfa"].cells] == ["Klub"] * len(Dimension)
    assert all(c.change == 1 for c in rows["LKS Alfa"].cells)
    assert all(c.label == "Kompagni" and c.change == 0 for c in rows["LKS Beta"].cells)
    assert "Forår 2026 B" in page and "steget" in page


def test_a_member_sees_only_the_own_partnership(client_for, consultant_a, partnership_a, partnership_b):
    _round(partnership_b, 2026, Level.KOMPAGNI, "Hemmelig runde")
    response = client_for(consultant_a).get(URL)
    assert [row.partnership.name for row in response.context["rows"]] == ["LKS Alfa"]
    assert "Hemmelig runde" not in response.content.decode()


def test_the_overview_uses_the_same_number_of_queries_at_two_sizes(client_for, management):
    client = client_for(management)
    counts = []
    for size in (2, 8):
        for n in range(size):
            partnership = PartnershipFactory(name=f"LKS {size}-{n}")
            _round(partnership, 2025, Level.KANTINE, "Forår 2025")
            _round(partnership, 2026, Level.KLUB, "Forår 2026")
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
