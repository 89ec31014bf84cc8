"""The user's open action items on the dashboard (a registered DASHBOARD section): shown until closed,
closed by the owner from the dashboard, and back on every later agenda while open."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.meeting_selectors import my_action_items
from partnerships.models import ActionItem, AgendaItem, User
from partnerships.services import meetings as services
from partnerships.services import minutes as minutes_services

pytestmark = pytest.mark.django_db


def _action(meeting, by, owner, title="Kontakt Aarhus Tech om AMU-kursus", days=10):
    return minutes_services.action_item_create(
        meeting=meeting, by=by, title=title, owner=owner, due_on=timezone.localdate() + dt.timedelta(days=days)
    )


def test_the_owner_sees_open_action_items_on_the_dashboard_and_closes_one(
    running_meeting, client_for, secretariat_a, business_a
):
    action = _action(running_meeting, secretariat_a, business_a)
    client = client_for(business_a)

    page = client.get(reverse("dashboard")).content.decode()
    assert "Dine åbne handlingspunkter" in page and action.title in page

    response = client.post(reverse("partnerships:action_item_close", args=[action.pk]), follow=True)
    assert "Handlingspunktet er markeret som udført." in response.content.decode()
    assert ActionItem.objects.get(pk=action.pk).status == ActionItem.Status.DONE
    assert action.title not in client.get(reverse("dashboard")).content.decode()


def test_the_panels_form_carries_a_fresh_csrf_token_on_every_dashboard(
    running_meeting, client_for, secretariat_a, business_a
):
    """The dashboard keeps rendered panels in the cache, but never one holding a form: its CSRF token
    belongs to one browser."""
    _action(running_meeting, secretariat_a, business_a)
    client = client_for(business_a)

    def panel_tokens() -> list[str]:
        html = client.get(reverse("dashboard")).content.decode()
        start = html.index('aria-labelledby="handlingspunkter-titel"')
        return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html[start : html.index("</section>", start)])

    tokens = [panel_tokens() for _ in range(3)]

    assert all(len(found) == 1 for found in tokens)
    assert len({found[0] for found in tokens}) == 3


def test_another_member_cannot_close_it_and_an_outsider_gets_404(
    running_meeting, client_for, secretariat_a, business_a, employment_a, consultant_b
):
    action = _action(running_meeting, secretariat_a, business_a)
    url = reverse("partnerships:action_item_close", args=[action.pk])

    refused = client_for(employment_a).post(url, follow=True).content.decode()
    assert "Kun den ansvarlige" in refused
    assert client_for(consultant_b).post(url).status_code == 404
    assert ActionItem.objects.get(pk=action.pk).status == ActionItem.Status.OPEN
    assert action.title not in client_for(employment_a).get(reverse("dashboard")).content.decode()


def test_an_open_action_item_comes_back_on_every_later_agenda_until_closed(
    running_meeting, make_meeting, secretariat_a, business_a
):
    action = _action(running_meeting, secretariat_a, business_a)
    second, third, fourth = make_meeting(days=14), make_meeting(days=28), make_meeting(days=42)
    assert [i.action_item for i in services.agenda_add_action_follow_ups(meeting=second, by=secretariat_a)] == [action]
    # Still open after the second meeting: back on the third.
    assert [i.action_item for i in services.agenda_add_action_follow_ups(meeting=third, by=secretariat_a)] == [action]
    minutes_services.action_item_close(item=action, by=business_a)
    assert services.agenda_add_action_follow_ups(meeting=fourth, by=secretariat_a) == []
    assert AgendaItem.objects.filter(action_item=action).count() == 2


@pytest.mark.parametrize("count", [2, 12])
def test_the_panel_runs_one_query_whatever_the_number(
    count, running_meeting, secretariat_a, business_a, django_assert_num_queries
):
    for n in range(count):
        _action(running_meeting, secretariat_a, business_a, title=f"Opgave {n}", days=n + 1)
    ActionItem.objects.filter(title="Opgave 0").update(due_on=timezone.localdate() - dt.timedelta(days=2))
    user = User.objects.get(pk=business_a.pk)
    user.grants  # noqa: B018 - the permission query is the page's, not the panel's
    with django_assert_num_queries(1):
        context = my_action_items(user=user)
    assert len(context["action_tasks"]) == count
    assert context["action_tasks"][0].overdue
