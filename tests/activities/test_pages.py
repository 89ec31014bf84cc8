"""The activities pages through the test client: lists with a constant number of queries, registering a
participant (invalid CPR refused, a duplicate pointing at the person), the reveal (reason, two-factor
login, recorded, never cached), exports without the permission masked, hours on the week page."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from activities.models import ActivityPlan, CprReveal, Participant, TimeEntry
from activities.selectors.participants import missing_data
from partnerships.models import ESFProject
from tests.activities.factories import make_enrollment, make_participant, make_plan, synthetic_cpr
from tests.companies.factories import CompanyFactory
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def with_two_factors(client, user):
    """The session as allauth leaves it after a login with a TOTP code."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return client


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def populate(partnership, consultant, n: int) -> None:
    for i in range(n):
        lead = UserFactory(first_name=f"Leder{i}")
        MembershipFactory(user=lead, partnership=partnership)
        company = CompanyFactory(partnership=partnership)
        plan = make_plan(company, lead if i % 2 else consultant, type_code="uddannelsesplan" if i % 2 else "rkv-job")
        make_enrollment(plan, make_participant(partnership, n=1000 + i, employer=company))


# Session, user, role, permissions (navigation), filter choices (partnerships, responsible), count, page,
# three reference look-ups, savepoints.
LIST_CEILING = 16


