"""CSV export of the filtered firm list (companies:export)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse

from companies.models import CaseStatus
from kompetence.exports import neutralise_cell
from tests.companies.factories import CompanyFactory
from tests.factories import UserFactory

URL = reverse("companies:export")


def read(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Danish Excel reads æøå
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_export_streams_filtered_list_as_excel_csv(client_for, consultant_a, partnership_a, partnership_b):
    CompanyFactory(
        partnership=partnership_a,
        name="Ærø Æbler ApS",
        status=CaseStatus.VISITED,
        lead_consultant=consultant_a,
        last_visit_on=dt.date(2018, 5, 2),
    )
    CompanyFactory(partnership=partnership_a, name="Kontaktet ApS", status=CaseStatus.CONTACTED)
    CompanyFactory(partnership=partnership_b, name="Fremmed ApS", status=CaseStatus.VISITED)

    response = client_for(consultant_a).get(URL, {"status": CaseStatus.VISITED})

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="virksomheder-' in response["Content-Disposition"]
    rows = read(response)
    header = rows[0]
    assert header[:2] == ["CVR-nummer", "Virksomhedsnavn"]
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["Virksomhedsnavn"] == "Ærø Æbler ApS"
    assert row["Status"] == "Besøgt"
    assert row["Kommune"] == "Aarhus"
    assert row["Partnerskab"] == "LKS Alfa"
    assert row["Tovholder fornavn"] == "Anna"
    assert row["Seneste besøg"] == "2018-05-02"
    assert row["SMV"] == "Lille virksomhed"


def test_export_neutralises_formulas(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name='=HYPERLINK("http://ondt.example","klik")', city="+45 by")
    CompanyFactory(partnership=partnership_a, name="@SUM(A1)", address="-2+3")

    rows = read(client_for(consultant_a).get(URL))

    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://ondt.example","klik")' in cells
    assert "'@SUM(A1)" in cells and "'-2+3" in cells and "'+45 by" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)


def test_neutralise_cell_leaves_ordinary_values_alone():
    assert neutralise_cell("Smed; Co") == "Smed; Co"
    assert neutralise_cell(None) == ""
    assert neutralise_cell(25) == "25"
    assert neutralise_cell(dt.date(2018, 1, 2)) == "2018-01-02"
    assert neutralise_cell("\t=1") == "'\t=1"


def test_export_quotes_semicolons_and_newlines(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Smed; Søn & Co", address="Vej 1\nBaghuset")
    rows = read(client_for(consultant_a).get(URL))
    assert rows[1][1] == "Smed; Søn & Co"
    assert rows[1][2] == "Vej 1\nBaghuset"


def test_export_uses_search(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, name="Find mig")
    CompanyFactory(partnership=partnership_a, name="Ikke mig")
    rows = read(client_for(consultant_a).get(URL, {"q": firm.cvr}))
    assert [r[1] for r in rows[1:]] == ["Find mig"]


def test_export_needs_permission(client_for, partnership_a):
    no_role = UserFactory()
    no_role.memberships.create(partnership=partnership_a)
    assert client_for(no_role).get(URL).status_code == 403


def test_export_for_management_covers_all_partnerships(client_for, management, partnership_a, partnership_b):
    CompanyFactory(partnership=partnership_a)
    CompanyFactory(partnership=partnership_b)
    assert len(read(client_for(management).get(URL))) == 3
