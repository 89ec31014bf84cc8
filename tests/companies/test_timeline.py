"""The firm's timeline ("Forløb"): every kind of event, newest first, one query per source, escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from companies import services
from companies.models import CaseStatus, Visit
from companies.selectors.case import TimelineItem, case_timeline
from kompetence import registry
from partnerships.models import System
from tests.companies.factories import CompanyFactory, CompetenceNeedFactory, VisitFactory, consultant_in


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def at(days_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days_ago)


def test_timeline_contains_every_kind_of_event_newest_first(consultant_a, firm):
    # A case built over five weeks; created_at-style timestamps are moved back to fixed days.
    services.consent_record(
        company=firm,
        by=consultant_a,
        given_on=timezone.localdate() - dt.timedelta(days=35),
        given_by="Ejer",
        given_to="LKS Alfa",
    )
    VisitFactory(
        company=firm,
        visit_date=timezone.localdate() - dt.timedelta(days=28),
        summary="Første besøg",
        consultants=[consultant_a],
    )
    need = CompetenceNeedFactory(company=firm, description="Robotsvejsning")
    type(need).objects.filter(pk=need.pk).update(created_at=at(21))
    services.company_set_status(company=firm, status=CaseStatus.VISITED, by=consultant_a, note="Besøgt")
    firm.status_changes.update(changed_at=at(14))
    proposal = services.agenda_propose(company=firm, by=consultant_a, reason="Uddannelsesplan?")
    type(proposal).objects.filter(pk=proposal.pk).update(proposed_at=at(7))
    VisitFactory(
        company=firm,
        visit_date=timezone.localdate() + dt.timedelta(days=3),
        status=Visit.Status.DRAFT,
        summary="Planlagt opfølgning",
        consultants=[consultant_a],
    )

    items = case_timeline(firm, user=consultant_a)

    assert [i.kind for i in items] == ["visit", "proposal", "status", "need", "visit", "consent"]
    assert [i.when for i in items] == sorted((i.when for i in items), reverse=True)
    titles = [i.title for i in items]
    assert titles[1] == "Sat på dagsordenen i LKS Alfa"
    assert titles[2] == "Status: Identificeret → Besøgt"
    assert items[0].badges[0].label == "Kladde"
    assert items[3].text == "Robotsvejsning"
    assert items[5].title == "Samtykke til datadeling"


def test_timeline_visit_carries_consultants_their_systems_and_the_joint_badge(consultant_a, partnership_a, firm):
    colleague = consultant_in(partnership_a, system=System.EDUCATION, first_name="Ulla", last_name="Skole")
    VisitFactory(company=firm, consultants=[consultant_a, colleague])

    (item,) = case_timeline(firm, user=consultant_a)

    assert [(p.name, p.system_name) for p in item.people] == [
        ("Anna Testesen", "Beskæftigelse"),
        ("Ulla Skole", "Uddannelse"),
    ]
    assert [b.label for b in item.badges] == ["Fælles besøg"]
    assert item.url == Visit.objects.get().get_absolute_url()


def test_registering_the_firm_shows_as_the_first_step(consultant_a, partnership_a):
    from partnerships.models import Municipality
    from tests.companies.factories import valid_cvr

    firm = services.company_create(
        by=consultant_a, cvr=valid_cvr(12345670), name="Ny ApS", municipality=Municipality.objects.get(code=751)
    )

    (item,) = case_timeline(firm, user=consultant_a)

    assert item.title == "Virksomheden registreret (Identificeret)"


@pytest.mark.parametrize("size", [2, 30])
def test_timeline_runs_one_query_per_source_whatever_the_size(
    consultant_a, partnership_a, firm, size, django_assert_num_queries
):
    colleague = consultant_in(partnership_a, system=System.BUSINESS)
    for i in range(size):
        visit = VisitFactory(company=firm, consultants=[consultant_a, colleague], summary=f"Besøg {i}")
        CompetenceNeedFactory(company=firm, visit=visit)
        services.company_set_status(
            company=firm,
            status=CaseStatus.CONTACTED if i % 2 else CaseStatus.VISITED,
            by=consultant_a,
            note="Frem og tilbage",
        )

    assert consultant_a.role  # the role is read once per request, before any page work
    # One query per kind of row (the visits with their consultants in one): the sources of one table
    # share one read (training and recruitment needs; proposals and how they ended), so 13 sources run
    # 11 queries.
    assert len(registry.timeline_sources()) == 13
    with django_assert_num_queries(11):
        items = case_timeline(firm, user=consultant_a)

    assert len([i for i in items if i.kind == "visit"]) == size


def test_adding_a_source_is_one_function(consultant_a, firm):
    def decisions(case):
        yield TimelineItem(when=timezone.now(), kind="decision", kind_label="Beslutning", title="Tilbyd RKV")

    sources = [*registry.timeline_sources(), registry.TimelineSource("decision", decisions)]
    items = case_timeline(firm, user=consultant_a, sources=sources)

    assert [i.title for i in items] == ["Tilbyd RKV"]


def test_timeline_shows_hostile_html_escaped(consultant_a, firm):
    hostile = "<script>alert(1)</script>"
    VisitFactory(company=firm, summary=hostile, consultants=[consultant_a])
    CompetenceNeedFactory(company=firm, description=hostile)
    services.company_set_status(company=firm, status=CaseStatus.CONTACTED, by=consultant_a, note=hostile)
    services.agenda_propose(company=firm, by=consultant_a, reason=hostile)

    html = render_to_string("companies/_timeline.html", {"items": case_timeline(firm, user=consultant_a)})

    assert hostile not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4