@pytest.mark.parametrize("n", [5, 60])
def test_the_activity_list_runs_a_constant_number_of_queries(
    client_for, consultant_a, partnership_a, django_assert_max_num_queries, n
):
    populate(partnership_a, consultant_a, n)
    client = client_for(consultant_a)
    with django_assert_max_num_queries(LIST_CEILING):
        response = client.get(reverse("activities:list"), {"akse": "4", "status": "kladde", "q": "Test"})
    assert response.status_code == 200
    # Every other plan is a training plan (axis 4), all drafts, all at a "Testvirksomhed".
    assert response.context["total"] == n // 2
    assert len(response.context["rows"]) == min(n // 2, 50)


@pytest.mark.parametrize("n", [5, 60])
def test_the_participant_list_runs_a_constant_number_of_queries_and_decrypts_nothing(
    client_for, management, partnership_a, consultant_a, django_assert_max_num_queries, monkeypatch, n
):
    populate(partnership_a, consultant_a, n)
    from activities import crypto

    monkeypatch.setattr(crypto, "decrypt", lambda token: pytest.fail("the list decrypted a CPR number"))
    client = client_for(management)
    with django_assert_max_num_queries(LIST_CEILING):
        response = client.get(reverse("activities:participant_list"))
    assert len(response.context["rows"]) == min(n, 50)
    assert "-****" in response.content.decode()


def test_the_activity_list_filters_by_type_axis_status_partnership_and_responsible(
    client_for, consultant_a, firm, partnership_b
):
    rkv = make_plan(firm, consultant_a, type_code="rkv-job", title="RKV for operatører")
    plan = make_plan(firm, consultant_a, type_code="uddannelsesplan", title="Plan for svejsere", status="godkendt")
    client = client_for(consultant_a)

    def titles(**query):
        return [row.title for row in client.get(reverse("activities:list"), query).context["rows"]]

    assert titles(akse="1") == [rkv.title]
    assert titles(status="godkendt") == [plan.title]
    assert titles(type=str(rkv.activity_type_id)) == [rkv.title]
    assert set(titles(ansvarlig=str(consultant_a.pk))) == {rkv.title, plan.title}
    # A partnership the user cannot see is an invalid choice: an empty list, not every activity.
    response = client.get(reverse("activities:list"), {"partnerskab": str(partnership_b.pk)})
    assert response.context["filter"].invalid and response.context["rows"] == []


def test_the_activity_list_rows_show_and_link_each_plan_with_its_markup_escaped(client_for, consultant_a, firm):
    consultant_a.first_name, consultant_a.last_name = "Kirsten", "Konsulent"
    consultant_a.save()
    plan = make_plan(firm, consultant_a, type_code="rkv-job", title="<b>RKV</b> & svejsning", status="godkendt")
    html = client_for(consultant_a).get(reverse("activities:list")).content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    assert f'<a href="{reverse("activities:detail", args=[plan.pk])}">&lt;b&gt;RKV&lt;/b&gt; &amp; svejsning</a>' in row
    assert f'<a href="{reverse("companies:detail", args=[firm.pk])}">Alfa Smed ApS</a>' in row
    assert plan.activity_type.name in row and firm.partnership.name in row and "Kirsten Konsulent" in row
    assert '<span class="badge text-bg-info">Godkendt</span>' in row
    assert "01.03.2018–31.12.2018" in row and "<b>" not in row


def test_the_participant_list_rows_show_the_masked_cpr_and_what_the_registration_lacks(
    client_for, consultant_a, partnership_a, firm
):
    person = make_participant(partnership_a, n=7, employer=firm, first_name="<i>Anna</i>", last_name="Berg")
    html = client_for(consultant_a).get(reverse("activities:participant_list")).content.decode()
    row = html[html.index("<tbody>") : html.index("</tbody>")]
    link = reverse("activities:participant_detail", args=[person.pk])
    assert f'<a href="{link}">&lt;i&gt;Anna&lt;/i&gt; Berg</a>' in row and "<i>" not in row
    assert person.cpr_masked in row and "Alfa Smed ApS" in row and partnership_a.name in row
    lacking = len(missing_data(person, today=timezone.localdate()))  # the disadvantage questions unanswered
    assert lacking > 1 and f'<span class="badge text-bg-warning">{lacking} oplysninger</span>' in row


def test_the_activity_list_total_follows_a_new_plan_and_a_firm_moved_elsewhere_at_once(
    client_for, consultant_a, firm, partnership_b
):
    client = client_for(consultant_a)

    def total(**query):
        return client.get(reverse("activities:list"), query).context["total"]

    make_plan(firm, consultant_a, type_code="rkv-job", title="Første")
    assert (total(), total(akse="1"), total(q="Alfa")) == (1, 1, 1)
    make_plan(firm, consultant_a, type_code="uddannelsesplan", title="Anden")
    assert (total(), total(akse="1"), total(akse="4")) == (2, 1, 1)
    firm.name = "Beta Smed ApS"
    firm.save()
    assert total(q="Alfa") == 0
    firm.partnership = partnership_b  # the firm's partnership decides who sees its plans
    firm.save()
    assert total() == 0


def test_the_participant_list_total_follows_a_new_person_a_membership_and_an_anonymisation_at_once(
    client_for, consultant_a, partnership_a, firm, settings
):
    from activities.services.retention import anonymise_participants
    from partnerships.models import Membership

    client = client_for(consultant_a)

    def total(**query):
        return client.get(reverse("activities:participant_list"), query).context["total"]

    make_participant(partnership_a, n=11, employer=firm)
    assert (total(), total(ophoert="anonym")) == (1, 0)
    make_participant(partnership_a, n=12, employer=firm)
    assert (total(), total(ophoert="anonym"), total(q="Deltager11")) == (2, 0, 1)
    settings.PARTICIPANT_RETENTION_DAYS = 1
    anonymise_participants(today=dt.date(2040, 1, 1))  # one UPDATE, no signal of its own
    assert (total(), total(ophoert="anonym"), total(q="Deltager11")) == (2, 2, 0)
    Membership.objects.filter(user=consultant_a, partnership=partnership_a).delete()
    assert total() == 0


def test_registering_a_participant_refuses_an_invalid_cpr_next_to_the_field(client_for, consultant_a, firm):
    plan = make_plan(firm, consultant_a)
    url = reverse("activities:register_participant", args=[plan.pk])
    data = {
        "deltager-cpr": "320280-1234",
        "deltager-first_name": "Karen",
        "deltager-last_name": "Madsen",
        "deltager-employer": firm.pk,
        "deltager-entry_date": "2018-03-01",
        "deltager-employment_status": "employed",
        "deltager-homeless": "ukendt",
        "deltager-rural": "ukendt",
        "tilmelding-role": "medarbejder",
        "tilmelding-hours": "0",
    }
    response = client_for(consultant_a).post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors["cpr"] == ["De første seks cifre skal være en gyldig fødselsdato (ddmmåå)."]
    assert "no-store" in response["Cache-Control"]
    assert not Participant.objects.exists()

    data["deltager-cpr"] = "010180-1235"
    response = client_for(consultant_a).post(url, data)
    assert response.status_code == 302
    person = Participant.objects.get()
    assert person.enrollments.get().plan == plan


def test_registering_a_person_again_points_at_the_existing_participant(client_for, consultant_a, partnership_a, firm):
    existing = make_participant(partnership_a, n=5, employer=firm)
    response = client_for(consultant_a).post(
        reverse("activities:participant_create"),
        {
            "deltager-cpr": synthetic_cpr(5, sep=True),
            "deltager-partnership": partnership_a.pk,
            "deltager-entry_date": "2018-03-01",
            "deltager-employment_status": "employed",
            "deltager-homeless": "ukendt",
            "deltager-rural": "ukendt",
        },
    )

    page = response.content.decode()
    assert "Personen er allerede registreret" in page
    assert existing.get_absolute_url() in page
    assert Participant.objects.count() == 1


def test_the_participant_page_shows_the_masked_cpr_only(client_for, consultant_a, partnership_a):
    person = make_participant(partnership_a, n=3)
    page = client_for(consultant_a).get(person.get_absolute_url()).content.decode()

    number = synthetic_cpr(3)
    assert f"{number[:6]}-****" in page
    assert number not in page and synthetic_cpr(3, sep=True) not in page
    assert "Vis CPR-nummer" not in page  # consultants may not reveal


def test_revealing_needs_two_factors_and_a_reason_and_is_recorded(client_for, management, partnership_a):
    person = make_participant(partnership_a, n=3)
    url = reverse("activities:participant_reveal", args=[person.pk])
    client = client_for(management)

    refused = client.post(url, {"reason": "Indberetning til ESF"})
    assert synthetic_cpr(3, sep=True) not in refused.content.decode()
    assert "totrinsbekræftelse" in refused.content.decode()

    with_two_factors(client, management)
    no_reason = client.post(url, {"reason": ""})
    assert "Skriv hvorfor" in no_reason.content.decode()
    assert not CprReveal.objects.exists()

    shown = client.post(url, {"reason": "Indberetning til ESF"})
    assert synthetic_cpr(3, sep=True) in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    reveal = CprReveal.objects.get()
    assert (reveal.by, reveal.reason) == (management, "Indberetning til ESF")

    log = client.get(reverse("activities:participant_reveal_log", args=[person.pk]))
    assert "Indberetning til ESF" in b"".join(log.streaming_content).decode("utf-8-sig")


def test_the_participant_export_masks_cpr_numbers_and_a_full_export_is_recorded(client_for, management, partnership_a):
    people = [make_participant(partnership_a, n=n) for n in (1, 2)]
    client = client_for(management)

    masked = b"".join(client.get(reverse("activities:participant_export")).streaming_content).decode("utf-8-sig")
    assert all(synthetic_cpr(n) not in masked and synthetic_cpr(n, sep=True) not in masked for n in (1, 2))
    assert f"{synthetic_cpr(1)[:6]}-****" in masked

    refused = client.post(reverse("activities:participant_export"), {"reason": "Revision"})
    assert refused.status_code == 302 and not CprReveal.objects.exists()

    with_two_factors(client, management)
    full = b"".join(client.post(reverse("activities:participant_export"), {"reason": "Revision"}).streaming_content)
    assert synthetic_cpr(1, sep=True) in full.decode("utf-8-sig")
    assert CprReveal.objects.filter(kind="eksport").count() == len(people)


def test_hours_are_registered_on_the_week_page_and_refused_over_24(client_for, consultant_a, firm):
    plan = make_plan(firm, consultant_a, status=ActivityPlan.Status.APPROVED)
    client = client_for(consultant_a)
    day = dt.date.today() - dt.timedelta(days=1)
    data = {"day": day.isoformat(), "hours": "3,5", "kind": "planlaegning", "target": f"aktivitet:{plan.pk}"}

    assert client.post(reverse("activities:timesheet"), data).status_code == 302
    assert TimeEntry.objects.get().hours == Decimal("3.50")

    response = client.post(reverse("activities:timesheet"), {**data, "hours": "21"})
    assert response.status_code == 200
    assert "højst 24 timer" in response.context["form"].errors["hours"][0]
    assert TimeEntry.objects.count() == 1


def test_the_firm_page_shows_its_activities_and_the_timeline_its_events(client_for, consultant_a, partnership_a, firm):
    plan = make_plan(firm, consultant_a, title="Uddannelsesplan for svejserne")
    from django.utils import timezone

    from activities.models import ActivityStatusChange

    ActivityStatusChange.objects.create(
        plan=plan, to_status="kladde", changed_by=consultant_a, changed_at=timezone.now()
    )
    make_enrollment(plan, make_participant(partnership_a, n=2, first_name="Jonas"))
    page = client_for(consultant_a).get(firm.get_absolute_url()).content.decode()

    assert "Aktiviteter og ESF" in page
    assert "Aktivitet oprettet: Uddannelsesplan for svejserne" in page
    assert "Jonas Hansen tilmeldt" in page


def test_the_firm_timeline_sums_hours_on_the_firm_and_on_its_activities_per_person_and_month(
    client_for, consultant_a, partnership_a, firm
):
    plan = make_plan(firm, consultant_a, status=ActivityPlan.Status.APPROVED)
    other_firm = CompanyFactory(partnership=partnership_a, name="Beta Smed ApS")
    other_plan = make_plan(other_firm, consultant_a, status=ActivityPlan.Status.APPROVED)
    client = client_for(consultant_a)
    day = dt.date.today() - dt.timedelta(days=1)
    project = ESFProject.objects.order_by("sort_order").first().pk
    for hours, target in (
        ("2", f"aktivitet:{plan.pk}"),
        ("1,5", f"virksomhed:{firm.pk}"),
        ("7", f"aktivitet:{other_plan.pk}"),
    ):
        data = {"day": day.isoformat(), "hours": hours, "kind": "planlaegning", "target": target}
        if target.startswith("virksomhed:"):
            data["project"] = project
        assert client.post(reverse("activities:timesheet"), data).status_code == 302

    timeline = client.get(firm.get_absolute_url()).context["page"].timeline
    hours = [item.title for item in timeline if item.kind == "hours"]

    assert hours == [f"3,5 timer i {formats.date_format(day.replace(day=1), 'YEAR_MONTH_FORMAT')}"]


def test_a_signed_form_whose_file_has_gone_from_storage_is_404_not_a_server_error(
    partnership_a, consultant_a, firm, client_for
):
    # A database restored without its media, or a file removed by hand: the page answers "not found".
    from activities.services import participant_document_add
    from tests.activities.factories import scan

    person = make_participant(partnership_a, employer=firm)
    document = participant_document_add(participant=person, by=consultant_a, kind="startskema", file=scan("s.pdf"))
    client = client_for(consultant_a)
    url = reverse("activities:document_download", args=[document.pk])
    assert client.get(url).status_code == 200

    document.file.storage.delete(document.file.name)

    assert client.get(url).status_code == 404
