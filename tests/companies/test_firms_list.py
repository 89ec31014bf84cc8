"""The firm list (companies:list): scoping, search, filters, sorting, paging, and the
"Findes i et andet partnerskab" box."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse

from companies.models import CaseStatus, CompetenceNeed, ProductionUnit, SizeClass
from tests.companies.factories import CompanyFactory, CompetenceNeedFactory
from tests.factories import MembershipFactory, UserFactory

URL = reverse("companies:list")


def names(response) -> list[str]:
    return [c["name"] for c in response.context["page"].object_list]


def test_firm_list_shows_only_own_partnerships(client_for, consultant_a, partnership_a, partnership_b):
    CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    CompanyFactory(partnership=partnership_b, name="Beta Bager ApS")

    response = client_for(consultant_a).get(URL)

    assert response.status_code == 200
    assert names(response) == ["Alfa Smed ApS"]
    assert b"Beta Bager" not in response.content


@pytest.mark.parametrize("who", ["management", "administrator"])
def test_firm_list_shows_everything_to_management_and_administrator(
    request, client_for, who, partnership_a, partnership_b
):
    CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    CompanyFactory(partnership=partnership_b, name="Beta Bager ApS")

    response = client_for(request.getfixturevalue(who)).get(URL)

    assert names(response) == ["Alfa Smed ApS", "Beta Bager ApS"]


def test_firm_list_shows_total_count_with_danish_thousands(client_for, consultant_a, partnership_a):
    CompanyFactory.create_batch(3, partnership=partnership_a)
    response = client_for(consultant_a).get(URL)
    assert response.context["total"] == 3
    assert "3 virksomheder" in response.content.decode()


def test_search_by_cvr_finds_exact_firm(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, name="Målfirma ApS")
    CompanyFactory(partnership=partnership_a, name="Andet ApS")
    spaced = f"DK {firm.cvr[:2]} {firm.cvr[2:4]} {firm.cvr[4:6]} {firm.cvr[6:]}"

    response = client_for(consultant_a).get(URL, {"q": spaced})

    assert names(response) == ["Målfirma ApS"]


def test_search_by_p_number(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, name="Fabrik A/S")
    CompanyFactory(partnership=partnership_a, name="Andet ApS")
    ProductionUnit.objects.create(company=firm, p_number="1012345678", name="Afdeling Nord")
    ProductionUnit.objects.create(company=firm, p_number="1012345679", name="Afdeling Syd")

    response = client_for(consultant_a).get(URL, {"q": "10 1234 5678"})

    assert names(response) == ["Fabrik A/S"]


def test_search_by_part_of_name_is_case_insensitive(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Jensens Maskinfabrik ApS")
    CompanyFactory(partnership=partnership_a, name="Hansens Bageri")

    response = client_for(consultant_a).get(URL, {"q": "maskinFAB"})

    assert names(response) == ["Jensens Maskinfabrik ApS"]


def test_search_reveals_only_holder_and_lead_for_foreign_firm(client_for, consultant_a, consultant_b, partnership_b):
    consultant_b.phone = "86 12 34 56"
    consultant_b.last_name = "Bertelsen"
    consultant_b.save()
    firm = CompanyFactory(
        partnership=partnership_b,
        name="Herning Stål A/S",
        lead_consultant=consultant_b,
        notes="HEMMELIG NOTE om ledelsen",
        address="Hemmeligvej 7",
    )
    CompetenceNeedFactory(company=firm, description="HEMMELIGT BEHOV robotter")

    response = client_for(consultant_a).get(URL, {"q": "Herning Stål"})

    assert names(response) == []
    held = response.context["held_elsewhere"]
    assert held == [
        {
            "name": "Herning Stål A/S",
            "cvr": firm.cvr,
            "partnership_name": "LKS Beta",
            "contact_is_lead": True,
            "contact_name": "Bent Bertelsen",
            "contact_email": "konsulent.b@example.dk",
            "contact_phone": "86 12 34 56",
        }
    ]
    html = response.content.decode()
    assert "Findes i et andet partnerskab" in html
    assert "LKS Beta" in html and "Bent Bertelsen" in html and "86 12 34 56" in html
    for secret in ("HEMMELIG NOTE", "HEMMELIGT BEHOV", "Hemmeligvej"):
        assert secret not in html
    assert reverse("companies:detail", args=[firm.pk]) not in html


def test_search_for_foreign_firm_by_cvr_shows_holder(client_for, consultant_a, partnership_b):
    firm = CompanyFactory(partnership=partnership_b, name="Beta Bager ApS")
    response = client_for(consultant_a).get(URL, {"q": firm.cvr})
    assert [row["name"] for row in response.context["held_elsewhere"]] == ["Beta Bager ApS"]


def test_held_elsewhere_names_partnership_coordinator_when_firm_has_no_lead(client_for, consultant_a, partnership_b):
    coordinator = UserFactory(first_name="Karen", last_name="Koordinator", email="karen@example.dk")
    MembershipFactory(user=coordinator, partnership=partnership_b, lead_role="tovholder")
    CompanyFactory(partnership=partnership_b, name="Beta Bager ApS", lead_consultant=None)

    held = client_for(consultant_a).get(URL, {"q": "Bager"}).context["held_elsewhere"]

    assert held[0]["contact_is_lead"] is False
    assert held[0]["contact_name"] == "Karen Koordinator"
    assert held[0]["contact_email"] == "karen@example.dk"


def test_held_elsewhere_not_shown_for_firms_in_own_scope(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    response = client_for(consultant_a).get(URL, {"q": "Alfa Smed"})
    assert names(response) == ["Alfa Smed ApS"]
    assert response.context["held_elsewhere"] == []
    assert "Findes i et andet partnerskab" not in response.content.decode()


def test_held_elsewhere_needs_four_letters_and_shows_nothing_when_many_match(client_for, consultant_a, partnership_b):
    CompanyFactory.create_batch(12, partnership=partnership_b, name="Beta Bager ApS")
    client = client_for(consultant_a)

    assert client.get(URL, {"q": "Bet"}).context["held_elsewhere"] == []
    many = client.get(URL, {"q": "Beta Bager"})
    assert many.context["held_elsewhere"] == []
    assert many.context["held_elsewhere"].notice == "too_many"
    assert "søg på cvr-nummeret" in many.content.decode().lower()


def test_held_elsewhere_not_shown_to_management(client_for, management, partnership_b):
    CompanyFactory(partnership=partnership_b, name="Beta Bager ApS")
    response = client_for(management).get(URL, {"q": "Bager"})
    assert names(response) == ["Beta Bager ApS"]
    assert response.context["held_elsewhere"] == []


def test_filter_by_status_and_sme(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Besøgt SMV", status=CaseStatus.VISITED, employees=20)
    CompanyFactory(partnership=partnership_a, name="Besøgt stor", status=CaseStatus.VISITED, employees=900)
    CompanyFactory(partnership=partnership_a, name="Kontaktet", status=CaseStatus.CONTACTED, employees=5)
    CompanyFactory(partnership=partnership_a, name="Ukendt", employees=None, size_class=SizeClass.UNKNOWN)
    client = client_for(consultant_a)

    assert names(client.get(URL, {"status": CaseStatus.VISITED})) == ["Besøgt SMV", "Besøgt stor"]
    assert names(client.get(URL, {"status": CaseStatus.VISITED, "smv": "ja"})) == ["Besøgt SMV"]
    assert names(client.get(URL, {"smv": "nej"})) == ["Besøgt stor"]
    assert names(client.get(URL, {"smv": "ukendt"})) == ["Ukendt"]


def test_filter_by_open_needs_counts_each_firm_once(client_for, consultant_a, partnership_a):
    with_needs = CompanyFactory(partnership=partnership_a, name="Med behov")
    CompetenceNeedFactory.create_batch(3, company=with_needs)
    covered = CompanyFactory(partnership=partnership_a, name="Dækket")
    CompetenceNeedFactory(company=covered, status=CompetenceNeed.Status.COVERED)
    CompanyFactory(partnership=partnership_a, name="Uden behov")
    client = client_for(consultant_a)

    assert names(client.get(URL, {"aabne_behov": "true"})) == ["Med behov"]
    assert names(client.get(URL, {"aabne_behov": "false"})) == ["Dækket", "Uden behov"]


def test_filter_by_lead_municipality_industry_and_last_visit(client_for, consultant_a, partnership_a):
    lead = CompanyFactory(
        partnership=partnership_a,
        name="Tovholderfirma",
        lead_consultant=consultant_a,
        industry_section_id="C",
        last_visit_on=dt.date(2018, 5, 1),
    )
    CompanyFactory(partnership=partnership_a, name="Andet", industry_section_id="F", last_visit_on=dt.date(2017, 1, 1))
    client = client_for(consultant_a)

    assert names(client.get(URL, {"tovholder": consultant_a.pk})) == [lead.name]
    assert names(client.get(URL, {"branche": "C"})) == [lead.name]
    assert names(client.get(URL, {"kommune": 751})) == ["Andet", lead.name]
    assert names(client.get(URL, {"besoeg_efter": "2018-01-01"})) == [lead.name]
    assert names(client.get(URL, {"besoeg_foer": "2018-01-01"})) == ["Andet"]


def options(response, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', response.content.decode(), re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_filter_choices_are_narrowed_to_own_partnerships(client_for, consultant_a, consultant_b, partnership_a):
    response = client_for(consultant_a).get(URL)
    assert options(response, "kommune") == ["Alle kommuner", "Aarhus"]
    assert options(response, "lks") == ["Alle partnerskaber", "LKS Alfa"]
    assert str(consultant_a) in options(response, "tovholder")
    assert str(consultant_b) not in options(response, "tovholder")

    response = client_for(consultant_a).get(URL, {"tovholder": consultant_b.pk})
    assert "tovholder" in response.context["filter"].form.errors


def test_sort_by_last_visit_newest_first_puts_never_visited_last(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Aldrig", last_visit_on=None)
    CompanyFactory(partnership=partnership_a, name="Gammel", last_visit_on=dt.date(2017, 1, 1))
    CompanyFactory(partnership=partnership_a, name="Ny", last_visit_on=dt.date(2019, 1, 1))

    response = client_for(consultant_a).get(URL, {"sortering": "-seneste_besoeg"})

    assert names(response) == ["Ny", "Gammel", "Aldrig"]


def test_firm_list_pages_with_next_and_previous_links(client_for, consultant_a, partnership_a):
    CompanyFactory.create_batch(120, partnership=partnership_a)
    client = client_for(consultant_a)

    first = client.get(URL, {"status": CaseStatus.IDENTIFIED})
    second = client.get(URL, {"status": CaseStatus.IDENTIFIED, "cursor": first.context["page"].next_cursor})
    third = client.get(URL, {"status": CaseStatus.IDENTIFIED, "cursor": second.context["page"].next_cursor})

    seen = names(first) + names(second) + names(third)
    assert len(seen) == len(set(seen)) == 120
    assert first.context["total"] == 120
    html = second.content.decode()
    assert "Forrige" in html and "Næste" in html
    assert "status=identificeret&amp;cursor=" in html  # links keep the filters
    assert not third.context["page"].has_next


def test_firm_list_marks_overdue_follow_up_with_text(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, next_follow_up_on=dt.date.today() - dt.timedelta(days=3))
    html = client_for(consultant_a).get(URL).content.decode()
    assert "Overskredet" in html


def test_firm_list_escapes_html_in_name(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="<script>alert('x')</script> ApS")
    html = client_for(consultant_a).get(URL).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; ApS" in html


def test_firm_list_htmx_request_gets_only_the_results(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")
    response = client_for(consultant_a).get(URL, {"q": "Alfa"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Alfa Smed ApS" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_firm_list_form_is_accessible_without_javascript(client_for, consultant_a):
    html = client_for(consultant_a).get(URL).content.decode()
    assert 'method="get"' in html and "<fieldset" in html and "<legend" in html
    assert re.search(r'<label\s+for="id_q"', html)
    assert 'type="submit"' in html


def test_firm_list_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity needs PostgreSQL (pg_trgm)")
def test_search_falls_back_to_similar_names_on_postgresql(client_for, consultant_a, partnership_a):
    CompanyFactory(partnership=partnership_a, name="Jensens Maskinfabrik ApS")
    CompanyFactory(partnership=partnership_a, name="Hansens Bageri")

    response = client_for(consultant_a).get(URL, {"q": "Jensen Maskinfabrk"})

    assert names(response) == ["Jensens Maskinfabrik ApS"]
    assert response.context["fuzzy"] is True
    assert "lignende navne" in response.content.decode()
