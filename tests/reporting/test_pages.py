"""The reporting pages: who sees what, bad input, exports, the command, constant queries."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from activities.models import CprReveal
from partnerships.models import BudgetAmount, BudgetLine
from reporting.models import GoalReview, PartnershipGoal, Target
from tests.activities.test_pages import with_two_factors
from tests.reporting.world import PARTICIPANTS_2018, SPEND_2018, build_activities, build_participants, build_world

pytestmark = pytest.mark.django_db

PROGRAMME = reverse("reporting:programme")


@pytest.fixture
def world(partnership_a, partnership_b):
    return build_participants(build_activities(build_world(partnership_a, partnership_b)))


def _content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode()


# --- dashboards and who sees them ------------------------------------------------------------------


def test_management_sees_the_programme_numbers_linked_to_their_rows(client_for, management, world):
    response = client_for(management).get(PROGRAMME, {"periode": "2018"})
    html = response.content.decode()

    assert response.status_code == 200
    board = response.context["board"]
    assert board.line("participants").value == PARTICIPANTS_2018["participants"]
    assert board.line("co07").url
    assert board.budget.total.spent == SPEND_2018["total"]
    assert "<svg" in html
    rows = client_for(management).get(board.line("co07").url)
    assert rows.status_code == 200
    assert "Deltager0 Jensen" in rows.content.decode()


def test_a_bad_period_is_told_next_to_the_field_and_the_default_shown(client_for, management, world):
    response = client_for(management).get(PROGRAMME, {"periode": "2018-12-31..2018-01-01"})

    assert response.status_code == 200
    assert "Periodens slutdato må ikke ligge før startdatoen." in response.content.decode()


def test_a_period_without_data_says_so(client_for, management, world):
    html = client_for(management).get(PROGRAMME, {"periode": "2016"}).content.decode()

    assert "Der er ingen data for perioden endnu." in html


def test_consultant_sees_own_partnership_counts_but_no_people(client_for, consultant_a, consultant_b, world):
    client = client_for(consultant_a)
    own = client.get(reverse("reporting:partnership", args=[world.a.pk]), {"periode": "2018"})

    assert own.status_code == 200
    board = own.context["board"]
    assert board.line("participants").value == 2
    assert board.line("participants").url == ""  # personal: no list behind it
    assert board.line("firms_reached").url
    assert board.budget is None
    assert client.get(reverse("reporting:partnership", args=[world.b.pk])).status_code == 404
    assert client.get(PROGRAMME).status_code == 403
    people = reverse("reporting:indicator_rows") + f"?kode=co07&periode=2018&partnerskab={world.a.pk}"
    assert client.get(people).status_code == 403
    other = reverse("reporting:indicator_rows") + f"?kode=firms_reached&periode=2018&partnerskab={world.b.pk}"
    assert client.get(other).status_code == 404


def test_secretariat_sees_the_people_behind_its_own_numbers(client_for, secretariat_a, world):
    url = reverse("reporting:indicator_rows") + f"?kode=participants&periode=2018&partnerskab={world.a.pk}"
    response = client_for(secretariat_a).get(url)

    assert response.status_code == 200
    assert response.context["total"] == 2


@pytest.mark.parametrize("extra", [0, 6])
def test_dashboard_queries_do_not_grow_with_the_data(
    client_for, management, world, extra, django_assert_max_num_queries
):
    from tests.activities.factories import make_participant
    from tests.companies.factories import CompanyFactory, VisitFactory

    for n in range(extra):
        firm = CompanyFactory(partnership=world.a, employees=20)
        VisitFactory(company=firm, visit_date=dt.date(2018, 5, 1))
        make_participant(world.b, n=100 + n, entry=dt.date(2018, 5, 1))
    client = client_for(management)
    client.get(PROGRAMME, {"periode": "2018"})
    with django_assert_max_num_queries(48):
        client.get(PROGRAMME, {"periode": "2018"})
    with django_assert_max_num_queries(40):
        client.get(reverse("reporting:partnership", args=[world.a.pk]), {"periode": "2018-K2"})


# --- exports -------------------------------------------------------------------------------------------


def test_esf_file_has_every_esf_field_one_row_per_participant_and_masked_cpr(client_for, management, world):
    response = client_for(management).get(reverse("reporting:export_esf"), {"periode": "2018"})
    text = _content(response)

    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    header = rows[0]
    for field in (
        "CPR-nummer",
        "Køn",
        "Fødselsdato",
        "Startdato",
        "Ophørsdato",
        "Beskæftigelsesstatus ved start",
        "Ledig i måneder",
        "Langtidsledig",
        "I uddannelse ved start",
        "Højeste fuldførte uddannelse (ISCED)",
        "Migrant, udenlandsk baggrund eller minoritet",
        "Handicap",
        "Anden ugunstig stilling",
        "Hjemløs eller udelukket fra boligmarkedet",
        "Bor i landdistrikt",
        "Arbejdsgiver (CVR)",
        "Samtykke givet den",
        "Oplysning om databeskyttelse givet",
        "Ophør: i uddannelse eller oplæring",
        "Ophør: opnået kvalifikationer",
        "Ophør: i beskæftigelse",
        "Ophør: jobsøgende",
        "Seks måneder: i beskæftigelse",
        "Seks måneder: forbedret situation",
        "Akse 1",
        "Akse 4",
    ):
        assert field in header, field
    # Taking part in 2018: Q1-Q5 (Q5 left in December 2017? no: 15 December 2017, so not) -> Q1-Q4.
    assert len(rows) - 1 == 4
    cpr = header.index("CPR-nummer")
    assert all(row[cpr].endswith("-****") for row in rows[1:])
    assert CprReveal.objects.count() == 0


def test_esf_file_with_full_cpr_needs_two_factors_and_is_recorded(client_for, management, world):
    client = client_for(management)
    url = reverse("reporting:export_esf")
    refused = client.post(url, {"periode": "2018", "reason": "ESF-indberetning"})
    # The page again, with what was typed and the message at the top of the CPR form.
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "totrinsbekræftelse for at eksportere CPR-numre" in page and "ESF-indberetning" in page
    assert CprReveal.objects.count() == 0

    with_two_factors(client, management)
    response = client.post(url, {"periode": "2018", "reason": "ESF-indberetning august"})
    text = _content(response)

    assert "-****" not in text
    assert CprReveal.objects.filter(kind=CprReveal.Kind.EXPORT, by=management).count() == 4
    assert response["Cache-Control"] == "no-store, private"


def test_esf_xlsx_is_typed_with_frozen_header(client_for, management, world):
    response = client_for(management).get(reverse("reporting:export_esf"), {"periode": "2018", "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active

    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 5
    assert isinstance(sheet["F2"].value, dt.datetime)  # Fødselsdato as a date


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2099", "ligger i fremtiden"),
        ("2018-06-01..2018-01-01", "Periodens slutdato må ikke ligge før startdatoen."),
        ("sidste år", "er ikke en periode"),
    ],
)
def test_export_bad_period_is_a_clear_message(client_for, management, world, period, message):
    response = client_for(management).get(reverse("reporting:export_esf"), {"periode": period})

    assert response.status_code == 400
    assert message in response.content.decode()


def test_indicator_budget_and_activity_exports(client_for, management, world):
    client = client_for(management)
    indicators = _content(client.get(reverse("reporting:export_indicators"), {"periode": "2018"}))
    budget = _content(client.get(reverse("reporting:export_budget"), {"periode": "2018"}))
    activities = _content(client.get(reverse("reporting:export_activities"), {"periode": "2018"}))

    assert "CO07 Over 54 år;2;" in indicators
    assert "I alt;I alt;15000000,00;32400,00;14967600,00;0,2;36,00" in budget
    assert len(activities.strip().splitlines()) == 1 + 4  # header + P1, P2, P3, P5


def test_consultant_exports_only_own_partnership_indicators(client_for, consultant_a, secretariat_a, world):
    url = reverse("reporting:export_indicators")
    assert client_for(consultant_a).get(url, {"periode": "2018"}).status_code == 403
    own = _content(client_for(secretariat_a).get(url, {"periode": "2018"}))
    assert "Deltagere i alt;2;" in own  # partnership A's, not the programme's 4
    ok = client_for(secretariat_a).get(url, {"periode": "2018", "partnerskab": world.a.pk})
    assert ok.status_code == 200
    assert client_for(secretariat_a).get(url, {"periode": "2018", "partnerskab": world.b.pk}).status_code == 400


def test_export_esf_command(world, tmp_path):
    out = tmp_path / "esf.csv"
    call_command("export_esf", "--format", "csv", "--period", "2018", "--out", str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("\ufeffDeltager-id;CPR-nummer;")
    assert len(lines) == 5

    xlsx = tmp_path / "esf.xlsx"
    call_command("export_esf", "--format", "xlsx", "--period", "2018-H2", "--out", str(xlsx))
    assert openpyxl.load_workbook(xlsx).active.max_row == 1 + 3  # Q2, Q3, Q4 take part after 1 July

    with pytest.raises(CommandError, match="fremtiden"):
        call_command("export_esf", "--period", "2099", "--out", str(out))
    with pytest.raises(CommandError, match="slutdato"):
        call_command("export_esf", "--period", "2018-06-01..2018-01-01", "--out", str(out))


# --- budget, targets, goals ------------------------------------------------------------------------------


def test_management_revises_the_budget_from_a_date(client_for, management, world):
    line = BudgetLine.objects.get(code="talenter")
    url = reverse("reporting:budget") + "?periode=2018"
    data = {
        "handling": "beloeb",
        "beloeb-line": line.pk,
        "beloeb-year": 2018,
        "beloeb-amount": "1.200.000",
        "beloeb-valid_from": "2018-07-01",
    }
    response = client_for(management).post(url, data)

    assert response.status_code == 302
    rows = BudgetAmount.objects.filter(budget_line=line, year=2018).order_by("valid_from")
    assert [(r.amount, r.valid_until) for r in rows] == [
        (Decimal("1000000.00"), dt.date(2018, 6, 30)),
        (Decimal("1200000.00"), None),
    ]
    # Years are written as years, never with a thousands separator ("2.018").
    page = client_for(management).get(url).content.decode()
    assert "Budgetlinjer 2018" in page
    assert "2.018" not in page


def test_a_negative_amount_is_refused_next_to_the_field_and_nothing_saved(client_for, management, world):
    line = BudgetLine.objects.get(code="talenter")
    before = BudgetAmount.objects.count()
    data = {
        "handling": "beloeb",
        "beloeb-line": line.pk,
        "beloeb-year": 2018,
        "beloeb-amount": "-5",
        "beloeb-valid_from": "2018-07-01",
    }
    response = client_for(management).post(reverse("reporting:budget"), data)

    assert response.status_code == 400
    assert BudgetAmount.objects.count() == before


def test_consultant_may_not_see_or_change_the_budget(client_for, consultant_a, world):
    client = client_for(consultant_a)
    assert client.get(reverse("reporting:budget")).status_code == 403
    assert client.post(reverse("reporting:budget"), {"handling": "beloeb"}).status_code == 403


def test_management_sets_a_target_and_sees_on_track_or_behind(client_for, management, world):
    client = client_for(management)
    response = client.post(
        reverse("reporting:targets") + "?periode=2018", {"indicator": "participants", "year": 2018, "value": "10"}
    )
    assert response.status_code == 302
    assert Target.objects.get(indicator="participants", year=2018).value == 10

    page = client.get(reverse("reporting:targets"), {"periode": "2018"})
    (line,) = page.context["lines"]
    assert line.progress.actual == 4
    assert line.progress.status == "missed"  # 2018 is over: 4 of 10


def test_secretariat_records_a_goal_and_reviews_it(client_for, secretariat_a, consultant_b, world):
    client = client_for(secretariat_a)
    url = reverse("reporting:goals", args=[world.a.pk])
    bad = client.post(url, {"title": "Flere fælles besøg", "indicator": "joint_visits", "start_on": "2018-01-01"})
    assert bad.status_code == 400
    assert PartnershipGoal.objects.count() == 0

    ok = client.post(
        url,
        {
            "title": "Flere fælles besøg",
            "indicator": "joint_visits",
            "target_value": "2",
            "start_on": "2018-01-01",
            "due_on": "2018-12-31",
        },
    )
    assert ok.status_code == 302
    goal = PartnershipGoal.objects.get()
    detail = reverse("reporting:goal_detail", args=[goal.pk])
    assert client.get(detail).context["progress"].actual == 1
    assert client.post(detail, {"reviewed_on": "2018-12-31", "assessment": "naaet", "note": ""}).status_code == 400
    assert (
        client.post(
            detail, {"reviewed_on": "2018-12-31", "assessment": "naaet", "note": "Nået i december."}
        ).status_code
        == 302
    )
    goal.refresh_from_db()
    assert goal.status == PartnershipGoal.Status.ACHIEVED
    assert GoalReview.objects.count() == 1
    assert client_for(consultant_b).get(detail).status_code == 404
