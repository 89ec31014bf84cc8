"""The dashboard's panels are kept in the cache per user (kompetence.dashboard) and read again as soon
as something they show changes: what a user sees after a change is the change, never the old panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from companies.models import Visit
from kompetence import dashboard
from partnerships.models import Membership, Role
from tests.companies.factories import CompanyFactory, VisitFactory
from tests.factories import MembershipFactory

DASHBOARD = reverse("dashboard")


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _page(client) -> str:
    return client.get(DASHBOARD).content.decode()


def _follow_ups(html: str) -> str:
    start = html.index('aria-labelledby="opfoelgninger"')
    return html[start : html.index("</section>", start)]


@pytest.mark.django_db
def test_a_new_overdue_follow_up_shows_on_the_next_dashboard(client_for, consultant_a, partnership_a, today):
    client = client_for(consultant_a)
    assert "Ingen overskredne opfølgninger." in _follow_ups(_page(client))
    # The second keeps the panels' HTML, the third shows it.
    assert _follow_ups(_page(client)) == _follow_ups(_page(client))

    firm = CompanyFactory(
        name="Glemt Opfølgning ApS",
        partnership=partnership_a,
        lead_consultant=consultant_a,
        next_follow_up_on=today - dt.timedelta(days=2),
    )
    panel = _follow_ups(_page(client))
    assert "Glemt Opfølgning ApS" in panel and "Overskredet: 1 opfølgning" in panel

    firm.next_follow_up_on = today + dt.timedelta(days=40)
    firm.save()
    assert "Glemt Opfølgning ApS" not in _follow_ups(_page(client))


@pytest.mark.django_db
def test_being_added_to_a_visit_brings_its_firm_into_the_follow_ups(
    client_for, consultant_a, secretariat_a, partnership_a, today
):
    firm = CompanyFactory(name="Fælles Besøg A/S", partnership=partnership_a, next_follow_up_on=today)
    visit = VisitFactory(company=firm, consultants=[secretariat_a])
    client = client_for(consultant_a)
    assert "Fælles Besøg A/S" not in _follow_ups(_page(client))

    visit.consultants.add(consultant_a)  # a many-to-many change: no post_save of any row

    assert "Fælles Besøg A/S" in _follow_ups(_page(client))


@pytest.mark.django_db
def test_an_unchanged_dashboard_is_read_from_the_cache(client_for, consultant_a, partnership_a, today):
    CompanyFactory(partnership=partnership_a, lead_consultant=consultant_a, next_follow_up_on=today)
    client = client_for(consultant_a)
    first = _page(client)

    with CaptureQueriesContext(connection) as queries:
        again = _page(client)

    panel_tables = ("companies_company", "companies_visit", "partnerships_actionitem", "companies_decision")
    panel_queries = [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in panel_tables)]
    assert panel_queries == []
    assert _follow_ups(again) == _follow_ups(first)


@pytest.mark.django_db
def test_each_user_gets_their_own_panels(client_for, consultant_a, consultant_b, partnership_a, partnership_b, today):
    CompanyFactory(
        name="Alfas Firma ApS", partnership=partnership_a, lead_consultant=consultant_a, next_follow_up_on=today
    )
    CompanyFactory(
        name="Betas Firma ApS", partnership=partnership_b, lead_consultant=consultant_b, next_follow_up_on=today
    )

    page_a, page_b = _page(client_for(consultant_a)), _page(client_for(consultant_b))

    assert "Alfas Firma ApS" in page_a and "Betas Firma ApS" not in page_a
    assert "Betas Firma ApS" in page_b and "Alfas Firma ApS" not in page_b


@pytest.mark.django_db
def test_leaving_a_partnership_takes_its_firms_off_the_dashboard_at_once(
    client_for, consultant_a, partnership_a, partnership_b, today
):
    MembershipFactory(user=consultant_a, partnership=partnership_b)
    CompanyFactory(
        name="Betas Firma ApS", partnership=partnership_b, lead_consultant=consultant_a, next_follow_up_on=today
    )
    client = client_for(consultant_a)
    assert "Betas Firma ApS" in _page(client)

    Membership.objects.get(user=consultant_a, partnership=partnership_b).delete()

    assert "Betas Firma ApS" not in _page(client)


@pytest.mark.django_db
def test_a_new_role_gets_its_own_panels_at_once(client_for, consultant_a, partnership_a):
    client = client_for(consultant_a)
    assert "Dine opfølgninger" in _page(client)

    consultant_a.groups.set([Group.objects.get(name=Role.MANAGEMENT.value)])

    html = _page(client)
    assert "Dine opfølgninger" not in html and "Virksomheder i programmet" in html


@pytest.mark.django_db
def test_a_draft_saved_shows_in_dine_kladder(client_for, consultant_a, partnership_a):
    client = client_for(consultant_a)
    assert "Du har ingen besøg gemt som kladde." in _page(client)

    VisitFactory(
        company=CompanyFactory(name="Kladde Firma ApS", partnership=partnership_a),
        consultants=[consultant_a],
        status=Visit.Status.DRAFT,
    )

    assert "Kladde Firma ApS" in _page(client)


def test_every_panel_that_names_its_models_is_watched():
    from kompetence import registry

    labels = {label for s in registry.sections(registry.DASHBOARD) for label in s.depends_on}
    assert labels, "no dashboard panel is cached"
    assert labels | set(dashboard.USER_DEPENDS) <= dashboard._watched


@pytest.mark.django_db
def test_deleting_a_firm_with_many_visits_writes_each_version_once(
    client_for, partnership_a, consultant_a, monkeypatch
):
    firm = CompanyFactory(partnership=partnership_a, lead_consultant=consultant_a, name="Lukket Firma ApS")
    for _ in range(12):
        VisitFactory(company=firm, consultants=[consultant_a])
    client = client_for(consultant_a)
    _page(client)
    writes: list[list[str]] = []
    real_bump = dashboard._bump
    monkeypatch.setattr(dashboard, "_bump", lambda labels: (writes.append(list(labels)), real_bump(labels)))

    firm.delete()  # its 12 visits go with it, one post_delete each, inside the delete's transaction

    # Written once, after the commit, or (as here, where the test's transaction never commits)
    # before this transaction's own next dashboard; not once per row.
    assert writes == []
    _page(client)
    assert len(writes) == 1 and {"companies.Company", "companies.Visit"} <= set(writes[0])
