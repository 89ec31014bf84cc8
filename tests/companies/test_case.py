"""The firm's page (companies:detail) and its case controls: status, lead consultant; scoping of every
case page and POST; management reads but does no case work; a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from companies import services
from companies.models import AgendaProposal, CaseStatus, CompetenceNeed, StatusChange, Visit
from partnerships.models import System
from tests.companies.factories import (
    AgendaProposalFactory,
    CompanyFactory,
    CompetenceNeedFactory,
    ContactPersonFactory,
    VisitFactory,
    consultant_in,
    visit_post_data,
)
from tests.factories import MembershipFactory, UserFactory

HOSTILE = '<script>alert("x")</script><b>fed</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fed&lt;/b&gt;"


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS", employees=25)


def detail(firm) -> str:
    return reverse("companies:detail", args=[firm.pk])


# ---------------------------------------------------------------------------
# What the page shows
# ---------------------------------------------------------------------------
def test_firm_page_shows_header_case_contacts_needs_consent_and_buttons(client_for, consultant_a, firm):
    ContactPersonFactory(company=firm, name="Karen Ejer", role="ejer", phone="12345678")
    CompetenceNeedFactory(company=firm, description="Robotsvejsning for operatører")
    CompetenceNeedFactory(company=firm, description="Dækket behov", status=CompetenceNeed.Status.COVERED)
    services.consent_record(
        company=firm, by=consultant_a, given_on=dt.date(2018, 3, 1), given_by="Karen Ejer", given_to="LKS Alfa"
    )
    services.company_set_lead(company=firm, lead=consultant_a, by=consultant_a)

    response = client_for(consultant_a).get(detail(firm))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Alfa Smed ApS",
        firm.cvr,
        "Aarhus",
        "LKS Alfa",
        "Identificeret",
        "Anna Testesen",
        "Karen Ejer",
        "Robotsvejsning for operatører",
        "Givet 1. marts 2018 af Karen Ejer til LKS Alfa.",
        "Registrér besøg",
        "Sæt på dagsorden",
        "Forløb",
        "Skift status",
        "Skift tovholder",
    ):
        assert text in html, text
    assert "Dækket behov" not in response.context["page"].open_needs[0].description
    assert [n.description for n in response.context["page"].open_needs] == ["Robotsvejsning for operatører"]
    assert reverse("companies:visit_create", args=[firm.pk]) in html
    assert reverse("companies:propose", args=[firm.pk]) in html


def test_firm_page_shows_sme_status_with_its_reason(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(detail(firm)).content.decode()

    assert "SMV-status" in html
    assert "SMV (lille virksomhed)" in html
    assert "25 ansatte" in html


def test_firm_page_links_to_the_register_pages_for_contacts_and_consent(client_for, consultant_a, firm):
    contact = ContactPersonFactory(company=firm)

    html = client_for(consultant_a).get(detail(firm)).content.decode()

    assert reverse("companies:contact_create", args=[firm.pk]) in html
    assert reverse("companies:contact_update", args=[contact.pk]) in html
    assert reverse("companies:consent_create", args=[firm.pk]) in html


def test_firm_page_says_when_the_firm_is_already_pending(client_for, consultant_a, firm):
    AgendaProposalFactory(company=firm, proposed_by=consultant_a)

    html = client_for(consultant_a).get(detail(firm)).content.decode()

    assert "Afventer behandling i partnerskabet" in html
    assert "Foreslået af Anna Testesen" in html


def test_hostile_html_on_the_firm_page_is_escaped(client_for, consultant_a, partnership_a):
    firm = CompanyFactory(partnership=partnership_a, name=HOSTILE, address=HOSTILE, city=HOSTILE, notes=HOSTILE)
    ContactPersonFactory(company=firm, name=HOSTILE, title=HOSTILE)
    CompetenceNeedFactory(company=firm, description=HOSTILE)
    services.company_set_status(company=firm, status=CaseStatus.CONTACTED, note=HOSTILE, by=consultant_a)
    services.agenda_propose(company=firm, by=consultant_a, reason=HOSTILE)
    services.consent_record(company=firm, by=consultant_a, given_on=dt.date.today(), given_by=HOSTILE, given_to=HOSTILE)
    VisitFactory(company=firm, summary=HOSTILE, consultants=[consultant_a])

    html = client_for(consultant_a).get(detail(firm)).content.decode()

    assert HOSTILE not in html
    assert "<script>alert" not in html
    assert html.count(ESCAPED) >= 10


# ---------------------------------------------------------------------------
# Case status and lead consultant
# ---------------------------------------------------------------------------
def test_status_change_records_a_step_with_its_note(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(
        reverse("companies:set_status", args=[firm.pk]),
        {"status": CaseStatus.CONTACTED, "note": "Ringet op"},
        follow=True,
    )

    assert response.redirect_chain == [(detail(firm), 302)]
    firm.refresh_from_db()
    assert firm.status == CaseStatus.CONTACTED
    step = StatusChange.objects.get(company=firm)
    assert (step.from_status, step.to_status, step.note, step.changed_by) == (
        CaseStatus.IDENTIFIED,
        CaseStatus.CONTACTED,
        "Ringet op",
        consultant_a,
    )
    page = response.content.decode()
    assert "Status er ændret til »Kontaktet«." in page
    assert "Status: Identificeret → Kontaktet" in page


def test_status_change_to_the_same_status_records_nothing(client_for, consultant_a, firm):
    client_for(consultant_a).post(reverse("companies:set_status", args=[firm.pk]), {"status": firm.status})

    assert not StatusChange.objects.exists()


def test_status_change_refuses_an_unknown_status(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(reverse("companies:set_status", args=[firm.pk]), {"status": "hacket"})

    assert response.status_code == 200  # the status form again, the message next to the field
    assert "status" in response.context["form"].errors
    firm.refresh_from_db()
    assert firm.status == CaseStatus.IDENTIFIED
    with pytest.raises(services.ValidationError):
        services.company_set_status(company=firm, status="hacket", by=consultant_a)


def test_status_page_reads_with_get_are_not_allowed(client_for, consultant_a, firm):
    assert client_for(consultant_a).get(reverse("companies:set_status", args=[firm.pk])).status_code == 405


def test_lead_choices_are_the_active_members_of_the_firms_partnership(
    client_for, consultant_a, consultant_b, secretariat_a, partnership_a, firm
):
    former = UserFactory(is_active=False)
    MembershipFactory(user=former, partnership=partnership_a)

    response = client_for(consultant_a).get(detail(firm))

    assert set(response.context["lead_form"].fields["lead"].queryset) == {consultant_a, secretariat_a}


def test_lead_consultant_is_set_and_cleared(client_for, consultant_a, secretariat_a, firm):
    url = reverse("companies:set_lead", args=[firm.pk])
    client = client_for(consultant_a)

    client.post(url, {"lead": secretariat_a.pk})
    firm.refresh_from_db()
    assert firm.lead_consultant == secretariat_a

    client.post(url, {"lead": ""})
    firm.refresh_from_db()
    assert firm.lead_consultant is None


def test_lead_from_another_partnership_is_refused(client_for, consultant_a, consultant_b, firm):
    client_for(consultant_a).post(reverse("companies:set_lead", args=[firm.pk]), {"lead": consultant_b.pk})

    firm.refresh_from_db()
    assert firm.lead_consultant is None
    with pytest.raises(services.ValidationError):
        services.company_set_lead(company=firm, lead=consultant_b, by=consultant_a)


# ---------------------------------------------------------------------------
# Scoping: every case page and POST of a firm outside the user's partnerships is a 404
# ---------------------------------------------------------------------------
def case_urls(firm, visit, need) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("companies:detail", args=[firm.pk]), {}),
        ("post", reverse("companies:set_status", args=[firm.pk]), {"status": CaseStatus.CLOSED}),
        ("post", reverse("companies:set_lead", args=[firm.pk]), {"lead": ""}),
        ("get", reverse("companies:propose", args=[firm.pk]), {}),
        ("post", reverse("companies:propose", args=[firm.pk]), {"reason": "Indbrud"}),
        ("get", reverse("companies:visit_create", args=[firm.pk]), {}),
        ("post", reverse("companies:visit_create", args=[firm.pk]), {}),
        ("get", reverse("companies:need_create", args=[firm.pk]), {}),
        ("post", reverse("companies:need_create", args=[firm.pk]), {"area": "it", "description": "x"}),
        ("get", reverse("companies:visit_detail", args=[visit.pk]), {}),
        ("get", reverse("companies:visit_update", args=[visit.pk]), {}),
        ("post", reverse("companies:visit_update", args=[visit.pk]), {}),
        ("post", reverse("companies:need_set_status", args=[need.pk]), {"status": "droppet"}),
    ]


def test_consultant_of_another_partnership_gets_404_on_every_case_page_and_post(client_for, consultant_b, firm):
    visit = VisitFactory(company=firm)
    need = CompetenceNeedFactory(company=firm, visit=visit)
    client = client_for(consultant_b)

    for method, url, data in case_urls(firm, visit, need):
        if method == "post" and url.endswith(("/besoeg/ny/", "/rediger/")):
            data = visit_post_data(consultants=[consultant_b])
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)

    firm.refresh_from_db()
    assert firm.status == CaseStatus.IDENTIFIED
    assert not AgendaProposal.objects.exists()
    assert Visit.objects.count() == 1
    assert CompetenceNeed.objects.get().status == CompetenceNeed.Status.IDENTIFIED


def test_firm_page_shows_nothing_of_another_firm_of_the_same_partnership(client_for, consultant_a, firm, partnership_a):
    # Scoping alone would not catch this: both firms are the consultant's. Each of the page's child
    # reads must start from the firm itself.
    other = CompanyFactory(partnership=partnership_a, name="Naboens Tømrer ApS")
    ContactPersonFactory(company=other, name="Naboens kontakt")
    VisitFactory(company=other, summary="Naboens besøg", consultants=[consultant_a])
    CompetenceNeedFactory(company=other, description="Naboens behov")
    services.company_set_status(company=other, status=CaseStatus.CONTACTED, by=consultant_a, note="Naboens status")
    services.agenda_propose(company=other, by=consultant_a, reason="Naboens dagsorden")
    services.consent_record(
        company=other, by=consultant_a, given_on=dt.date(2018, 3, 1), given_by="Naboens ejer", given_to="LKS Alfa"
    )
    ContactPersonFactory(company=firm, name="Egen kontakt")

    html = client_for(consultant_a).get(detail(firm)).content.decode()

    assert "Egen kontakt" in html
    assert "Naboens" not in html


def test_anonymous_visitor_is_sent_to_login(client, firm):
    response = client.get(detail(firm))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---------------------------------------------------------------------------
# Management reads every case but does no case work (roles give it view permissions only)
# ---------------------------------------------------------------------------
def test_management_can_read_the_firm_page_without_case_work_controls(client_for, management, firm):
    response = client_for(management).get(detail(firm))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Alfa Smed ApS" in html
    for control in ("Registrér besøg", "Sæt på dagsorden", "Skift status", "Skift tovholder"):
        assert control not in html, control
    assert "lead_form" not in response.context


def test_management_cannot_change_status_lead_propose_or_needs(client_for, management, consultant_a, firm):
    need = CompetenceNeedFactory(company=firm)
    client = client_for(management)

    assert client.post(reverse("companies:set_status", args=[firm.pk]), {"status": "afsluttet"}).status_code == 403
    assert client.post(reverse("companies:set_lead", args=[firm.pk]), {"lead": consultant_a.pk}).status_code == 403
    assert client.post(reverse("companies:propose", args=[firm.pk]), {"reason": "x"}).status_code == 403
    assert client.post(reverse("companies:need_set_status", args=[need.pk]), {"status": "droppet"}).status_code == 403
    firm.refresh_from_db()
    assert (firm.status, firm.lead_consultant) == (CaseStatus.IDENTIFIED, None)
    assert not AgendaProposal.objects.exists()


def test_administrator_can_do_case_work_anywhere(client_for, administrator, firm):
    response = client_for(administrator).post(
        reverse("companies:set_status", args=[firm.pk]), {"status": CaseStatus.CONTACTED}
    )

    assert response.status_code == 302
    firm.refresh_from_db()
    assert firm.status == CaseStatus.CONTACTED


# ---------------------------------------------------------------------------
# Speed: the firm page runs the same number of queries for 2 visits as for 40
# ---------------------------------------------------------------------------
def fill_case(firm, consultants, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        visit = VisitFactory(
            company=firm, visit_date=today - dt.timedelta(days=i + 1), consultants=consultants, summary=f"Besøg {i}"
        )
        CompetenceNeedFactory(company=firm, visit=visit, description=f"Behov {i}")
        ContactPersonFactory(company=firm, name=f"Kontakt {i}")
        StatusChange.objects.create(
            company=firm, from_status="", to_status=CaseStatus.CONTACTED, changed_by=consultants[0]
        )
        services.consent_record(company=firm, by=consultants[0], given_on=today, given_by=f"Ejer {i}", given_to="LKS")


@pytest.mark.parametrize("size", [2, 40])
def test_firm_page_uses_a_constant_number_of_queries(
    client_for, consultant_a, partnership_a, firm, size, django_assert_max_num_queries
):
    colleague = consultant_in(partnership_a, system=System.EDUCATION)
    fill_case(firm, [consultant_a, colleague], size)
    AgendaProposalFactory(company=firm, proposed_by=consultant_a)
    client = client_for(consultant_a)
    client.get(detail(firm))  # warm the session

    # The session, the user and the grants (3), the firm (1), its contacts (1), one query per kind of
    # row on the timeline, each read once for the page, its sections and the timeline (needs, proposals,
    # consents, decisions, status changes, visits with their consultants, requests; activities' steps,
    # enrolments, training lines and hours: 11), the activities section's own reads (plans, ESF
    # recruitments, headcount: 3) and the lead form's choices (1). Decisions' consultants and recruitments'
    # declarations are one prefetch more each when there are any (none here).
    with django_assert_max_num_queries(20):
        response = client.get(detail(firm))

    assert len([i for i in response.context["page"].timeline if i.kind == "visit"]) == size
