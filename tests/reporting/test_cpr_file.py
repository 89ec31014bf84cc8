"""The ESF participant file with full CPR numbers, too big for an XLSX in the request, is built in the
background (``reporting.reports.files``): for the person who asked alone, each number recorded as
exported once however often the build runs, stored only encrypted, deleted a day after it was made.
And the files of people are seen only by roles that may export them."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from activities.models import CprReveal, Participant
from partnerships.models import Role
from reporting.exports import esf_participants
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import services
from tests.activities.factories import make_participant
from tests.activities.test_pages import with_two_factors
from tests.factories import UserFactory
from tests.reporting.world import build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db
YEAR = Period.parse("2018")
REASON = "ESF-indberetning 2018"
FULL_CPR = re.compile(r"^\d{6}-\d{4}$")


@pytest.fixture
def participants(partnership_a, partnership_b):
    world = build_participants(build_activities(build_world(partnership_a, partnership_b)))
    make_participant(world.a, n=801, first_name="Ulla", last_name="Ulriksen")
    taking_part = esf_participants(YEAR, user=None).values_list("pk", flat=True)
    return Participant.objects.filter(pk__in=list(taking_part), cpr_token__gt="", anonymised_at__isnull=True)


@pytest.fixture
def small_limit(monkeypatch):
    """Three participants are "too many" for an XLSX in the request."""
    monkeypatch.setattr("reporting.views.exports.XLSX_WEB_LIMIT", 3)


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("reporting:export_esf"),
            {"periode": "2018", "format": "xlsx", "reason": REASON, **data},
            follow=True,
        )


def _sheet(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_the_big_file_with_full_cpr_numbers_is_built_in_the_background_and_recorded_once(
    client_for, management, participants, small_limit, django_capture_on_commit_callbacks
):
    client = with_two_factors(client_for(management), management)

    response = _ask(client, django_capture_on_commit_callbacks)

    report = Report.objects.get()
    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    page = response.content.decode()
    assert "Kun du kan hente den" in page and "24 timer" in page
    assert "Hent filen" in page and "Hent rapporten" not in page  # a data file, not a report
    assert "med fulde CPR-numre" in client.get(reverse("reporting:report_list")).content.decode()
    assert report.cpr and report.requested_by == management and report.status == Report.Status.DONE
    # Each number recorded as exported: by whom, why, at the moment of the request.
    exported = CprReveal.objects.filter(kind=CprReveal.Kind.EXPORT)
    assert sorted(exported.values_list("participant_id", flat=True)) == sorted(
        participants.values_list("pk", flat=True)
    )
    assert set(exported.values_list("by", "reason", "at")) == {(management.pk, REASON, report.requested_at)}

    # At rest the file is encrypted: no workbook, no number in it.
    with report.file.open("rb") as handle:
        stored = handle.read()
    assert not stored.startswith(b"PK")
    download = client.get(reverse("reporting:report_download", args=[report.pk]))
    assert download.status_code == 200 and "no-store" in download["Cache-Control"]
    assert "esf-deltagerfil-med-cpr-2018.xlsx" in download["Content-Disposition"]
    sheet = _sheet(download.content)
    numbers = [row[1].value for row in sheet.iter_rows(min_row=2)]
    assert len(numbers) == participants.count() and all(FULL_CPR.match(number) for number in numbers)
    assert all(number.encode() not in stored for number in numbers)
    assert hashlib.sha256(download.content).hexdigest() == report.checksum

    # A build that runs again (a retry after a lost worker) gives the same file, records nothing twice.
    rebuilt = services.render_bytes(report)
    assert hashlib.sha256(rebuilt).hexdigest() == report.checksum
    assert exported.count() == participants.count()


def test_only_the_asker_sees_the_cpr_file_and_downloads_it_with_two_factors(
    client_for, management, participants, small_limit, django_capture_on_commit_callbacks
):
    _ask(with_two_factors(client_for(management), management), django_capture_on_commit_callbacks)
    report = Report.objects.get()
    colleague = UserFactory(email="ledelse2@example.dk", first_name="Mads", role=Role.MANAGEMENT)
    other = with_two_factors(client_for(colleague), colleague)

    listing = other.get(reverse("reporting:report_list")).content.decode()
    assert report.get_absolute_url() not in listing
    for name in ("reporting:report_detail", "reporting:report_status", "reporting:report_download"):
        assert other.get(reverse(name, args=[report.pk])).status_code == 404

    # The asker, in a session without the second factor: told, no file.
    plain = client_for(management)
    refused = plain.get(reverse("reporting:report_download", args=[report.pk]), follow=True)
    assert refused.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "totrinsbekræftelse" in refused.content.decode()
    assert refused["Content-Type"].startswith("text/html")


def test_asking_without_the_second_factor_or_a_reason_stores_nothing(
    client_for, management, participants, small_limit, django_capture_on_commit_callbacks
):
    response = _ask(client_for(management), django_capture_on_commit_callbacks)
    assert "totrinsbekræftelse" in response.content.decode()
    response = _ask(with_two_factors(client_for(management), management), django_capture_on_commit_callbacks, reason="")
    assert "mindst 5 tegn" in response.content.decode()
    assert not Report.objects.exists() and not CprReveal.objects.exists()


def test_a_secretariat_cannot_ask_for_the_cpr_file(client_for, secretariat_a, participants, small_limit):
    response = client_for(secretariat_a).post(
        reverse("reporting:export_esf"), {"periode": "2018", "format": "xlsx", "reason": REASON}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_the_cpr_file_is_deleted_a_day_after_it_was_made(
    client_for, management, participants, small_limit, django_capture_on_commit_callbacks
):
    client = with_two_factors(client_for(management), management)
    _ask(client, django_capture_on_commit_callbacks)
    report = Report.objects.get()
    name, storage = report.file.name, report.file.storage
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Filen slettes automatisk" in page

    assert services.reports_reap(now=report.finished_at + dt.timedelta(hours=23))["cpr_files_deleted"] == 0
    assert storage.exists(name)
    assert services.reports_reap(now=report.finished_at + dt.timedelta(hours=25))["cpr_files_deleted"] == 1

    report.refresh_from_db()
    assert not storage.exists(name) and not report.file and report.file_deleted_at
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Filen blev slettet" in page and reverse("reporting:report_download", args=[report.pk]) not in page
    gone = client.get(reverse("reporting:report_download", args=[report.pk]), follow=True)
    assert "Filen er slettet" in gone.content.decode()
    assert client.get(reverse("reporting:report_status", args=[report.pk])).json()["download_url"] == ""


def test_a_masked_file_is_built_as_before_and_not_recorded(management, participants):
    report, _sent = services.esf_file_request(user=management, period=YEAR, partnership=None)
    assert services.report_render(report_id=report.pk) is True
    report.refresh_from_db()
    with report.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"PK")  # no personal numbers: stored as it is
    assert all(row[1].value.endswith("-****") for row in _sheet(content).iter_rows(min_row=2))
    assert not CprReveal.objects.exists() and not report.cpr


def test_files_of_people_are_seen_only_by_roles_that_may_export_them(
    client_for, management, secretariat_a, partnership_a, participants
):
    report, _sent = services.esf_file_request(user=management, period=YEAR, partnership=partnership_a)
    progress, _sent = services.report_request(
        kind=Report.Kind.PROGRESS, period=YEAR, requested_by=management, partnership=partnership_a
    )
    secretariat = client_for(secretariat_a)

    listing = secretariat.get(reverse("reporting:report_list")).content.decode()
    assert progress.get_absolute_url() in listing and report.get_absolute_url() not in listing
    assert secretariat.get(reverse("reporting:report_download", args=[report.pk])).status_code == 404
    assert report.get_absolute_url() in client_for(management).get(reverse("reporting:report_list")).content.decode()


def test_a_consultant_follows_and_downloads_the_big_activity_list_they_asked_for(
    client_for, consultant_a, consultant_b, participants, monkeypatch, django_capture_on_commit_callbacks
):
    """Consultants may export the activity list but not see the partnership's reports: the file they
    asked for in the background is theirs to follow and download, and nobody else's among them."""
    monkeypatch.setattr("reporting.views.exports.XLSX_WEB_LIMIT", 0)
    client = client_for(consultant_a)
    offer = client.get(reverse("reporting:export_activities"), {"periode": "2018", "format": "xlsx"})
    assert "Dan filen i baggrunden" in offer.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:export_activities_background"), {"periode": "2018"}, follow=True)

    report = Report.objects.get(kind=Report.Kind.ACTIVITIES)
    assert response.status_code == 200 and response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert report.requested_by == consultant_a and report.status == Report.Status.DONE
    download = client.get(reverse("reporting:report_download", args=[report.pk]))
    assert download.status_code == 200 and _sheet(b"".join(download.streaming_content)).max_row > 1
    assert report.get_absolute_url() in client.get(reverse("reporting:report_list")).content.decode()
    assert client_for(consultant_b).get(report.get_absolute_url()).status_code == 404


