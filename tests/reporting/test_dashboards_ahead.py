"""Today's default dashboards counted early in the morning (``reporting.ahead``), so the first user of
the day is shown them without waiting for the count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Partnership
from reporting import ahead, tasks
from tests.reporting.world import build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_participants(build_activities(build_world(partnership_a, partnership_b)))


def _counts(client, url: str) -> list[str]:
    """The counting queries the page ran (the indicators' COUNT(DISTINCT …))."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "COUNT(DISTINCT" in q["sql"]]


def test_without_the_morning_count_the_first_dashboard_counts_in_the_request(client_for, consultant_a, world):
    assert _counts(client_for(consultant_a), reverse("reporting:partnership", args=[world.a.pk]))


def test_the_morning_count_makes_the_first_dashboards_of_the_day_ready(client_for, consultant_a, management, world):
    active = Partnership.objects.filter(is_active=True).count()
    periods = ahead.periods_ahead(timezone.localdate())
    # The default period (the programme is over: its last year), then the ESF projects' other years.
    assert [p.code for p in periods] == ["2019", "2018", "2017"]

    assert tasks.count_dashboards_ahead() == len(periods) * (1 + 2 * active)

    own = reverse("reporting:partnership", args=[world.a.pk])
    assert _counts(client_for(consultant_a), own) == []
    assert _counts(client_for(consultant_a), own + "?periode=2018") == []
    assert _counts(client_for(management), reverse("reporting:programme")) == []
    assert _counts(client_for(management), reverse("reporting:programme") + "?periode=2017") == []
    # A period nobody counted ahead is counted when asked for.
    assert _counts(client_for(management), reverse("reporting:programme") + "?periode=2018-K2")
    # A second delivery of the task counts nothing: everything is current.
    assert tasks.count_dashboards_ahead() == 0


def test_the_morning_count_is_on_the_schedule(settings):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reporting.count_dashboards_ahead")
    assert entry["schedule"].hour == {5} and entry["schedule"].minute == {30}
    assert settings.CELERY_TIMEZONE == "Europe/Copenhagen"
