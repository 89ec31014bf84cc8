"""The activity list over ``XLSX_WEB_LIMIT`` rows as XLSX: offered on the GET (nothing created), asked
for with a POST, built in the background as a ``Report`` of kind ``aktiviteter`` (once, the same bytes
again), downloaded from the report's page with the cells the request's own XLSX has."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kompetence.exports import write_xlsx
from kompetence.models import OutboxEntry
from reporting.exports import activity_columns, activity_rows
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import services
from tests.reporting.world import build_activities, build_world

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2018")


@pytest.fixture
def activities(partnership_a, partnership_b, management):
    build_activities(build_world(partnership_a, partnership_b))
    rows = activity_rows(YEAR, user=management)
    assert rows.count() >= 2
    return rows


@pytest.fixture
def small_limit(monkeypatch):
    """One activity is "too many" for an XLSX in the request."""
    monkeypatch.setattr("reporting.views.exports.XLSX_WEB_LIMIT", 1)


def _cells(content: bytes) -> list[list[tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        [(cell.value, cell.data_type, cell.number_format, cell.quotePrefix, cell.font.b) for cell in row]
        for row in sheet.iter_rows()
    ]


def test_a_big_activity_list_is_offered_on_the_get_and_built_in_the_background_on_the_post(
    client_for, management, activities, small_limit, django_capture_on_commit_callbacks
):
    client = client_for(management)

    offer = client.get(reverse("reporting:export_activities"), {"periode": "2018", "format": "xlsx"})

    assert offer.status_code == 200 and not Report.objects.exists()
    page = offer.content.decode()
    assert "Dan filen i baggrunden" in page and "over 1 aktiviteter" in page
    assert reverse("reporting:export_activities_background") in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export_activities_background"), {"periode": "2018"}, follow=True)

    report = Report.objects.get()
    assert report.kind == Report.Kind.ACTIVITIES and report.format == Report.Format.XLSX
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "dannes i baggrunden" in response.content.decode()
    status = client.get(reverse("reporting:report_status", args=[report.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    download = client.get(status["download_url"])
    assert "aktivitetsliste-2018.xlsx" in download["Content-Disposition"]
    built = b"".join(download.streaming_content)
    direct = io.BytesIO()
    write_xlsx(direct, activity_columns(), activities.iterator(), sheet_title="Aktiviteter")
    assert _cells(built) == _cells(direct.getvalue())
    assert len(_cells(built)) == activities.count() + 1


def test_the_activity_file_is_asked_for_once_and_built_once_with_the_same_bytes(management, activities):
    report, _sent = services.activity_file_request(user=management, period=YEAR, partnership=None)
    again, _sent = services.activity_file_request(user=management, period=YEAR, partnership=None)
    assert again == report

    assert services.report_render(report_id=report.pk) is True
    assert services.report_render(report_id=report.pk) is False
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    assert hashlib.sha256(services.render_bytes(report)).hexdigest() == report.checksum
    assert Report.objects.count() == 1


def test_only_those_who_may_export_activities_ask_for_the_file(activities, django_user_model, monkeypatch):
    nobody = django_user_model.objects.create_user(email="ingen@example.dk", password="x" * 12)
    monkeypatch.setattr(services, "may_request", lambda user, partnership: True)  # only the export right decides
    with pytest.raises(PermissionDenied):
        services.activity_file_request(user=nobody, period=YEAR, partnership=None)
    assert not Report.objects.exists()


def test_with_the_broker_down_the_activity_file_waits_and_the_user_is_told(
    client_for, management, activities, settings, django_capture_on_commit_callbacks
):
    from tests.celery_helpers import celery_broker
    from tests.test_outbox import unused_port

    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(management).post(
            reverse("reporting:export_activities_background"), {"periode": "2018"}, follow=True
        )

    report = Report.objects.get(kind=Report.Kind.ACTIVITIES)
    assert "filen dannes, når køen er tilbage" in response.content.decode()
    assert report.status == Report.Status.QUEUED
    assert OutboxEntry.objects.get(dedupe_key=f"report:{report.pk}").status == OutboxEntry.Status.PENDING
