"""The pre-filled start and exit forms: requested on the page, rendered by the task on the pdf queue,
served through the access-checked page; the CPR number is never in the file."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.conf import settings
from django.urls import reverse

from activities.models import ParticipantFormPrint
from activities.services.forms import form_print_render
from tests.activities.factories import make_enrollment, make_participant, make_plan, synthetic_cpr
from tests.companies.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_the_pdf_task_is_routed_to_the_pdf_queue():
    assert settings.CELERY_TASK_ROUTES["activities.render_participant_form"] == {"queue": "pdf"}


def test_a_start_form_is_rendered_for_signature_without_the_cpr_number(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    person = make_participant(partnership_a, n=7, employer=firm, first_name="Signe")
    make_enrollment(make_plan(firm, consultant_a), person)
    client = client_for(consultant_a)
    url = reverse("activities:start_form", args=[person.pk])

    assert client.post(url).status_code == 302  # eager Celery in tests: rendered after commit
    row = ParticipantFormPrint.objects.get(participant=person)
    if row.status != ParticipantFormPrint.Status.READY:
        form_print_render(print_id=row.pk)
        row.refresh_from_db()
    assert row.status == ParticipantFormPrint.Status.READY
    content = row.pdf.open("rb").read()
    assert content.startswith(b"%PDF")
    # The same facts give the same file: rendering again stores nothing new.
    assert form_print_render(print_id=row.pk) is False

    download = client.get(url, {"hent": "1"})
    assert download["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()  # noqa: S607
        assert "Signe Hansen" in text and "Alfa Smed ApS" in text
        assert synthetic_cpr(7)[:6] in text
        assert synthetic_cpr(7) not in text and synthetic_cpr(7, sep=True) not in text


def test_an_outsider_cannot_open_or_request_the_form(client_for, consultant_b, partnership_a):
    person = make_participant(partnership_a, n=8)
    url = reverse("activities:start_form", args=[person.pk])
    client = client_for(consultant_b)

    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert not ParticipantFormPrint.objects.exists()
