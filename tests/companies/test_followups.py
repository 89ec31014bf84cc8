"""The consultant's follow-ups and drafts: on the dashboard as overdue and upcoming with counts and
"vis alle", and in full on "Dine opfølgninger" and "Dine kladder"; a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from companies.models import Visit
from tests.companies.factories import CompanyFactory, VisitFactory

DASHBOARD = reverse("dashboard")
FOLLOW_UPS = reverse("companies:follow_ups")
DRAFTS = reverse("companies:drafts")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _firms(partnership, lead, count: int, first_day: dt.date, prefix: str):
    return [
        CompanyFactory(
            partnership=partnership,
            lead_consultant=lead,
            name=f"{prefix} {n:02d}",
            next_follow_up_on=first_day + dt.timedelta(days=n),
        )
        for n in range(count)
    ]


def _section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S)
    assert match, f"no section {heading_id}"
    return match.group(0)


def test_dashboard_shows_tomorrows_follow_up_beside_eleven_overdue_with_counts(
    client_for, consultant_a, consultant_b, partnership_a, partnership_b, today
):
    _firms(partnership_a, consultant_a, 11, today - dt.timedelta(days=30), "Forfalden")
    CompanyFactory(
        partnership=partnership_a,
        lead_consultant=consultant_a,
        name="I morgen ApS",
        next_follow_up_on=today + dt.timedelta(days=1),
    )
    _firms(partnership_a, consultant_a, 3, today + dt.timedelta(days=5), "Snart")
    CompanyFactory(
        partnership=partnership_a,
        lead_consultant=consultant_a,
        name="Langt Ude ApS",
        next_follow_up_on=today + dt.timedelta(days=60),
    )
    CompanyFactory(
        partnership=partnership_b,
        lead_consultant=consultant_b,
        name="Anden Partner ApS",
        next_follow_up_on=today - dt.timedelta(days=1),
    )

    html = _section(client_for(consultant_a).get(DASHBOARD).content.decode(), "opfoelgninger")

    assert "Overskredet: 11 opfølgninger" in html
    assert "De næste 14 dage: 4 opfølgninger" in html
    assert "I morgen ApS" in html
    assert html.count("Forfalden") == 5  # the five oldest; "vis alle" has the rest
    assert "Forfalden 00" in html and "Forfalden 05" not in html
    assert f'href="{FOLLOW_UPS}?vis=overskredet">Vis alle 11 overskredne' in html
    assert f'href="{FOLLOW_UPS}?vis=kommende">Vis alle 4 kommende' in html
    assert "Langt Ude ApS" not in html and "Anden Partner ApS" not in html


def test_follow_up_page_lists_every_overdue_or_upcoming_follow_up(
    client_for, consultant_a, consultant_b, partnership_a, partnership_b, today
):
    _firms(partnership_a, consultant_a, 11, today - dt.timedelta(days=30), "Forfalden")
    _firms(partnership_a, consultant_a, 4, today, "Snart")
    CompanyFactory(partnership=partnership_b, lead_consultant=consultant_b, next_follow_up_on=today)
    client = client_for(consultant_a)

    overdue = client.get(FOLLOW_UPS, {"vis": "overskredet"})
    upcoming = client.get(FOLLOW_UPS, {"vis": "kommende"})

    assert [r["name"] for r in overdue.context["rows"]] == [f"Forfalden {n:02d}" for n in range(11)]
    assert [r["name"] for r in upcoming.context["rows"]] == [f"Snart {n:02d}" for n in range(4)]
    assert "Overskredet (11)" in overdue.content.decode()
    assert "De næste 14 dage (4)" in overdue.content.decode()
    assert client.get(FOLLOW_UPS, {"vis": "<script>"}).context["when"] == "overskredet"


def test_dashboard_and_draft_page_list_the_users_drafts(client_for, consultant_a, secretariat_a, partnership_a, today):
    firm = CompanyFactory(partnership=partnership_a, name="Kladde Smed ApS")
    mine = VisitFactory(company=firm, consultants=[consultant_a], status=Visit.Status.DRAFT, visit_date=today)
    VisitFactory(company=firm, consultants=[consultant_a])  # completed
    VisitFactory(
        company=CompanyFactory(partnership=partnership_a, name="Andens Kladde ApS"),
        consultants=[secretariat_a],
        status=Visit.Status.DRAFT,
    )
    client = client_for(consultant_a)

    dashboard = _section(client.get(DASHBOARD).content.decode(), "kladder")
    page = client.get(DRAFTS)

    edit = reverse("companies:visit_update", args=[mine.pk])
    assert f'<a href="{edit}">Kladde Smed ApS</a>' in dashboard
    assert "Andens Kladde ApS" not in dashboard
    assert f'href="{DRAFTS}">Vis alle (1)' in dashboard
    assert [r.edit_url for r in page.context["rows"]] == [edit]
    assert page.context["total"] == 1


def test_management_has_no_follow_up_or_draft_panels(client_for, management):
    html = client_for(management).get(DASHBOARD).content.decode()
    assert "Dine opfølgninger" not in html and "Dine kladder" not in html


@pytest.mark.parametrize("url", [DASHBOARD, FOLLOW_UPS + "?vis=overskredet", FOLLOW_UPS + "?vis=kommende", DRAFTS])
def test_follow_ups_and_drafts_take_the_same_queries_with_2_and_12_rows(
    client_for, consultant_a, partnership_a, today, url, django_assert_max_num_queries
):
    client = client_for(consultant_a)

    def grow(n: int) -> None:
        for i in range(n):
            firm = CompanyFactory(
                partnership=partnership_a,
                lead_consultant=consultant_a,
                next_follow_up_on=today + dt.timedelta(days=(i % 3) * 5 - 5),
            )
            VisitFactory(company=firm, consultants=[consultant_a], status=Visit.Status.DRAFT)

    grow(2)
    client.get(url)  # warm up (session, permissions)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # both measured with the dashboard's firm figures counted, not read from the cache
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(10)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
