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


# --- Recounted in the background (a broker to queue on) -------------------------------------------------


@pytest.fixture
def queue(settings, monkeypatch):
    """A broker that answers: the recounts ``reporting.figures`` queues are caught here, to run by hand."""
    from kompetence import broker
    from reporting import tasks

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(broker, "available", lambda: True)
    queued: list[tuple] = []
    monkeypatch.setattr(tasks.recount_figures, "apply_async", lambda args=(), **_options: queued.append(tuple(args)))
    return queued


def test_after_a_change_the_last_figures_are_shown_until_the_recount_shows_it(
    client_for, management, world, queue, django_capture_on_commit_callbacks, monkeypatch
):
    from reporting import boards
    from reporting.tasks import recount_figures

    client = client_for(management)

    def page() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(PROGRAMME, {"periode": "2018"}).content.decode()

    first = page()  # nothing counted yet: counted in the request
    assert _shown(first, "Deltagere i alt") == PARTICIPANTS_2018["participants"]
    assert "Tal opgjort kl. " in first and "tælles op igen" not in first
    assert queue == []

    make_participant(world.a, n=901, entry=dt.date(2018, 6, 1))
    with CaptureQueriesContext(connection) as queries:
        stale = page()
    assert not [q for q in queries.captured_queries if "COUNT(DISTINCT" in q["sql"]]  # not counted in the request
    assert _shown(stale, "Deltagere i alt") == PARTICIPANTS_2018["participants"]
    assert "tælles op igen" in stale
    assert len(queue) == 1

    make_participant(world.a, n=902, entry=dt.date(2018, 6, 2))
    page()
    assert len(queue) == 1  # one recount queued per dashboard, however many changes and requests

    assert recount_figures(*queue[0]) is True
    # The recount drew the board again as well: the next dashboard finds it ready.
    monkeypatch.setattr(boards, "draw", lambda *args, **kwargs: pytest.fail("drawn in the request"))
    fresh = page()
    assert _shown(fresh, "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 2
    assert "tælles op igen" not in fresh
    assert len(queue) == 1
    assert recount_figures(*queue[0]) is False  # delivered twice: the figures are current, nothing is counted


def test_a_recount_started_before_a_change_leaves_the_figures_to_be_counted_again(
    client_for, management, world, queue, django_capture_on_commit_callbacks, monkeypatch
):
    from reporting import selectors
    from reporting.tasks import recount_figures

    client = client_for(management)

    def page() -> str:
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(PROGRAMME, {"periode": "2018"}).content.decode()

    page()
    make_participant(world.a, n=903, entry=dt.date(2018, 6, 1))
    page()
    (parts,) = queue
    count = selectors._count_facts

    def count_then_change(**kwargs):
        facts = count(**kwargs)
        make_participant(world.a, n=904, entry=dt.date(2018, 6, 3))  # saved while the recount was counting
        return facts

    monkeypatch.setattr(selectors, "_count_facts", count_then_change)
    recount_figures(*parts)
    monkeypatch.setattr(selectors, "_count_facts", count)

    html = page()
    assert _shown(html, "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 1
    assert "tælles op igen" in html and len(queue) == 2
    recount_figures(*queue[1])
    assert _shown(page(), "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 2


def test_figures_older_than_figures_seconds_are_recounted_without_a_signal(
    client_for, management, world, queue, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    from reporting import figures

    client = client_for(management)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(PROGRAMME, {"periode": "2018"})
        assert queue == []
        later = timezone.now() + dt.timedelta(seconds=figures.FIGURES_SECONDS + 1)
        monkeypatch.setattr(figures.timezone, "now", lambda: later)
        html = client.get(PROGRAMME, {"periode": "2018"}).content.decode()
    assert "tælles op igen" in html
    assert len(queue) == 1


def test_without_a_broker_the_figures_are_counted_in_the_request(
    client_for, management, world, queue, django_capture_on_commit_callbacks, monkeypatch
):
    from kompetence import broker

    monkeypatch.setattr(broker, "available", lambda: False)
    client = client_for(management)
    client.get(PROGRAMME, {"periode": "2018"})
    make_participant(world.a, n=905, entry=dt.date(2018, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(PROGRAMME, {"periode": "2018"}).content.decode()
    assert _shown(html, "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 1
    assert "tælles op igen" not in html
    assert queue == []


def test_with_redis_down_the_figures_are_counted_in_every_request(client_for, management, world, redis_fault, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    client = client_for(management)
    assert (
        _shown(client.get(PROGRAMME, {"periode": "2018"}).content.decode(), "Deltagere i alt")
        == (PARTICIPANTS_2018["participants"])
    )
    make_participant(world.a, n=906, entry=dt.date(2018, 6, 1))
    html = client.get(PROGRAMME, {"periode": "2018"}).content.decode()
    assert _shown(html, "Deltagere i alt") == PARTICIPANTS_2018["participants"] + 1
    assert "Tal opgjort kl. " in html and "tælles op igen" not in html
