"""Progress reports and the ESF status: the render functions, the request → task → file life, the
pages and their permissions (tasks run inline here; tests/reporting/test_report_worker.py uses a
real worker)."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from activities.models import Cost, TimeEntry, Timesheet
from kompetence.models import OutboxEntry
from reporting.budget import spend
from reporting.models import Report
from reporting.periods import Period
from reporting.reports import esf_status, services
from reporting.reports.data import progress_data
from reporting.reports.render import Narrative, progress_html, progress_pdf
from tests.activities.factories import make_enrollment, make_participant, make_plan, recruit
from tests.celery_helpers import celery_broker
from tests.companies.factories import CompanyFactory
from tests.factories import PartnershipFactory
from tests.reporting.world import build_world

pytestmark = pytest.mark.django_db

Q4_2018 = Period.quarter(2018, 4)
GENERATED = dt.datetime(2019, 1, 5, 9, 30, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_world(partnership_a, partnership_b)


@pytest.fixture
def fast_render(monkeypatch):
    """The life-cycle tests need a file, not the layout: a stand-in for WeasyPrint, same bytes per report."""

    def render(report, *, on_progress=None):
        if on_progress:
            on_progress(50, "halvvejs")
        return b"%PDF-1.7 stand-in for report " + str(report.pk).encode()

    monkeypatch.setattr(services, "render_bytes", render)


@pytest.fixture
def activity(world, consultant_a):
    """In partnership A: a training plan started 1 October 2018 (axis 4, line efteruddannelse), 10
    approved hours at the standard 250 kr. and a 5.000 kr. course fee; one participant who started
    and one who left in the quarter."""
    firm = CompanyFactory(name="Q4 Svejseri ApS", partnership=world.a, employees=30)
    recruit(firm, "erhvervsfaglige", signed_on=dt.date(2018, 9, 1))
    plan = make_plan(firm, consultant_a, start=dt.date(2018, 10, 1), status="i_gang")
    sheet = Timesheet.objects.create(
        user=consultant_a, week_start=dt.date(2018, 10, 1), status=Timesheet.Status.APPROVED
    )
    TimeEntry.objects.create(
        user=consultant_a,
        timesheet=sheet,
        day=dt.date(2018, 10, 2),
        hours=Decimal("10"),
        kind=TimeEntry.Kind.DELIVERY,
        project=plan.type_mapping.project,
        plan=plan,
    )
    open_sheet = Timesheet.objects.create(user=consultant_a, week_start=dt.date(2018, 10, 8))
    TimeEntry.objects.create(  # not approved: not spend
        user=consultant_a,
        timesheet=open_sheet,
        day=dt.date(2018, 10, 9),
        hours=Decimal("7"),
        kind=TimeEntry.Kind.DELIVERY,
        project=plan.type_mapping.project,
        plan=plan,
    )
    Cost.objects.create(plan=plan, incurred_on=dt.date(2018, 11, 1), kind="kursusgebyr", description="AMU", amount=5000)
    started = make_participant(world.a, n=1, employer=firm, entry=dt.date(2018, 10, 3))
    left = make_participant(world.a, n=2, employer=firm, entry=dt.date(2018, 3, 1), exit_date=dt.date(2018, 11, 30))
    for person in (started, left):
        make_enrollment(plan, person, start_date=dt.date(2018, 10, 3))
    return plan


# --- spend and data --------------------------------------------------------------------------------


def test_the_report_shows_approved_hours_at_the_rate_plus_direct_costs_by_line_and_source(activity):
    data = progress_data(Q4_2018, today=dt.date(2019, 1, 5))

    # 10 approved hours at 250 kr. plus the 5.000 kr. course fee (the open week's 7 hours do not count).
    assert data.spend.total == Decimal("7500.00") and data.spend.hours == Decimal("10")
    lines = {row.key: row for row in data.budget_lines}
    assert lines["efteruddannelse"].spent == Decimal("7500.00")
    assert lines["efteruddannelse"].budget == Decimal("10000000.00")  # the year's budget
    # ESF 50 %, Region Midtjylland 20 %, anden offentlig 30 % (the seed's 7.500 / 3.000 / 4.500).
    assert {row.key: row.spent for row in data.financing if row.key} == {
        "esf": Decimal("3750.00"),
        "region": Decimal("1500.00"),
        "anden-offentlig": Decimal("2250.00"),
    }
    assert spend(Q4_2018).total == data.spend.total  # the same numbers as the budget page


def test_the_progress_data_counts_participants_by_axis_and_gives_each_partnership_a_section(activity, world):
    data = progress_data(Q4_2018, today=dt.date(2019, 1, 5))

    axis4 = next(axis for axis in data.axes if axis.axis == 4)
    assert (axis4.started, axis4.exited) == (1, 1)
    assert [s.partnership.name for s in data.sections] == ["LKS Alfa", "LKS Beta"]
    alfa = data.sections[0]
    assert alfa.spent == Decimal("7500.00") and alfa.activities_started == 1
    # A quarter is shown against its year's budget: 15 mio. kr.
    assert data.budget_total == Decimal("15000000")


# --- the render function ------------------------------------------------------------------------------


def test_the_report_html_has_cover_contents_budget_in_danish_and_a_section_per_partnership(world):
    # An id of four digits is written as a plain number, never "p-12.345" (Danish thousands separator).
    big = PartnershipFactory(pk=12345, name="LKS Zeta")
    data = progress_data(Period.year(2018), today=dt.date(2019, 1, 5))

    html = progress_html(data, narrative=Narrative(summary="Året gik godt."), generated_at=GENERATED)

    assert "Fremdriftsrapport til Vækstforum" in html
    assert "05.01.2019 09:30" in html  # the request time, not the render's
    assert "Året gik godt." in html
    assert f'href="#p-{world.a.pk}"' in html and f'id="p-{world.b.pk}"' in html
    assert f'href="#p-{big.pk}"' in html and f'id="p-{big.pk}"' in html
    # The seed's yearly budget, the Danish way.
    for amount in ("2.500.000", "1.000.000", "10.000.000", "1.500.000", "15.000.000"):
        assert amount in html, amount
    assert "<svg" in html and 'role="img"' in html
    assert "<script" not in html
    # The programme's report compares its partnerships; one partnership's report has nothing to compare.
    assert "Virksomheder nået pr. partnerskab" in html
    alone = progress_data(Period.year(2018), partnership=world.a, today=dt.date(2019, 1, 5))
    assert "Virksomheder nået pr. partnerskab" not in progress_html(
        alone, narrative=Narrative(), generated_at=GENERATED
    )


def test_a_period_without_data_gives_a_report_that_says_so(partnership_a):
    data = progress_data(Period.year(2015), today=dt.date(2019, 1, 5))

    html = progress_html(data, narrative=Narrative(), generated_at=GENERATED)

    assert not data.has_data
    assert "Der er ingen data for perioden." in html
    assert "Partnerskabet har ingen registreringer i perioden." in html


def test_the_pdf_has_the_cover_budget_and_partnership_sections_and_renders_the_same_bytes_twice(world, tmp_path):
    data = progress_data(Period.year(2018), today=dt.date(2019, 1, 5))

    first = progress_pdf(data, narrative=Narrative(), generated_at=GENERATED)
    second = progress_pdf(data, narrative=Narrative(), generated_at=GENERATED)

    assert first == second
    path = tmp_path / "r.pdf"
    path.write_bytes(first)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "Fremdriftsrapport til" in text and "Indhold" in text
    assert "10.000.000" in text and "Side 3 af" in text
    assert "LKS Alfa" in text and "LKS Beta" in text


# --- the life of a report ---------------------------------------------------------------------------------


def test_a_request_runs_after_commit_and_stores_one_file_with_its_checksum(
    management, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report, sent = services.report_request(
            kind=Report.Kind.PROGRESS, period=Period.year(2018), requested_by=management
        )

    report.refresh_from_db()
    assert sent is True
    assert report.status == Report.Status.DONE, report.error
    assert report.progress == 100 and report.attempts == 1
    assert report.file.name.startswith("rapporter/") and report.file.name.endswith(".pdf")
    content = report.file.read()
    import hashlib

    assert hashlib.sha256(content).hexdigest() == report.checksum and report.size == len(content)
    assert report.render_seconds > 0 and report.finished_at >= report.started_at


def test_the_same_task_delivered_three_times_makes_one_report(fast_render, management, world, settings):
    report = Report.objects.create(
        kind=Report.Kind.PROGRESS,
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2018, 12, 31),
        requested_by=management,
        requested_at=GENERATED,
    )

    results = [services.report_render(report_id=report.pk) for _ in range(3)]

    report.refresh_from_db()
    assert results == [True, False, False]
    assert report.attempts == 1 and report.status == Report.Status.DONE
    files = list((settings.MEDIA_ROOT / "rapporter" / str(timezone.now().year)).iterdir())
    assert [f.name for f in files] == [report.file.name.rsplit("/", 1)[1]]


def test_a_redelivered_task_takes_over_a_render_whose_worker_died(fast_render, management, world, settings):
    settings.REPORT_TIME_LIMIT = 60
    report = Report.objects.create(
        kind=Report.Kind.PROGRESS,
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2018, 3, 31),
        requested_at=GENERATED,
        status=Report.Status.RUNNING,
        claim="dead",
        attempts=1,
        started_at=timezone.now() - dt.timedelta(seconds=30),
    )
    # Still within the time limit: the first render may be alive; a second delivery waits.
    assert services.report_render(report_id=report.pk) is False
    Report.objects.filter(pk=report.pk).update(started_at=timezone.now() - dt.timedelta(seconds=61))

    assert services.report_render(report_id=report.pk) is True
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.attempts == 2


def test_the_reaper_requeues_a_stuck_report_and_fails_it_after_the_last_attempt(
    settings, django_capture_on_commit_callbacks
):
    settings.REPORT_TIME_LIMIT = 60
    settings.REPORT_MAX_ATTEMPTS = 3
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    common = {"period_start": dt.date(2018, 1, 1), "period_end": dt.date(2018, 3, 31), "requested_at": GENERATED}
    retry = Report.objects.create(**common, status=Report.Status.RUNNING, claim="a", attempts=1, started_at=long_ago)
    last = Report.objects.create(**common, status=Report.Status.RUNNING, claim="b", attempts=3, started_at=long_ago)
    fresh = Report.objects.create(
        **common, status=Report.Status.RUNNING, claim="c", attempts=1, started_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=False):
        counts = services.reports_reap()

    assert counts == {"requeued": 1, "failed": 1, "cpr_files_deleted": 0}
    retry.refresh_from_db(), last.refresh_from_db(), fresh.refresh_from_db()
    assert retry.status == Report.Status.QUEUED
    assert OutboxEntry.objects.filter(dedupe_key=f"report:{retry.pk}").exists()
    assert last.status == Report.Status.FAILED and "3 forsøg" in last.error
    assert fresh.status == Report.Status.RUNNING


def test_a_failing_render_is_retried_then_fails_with_the_reason(management, world, settings, monkeypatch):
    settings.REPORT_MAX_ATTEMPTS = 2
    report = Report.objects.create(
        period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 3, 31), requested_at=GENERATED
    )

    def broken(*args, **kwargs):
        raise OSError("disken er fuld")

    monkeypatch.setattr(services, "render_bytes", broken)
    with pytest.raises(services.RenderFailed) as first:
        services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert first.value.retry and report.status == Report.Status.QUEUED and "prøver igen" in report.error
    with pytest.raises(services.RenderFailed) as second:
        services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert not second.value.retry
    assert report.status == Report.Status.FAILED and "disken er fuld" in report.error


def test_with_the_broker_down_the_request_is_kept_and_sent_when_it_is_back(
    fast_render, management, world, settings, django_capture_on_commit_callbacks
):
    from tests.test_outbox import unused_port

    with (
        celery_broker(settings, f"redis://127.0.0.1:{unused_port()}/0"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report, sent = services.report_request(kind=Report.Kind.PROGRESS, period=Q4_2018, requested_by=management)

    report.refresh_from_db()
    assert sent is False
    assert report.status == Report.Status.QUEUED and "køen er tilbage" in report.stage
    entry = OutboxEntry.objects.get(dedupe_key=f"report:{report.pk}")
    assert entry.status == OutboxEntry.Status.PENDING and entry.queue == "pdf" and entry.args == [report.pk]

    from kompetence import outbox
    from tests.celery_helpers import reset_celery_connections

    settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = True, "memory://"  # the queue is back
    reset_celery_connections()
    assert outbox.flush() == 1
    report.refresh_from_db()
    assert report.status == Report.Status.DONE


def test_the_schedule_makes_last_quarters_report_once_and_mails_management(
    fast_render, management, world, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.quarterly_report(today=dt.date(2019, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        again = services.quarterly_report(today=dt.date(2019, 1, 1))

    first.refresh_from_db()
    assert again is None
    assert (first.period_start, first.period_end) == (dt.date(2018, 10, 1), dt.date(2018, 12, 31))
    assert first.scheduled and first.requested_by is None and first.status == Report.Status.DONE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert management.email in message.bcc and "4. kvartal 2018" in message.subject
    assert reverse("reporting:report_detail", args=[first.pk]) in message.body
    assert first.notified_at is not None


def test_the_beat_schedule_names_the_quarterly_report_and_the_reaper(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["quarterly-progress-report"]["task"] == "reporting.quarterly_progress_report"
    assert schedule["reports-reap"]["task"] == "reporting.reap_reports"
    assert settings.CELERY_TASK_ROUTES["reporting.render_report"] == {"queue": "pdf"}
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.REPORT_TIME_LIMIT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_goes_through_the_task_and_writes_the_file(world, tmp_path):
    # Committed for real (no test transaction around it): the outbox sends after commit, as in production.
    out = tmp_path / "fremdrift.pdf"
    stdout = io.StringIO()

    call_command("progress_report", "--period", "2018", "--out", str(out), "--timeout", "120", stdout=stdout)

    assert out.read_bytes().startswith(b"%PDF")
    report = Report.objects.get()
    assert report.status == Report.Status.DONE and report.requested_by is None
    assert f"SHA-256 {report.checksum}" in stdout.getvalue()


def test_the_command_refuses_a_period_it_cannot_read(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ikke en periode"):
        call_command("progress_report", "--period", "sidste år", "--out", str(tmp_path / "x.pdf"))
    assert not Report.objects.exists()


# --- the ESF status ---------------------------------------------------------------------------------------


def test_the_esf_status_lists_what_is_missing_and_the_spend_per_line_and_source(activity, world):
    Report.objects.all().delete()
    from activities.models import Participant

    Participant.objects.filter(first_name="Deltager1").update(isced=None)
    statuses = esf_status.esf_status(Q4_2018, today=dt.date(2019, 3, 1))

    axis4 = next(s for s in statuses if s.project.axis == 4)
    assert (axis4.started, axis4.exited) == (1, 1)
    missing = {p.name: p.missing for p in axis4.participants}
    assert any("ISCED" in m or "uddannelse" in m.lower() for m in missing["Deltager1 Hansen"])
    assert "resultat ved ophør" in missing["Deltager2 Hansen"]
    assert {row.key: row.spent for row in axis4.financing}["esf"] == Decimal("3750.00")
    assert all("-****" in p.cpr_masked for p in axis4.participants)

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(esf_status.xlsx(statuses, generated_at=GENERATED)))
    assert book.sheetnames == ["Deltagere", "Økonomi", "Indhold"]
    header = [cell.value for cell in next(book["Deltagere"].iter_rows(max_row=1))]
    assert header[:3] == ["ESF-projekt", "Navn", "CPR (maskeret)"] and "Mangler" in header
    html = esf_status.html(statuses, period=Q4_2018, generated_at=GENERATED)
    assert "Halvårlig ESF-status" in html and "resultat ved ophør" in html


# --- the pages -----------------------------------------------------------------------------------------------


def _form(**fields):
    data = {"kind": "fremdrift", "period": "2018", "partnership": "", "project": "", "format": "pdf"}
    data.update(fields)
    return data


def test_management_asks_for_a_report_follows_it_and_downloads_it(
    client_for, management, world, django_capture_on_commit_callbacks
):
    client = client_for(management)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:report_create"), _form(summary="Vores sammenfatning."))

    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.summary == "Vores sammenfatning." and report.requested_by == management
    page = client.get(report.get_absolute_url()).content.decode()
    assert "<progress" in page and "Hent rapporten" in page
    status = client.get(reverse("reporting:report_status", args=[report.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == reverse("reporting:report_download", args=[report.pk])
    download = client.get(status["download_url"])
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert "fremdriftsrapport-til-vaekstforum-2018.pdf" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("sidste år", "er ikke en periode"),
        ("2018-12-31..2018-01-01", "slutdato må ikke ligge før"),
        ("2099", "ligger i fremtiden"),
        ("2018-13", "Måneden skal være mellem 1 og 12"),
    ],
)
def test_a_bad_period_is_refused_next_to_the_field_and_nothing_is_stored(client_for, management, period, message):
    response = client_for(management).post(reverse("reporting:report_create"), _form(period=period))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="id_period"' in response.content.decode()
    assert not Report.objects.exists() and not OutboxEntry.objects.exists()


def test_a_secretariat_asks_for_its_own_partnerships_report_only(client_for, secretariat_a, world):
    client = client_for(secretariat_a)

    whole = client.post(reverse("reporting:report_create"), _form())
    other = client.post(reverse("reporting:report_create"), _form(partnership=world.b.pk))
    own = client.post(reverse("reporting:report_create"), _form(partnership=world.a.pk))

    assert whole.status_code == 200 and other.status_code == 200  # refused next to the field
    assert own.status_code == 302
    assert list(Report.objects.values_list("partnership", flat=True)) == [world.a.pk]


def test_reports_are_seen_by_management_and_their_own_partnerships_secretariat_only(
    client_for, management, secretariat_a, consultant_a, world
):
    mine = Report.objects.create(
        period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 3, 31), requested_at=GENERATED, partnership=world.a
    )
    theirs = Report.objects.create(
        period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 3, 31), requested_at=GENERATED, partnership=world.b
    )
    programme_wide = Report.objects.create(
        period_start=dt.date(2018, 1, 1), period_end=dt.date(2018, 3, 31), requested_at=GENERATED
    )
    secretariat = client_for(secretariat_a)

    assert secretariat.get(mine.get_absolute_url()).status_code == 200
    assert secretariat.get(theirs.get_absolute_url()).status_code == 404
    assert secretariat.get(reverse("reporting:report_status", args=[programme_wide.pk])).status_code == 404
    assert secretariat.get(reverse("reporting:report_download", args=[theirs.pk])).status_code == 404
    # Consultants see only the big files they asked for themselves (tests/reporting/test_cpr_file.py).
    assert client_for(consultant_a).get(mine.get_absolute_url()).status_code == 404
    listing = client_for(management).get(reverse("reporting:report_list")).content.decode()
    assert listing.count("/rapportering/rapporter/") >= 3
    own_list = secretariat.get(reverse("reporting:report_list")).content.decode()
    assert mine.get_absolute_url() in own_list and theirs.get_absolute_url() not in own_list


def test_an_unfinished_report_is_not_downloaded_and_a_failed_one_can_be_asked_again(
    fast_render, client_for, management, world, django_capture_on_commit_callbacks
):
    report = Report.objects.create(
        period_start=dt.date(2018, 1, 1),
        period_end=dt.date(2018, 3, 31),
        requested_at=GENERATED,
        status=Report.Status.FAILED,
        error="OSError: disken er fuld",
        attempts=3,
    )
    client = client_for(management)

    assert client.get(reverse("reporting:report_download", args=[report.pk])).status_code == 302
    page = client.get(report.get_absolute_url()).content.decode()
    assert "disken er fuld" in page and "Prøv igen" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_retry", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE and report.attempts == 1


def test_the_esf_status_xlsx_is_the_same_bytes_whenever_it_is_rendered(activity, world, monkeypatch):
    """openpyxl stamps the save time into the file; the report's request time is written instead."""
    import datetime as real_datetime
    import hashlib
    import types
    import zipfile

    import openpyxl.writer.excel
    from openpyxl import load_workbook

    statuses = esf_status.esf_status(Q4_2018, today=dt.date(2019, 3, 1))

    def rendered_at(moment: dt.datetime) -> bytes:
        # The clock openpyxl and zipfile read, set to another moment for each render.
        class Clock(real_datetime.datetime):
            @classmethod
            def now(cls, tz=None):
                return moment.astimezone(tz)

        monkeypatch.setattr(openpyxl.writer.excel, "datetime", types.SimpleNamespace(datetime=Clock, timezone=dt.UTC))
        fake_time = types.SimpleNamespace(time=moment.timestamp, localtime=__import__("time").localtime)
        monkeypatch.setattr(zipfile, "time", fake_time)
        return esf_status.xlsx(statuses, generated_at=GENERATED)

    first = rendered_at(dt.datetime(2019, 1, 5, 9, 31, tzinfo=dt.UTC))
    second = rendered_at(dt.datetime(2020, 6, 7, 13, 45, 17, tzinfo=dt.UTC))

    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    properties = load_workbook(io.BytesIO(first)).properties
    assert properties.created == properties.modified == GENERATED.astimezone(dt.UTC).replace(tzinfo=None)
    assert (
        load_workbook(io.BytesIO(first))["Deltagere"].max_row == load_workbook(io.BytesIO(second))["Deltagere"].max_row
    )
