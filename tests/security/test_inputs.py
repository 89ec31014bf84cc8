"""Hostile input that used to give a 500 or cost seconds (issue 7, item 7): NUL bytes, Unicode
digits, out-of-range ids, a formset asked for billions of forms, and invalid filter values.

Each test states what a user would notice: a Danish message or an empty result, never a 5xx.
"""

from __future__ import annotations

import csv
import io
import time

import pytest
from django.test import Client
from django.urls import reverse

from companies.models import Company
from tests.companies.factories import CompanyFactory, valid_cvr, visit_post_data


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Smedjen ApS")


@pytest.fixture
def raw_client_for(client_for):
    """A logged-in client whose requests show the response a browser would get, not the exception."""

    def make(user) -> Client:
        client = client_for(user)
        client.raise_request_exception = False
        return client

    return make


# ---------------------------------------------------------------------------
# NUL bytes
# ---------------------------------------------------------------------------
def test_nul_byte_in_the_firm_search_is_not_a_server_error(raw_client_for, consultant_a, firm):
    response = raw_client_for(consultant_a).get(reverse("companies:list"), {"q": "Smed\x00jen"})

    assert response.status_code == 200
    assert "Smedjen ApS" in response.content.decode()


def test_nul_byte_in_a_choice_filter_keyed_by_text_is_not_a_server_error(raw_client_for, consultant_a, firm):
    # The industry section's key is text ("C"): a NUL in it reached PostgreSQL through the lookup.
    response = raw_client_for(consultant_a).get(reverse("companies:list"), {"branche": "C\x00"})

    assert response.status_code == 200


def test_nul_byte_in_a_text_field_of_a_form_is_not_saved_and_not_a_server_error(raw_client_for, consultant_a, firm):
    response = raw_client_for(consultant_a).post(
        reverse("companies:contact_create", args=[firm.pk]),
        {"name": "Ole\x00 Olsen", "role": "", "title": "", "email": "", "phone": "", "consent_to_contact": "on"},
    )

    assert response.status_code in (200, 302)
    assert all("\x00" not in contact.name for contact in firm.contacts.all())


def test_nul_byte_in_the_login_form_is_not_a_server_error(db):
    client = Client(raise_request_exception=False)

    response = client.post("/accounts/login/", {"login": "a\x00@example.dk", "password": "x\x00y"})

    assert response.status_code == 200


# ---------------------------------------------------------------------------
# Digits: only 0-9, never "²" or Arabic-Indic digits
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["²²²²²²", "٢٥١١٠٠", "25110²"])
def test_industry_code_with_unicode_digits_gets_a_danish_message(raw_client_for, consultant_a, partnership_a, code):
    response = raw_client_for(consultant_a).post(
        reverse("companies:create"),
        {"cvr": valid_cvr(41000000), "name": "Unicode ApS", "municipality": 751, "industry_code": code},
    )

    assert response.status_code == 200
    assert "En branchekode (DB07) består af 6 cifre" in response.content.decode()
    assert not Company.objects.filter(name="Unicode ApS").exists()


def test_import_refuses_unicode_digits_in_the_municipality_and_industry_codes_row_by_row(partnership_a):
    from companies.importing import Outcome, import_companies

    text = (
        "CVR-nummer;Navn;Adresse;Postnr;Kommunekode;Branchekode;Ansatte\n"
        f"{valid_cvr(41000100)};Et ApS;Vej 1;8000;⁷⁵¹;251100;5\n"
        f"{valid_cvr(41000200)};To ApS;Vej 2;8000;751;²⁵¹¹⁰⁰;5\n"
        f"{valid_cvr(41000300)};Tre ApS;Vej 3;8000;751;251100;²\n"
    )

    report = import_companies(text)

    assert [row.outcome for row in report.rows] == [Outcome.REJECTED] * 3
    assert "kommunekode" in report.rows[0].reasons[0]
    assert "branchekode" in report.rows[1].reasons[0]
    assert "Antal ansatte" in report.rows[2].reasons[0]


# ---------------------------------------------------------------------------
# Ids out of range
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/virksomheder/99999999999999999999999999/",
        "/virksomheder/99999999999999999999999999/ret/",
        "/virksomheder/besoeg/99999999999999999999999999/",
        "/partnerskaber/99999999999999999999999999/",
    ],
)
def test_an_id_too_large_for_the_database_is_404(raw_client_for, administrator, path):
    assert raw_client_for(administrator).get(path).status_code == 404


def test_the_largest_accepted_id_is_still_an_ordinary_404(raw_client_for, administrator):
    assert raw_client_for(administrator).get("/virksomheder/999999999999999999/").status_code == 404


