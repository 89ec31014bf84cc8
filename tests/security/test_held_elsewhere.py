"""The "Findes i et andet partnerskab" look-up answers a specific question and cannot list the other
partnerships' register (issue 7, item 6)."""

from __future__ import annotations

import itertools
import string

import pytest
from django.urls import reverse

from companies.selectors.firms import HELD_ELSEWHERE_MAX_MATCHES, companies_held_elsewhere
from kompetence.models import AuditEvent
from tests.companies.factories import CompanyFactory

URL = reverse("companies:list")
WORDS = ["Bager", "Smed", "Tømrer", "Maler", "Revision", "Transport", "Plast", "Metal"]


@pytest.fixture
def foreign_register(partnership_b):
    """40 firms in another partnership, with names sharing words as real registers do."""
    return [
        CompanyFactory(partnership=partnership_b, name=f"Herning {WORDS[n % len(WORDS)]} {n:02d} ApS")
        for n in range(40)
    ]


def test_short_and_common_searches_cannot_enumerate_the_other_partnerships_firms(
    settings, client_for, consultant_a, foreign_register
):
    settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY = 10_000  # the throttle is tested below; here the shape
    client = client_for(consultant_a)
    queries = [
        *("".join(letters) for letters in itertools.product(string.ascii_lowercase[:8], repeat=2)),
        "her",
        "aps",
        "Herning",
        "ApS",
        "Herning Bager",
        *WORDS,
    ]
    disclosed: set[str] = set()
    for query in queries:
        held = client.get(URL, {"q": query}).context["held_elsewhere"]
        assert len(held) <= HELD_ELSEWHERE_MAX_MATCHES, query
        disclosed |= {row["cvr"] for row in held}

    assert disclosed == set()  # every such query is too short or matches too many


def test_even_specific_searches_disclose_at_most_the_daily_allowance(
    settings, client_for, consultant_a, foreign_register
):
    settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY = 4
    client = client_for(consultant_a)
    disclosed: set[str] = set()
    for firm in foreign_register:
        disclosed |= {row["cvr"] for row in client.get(URL, {"q": firm.name}).context["held_elsewhere"]}

    assert len(disclosed) <= 4 * HELD_ELSEWHERE_MAX_MATCHES


def test_an_exact_cvr_or_a_specific_name_is_answered(client_for, consultant_a, foreign_register):
    firm = foreign_register[7]
    client = client_for(consultant_a)

    by_cvr = client.get(URL, {"q": firm.cvr}).context["held_elsewhere"]
    by_name = client.get(URL, {"q": firm.name}).context["held_elsewhere"]

    assert [row["cvr"] for row in by_cvr] == [firm.cvr]
    assert [row["cvr"] for row in by_name] == [firm.cvr]


def test_look_ups_are_recorded_and_throttled_per_user(settings, client_for, consultant_a, foreign_register):
    settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY = 5
    client = client_for(consultant_a)
    for firm in foreign_register[:5]:
        assert len(client.get(URL, {"q": firm.cvr}).context["held_elsewhere"]) == 1

    refused = client.get(URL, {"q": foreign_register[5].cvr})

    assert refused.context["held_elsewhere"] == []
    assert refused.context["held_elsewhere"].notice == "throttled"
    assert "Du har slået mange virksomheder op" in refused.content.decode()
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.HELD_ELSEWHERE_LOOKUP, user=consultant_a)
    assert events.count() == 5
    assert events.first().detail["shown"] in [[firm.cvr] for firm in foreign_register[:5]]


def test_the_throttle_is_per_user(settings, consultant_a, secretariat_a, foreign_register):
    settings.HELD_ELSEWHERE_LOOKUPS_PER_DAY = 1
    assert companies_held_elsewhere(consultant_a, foreign_register[0].cvr)
    assert not companies_held_elsewhere(consultant_a, foreign_register[1].cvr)

    assert companies_held_elsewhere(secretariat_a, foreign_register[1].cvr)
