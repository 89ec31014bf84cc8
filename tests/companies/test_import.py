"""Import of firms from a CVR register extract: companies/importing.py, the command and the admin page."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from companies.importing import Outcome, decode, import_companies
from companies.models import Company, StatusChange
from companies.services import section_for_industry_code
from tests.companies.factories import CompanyFactory, valid_cvr

HEADER = "CVR-nummer;Navn;Adresse;Postnr;Kommunekode;Branchekode;Ansatte\n"
CVR1, CVR2, CVR3 = valid_cvr(32000000), valid_cvr(32000100), valid_cvr(32000200)


@pytest.fixture
def covered(partnership_a, partnership_b):
    """Aarhus (751) and Herning (657) are covered by LKS Alfa and LKS Beta."""


def test_import_creates_firms_in_their_municipalitys_partnership(covered, partnership_a, partnership_b):
    text = (
        HEADER
        + f"{CVR1};Århus Smed ApS;Havnen 1;8000;751;251100;12\n{CVR2};Herning Tekstil;Vej 2;7400;657;131000;10-19\n"
    )

    report = import_companies(text)

    assert [r.outcome for r in report.rows] == [Outcome.CREATED, Outcome.CREATED]
    smed = Company.objects.get(cvr=CVR1)
    assert (smed.name, smed.partnership, smed.industry_section_id, smed.industry_code) == (
        "Århus Smed ApS",
        partnership_a,
        "C",
        "251100",
    )
    assert smed.employees == 12 and smed.size_class == "small"
    tekstil = Company.objects.get(cvr=CVR2)
    assert tekstil.partnership == partnership_b
    assert (tekstil.employees, tekstil.employee_band) == (None, "10-19")
    assert StatusChange.objects.count() == 2
    # The firm says where it came from ("Importeret fra CVR-udtræk"), not "Registreret af en konsulent".
    assert {smed.source, tekstil.source} == {"import"}
    assert smed.get_source_display() == "Importeret fra CVR-udtræk"


def test_import_dry_run_writes_nothing(covered):
    existing = CompanyFactory(partnership__name="LKS X", cvr=CVR3, name="Gammelt navn", municipality_id=751)
    text = HEADER + f"{CVR1};Ny ApS;;8000;751;;5\n{CVR3};Nyt navn;;8000;751;;5\n"

    report = import_companies(text, dry_run=True)

    assert [r.outcome for r in report.rows] == [Outcome.CREATED, Outcome.UPDATED]
    assert report.dry_run and "Prøvekørsel" in report.summary()
    assert not Company.objects.filter(cvr=CVR1).exists()
    existing.refresh_from_db()
    assert existing.name == "Gammelt navn"
    assert StatusChange.objects.count() == 0


def test_import_rejects_unknown_municipality_code_with_reason(covered):
    report = import_companies(HEADER + f"{CVR1};Københavnerfirma;;1000;101;;5\n")

    row = report.rows[0]
    assert row.outcome == Outcome.REJECTED
    assert row.reasons == ["Ukendt kommunekode 101: kun de 19 kommuner i Region Midtjylland kan importeres."]
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("12345678;Firma;;8000;751;;5", "Ugyldigt CVR-nummer: CVR-nummeret 12345678 findes ikke"),
        ("1234;Firma;;8000;751;;5", "Ugyldigt CVR-nummer: Et CVR-nummer har 8 cifre (du skrev 4)."),
        (f"{CVR1};;;8000;751;;5", "Virksomhedsnavn mangler."),
        (f"{CVR1};Firma;;8000;751;;mange", "Antal ansatte »mange« er hverken et helt tal"),
        (f"{CVR1};Firma;;800;751;;5", "Postnummeret 800 er ikke 4 cifre."),
        (f"{CVR1};Firma;;8000;751;000000;5", "Ukendt branchekode 000000 (DB07)."),
    ],
    ids=["bad_cvr", "short_cvr", "missing_name", "bad_employees", "bad_postcode", "bad_industry"],
)
def test_import_rejects_bad_rows_with_danish_reason(covered, line, reason):
    report = import_companies(HEADER + line + "\n")
    assert report.rows[0].outcome == Outcome.REJECTED
    assert any(r.startswith(reason) for r in report.rows[0].reasons), report.rows[0].reasons
    assert not Company.objects.exists()


def test_import_rejects_duplicate_within_the_file(covered):
    report = import_companies(HEADER + f"{CVR1};Første;;8000;751;;5\n{CVR1};Anden;;8000;751;;5\n")
    assert [r.outcome for r in report.rows] == [Outcome.CREATED, Outcome.REJECTED]
    assert "første gang i linje 2" in report.rows[1].reasons[0]
    assert Company.objects.get().name == "Første"


def test_import_updates_existing_cvr_and_keeps_what_the_file_leaves_blank(covered, partnership_a, partnership_b):
    existing = CompanyFactory(partnership=partnership_a, cvr=CVR1, name="Gammelt", address="Gl. vej 1", employees=5)

    report = import_companies(HEADER + f"{CVR1};Nyt navn;;7400;657;;300\n")

    assert report.rows[0].outcome == Outcome.UPDATED
    existing.refresh_from_db()
    assert existing.name == "Nyt navn"
    assert existing.address == "Gl. vej 1"
    assert existing.partnership == partnership_b  # moved with its municipality
    assert existing.size_class == "large"


def test_import_reports_unchanged_rows(covered, partnership_a):
    CompanyFactory(partnership=partnership_a, cvr=CVR1, name="Samme", municipality_id=751, postcode="8000")
    report = import_companies(HEADER + f"{CVR1};Samme;;8000;751;;25\n")
    assert report.rows[0].outcome == Outcome.UNCHANGED


def test_import_rejects_municipality_without_partnership(partnership_a):
    report = import_companies(HEADER + f"{CVR1};Silkeborgfirma;;8600;740;;5\n")
    assert report.rows[0].outcome == Outcome.REJECTED
    assert "Ingen partnerskab dækker Silkeborg" in report.rows[0].reasons[0]


def test_import_accepts_comma_cp1252_and_no_header(covered):
    text = f'{CVR1},"Søren Sørensen, Smedie",Åvej 1,8000,751,432200,3\n'
    report = import_companies(text.encode("cp1252"))
    assert report.rows[0].outcome == Outcome.CREATED
    firm = Company.objects.get()
    assert (firm.name, firm.address, firm.industry_section_id) == ("Søren Sørensen, Smedie", "Åvej 1", "F")


def test_import_accepts_utf8_with_bom_and_crlf(covered):
    data = ("\ufeff" + HEADER + f"{CVR1};Ærlig Æble ApS;;8000;751;;5\r\n").encode()
    report = import_companies(data)
    assert report.rows[0].outcome == Outcome.CREATED
    assert Company.objects.get().name == "Ærlig Æble ApS"


def test_decode_prefers_utf8_and_falls_back_to_cp1252():
    assert decode("æøå".encode()) == "æøå"
    assert decode("\ufeffæøå".encode()) == "æøå"
    assert decode("æøå".encode("cp1252")) == "æøå"


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("011100", "A"),
        ("031000", "A"),
        ("062000", "B"),
        ("101100", "C"),
        ("332000", "C"),
        ("351100", "D"),
        ("383200", "E"),
        ("412000", "F"),
        ("471100", "G"),
        ("532000", "H"),
        ("561010", "I"),
        ("620100", "J"),
        ("641900", "K"),
        ("682040", "L"),
        ("711200", "M"),
        ("782000", "N"),
        ("841100", "O"),
        ("853100", "P"),
        ("881000", "Q"),
        ("931100", "R"),
        ("960200", "S"),
        ("970000", "T"),
        ("990000", "U"),
        ("040000", None),
        ("", None),
        ("ab", None),
    ],
)
def test_industry_code_maps_to_db07_section(code, section):
    assert section_for_industry_code(code) == section


def test_import_command_prints_report_and_honours_dry_run(covered, tmp_path):
    path = tmp_path / "udtraek.csv"
    path.write_text(HEADER + f"{CVR1};Kommandofirma;;8000;751;;5\n{CVR2};Fejl;;8000;101;;5\n", encoding="utf-8")
    out = io.StringIO()

    call_command("import_companies", str(path), "--dry-run", stdout=out)

    text = out.getvalue()
    assert "Oprettet" in text and "Afvist" in text and "Ukendt kommunekode 101" in text
    assert "1 oprettet, 0 opdateret, 0 uændret, 1 afvist." in text
    assert not Company.objects.exists()

    call_command("import_companies", str(path), stdout=io.StringIO())
    assert Company.objects.get().name == "Kommandofirma"


# ---------------------------------------------------------------------------
# The admin page
# ---------------------------------------------------------------------------
ADMIN_IMPORT = reverse("admin:companies_company_import")


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("udtraek.csv", text.encode("utf-8"), content_type="text/csv")


def test_admin_import_page_shows_report_and_dry_run_saves_nothing(client_for, administrator, covered):
    client = client_for(administrator)
    text = HEADER + f"{CVR1};Adminfirma;;8000;751;;5\n{CVR2};Fejl;;8000;101;;5\n"

    response = client.post(ADMIN_IMPORT, {"file": _upload(text), "dry_run": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Prøvekørsel" in html and "Adminfirma" in html and "Ukendt kommunekode 101" in html
    assert not Company.objects.exists()

    client.post(ADMIN_IMPORT, {"file": _upload(text)})
    assert Company.objects.get().created_by == administrator


def test_admin_changelist_links_to_import(client_for, administrator):
    html = client_for(administrator).get(reverse("admin:companies_company_changelist")).content.decode()
    assert ADMIN_IMPORT in html and "Importér fra CVR-udtræk" in html


def test_admin_import_requires_import_permission(client_for, partnership_a):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_company"))
    client = client_for(staff)
    assert client.get(ADMIN_IMPORT).status_code == 403
    assert ADMIN_IMPORT not in client.get(reverse("admin:companies_company_changelist")).content.decode()