def test_the_cpr_section_names_its_own_period_and_partnership_and_keeps_them_on_a_refusal(
    client_for, management, partnership_a, participants
):
    """The file is what the CPR section shows (no script copies a choice from elsewhere), and a refusal
    shows the form again as it was sent, the message next to the reason."""
    client = with_two_factors(client_for(management), management)
    page = client.get(reverse("reporting:exports")).content.decode()
    assert 'id="cpr_periode"' in page and 'id="cpr_partnerskab"' in page and 'for="cpr_reason"' in page

    refused = client.post(
        reverse("reporting:export_esf"), {"periode": "2018", "partnerskab": partnership_a.pk, "reason": "kort"}
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="cpr_periode"' in text and 'value="2018"' in text and "mindst 5 tegn" in text
    assert f'<option value="{partnership_a.pk}" selected>' in text
    assert 'href="#cpr_reason"' in text  # the error summary links to the field
    assert not CprReveal.objects.exists()

    response = client.post(
        reverse("reporting:export_esf"), {"periode": "2018", "partnerskab": partnership_a.pk, "reason": REASON}
    )
    assert response.status_code == 200 and b"".join(response.streaming_content)
    own = participants.filter(partnership=partnership_a)
    assert sorted(CprReveal.objects.values_list("participant_id", flat=True)) == sorted(
        own.values_list("pk", flat=True)
    )
