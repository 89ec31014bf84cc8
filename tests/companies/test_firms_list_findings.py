"""The firm list as consultants found it: CVR prefix search from four digits, the LKS (partnership)
filter with invalid values giving an empty result and a message in list and export alike, and the
exports: XLSX offered first (codes and ranges as text cells), CSV with en-dash ranges."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from companies.selectors.firms import parse_search
from tests.companies.factories import CompanyFactory, valid_cvr

LIST = reverse("companies:list")
CSV = reverse("companies:export")
XLSX = reverse("companies:export_xlsx")


def names(response) -> list[str]:
    return sorted(r["name"] for r in response.context["rows"])


# ---------------------------------------------------------------------------
# CVR prefix search
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "kind"),
    [("3040", "cvr_prefix"), ("304099", "cvr_prefix"), ("30 40 99 8", "cvr_prefix"), ("304", "name")],
)
def test_digits_from_four_to_seven_are_the_beginning_of_a_cvr_number(typed, kind):
    assert parse_search(typed).kind == kind


def test_a_partial_cvr_number_finds_the_firms_it_begins(client_for, consultant_a, partnership_a, partnership_b):
    CompanyFactory(partnership=partnership_a, name="Prefiks ApS", cvr=valid_cvr(30409900))
    CompanyFactory(partnership=partnership_a, name="Anden ApS", cvr=valid_cvr(31409900))
    CompanyFactory(partnership=partnership_b, name="Fremmed Prefiks ApS", cvr=valid_cvr(30409950))

    response = client_for(consultant_a).get(LIST, {"q": "304099"})

    assert names(response) == ["Prefiks ApS"]
    # A prefix never looks outside the user's partnerships (that answers whole numbers only).
    assert list(response.context["held_elsewhere"]) == []
    assert names(client_for(consultant_a).get(LIST, {"q": "304"})) == []


# ---------------------------------------------------------------------------
# The LKS filter
# ---------------------------------------------------------------------------
def test_management_filters_the_list_by_partnership(client_for, management, partnership_a, partnership_b):
    CompanyFactory(partnership=partnership_a, name="Alfa ApS")
    CompanyFactory(partnership=partnership_b, name="Beta ApS")

    response = client_for(management).get(LIST, {"lks": partnership_b.pk})

    assert names(response) == ["Beta ApS"]
    assert f'<option value="{partnership_a.pk}">LKS Alfa</option>' in response.content.decode()


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_unknown_partnership_gives_an_empty_list_and_a_message(
    client_for, management, partnership_a, partnership_b, value
):
    CompanyFactory(partnership=partnership_a, name="Alfa ApS")

    response = client_for(management).get(LIST, {"lks": value})

    assert names(response) == []
    assert "Filteret er ugyldigt" in response.content.decode()


def test_a_consultant_cannot_filter_on_a_partnership_outside_own(
    client_for, consultant_a, partnership_a, partnership_b
):
    CompanyFactory(partnership=partnership_a, name="Alfa ApS")
    CompanyFactory(partnership=partnership_b, name="Beta ApS")

    response = client_for(consultant_a).get(LIST, {"lks": partnership_b.pk})

    assert names(response) == []
    assert "Filteret er ugyldigt" in response.content.decode()


@pytest.mark.parametrize("url", [CSV, XLSX])
def test_exports_refuse_an_invalid_partnership_with_the_message(client_for, management, partnership_a, url):
    CompanyFactory(partnership=partnership_a)
    client = client_for(management)

    response = client.get(url, {"lks": "999999"})

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?lks=999999"
    page = client.get(response["Location"])
    assert "Filteret er ugyldigt, så intet er eksporteret." in page.content.decode()


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------
@pytest.fixture
def awkward_firm(partnership_a, consultant_a):
    return CompanyFactory(
        partnership=partnership_a,
        name="Nul Landbrug ApS",
        industry_code="014600",
        industry_section_id="A",
        employees=None,
        employee_band="2-4",
        postcode="8000",
        last_visit_on=dt.date(2025, 3, 4),
    )


def test_list_offers_xlsx_first_then_csv(client_for, consultant_a, awkward_firm):
    html = client_for(consultant_a).get(LIST).content.decode()
    assert html.index(f'href="{XLSX}') < html.index(f'href="{CSV}"')
    assert "Hent som Excel-ark (XLSX)" in html


def test_xlsx_keeps_codes_and_ranges_as_text_and_dates_as_dates(client_for, consultant_a, awkward_firm):
    response = client_for(consultant_a).get(XLSX, {"lks": awkward_firm.partnership_id})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["Branchekode"].value == "014600" and cells["Branchekode"].number_format == "@"
    assert cells["CVR-nummer"].value == awkward_firm.cvr and cells["CVR-nummer"].data_type == "s"
    assert cells["Antal ansatte (interval)"].value == "2–4" and cells["Antal ansatte (interval)"].data_type == "s"
    assert cells["Seneste besøg"].value.date() == dt.date(2025, 3, 4)
    assert cells["Status"].value == "Identificeret"


def test_csv_writes_ranges_with_an_en_dash_and_codes_as_they_are(client_for, consultant_a, awkward_firm):
    response = client_for(consultant_a).get(CSV)

    body = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(body), delimiter=";"))
    cells = dict(zip(header, row, strict=True))
    assert cells["Antal ansatte (interval)"] == "2–4"
    assert cells["Branchekode"] == "014600"
    assert cells["Seneste besøg"] == "2025-03-04"
