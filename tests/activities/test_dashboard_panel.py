"""The dashboard's "Dine aktiviteter og timer": the user's own open activities, and this week's and
this month's hours, read in a fixed number of queries and shown again after each registration."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from activities import dashboard
from activities.models import ActivityPlan
from activities.services import time as services
from activities.services.time import week_start
from partnerships.models import User
from tests.activities.factories import make_plan, project
from tests.companies.factories import CompanyFactory


def _panel(client) -> str:
    html = client.get(reverse("dashboard")).content.decode()
    start = html.index('aria-labelledby="mine-aktiviteter"')
    return html[start : html.index("</section>", start)]


def _hours(user, day: dt.date, amount: str) -> None:
    services.time_entry_add(
        by=user,
        day_=day,
        hours=Decimal(amount),
        kind="moede",
        partnership=user.memberships.first().partnership,
        project=project("vaekstrettet"),
    )


@pytest.mark.django_db
def test_the_panel_sums_the_week_and_the_month_and_lists_open_activities(client_for, consultant_a, partnership_a):
    today = timezone.localdate()
    days = [today - dt.timedelta(days=n) for n in range(10)]
    for n, day in enumerate(days):
        _hours(consultant_a, day, f"{n + 1}.5")
    firm = CompanyFactory(partnership=partnership_a, name="Aktiv Smedie ApS")
    open_plan = make_plan(firm, consultant_a, title="Uddannelsesplan for svejserne")
    make_plan(firm, consultant_a, title="Aflyst plan", status=ActivityPlan.Status.CANCELLED)
    client = client_for(consultant_a)

    week = sum(Decimal(f"{n + 1}.5") for n, d in enumerate(days) if d >= week_start(today))
    month = sum(Decimal(f"{n + 1}.5") for n, d in enumerate(days) if d.month == today.month)
    panel = _panel(client)

    week_text, month_text = (f"{v:.2f}".replace(".", ",") for v in (week, month))
    assert f"Denne uge: {week_text} timer. Denne måned: {month_text} timer" in panel
    assert f'<a href="{open_plan.get_absolute_url()}">Uddannelsesplan for svejserne</a>' in panel
    assert "Aktiv Smedie ApS" in panel and "Aflyst plan" not in panel

    _hours(consultant_a, today, "2")  # shown at once, not after the cached panel expires
    week_text = f"{week + 2:.2f}".replace(".", ",")
    assert f"Denne uge: {week_text} timer." in _panel(client)


@pytest.mark.parametrize("count", [1, 9])
@pytest.mark.django_db
def test_the_panel_takes_three_queries_whatever_the_number(
    count, consultant_a, partnership_a, django_assert_num_queries
):
    firm = CompanyFactory(partnership=partnership_a)
    for n in range(count):
        make_plan(firm, consultant_a, title=f"Plan {n}")
        _hours(consultant_a, timezone.localdate(), "0.5")
    user = User.objects.get(pk=consultant_a.pk)
    user.grants  # noqa: B018 - the permission query is the page's, not the panel's

    with django_assert_num_queries(3):
        context = dashboard.my_activities(user=user)

    assert len(context["my_activities"]) == min(count, dashboard.ROWS)
    assert context["hours_week"] == Decimal("0.5") * count
