"""Registering (companies:create) and editing (companies:update) a firm."""

from __future__ import annotations

import pytest
from django.urls import reverse

from companies.models import Company, SizeClass, StatusChange
from tests.companies.factories import CompanyFactory, valid_cvr
from tests.factories import PartnershipFactory

CREATE = reverse("companies:create")


def form_data(**overrides) -> dict:
    data = {
        "cvr": valid_cvr(31000000),
        "name": "Nyfirma ApS",
        "address": "Havnegade 3",
        "postcode": "8000",
        "city": "Aarhus C",
        "municipality": 751,
        "industry_section": "C",
        "industry_code": "251100",
        "employees": "35",
        "employee_band": "",
        "turnover_eur_m": "",
        "balance_eur_m": "",
        "website": "nyfirma.dk",
        "notes": "",
        "partnership": "",
    }
    data.update(overrides)
    return data


def test_register_firm_puts_it_in_the_municipality_partnership(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data())

    company = Company.objects.get(name="Nyfirma ApS")
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    assert company.partnership == partnership_a
    assert company.partnership_overridden is False
    assert company.size_class == SizeClass.SMALL
    assert company.website == "https://nyfirma.dk"
    assert company.created_by == consultant_a
    assert StatusChange.objects.filter(company=company).count() == 1


def test_register_firm_normalises_cvr_with_spaces_and_dk(client_for, consultant_a, partnership_a):
    cvr = valid_cvr(31000000)
    client_for(consultant_a).post(CREATE, form_data(cvr=f"DK {cvr[:2]} {cvr[2:4]} {cvr[4:6]} {cvr[6:]}"))
    assert Company.objects.get().cvr == cvr


@pytest.mark.parametrize(
    ("cvr", "message"),
    [
        ("12345678", "kontrolcifferet passer ikke"),
        ("1234567", "Et CVR-nummer har 8 cifre (du skrev 7)"),
        ("123456789", "Et CVR-nummer har 8 cifre (du skrev 9)"),
        ("1234567A", "Et CVR-nummer består kun af cifre"),
    ],
    ids=["bad_check_digit", "too_short", "too_long", "letters"],
)
def test_register_firm_rejects_cvr_with_bad_check_digit(client_for, consultant_a, partnership_a, cvr, message):
    response = client_for(consultant_a).post(CREATE, form_data(cvr=cvr))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["cvr"])
    assert message in response.content.decode()
    assert not Company.objects.exists()
    assert not StatusChange.objects.exists()


def test_register_duplicate_cvr_redirects_to_existing_firm(client_for, consultant_a, partnership_a):
    existing = CompanyFactory(partnership=partnership_a)

    response = client_for(consultant_a).post(CREATE, form_data(cvr=existing.cvr), follow=False)

    assert response.status_code == 302
    assert response["Location"] == reverse("companies:detail", args=[existing.pk])
    assert Company.objects.count() == 1
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Virksomheden er allerede registreret."]


def test_register_duplicate_cvr_in_other_partnership_names_holder(
    client_for, consultant_a, consultant_b, partnership_b
):
    consultant_b.phone = "97 12 34 56"
    consultant_b.save()
    existing = CompanyFactory(partnership=partnership_b, lead_consultant=consultant_b, notes="Fortroligt")

    response = client_for(consultant_a).post(CREATE, form_data(cvr=existing.cvr))

    assert response.status_code == 200
    error = " ".join(response.context["form"].errors["cvr"])
    assert "LKS Beta" in error
    assert consultant_b.get_full_name() in error and "97 12 34 56" in error and consultant_b.email in error
    assert "Fortroligt" not in response.content.decode()
    assert Company.objects.count() == 1


def test_register_firm_rejects_bad_postcode(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(postcode="800"))
    assert "Et postnummer består af 4 cifre" in " ".join(response.context["form"].errors["postcode"])
    assert not Company.objects.exists()


def test_register_firm_refuses_too_long_notes_with_danish_message(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(notes="x" * 2001))

    errors = " ".join(response.context["form"].errors["notes"])
    assert "Må højst være 2000 tegn (teksten er 2001 tegn)." in errors
    assert not Company.objects.exists()
    assert not StatusChange.objects.exists()


def test_register_firm_refuses_two_megabyte_notes(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(notes="x" * 2_000_000))
    assert response.status_code == 200
    assert "notes" in response.context["form"].errors
    assert not Company.objects.exists()


def test_register_firm_only_offers_region_municipalities(client_for, consultant_a):
    form = client_for(consultant_a).get(CREATE).context["form"]
    assert form.fields["municipality"].queryset.count() == 19


