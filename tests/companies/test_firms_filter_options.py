"""The firm list's filter options and reference names are kept per process (companies.selectors.firms
REFERENCE), and a change to what they show is on the next page at once."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import PartnershipMunicipality
from tests.companies.factories import CompanyFactory
from tests.factories import MembershipFactory, UserFactory

URL = reverse("companies:list")


def options(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_renamed_partnership_shows_at_once_in_the_filter_and_the_rows(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    client = client_for(consultant_a)
    assert "LKS Alfa" in options(client.get(URL), "lks")

    partnership_a.name = "LKS Alfa Øst"
    partnership_a.save()

    response = client.get(URL)
    assert options(response, "lks") == ["Alle partnerskaber", "LKS Alfa Øst"]
    assert [row["partnership"] for row in response.context["rows"]] == ["LKS Alfa Øst"]


def test_a_new_member_and_a_deactivated_one_show_at_once_among_the_leads(client_for, consultant_a, partnership_a):
    leaving = UserFactory(first_name="Lone", last_name="Går")
    MembershipFactory(user=leaving, partnership=partnership_a)
    client = client_for(consultant_a)
    assert "Lone Går" in options(client.get(URL), "tovholder")

    MembershipFactory(user=UserFactory(first_name="Bo", last_name="Ny"), partnership=partnership_a)
    leaving.is_active = False
    leaving.save(update_fields=["is_active"])

    leads = options(client.get(URL), "tovholder")
    assert "Bo Ny" in leads and "Lone Går" not in leads


def test_a_new_membership_and_coverage_show_at_once(client_for, consultant_a, partnership_a, partnership_b):
    client = client_for(consultant_a)
    assert options(client.get(URL), "kommune") == ["Alle kommuner", "Aarhus"]

    PartnershipMunicipality.objects.create(partnership=partnership_a, municipality_id=740)
    assert sorted(options(client.get(URL), "kommune")) == ["Aarhus", "Alle kommuner", "Silkeborg"]

    MembershipFactory(user=consultant_a, partnership=partnership_b)
    consultant_a.refresh_from_db()
    assert options(client.get(URL), "lks") == ["Alle partnerskaber", "LKS Alfa", "LKS Beta"]


def test_a_second_page_view_reads_no_options_or_reference_names(client_for, consultant_a, partnership_a):
    CompanyFactory.create_batch(3, partnership=partnership_a)
    client = client_for(consultant_a)
    client.get(URL)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(URL)
    assert len(response.context["rows"]) == 3
    read = " ".join(q["sql"] for q in warm.captured_queries)
    for table in ("partnerships_municipality", "partnerships_industrysection", "partnerships_partnership"):
        assert f'FROM "{table}"' not in read, table


def test_a_value_outside_the_options_is_still_refused(client_for, consultant_a, consultant_b, partnership_b):
    client = client_for(consultant_a)
    client.get(URL)
    response = client.get(URL, {"lks": partnership_b.pk, "tovholder": consultant_b.pk})
    assert response.context["filter"].invalid
    assert {"lks", "tovholder"} <= set(response.context["filter"].form.errors)
    assert response.context["rows"] == []
