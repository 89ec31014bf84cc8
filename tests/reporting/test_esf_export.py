"""The ESF participant file's fast writers (``reporting.exports.esf_csv_lines``, ``write_esf_xlsx``)
give what the shared writers (``kompetence.exports.csv_lines``, ``write_xlsx``) give for the same
columns and values: the same text, the same typed cells, formulas and control characters made safe."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import openpyxl
import pytest
from django.urls import reverse

from kompetence.exports import csv_lines, write_xlsx
from kompetence.models import OutboxEntry
from reporting.exports import esf_columns, esf_csv_lines, esf_participants, esf_rows, esf_values, write_esf_xlsx
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import services
from tests.activities.factories import make_participant
from tests.reporting.world import build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2018")


@pytest.fixture
def participants(partnership_a, partnership_b):
    world = build_participants(build_activities(build_world(partnership_a, partnership_b)))
    make_participant(world.a, n=801, first_name='=HYPERLINK("http://x")', last_name="Ond\x07sen")
    make_participant(world.b, n=802, first_name="-1+1", last_name="@SUM(A1)")
    return esf_participants(YEAR, user=None)


def test_the_csv_is_the_text_the_shared_writer_gives(participants):
    fast = "".join(esf_csv_lines(esf_rows(participants), batch=2))
    shared = "".join(csv_lines(esf_columns(), esf_values(esf_rows(participants))))

    assert fast == shared
    assert "'=HYPERLINK" in fast and ";'-1+1;" in fast and "'@SUM(A1)" in fast
    assert len(fast.splitlines()) == participants.count() + 1


def _cells(content: bytes) -> list[list[tuple]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [
        [(cell.value, cell.data_type, cell.number_format, cell.quotePrefix, cell.font.b) for cell in row]
        for row in sheet.iter_rows()
    ]


def test_the_xlsx_has_the_cells_the_shared_writer_gives(participants):
    fast, shared = io.BytesIO(), io.BytesIO()
    write_esf_xlsx(fast, esf_rows(participants), sheet_title="ESF 2018")
    write_xlsx(shared, esf_columns(), esf_values(esf_rows(participants)), sheet_title="ESF 2018")

    assert _cells(fast.getvalue()) == _cells(shared.getvalue())
    sheet = openpyxl.load_workbook(io.BytesIO(fast.getvalue())).active
    assert sheet.freeze_panes == "A2" and sheet.title == "ESF 2018"
    names = {row[2].value: row for row in sheet.iter_rows(min_row=2)}
    evil = names['=HYPERLINK("http://x")']
    assert evil[2].data_type == "s" and evil[2].quotePrefix
    assert evil[3].value == "Ondsen"  # the control character dropped
    assert isinstance(evil[5].value, dt.datetime) and evil[5].number_format == "dd-mm-yyyy"
    assert evil[0].number_format == "@"


# --- a big XLSX is built in the background ---------------------------------------------------------------


@pytest.fixture
def small_limit(monkeypatch):
    """Three participants are "too many" for an XLSX in the request."""
    monkeypatch.setattr("reporting.views.exports.XLSX_WEB_LIMIT", 3)


def test_a_big_xlsx_is_offered_on_a_get_and_built_in_the_background_on_the_post(
    client_for, management, participants, small_limit, django_capture_on_commit_callbacks
):
    client = client_for(management)

    offer = client.get(reverse("reporting:export_esf"), {"periode": "2018", "format": "xlsx"})

    assert offer.status_code == 200 and not Report.objects.exists()  # a GET creates nothing
    page = offer.content.decode()
    assert "Dan filen i baggrunden" in page and "over 3 deltagere" in page
    assert reverse("reporting:export_esf_background") in page and "csrfmiddlewaretoken" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export_esf_background"), {"periode": "2018"}, follow=True)

    report = Report.objects.get(kind=Report.Kind.ESF_PARTICIPANTS)
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "dannes i baggrunden" in response.content.decode()
    assert report.requested_by == management and report.format == Report.Format.XLSX
    status = client.get(reverse("reporting:report_status", args=[report.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    download = client.get(status["download_url"])
    assert "esf-deltagerfil-2018.xlsx" in download["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == participants.count() + 1
    assert all(row[1].value.endswith("-****") for row in sheet.iter_rows(min_row=2))  # CPR masked


def test_asking_for_a_file_in_the_background_takes_a_post_only(client_for, management, participants):
    client = client_for(management)
    for name in ("reporting:export_esf_background", "reporting:export_activities_background"):
        assert client.get(reverse(name), {"periode": "2018"}).status_code == 405
    assert not Report.objects.exists()


def test_the_background_file_is_built_once_with_the_same_bytes(management, participants):
    period = Period.parse("2018")
    report, _sent = services.esf_file_request(user=management, period=period, partnership=None)
    again, _sent = services.esf_file_request(user=management, period=period, partnership=None)
    assert again == report  # asked again (a reload) while it waits: the same request

    assert services.report_render(report_id=report.pk) is True
    assert services.report_render(report_id=report.pk) is False  # a second delivery does nothing
    report.refresh_from_db()
    assert report.status == Report.Status.DONE
    rebuilt = services.render_bytes(report)
    assert hashlib.sha256(rebuilt).hexdigest() == report.checksum


def test_with_the_broker_down_the_big_file_waits_and_the_user_is_told(
    client_for, management, participants, small_limit, settings, django_capture_on_commit_callbacks
):
    from tests.celery_helpers import celery_broker
    from tests.test_outbox import unused_port

    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(management).post(
            reverse("reporting:export_esf_background"), {"periode": "2018"}, follow=True
        )

    report = Report.objects.get(kind=Report.Kind.ESF_PARTICIPANTS)
    assert "filen dannes, når køen er tilbage" in response.content.decode()
    assert report.status == Report.Status.QUEUED
    assert OutboxEntry.objects.get(dedupe_key=f"report:{report.pk}").status == OutboxEntry.Status.PENDING


def test_the_axis_columns_say_which_axes_a_participant_is_enrolled_under(participants):
    from activities.models import Enrollment

    axis = "plan__type_mapping__eligible_activity__project__axis"
    expected = {
        str(person.pk): tuple(
            "Ja" if Enrollment.objects.filter(participant=person, **{axis: n}).exists() else "Nej" for n in (1, 4)
        )
        for person in participants
    }
    lines = "".join(esf_csv_lines(esf_rows(participants))).lstrip("\ufeff").splitlines()
    header = lines[0].split(";")
    one, four = header.index("Akse 1"), header.index("Akse 4")
    found = {cells[0]: (cells[one], cells[four]) for cells in (line.split(";") for line in lines[1:])}

    assert found == expected
    assert ("Ja", "Nej") in found.values() or ("Nej", "Ja") in found.values()
