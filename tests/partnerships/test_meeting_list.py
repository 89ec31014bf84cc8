"""The meeting list follows the list pattern: filters (django-filter), keyset pages, an invalid filter
gives an empty list and a message, and a constant number of queries at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships.localtime import local_datetime
from partnerships.models import Attendance, Meeting, MeetingKind
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db

URL = "/partnerskaber/moeder/"


def _meetings(partnership, count: int, *, start_days: int = 1, title: str = "Møde", kind=MeetingKind.CONSULTANTS):
    rows = []
    for n in range(count):
        start = local_datetime(timezone.localdate() + dt.timedelta(days=start_days + n), dt.time(9))
        rows.append(
            Meeting(
                partnership=partnership,
                kind=kind,
                title=f"{title} {n}",
                start=start,
                end=start + dt.timedelta(hours=2),
            )
        )
    Meeting.objects.bulk_create(rows)


def test_the_list_url_is_the_meeting_list():
    assert reverse("partnerships:meeting_list") == URL


def test_coming_meetings_by_default_held_ones_on_request_and_filters(client_for, secretariat_a, partnership_a):
    _meetings(partnership_a, 2, title="Kommende")
    _meetings(partnership_a, 1, start_days=-20, title="Holdt")
    _meetings(partnership_a, 1, title="Styregruppe", kind=MeetingKind.STEERING, start_days=5)
    client = client_for(secretariat_a)

    page = client.get(URL).content.decode()
    assert "Kommende 0" in page and "Kommende 1" in page and "Holdt 0" not in page

    held = client.get(URL, {"tid": "afholdte"}).content.decode()
    assert "Holdt 0" in held and "Kommende 0" not in held

    steering = client.get(URL, {"type": MeetingKind.STEERING}).content.decode()
    assert "Styregruppe 0" in steering and "Kommende 0" not in steering

    search = client.get(URL, {"q": "kommende 1"}).content.decode()
    assert "Kommende 1" in search and "Kommende 0" not in search


def test_an_invalid_filter_gives_an_empty_list_and_a_message(client_for, secretariat_a, partnership_a):
    _meetings(partnership_a, 2)
    response = client_for(secretariat_a).get(URL, {"status": "ukendt"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Filteret er ugyldigt" in page
    assert response.context["rows"] == []


def test_another_partnerships_meetings_are_neither_listed_nor_choosable(client_for, consultant_a, partnership_b):
    _meetings(partnership_b, 2, title="Fremmed")
    response = client_for(consultant_a).get(URL)
    assert "Fremmed" not in response.content.decode()
    assert response.context["rows"] == []
    foreign = client_for(consultant_a).get(URL, {"partnerskab": partnership_b.pk})
    assert foreign.context["rows"] == [] and "Filteret er ugyldigt" in foreign.content.decode()


def test_keyset_pages_walk_every_meeting_once(client_for, secretariat_a, partnership_a):
    _meetings(partnership_a, 55)
    client = client_for(secretariat_a)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert "OFFSET" not in str(first.context["page"])
    second = client.get(URL, {"cursor": first.context["page"].next_cursor})
    titles = [r.title for r in first.context["rows"]] + [r.title for r in second.context["rows"]]
    assert len(titles) == 55 and len(set(titles)) == 55
    assert first.context["total"] == 55


def test_the_list_uses_the_same_number_of_queries_at_two_sizes(client_for, secretariat_a, partnership_a):
    client = client_for(secretariat_a)
    counts = []
    for size in (3, 40):
        other = PartnershipFactory(name=f"LKS {size}")
        secretariat_a.memberships.create(partnership=other)
        _meetings(partnership_a, size, start_days=size)
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"sortering": "-tid"})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 14, counts


def test_a_row_shows_the_day_the_hours_the_partnership_and_the_users_own_answer(
    client_for, secretariat_a, consultant_a, partnership_a
):
    day = timezone.localdate() + dt.timedelta(days=3)
    start = local_datetime(day, dt.time(9, 30))
    answered = Meeting.objects.create(
        partnership=partnership_a, kind=MeetingKind.STEERING, start=start, end=start + dt.timedelta(hours=2)
    )
    Meeting.objects.create(
        partnership=partnership_a,
        kind=MeetingKind.CONSULTANTS,
        title="Uden svar <b>",
        start=start + dt.timedelta(days=1),
        end=start + dt.timedelta(days=1, hours=1),
    )
    Attendance.objects.create(meeting=answered, user=consultant_a, response=Attendance.Response.ACCEPTED)
    Attendance.objects.create(meeting=answered, user=secretariat_a, response=Attendance.Response.DECLINED)
    response = client_for(consultant_a).get(URL)
    first, second = response.context["rows"]
    weekdays = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
    months = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober"]
    months += ["november", "december"]
    assert first.day == f"{weekdays[day.weekday()]} {day.day}. {months[day.month - 1]} {day.year}"
    assert first.hours == "09:30–11:30"
    assert first.title == "Styregruppemøde" and first.partnership == "LKS Alfa"
    assert first.url == reverse("partnerships:meeting_detail", args=[answered.pk])
    assert first.my_answer == "Deltager"  # the consultant's own answer, not the secretariat's
    assert second.title == "Uden svar <b>" and second.my_answer == ""
    page = response.content.decode()
    assert first.day in page and "2 møder" in page
    assert "Uden svar &lt;b&gt;</a>" in page and "<b>" not in page  # the rows are written escaped
    assert f'<a href="{first.url}">Styregruppemøde</a>' in page


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_stays_within_a_fixed_number_of_queries_on_one_page_and_on_many(
    size, client_for, secretariat_a, partnership_a, django_assert_max_num_queries
):
    """One page counts its rows itself; a list longer than a page adds the COUNT, and nothing grows."""
    _meetings(partnership_a, size)
    client = client_for(secretariat_a)
    client.get(URL)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.context["total"] == size
    assert len(response.context["rows"]) == min(size, 50)


def test_the_partnership_choices_and_names_follow_a_new_seat_and_a_rename_at_once(
    client_for, consultant_a, partnership_a, django_capture_on_commit_callbacks
):
    _meetings(partnership_a, 1, title="Alfas møde")
    client = client_for(consultant_a)
    assert [p.pk for p in client.get(URL).context["filter"].partnership_rows] == [partnership_a.pk]
    other = PartnershipFactory(name="LKS Gamma")
    with django_capture_on_commit_callbacks(execute=True):
        consultant_a.memberships.create(partnership=other)
        partnership_a.name = "LKS Alfa og Omegn"
        partnership_a.save()
    response = client.get(URL)
    page = response.content.decode()
    assert f'<option value="{other.pk}">LKS Gamma</option>' in page
    assert response.context["rows"][0].partnership == "LKS Alfa og Omegn"


def test_planlaeg_moede_follows_a_new_tovholder_at_once_and_the_check_is_kept_between_requests(
    client_for, consultant_a, partnership_a, django_capture_on_commit_callbacks
):
    plan = reverse("partnerships:meeting_create")
    client = client_for(consultant_a)
    assert f'href="{plan}"' not in client.get(URL).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert f'href="{plan}"' not in client.get(URL).content.decode()
    assert not [q for q in queries.captured_queries if '"lead_role"' in q["sql"]]  # kept, not asked again
    seat = consultant_a.memberships.get(partnership=partnership_a)
    seat.lead_role = seat.LeadRole.COORDINATOR
    with django_capture_on_commit_callbacks(execute=True):
        seat.save()
    assert f'href="{plan}"' in client.get(URL).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        seat.delete()
    assert f'href="{plan}"' not in client.get(URL).content.decode()
    assert client.get(plan).status_code == 403


def test_the_first_page_brings_the_count_of_every_matching_meeting_and_a_later_page_counts_the_same(
    client_for, secretariat_a, partnership_a, partnership_b
):
    _meetings(partnership_a, 53, title="Alfa")
    _meetings(partnership_a, 4, start_days=-30, title="Holdt")  # not coming: not counted
    _meetings(partnership_b, 5, title="Fremmed")  # not the secretariat's: not counted
    client = client_for(secretariat_a)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(URL)
    assert first.context["total"] == 53 and len(first.context["rows"]) == 50
    assert not [q for q in queries.captured_queries if '"__count"' in q["sql"]]  # no second query
    second = client.get(URL, {"cursor": first.context["page"].next_cursor})
    assert second.context["total"] == 53 and len(second.context["rows"]) == 3
    searched = client.get(URL, {"q": "alfa 5"})  # Alfa 5, Alfa 50, 51, 52
    assert searched.context["total"] == 4
    assert client.get(URL, {"status": "ukendt"}).context["total"] == 0
