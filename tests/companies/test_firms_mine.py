"""'Mine virksomheder' (companies:mine): firms the user leads or visited, due follow-ups first."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.companies.factories import CompanyFactory, VisitFactory

URL = reverse("companies:mine")
TODAY = dt.date.today()


def names(response) -> list[str]:
    return [c["name"] for c in response.context["page"].object_list]


def test_mine_lists_firms_led_or_visited_once_each(client_for, consultant_a, secretariat_a, partnership_a):
    led = CompanyFactory(partnership=partnership_a, name="Leder", lead_consultant=consultant_a)
    visited = CompanyFactory(partnership=partnership_a, name="Besøgt")
    VisitFactory.create_batch(3, company=visited, consultants=[consultant_a, secretariat_a])
    VisitFactory(company=led, consultants=[consultant_a])
    CompanyFactory(partnership=partnership_a, name="Andres", lead_consultant=secretariat_a)

    response = client_for(consultant_a).get(URL)

    assert sorted(names(response)) == ["Besøgt", "Leder"]
    assert response.context["total"] == 2


def test_mine_puts_due_and_overdue_follow_ups_first_oldest_first(client_for, consultant_a, partnership_a):
    def firm(name, follow_up):
        return CompanyFactory(
            partnership=partnership_a, name=name, lead_consultant=consultant_a, next_follow_up_on=follow_up
        )

    firm("A uden opfølgning", None)
    firm("B om en måned", TODAY + dt.timedelta(days=30))
    firm("C i dag", TODAY)
    firm("D for længe siden", TODAY - dt.timedelta(days=40))
    firm("E i går", TODAY - dt.timedelta(days=1))
    firm("F i morgen", TODAY + dt.timedelta(days=1))

    response = client_for(consultant_a).get(URL)

    assert names(response) == [
        "D for længe siden",
        "E i går",
        "C i dag",
        "F i morgen",
        "B om en måned",
        "A uden opfølgning",
    ]
    html = response.content.decode()
    assert html.count("Overskredet") == 2
    assert "I dag" in html


def test_mine_respects_partnership_scope(client_for, consultant_a, partnership_b):
    # Lead of a firm in a partnership the user is not (or no longer) a member of: not shown.
    CompanyFactory(partnership=partnership_b, name="Fremmed", lead_consultant=consultant_a)
    assert names(client_for(consultant_a).get(URL)) == []


def test_mine_pages_without_duplicates(client_for, consultant_a, partnership_a):
    for i in range(75):
        CompanyFactory(
            partnership=partnership_a,
            lead_consultant=consultant_a,
            next_follow_up_on=None if i % 3 else TODAY + dt.timedelta(days=i % 7),
        )
    client = client_for(consultant_a)
    first = client.get(URL)
    second = client.get(URL, {"cursor": first.context["page"].next_cursor})
    seen = names(first) + names(second)
    assert len(seen) == len(set(seen)) == 75
