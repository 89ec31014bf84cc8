"""Small forms on a firm: contacts, P-numbers and consent to share data across the three systems."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from companies.models import ContactPerson, ProductionUnit, SharingConsent
from tests.companies.factories import CompanyFactory, ContactPersonFactory


def test_add_contact_person_shop_steward(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)

    response = client_for(consultant_a).post(
        reverse("companies:contact_create", args=[company.pk]),
        {"name": "Tina Tillid", "role": ContactPerson.Role.SHOP_STEWARD, "phone": "+45 20 30 40 50"},
    )

    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    contact = ContactPerson.objects.get()
    assert (contact.company, contact.get_role_display()) == (company, "Tillidsrepræsentant")


def test_contact_form_offers_danish_roles(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    html = client_for(consultant_a).get(reverse("companies:contact_create", args=[company.pk])).content.decode()
    for label in ("Ejer", "Direktør/leder", "HR", "Tillidsrepræsentant", "Må kontaktes", "Telefon"):
        assert label in html


def test_contact_form_rejects_bad_phone_and_email(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    response = client_for(consultant_a).post(
        reverse("companies:contact_create", args=[company.pk]),
        {"name": "X", "role": "leder", "phone": "ring til mig", "email": "ikke-en-mail"},
    )
    assert set(response.context["form"].errors) == {"phone", "email"}
    assert not ContactPerson.objects.exists()


def test_edit_contact_person(client_for, consultant_a, partnership_a):
    contact = ContactPersonFactory(company=CompanyFactory(partnership=partnership_a), name="Gammelt navn")
    url = reverse("companies:contact_update", args=[contact.pk])

    response = client_for(consultant_a).post(url, {"name": "Nyt navn", "role": "hr", "is_active": "on"})

    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.name, contact.role) == ("Nyt navn", "hr")


def test_contact_of_other_partnership_is_404(client_for, consultant_b, partnership_a):
    contact = ContactPersonFactory(company=CompanyFactory(partnership=partnership_a))
    client = client_for(consultant_b)
    assert client.get(reverse("companies:contact_create", args=[contact.company_id])).status_code == 404
    assert client.get(reverse("companies:contact_update", args=[contact.pk])).status_code == 404


def test_add_p_number_strips_spaces(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)

    response = client_for(consultant_a).post(
        reverse("companies:production_unit_create", args=[company.pk]),
        {"p_number": "10 1234 5678", "name": "Lager", "postcode": "8200", "municipality": 751},
    )

    assert response.status_code == 302
    assert ProductionUnit.objects.get().p_number == "1012345678"


def test_add_p_number_rejects_wrong_length_and_duplicates(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    ProductionUnit.objects.create(company=CompanyFactory(partnership=partnership_a), p_number="1012345678")
    url = reverse("companies:production_unit_create", args=[company.pk])
    client = client_for(consultant_a)

    short = client.post(url, {"p_number": "12345"})
    assert "Et P-nummer består af 10 cifre." in short.context["form"].errors["p_number"]
    duplicate = client.post(url, {"p_number": "1012345678"})
    assert "p_number" in duplicate.context["form"].errors
    assert ProductionUnit.objects.count() == 1


def test_record_consent_to_share_data(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)

    response = client_for(consultant_a).post(
        reverse("companies:consent_create", args=[company.pk]),
        {"given_on": "2018-04-03", "given_by": "Direktør Hanne Hansen", "given_to": "Jobcenter og VEU-center"},
    )

    assert response["Location"] == reverse("companies:detail", args=[company.pk])
    consent = SharingConsent.objects.get()
    assert consent.given_on == dt.date(2018, 4, 3)
    assert consent.recorded_by == consultant_a
    assert consent.company == company


def test_consent_in_the_future_is_refused(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    response = client_for(consultant_a).post(
        reverse("companies:consent_create", args=[company.pk]),
        {"given_on": tomorrow.isoformat(), "given_by": "X", "given_to": "Y"},
    )
    assert "kan ikke ligge i fremtiden" in " ".join(response.context["form"].errors["given_on"])
    assert not SharingConsent.objects.exists()


def test_consent_form_suggests_the_partnership(client_for, consultant_a, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    form = client_for(consultant_a).get(reverse("companies:consent_create", args=[company.pk])).context["form"]
    assert "LKS Alfa" in form.fields["given_to"].initial


def test_p_number_and_consent_of_other_partnership_are_404(client_for, consultant_b, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    client = client_for(consultant_b)
    for name in ("production_unit_create", "consent_create"):
        assert client.get(reverse(f"companies:{name}", args=[company.pk])).status_code == 404


def test_management_may_not_change_firms(client_for, management, partnership_a):
    company = CompanyFactory(partnership=partnership_a)
    client = client_for(management)
    for name in ("update", "contact_create", "production_unit_create", "consent_create"):
        assert client.get(reverse(f"companies:{name}", args=[company.pk])).status_code == 403
