"""The secretariat runs a partnership meeting in Chromium: plans it, sees the firms proposed for the
agenda, invites the members (the e-mail carries a valid .ics), records attendance and a decision that
sends in two consultants from two systems, approves the minutes and downloads the PDF (read back as
text and looked at as images). The consultant then has the task on the dashboard, the firm has left
"Til behandling", and a member of another partnership cannot see the meeting."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Page, expect

from companies.models import AgendaProposal, Decision
from partnerships.localtime import COPENHAGEN
from partnerships.models import Meeting, Partnership, System, User
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e

DECISION = "Fælles besøg: uddannelsesplan for operatørerne og RKV af to medarbejdere."


def _run(program: str, *args: str) -> str:
    """Run a poppler-utils program (.ci/run installs them) and return its output."""
    path = shutil.which(program)
    assert path, f"{program} is missing (apt-get install poppler-utils)"
    return subprocess.run([path, *args], capture_output=True, check=True, text=True).stdout  # noqa: S603


def _times() -> tuple[str, str, str]:
    """Today, and a start and end around now: the meeting is under way, so its minutes can be written."""
    now = timezone.now().astimezone(COPENHAGEN)
    start = max(now - dt.timedelta(minutes=30), now.replace(hour=0, minute=0))
    end = min(now + dt.timedelta(minutes=90), now.replace(hour=23, minute=59))
    return now.date().isoformat(), start.strftime("%H:%M"), end.strftime("%H:%M")


def test_secretariat_runs_a_meeting_from_agenda_to_approved_minutes(
    page: Page, live_server, demo_data, eager_tasks, assert_accessible, tmp_path
):
    secretariat = User.objects.get(email="sekretariat@demo.dk")
    consultant = User.objects.get(email="konsulent@demo.dk")
    aarhus = Partnership.objects.get(name="LKS Aarhus")
    colleague = (
        User.objects.filter(memberships__partnership=aarhus, is_active=True, organisation__system=System.BUSINESS)
        .order_by("pk")
        .first()
    )
    proposal = AgendaProposal.objects.pending().filter(partnership=aarhus).order_by("proposed_at", "pk").first()
    firm = proposal.company
    # Today's demo meetings led by the same secretariat would clash with the one planned here.
    Meeting.objects.filter(lead=secretariat, start__date=timezone.localdate()).update(status=Meeting.Status.CANCELLED)

    log_in(page, live_server.url, secretariat.email)
    page.get_by_role("link", name="Møder", exact=True).click()
    page.get_by_role("link", name="Planlæg møde").click()
    day, start, end = _times()
    page.get_by_label("Partnerskab").select_option(label="LKS Aarhus")
    page.get_by_label("Mødetype").select_option(label="Konsulentgruppemøde")
    page.get_by_label("Titel").fill("Konsulentgruppemøde om industrien")
    page.get_by_label("Dato").fill(day)
    page.locator("#id_start_time").fill(start)
    page.locator("#id_end_time").fill(end)
    page.get_by_label("Mødested/lokale").fill("Lokale E2E, VEU-center Aarhus")
    page.get_by_role("button", name="Planlæg mødet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Konsulentgruppemøde om industrien")
    meeting = Meeting.objects.get(title="Konsulentgruppemøde om industrien")

    # The firms proposed for the agenda, with a digest; put one on it, and the standing points.
    section = page.locator("#virksomheder")
    expect(section.get_by_text("Foreslået til dagsordenen")).to_be_visible()
    expect(section).to_contain_text(firm.name)
    assert_accessible(page)
    section.get_by_role("button", name=f"Sæt {firm.name} på dagsordenen").click()
    expect(page.get_by_text(f"{firm.name} er sat på dagsordenen.")).to_be_visible()
    page.get_by_role("button", name="Tilføj faste punkter").click()
    expect(page.locator("#dagsorden")).to_contain_text("Erfaringsudveksling")
    expect(page.locator("#dagsorden")).to_contain_text(firm.name)

    # Invite every member: each gets an e-mail with a valid invitation.
    page.get_by_role("button", name="Send indkaldelse").click()
    expect(page.get_by_text("Indkaldelsen med kalenderfil sendes nu")).to_be_visible()
    invitations = [m for m in mail.outbox if consultant.email in m.to]
    assert len(invitations) == 1
    calendar = Calendar.from_ical(invitations[0].attachments[0][1])
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"{meeting.uid}@kompetenceportalen"
    assert event.decoded("DTSTART").astimezone(COPENHAGEN).strftime("%H:%M") == start
    assert str(event["URL"]).endswith(meeting.get_absolute_url())

    # Attendance, then the decision: the consultant leads, a colleague from erhvervsservice goes in too.
    page.get_by_role("button", name="Gem fremmøde").click()
    expect(page.get_by_text("Fremmødet er gemt.")).to_be_visible()
    page.get_by_role("link", name=f"Registrér beslutning om {firm.name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(firm.name)
    page.locator("#id_text").fill(DECISION)
    page.locator("#id_lead_consultant").select_option(value=str(consultant.pk))
    page.locator(f"input[name=consultants][value='{colleague.pk}']").check()
    page.locator("#id_deadline").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Gem beslutning").click()
    expect(page.get_by_text(f"Beslutningen om {firm.name} er gemt.")).to_be_visible()
    decision = Decision.objects.get(meeting=meeting)
    assert {a.system_id for a in decision.assignments.all()} == {consultant.organisation.system_id, System.BUSINESS}

    # Approve and download the PDF.
    page.get_by_role("button", name="Godkend og lås referatet").click()
    expect(page.get_by_text("Referatet er godkendt og låst.").first).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent referatet som PDF").click()
    pdf = tmp_path / "referat.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(_run("pdftotext", str(pdf), "-").split())
    assert DECISION in text and firm.name in text
    _run("pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "side"))
    pages = sorted(tmp_path.glob("side*.png"))
    assert pages and all(p.stat().st_size > 5000 for p in pages)

    # The consultant has the task on the dashboard; the firm has left "Til behandling".
    page.context.clear_cookies()
    log_in(page, live_server.url, consultant.email)
    tasks = page.get_by_role("region", name="Dine opgaver fra partnerskabsmøder")
    expect(tasks).to_contain_text(firm.name)
    page.goto(live_server.url + "/virksomheder/til-behandling/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(firm.name)
    proposal.refresh_from_db()
    assert proposal.status == AgendaProposal.Status.TREATED

    # A member of another partnership cannot see the meeting.
    outsider = (
        User.objects.filter(groups__name="Konsulent", is_active=True, memberships__isnull=False)
        .exclude(memberships__partnership=aarhus)
        .order_by("email")
        .first()
    )
    page.context.clear_cookies()
    log_in(page, live_server.url, outsider.email)
    response = page.goto(live_server.url + meeting.get_absolute_url())
    assert response.status == 404