# ---------------------------------------------------------------------------
# Formsets
# ---------------------------------------------------------------------------
def test_needs_formset_asked_for_billions_of_forms_answers_quickly_with_a_message(raw_client_for, consultant_a, firm):
    data = visit_post_data(consultants=[consultant_a])
    data["behov-TOTAL_FORMS"] = "99999999999999999999"

    started = time.monotonic()
    response = raw_client_for(consultant_a).post(reverse("companies:visit_create", args=[firm.pk]), data)
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    # Structural: at most absolute_max forms are built (before: 1,020 forms, 6 MB, 4.3 s); the time
    # bound is generous because CI machines are shared.
    assert len(response.context["needs"].forms) <= 20
    assert len(response.content) < 500_000
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert firm.visits.count() == 0


def test_every_formset_class_has_an_absolute_max():
    from companies.forms.visits import MAX_NEW_NEEDS, NeedFormSet

    assert NeedFormSet.absolute_max == MAX_NEW_NEEDS


# ---------------------------------------------------------------------------
# Invalid filter values: an empty result and a message, in the list and in the export
# ---------------------------------------------------------------------------
INVALID_FILTERS = [
    {"kommune": "99999"},
    {"kommune": "²"},
    {"status": "slettet"},
    {"besoeg_efter": "2019-02-30"},
    {"tovholder": "abc"},
]


@pytest.mark.parametrize("params", INVALID_FILTERS)
def test_invalid_filter_value_gives_an_empty_list_and_a_message(raw_client_for, consultant_a, firm, params):
    response = raw_client_for(consultant_a).get(reverse("companies:list"), params)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Smedjen ApS" not in page
    assert "Filteret er ugyldigt" in page


@pytest.mark.parametrize("params", INVALID_FILTERS)
def test_invalid_filter_value_exports_nothing(raw_client_for, consultant_a, firm, params):
    response = raw_client_for(consultant_a).get(reverse("companies:export"), params, follow=True)

    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8-sig")
    assert "Smedjen ApS" not in text
    if response.streaming:
        assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 1  # the header only
    else:
        assert "Filteret er ugyldigt" in text


# ---------------------------------------------------------------------------
# The CSV import: a bad row is rejected with its line; a file that is not CSV text, as a whole
# ---------------------------------------------------------------------------
IMPORT_HEADER = "CVR-nummer;Navn;Adresse;Postnr;Kommunekode;Branchekode;Ansatte\n"


def test_import_rejects_an_oversized_field_in_its_row_and_imports_the_rest(partnership_a):
    from companies.importing import Outcome, import_companies

    text = (
        IMPORT_HEADER
        + f"{valid_cvr(42000100)};{'x' * 140_000};Vej 1;8000;751;;5\n"
        + f"{valid_cvr(42000200)};Lang adresse ApS;{'y' * 5000};8000;751;;5\n"
        + f"{valid_cvr(42000300)};God ApS;Vej 3;8000;751;;5\n"
    )

    report = import_companies(text)

    assert [(row.line, row.outcome) for row in report.rows] == [
        (2, Outcome.REJECTED),
        (3, Outcome.REJECTED),
        (4, Outcome.CREATED),
    ]
    assert "kan ikke læses" in report.rows[0].reasons[0]
    assert "længere end 1000 tegn" in report.rows[1].reasons[0]
    assert Company.objects.filter(name="God ApS").exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ((IMPORT_HEADER + "12345678;Nul\x00ApS;Vej;8000;751;;5\n").encode(), "NUL-tegn"),
        (IMPORT_HEADER.encode("utf-16"), "NUL-tegn"),
        (b"PK\x03\x04" + bytes(range(256)) * 10, "Excel-regneark"),
        (bytes(range(1, 32)) * 200, "binære data"),
    ],
)
def test_import_refuses_a_binary_or_nul_containing_file_as_a_whole(partnership_a, content, reason):
    from companies.importing import ImportRefused, import_companies

    with pytest.raises(ImportRefused, match=reason):
        import_companies(content)
    assert not Company.objects.exists()


def test_import_refuses_an_oversized_file(partnership_a, monkeypatch):
    from companies import importing

    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 1000)
    with pytest.raises(importing.ImportRefused, match="for stor"):
        importing.import_companies(IMPORT_HEADER + "x" * 2000)


def test_admin_import_page_shows_why_a_file_is_refused(client_for, administrator, partnership_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(administrator)
    client.raise_request_exception = False
    upload = SimpleUploadedFile("firmaer.csv", IMPORT_HEADER.encode() + b"1;\x00;2\n", content_type="text/csv")

    response = client.post(reverse("admin:companies_company_import"), {"file": upload, "dry_run": "on"})

    assert response.status_code == 200
    assert "Filen indeholder NUL-tegn" in response.content.decode()


def test_import_command_says_why_a_file_is_refused(partnership_a, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "firmaer.csv"
    path.write_bytes(b"PK\x03\x04rest-of-a-zip")

    with pytest.raises(CommandError, match="Excel-regneark"):
        call_command("import_companies", str(path))
