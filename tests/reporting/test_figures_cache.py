"""The reporting dashboards' cached figures (``reporting.figures``): counted once, shown again from the
cache, and counted again at once after any change of what they count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from companies.models import Visit
from tests.activities.factories import make_participant
from tests.companies.factories import VisitFactory
from tests.reporting.world import EXPECTED_2018, PARTICIPANTS_2018, build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db

PROGRAMME = reverse("reporting:programme")


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_participants(build_activities(build_world(partnership_a, partnership_b)))


def _shown(html: str, label: str) -> int:
    """The number the dashboard shows for ``label`` (the link's accessible name, "label: n")."""
    start = html.index(f'aria-label="{label}: ') + len(f'aria-label="{label}: ')
    return int(html[start : html.index('"', start)].replace(".", ""))


def test_the_dashboard_is_counted_once_and_shows_every_change_at_once(client_for, management, world):
    client = client_for(management)

    def page() -> str:
        return client.get(PROGRAMME, {"periode": "2018"}).content.decode()

    html = page()
    assert _shown(html, "Deltagere i alt") == PARTICIPANTS_2018["participants"]
    assert _shown(html, "Fælles besøg med to eller flere systemer") == EXPECTED_2018["joint_visits"]

    # Unchanged data: shown from the cache, without counting again.
    with CaptureQueriesContext(connection) as queries:
        assert _shown(page(), "Deltagere i alt") == PARTICIPANTS_2018["participants"]
    assert not [q for q in queries.captured_queries if "COUNT(DISTINCT" in q["sql"]]

    # A new participant (post_save).
    person = make_participant(world.a, n=900, entry=dt.date(2018, 6, 1))
    assert _shown(page(), "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 1

    # A second system joins a visit (m2m_changed on the visit's consultants only).
    visit = VisitFactory(
        company=world.firms["F2"], visit_date=dt.date(2018, 8, 1), kind=Visit.Kind.FIRST, consultants=[]
    )
    visit.consultants.add(world.people["bus_a"])
    assert _shown(page(), "Fælles besøg med to eller flere systemer") == EXPECTED_2018["joint_visits"]
    visit.consultants.add(world.people["emp_a"])
    assert _shown(page(), "Fælles besøg med to eller flere systemer") == EXPECTED_2018["joint_visits"] + 1

    # A deletion (post_delete).
    person.delete()
    assert _shown(page(), "Deltagere i alt") == PARTICIPANTS_2018["participants"]


def test_each_partnership_and_period_has_figures_of_its_own(client_for, management, world):
    client = client_for(management)
    whole = client.get(PROGRAMME, {"periode": "2018"}).content.decode()
    own = client.get(reverse("reporting:partnership", args=[world.a.pk]), {"periode": "2018"}).content.decode()
    empty = client.get(PROGRAMME, {"periode": "2016"}).content.decode()

    assert _shown(whole, "Deltagere i alt") == PARTICIPANTS_2018["participants"]
    assert _shown(own, "Deltagere i alt") == 2
    assert "Der er ingen data for perioden endnu." in empty


def test_a_consultant_never_gets_the_links_to_people_cached_for_management(client_for, management, consultant_a, world):
    url = reverse("reporting:partnership", args=[world.a.pk])
    assert 'aria-label="Deltagere i alt: 2"' in client_for(management).get(url, {"periode": "2018"}).content.decode()

    html = client_for(consultant_a).get(url, {"periode": "2018"}).content.decode()

    assert 'aria-label="Deltagere i alt: 2"' not in html  # the number without a link to the people
    assert "Budget og forbrug" not in html