def test_register_firm_in_uncovered_municipality_saves_nothing(client_for, consultant_a, partnership_a):
    # Silkeborg (740) is covered by no partnership in this test: the service refuses, nothing is half-saved.
    response = client_for(consultant_a).post(CREATE, form_data(municipality=740))

    assert response.status_code == 200
    assert "Ingen partnerskab dækker Silkeborg" in " ".join(response.context["form"].errors["municipality"])
    assert not Company.objects.exists()
    assert not StatusChange.objects.exists()


def test_register_firm_partnership_override_is_limited_to_visible_partnerships(
    client_for, consultant_a, partnership_a, partnership_b
):
    response = client_for(consultant_a).post(CREATE, form_data(partnership=partnership_b.pk))
    assert "partnership" in response.context["form"].errors
    assert not Company.objects.exists()


def test_register_firm_partnership_override(client_for, consultant_a, partnership_a):
    other = PartnershipFactory(name="LKS Gamma", municipalities=[710])
    consultant_a.memberships.create(partnership=other)

    client_for(consultant_a).post(CREATE, form_data(partnership=other.pk))

    company = Company.objects.get()
    assert company.partnership == other
    assert company.partnership_overridden is True


def test_register_firm_derives_industry_section_from_code(client_for, consultant_a, partnership_a):
    client_for(consultant_a).post(CREATE, form_data(industry_section="", industry_code="432200"))
    assert Company.objects.get().industry_section_id == "F"


def test_register_firm_rejects_code_of_other_section(client_for, consultant_a, partnership_a):
    response = client_for(consultant_a).post(CREATE, form_data(industry_section="F", industry_code="251100"))
    assert "hører til branche C" in " ".join(response.context["form"].errors["industry_code"])


def test_firm_form_escapes_html_in_name(client_for, consultant_a, partnership_a):
    hostile = "<script>alert(1)</script>"
    client_for(consultant_a).post(CREATE, form_data(name=hostile, notes=hostile, city=hostile))

    company = Company.objects.get()
    assert company.name == hostile  # stored as typed, escaped when shown
    client = client_for(consultant_a)
    for url in (reverse("companies:list"), reverse("companies:update", args=[company.pk])):
        html = client.get(url).content.decode()
        assert hostile not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_register_firm_forbidden_for_management(client_for, management):
    assert client_for(management).get(CREATE).status_code == 403


# ---------------------------------------------------------------------------
# Edit
# ---------------------------------------------------------------------------
def test_edit_firm_shows_sme_assessment_with_reasons(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a, employees=300)

    html = client_for(consultant_a).get(reverse("companies:update", args=[company.pk])).content.decode()

    assert "SMV-vurdering" in html
    assert "Stor virksomhed (ikke SMV)" in html
    assert "300 ansatte: 250 eller flere ansatte er ikke en SMV." in html


def test_edit_firm_updates_size_class(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a, employees=300)
    data = form_data(cvr=company.cvr, name=company.name, employees="8", turnover_eur_m="1.5")

    response = client_for(consultant_a).post(reverse("companies:update", args=[company.pk]), data)

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.size_class == SizeClass.MICRO
    assert "Mikrovirksomhed" in str(next(iter(response.wsgi_request._messages)))


def test_edit_firm_changing_municipality_moves_it_to_that_partnership(client_for, consultant_a, partnership_a):
    other = PartnershipFactory(name="LKS Favrskov", municipalities=[710])
    consultant_a.memberships.create(partnership=other)
    company = CompanyFactory(partnership=partnership_a)

    client_for(consultant_a).post(
        reverse("companies:update", args=[company.pk]), form_data(cvr=company.cvr, municipality=710)
    )

    company.refresh_from_db()
    assert company.municipality_id == 710
    assert company.partnership == other


def test_edit_firm_moved_out_of_scope_goes_to_list_with_message(client_for, consultant_a, partnership_a, partnership_b):
    company = CompanyFactory(partnership=partnership_a)

    response = client_for(consultant_a).post(
        reverse("companies:update", args=[company.pk]), form_data(cvr=company.cvr, municipality=657)
    )

    assert response["Location"] == reverse("companies:list")
    company.refresh_from_db()
    assert company.partnership == partnership_b


def test_edit_firm_to_cvr_of_another_firm_is_refused(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    other = CompanyFactory(partnership=partnership_a, name="Den anden ApS")

    response = client_for(consultant_a).post(reverse("companies:update", args=[company.pk]), form_data(cvr=other.cvr))

    assert "Den anden ApS" in " ".join(response.context["form"].errors["cvr"])
    company.refresh_from_db()
    assert company.cvr != other.cvr


def test_consultant_of_other_partnership_gets_404_on_edit(client_for, consultant_b, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    client = client_for(consultant_b)
    url = reverse("companies:update", args=[company.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, form_data(cvr=company.cvr, name="Kapret")).status_code == 404
    company.refresh_from_db()
    assert company.name != "Kapret"
