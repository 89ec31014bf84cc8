"""Visits: the form and its rules (Danish messages next to the field), atomic saves with needs, drafts,
history, concurrent edits, joint visits across systems, and who may do what."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from companies import services
from companies.models import CaseStatus, CompetenceNeed, Visit
from companies.selectors.case import visit_is_joint, visit_systems
from partnerships.models import System
from tests.companies.factories import (
    CompanyFactory,
    ContactPersonFactory,
    VisitFactory,
    consultant_in,
    visit_post_data,
)
from tests.factories import MembershipFactory, UserFactory

FUTURE_COMPLETED = "Et afsluttet besøg kan ikke ligge i fremtiden. Gem som kladde, hvis besøget er planlagt."
FOLLOW_UP_BEFORE = "Opfølgningsdatoen kan ikke ligge før besøgsdatoen."
NO_CONSULTANT = "Vælg mindst én deltagende konsulent."
HOSTILE = '<script>alert("x")</script><b>fed</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;fed&lt;/b&gt;"


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


@pytest.fixture
def colleague(partnership_a):
    """A consultant of partnership A from another system (business service) than consultant_a (jobcentre)."""
    return consultant_in(partnership_a, system=System.BUSINESS, first_name="Carl", last_name="Erhvervsen")


def create_url(firm) -> str:
    return reverse("companies:visit_create", args=[firm.pk])


def update_url(visit) -> str:
    return reverse("companies:visit_update", args=[visit.pk])


def error_next_to(response, field_id: str) -> str:
    """The text of the error block crispy renders right after the field with this id."""
    html = response.content.decode()
    match = re.search(rf'<p id="error_1_{re.escape(field_id)}"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error rendered next to {field_id}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# ---------------------------------------------------------------------------
# Registering a visit
# ---------------------------------------------------------------------------
def test_consultant_registers_a_completed_visit_with_needs_and_participants(client_for, consultant_a, colleague, firm):
    contact = ContactPersonFactory(company=firm, name="Karen Ejer")
    data = visit_post_data(
        consultants=[consultant_a, colleague],
        company_participants=[contact.pk],
        kind=Visit.Kind.JOINT,
        growth_plans="Eksport til Tyskland.",
        next_step="Uddannelsesplan for operatørerne.",
        follow_up_on=dt.date.today() + dt.timedelta(days=14),
        needs=[
            {
                "area": "digitalisering",
                "description": "Robotsvejsning",
                "employees_affected": "6",
                "staff_groups": ["staff_unskilled", "staff_skilled"],
                "urgency": "hoej",
            },
            {"area": "ledelse", "description": "Mellemledere", "staff_groups": ["staff_managers"]},
        ],
    )

    response = client_for(consultant_a).post(create_url(firm), data)

    assert response.status_code == 302
    assert response["Location"] == firm.get_absolute_url()
    visit = Visit.objects.get(company=firm)
    assert visit.status == Visit.Status.COMPLETED
    assert visit.completed_at is not None
    assert set(visit.consultants.all()) == {consultant_a, colleague}
    assert list(visit.company_participants.all()) == [contact]
    needs = {n.area: n for n in visit.needs.all()}
    assert set(needs) == {"digitalisering", "ledelse"}
    assert needs["digitalisering"].employees_affected == 6
    assert needs["digitalisering"].staff_groups == ["Ufaglærte", "Faglærte"]
    assert needs["digitalisering"].urgency == "hoej"
    assert needs["ledelse"].staff_groups == ["Ledere"]
    firm.refresh_from_db()
    assert firm.status == CaseStatus.VISITED
    assert firm.last_visit_on == visit.visit_date
    assert firm.next_follow_up_on == dt.date.today() + dt.timedelta(days=14)
    assert firm.lead_consultant == consultant_a


def test_new_visit_form_preselects_the_current_user_and_today(client_for, consultant_a, firm):
    response = client_for(consultant_a).get(create_url(firm))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["consultants"] == [consultant_a.pk]
    assert form.initial["visit_date"] == timezone.localdate()
    html = response.content.decode()
    for label in (
        "Besøgsdato",
        "Tidspunkt",
        "Type besøg",
        "Deltagende konsulenter",
        "Fra virksomheden deltog",
        "Andre deltagere",
        "Virksomhedens vækstplaner",
        "Resumé",
        "Kompetencebehov",
        "Antal medarbejdere",
        "Ufaglærte",
        "Faglærte",
        "Funktionærer",
        "Ledere",
        "Tilføj behov",
        "Næste skridt",
        "Opfølgningsdato",
        "Til behandling i partnerskabet",
        "Gem som kladde",
        "Gem og afslut",
    ):
        assert label in html, label
    assert 'type="date" name="visit_date"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "<script>" not in html.split("</main>")[0]  # no inline scripts in the page body


def test_consultant_choices_are_active_members_of_the_firms_partnership(
    client_for, consultant_a, consultant_b, colleague, partnership_a, firm
):
    former = UserFactory(first_name="Tidligere", is_active=False)
    MembershipFactory(user=former, partnership=partnership_a)

    response = client_for(consultant_a).get(create_url(firm))

    choices = set(response.context["form"].fields["consultants"].queryset)
    assert choices == {consultant_a, colleague}
    assert consultant_b not in choices and former not in choices


def test_consultant_of_another_partnership_cannot_be_posted_onto_a_visit(client_for, consultant_a, consultant_b, firm):
    response = client_for(consultant_a).post(
        create_url(firm), visit_post_data(consultants=[consultant_a, consultant_b])
    )

    assert response.status_code == 200
    assert "consultants" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_participants_from_the_firm_are_only_the_firms_own_contacts(client_for, consultant_a, firm, partnership_a):
    other_firms_contact = ContactPersonFactory(company=CompanyFactory(partnership=partnership_a))

    response = client_for(consultant_a).post(
        create_url(firm), visit_post_data(consultants=[consultant_a], company_participants=[other_firms_contact.pk])
    )

    assert "company_participants" in response.context["form"].errors
    assert not Visit.objects.exists()


# ---------------------------------------------------------------------------
# The rules, each with its Danish message next to the field
# ---------------------------------------------------------------------------
def test_completed_visit_in_the_future_is_refused_next_to_the_visit_date(client_for, consultant_a, firm):
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    response = client_for(consultant_a).post(
        create_url(firm), visit_post_data(consultants=[consultant_a], visit_date=tomorrow, action="complete")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["visit_date"] == [FUTURE_COMPLETED]
    assert error_next_to(response, "id_visit_date") == FUTURE_COMPLETED
    assert not Visit.objects.exists()


def test_planned_visit_in_the_future_can_be_saved_as_a_draft(client_for, consultant_a, firm):
    tomorrow = dt.date.today() + dt.timedelta(days=1)

    response = client_for(consultant_a).post(
        create_url(firm), visit_post_data(consultants=[consultant_a], visit_date=tomorrow, action="draft")
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.status == Visit.Status.DRAFT
    firm.refresh_from_db()
    assert firm.status == CaseStatus.IDENTIFIED  # a draft does not move the case
    assert firm.last_visit_on is None


def test_follow_up_before_the_visit_is_refused_next_to_the_follow_up_date(client_for, consultant_a, firm):
    visit_date = dt.date.today() - dt.timedelta(days=3)

    response = client_for(consultant_a).post(
        create_url(firm),
        visit_post_data(
            consultants=[consultant_a], visit_date=visit_date, follow_up_on=visit_date - dt.timedelta(days=1)
        ),
    )

    assert error_next_to(response, "id_follow_up_on") == FOLLOW_UP_BEFORE
    assert not Visit.objects.exists()


def test_visit_without_consultants_is_refused_next_to_the_consultants(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(create_url(firm), visit_post_data(consultants=[]))

    assert response.context["form"].errors["consultants"] == [NO_CONSULTANT]
    assert error_next_to(response, "id_consultants") == NO_CONSULTANT
    assert not Visit.objects.exists()


def test_visit_validate_states_every_rule_keyed_by_field():
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.visit_validate(
            visit_date=today + dt.timedelta(days=2), follow_up_on=today, consultants=[], complete=True
        )

    assert caught.value.message_dict == {
        "visit_date": [FUTURE_COMPLETED],
        "follow_up_on": [FOLLOW_UP_BEFORE],
        "consultants": [NO_CONSULTANT],
    }


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
def test_a_2_mb_summary_is_refused_with_a_danish_length_message(client_for, consultant_a, firm, encoding):
    # A paste of 2 MB must end as a message next to the field, not as a 400 from the request-size
    # limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) nor a 500.
    data = visit_post_data(consultants=[consultant_a], summary="a" * (2 * 1024 * 1024))
    client = client_for(consultant_a)
    if encoding == "multipart":
        response = client.post(create_url(firm), data)
    else:
        response = client.post(
            create_url(firm), urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded"
        )

    assert response.status_code == 200
    message = error_next_to(response, "id_summary")
    assert message == "Må højst være 10000 tegn (teksten er 2097152 tegn)."
    assert not Visit.objects.exists()


def test_a_2_mb_summary_in_danish_letters_still_reaches_the_form(client_for, consultant_a, firm):
    # The form is sent as multipart/form-data, so æ, ø and å count as 2 bytes each instead of the 6
    # of URL encoding: 2 MB of Danish text stays under the request-size limit.
    data = visit_post_data(consultants=[consultant_a], summary="æøå" * (1024 * 1024 // 3))

    response = client_for(consultant_a).post(create_url(firm), data)

    assert response.status_code == 200
    assert "Må højst være 10000 tegn" in error_next_to(response, "id_summary")


def test_text_fields_have_a_maximum_length_attribute(client_for, consultant_a, firm):
    html = client_for(consultant_a).get(create_url(firm)).content.decode()

    assert re.search(r'<textarea name="summary"[^>]*maxlength="10000"', html)
    assert re.search(r'<textarea name="growth_plans"[^>]*maxlength="2000"', html)
    assert re.search(r'<input type="text" name="other_participants"[^>]*maxlength="300"', html)


def test_html_and_script_in_every_text_field_is_shown_escaped(client_for, consultant_a, firm):
    contact = ContactPersonFactory(company=firm, name=HOSTILE)
    data = visit_post_data(
        consultants=[consultant_a],
        company_participants=[contact.pk],
        other_participants=HOSTILE,
        growth_plans=HOSTILE,
        summary=HOSTILE,
        next_step=HOSTILE,
        needs=[{"area": "it", "description": HOSTILE}],
    )
    client = client_for(consultant_a)
    client.post(create_url(firm), data)
    visit = Visit.objects.get()

    for url in (visit.get_absolute_url(), update_url(visit), firm.get_absolute_url()):
        html = client.get(url).content.decode()
        assert HOSTILE not in html, url
        assert ESCAPED in html, url


def test_invalid_input_is_shown_again_escaped(client_for, consultant_a, firm):
    response = client_for(consultant_a).post(create_url(firm), visit_post_data(consultants=[], summary=HOSTILE))

    html = response.content.decode()
    assert HOSTILE not in html
    assert ESCAPED in html


# ---------------------------------------------------------------------------
# Atomic saves
# ---------------------------------------------------------------------------
def test_a_bad_need_means_no_visit_is_written(client_for, consultant_a, firm):
    data = visit_post_data(
        consultants=[consultant_a],
        needs=[
            {"area": "it", "description": "Godt behov"},
            {"area": "", "description": "Behov uden område", "employees_affected": "0"},
        ],
    )

    response = client_for(consultant_a).post(create_url(firm), data)

    assert response.status_code == 200
    errors = response.context["needs"].forms[1].errors
    assert "area" in errors and "employees_affected" in errors
    assert error_next_to(response, "id_behov-1-area") == "Dette felt er påkrævet."
    assert not Visit.objects.exists()
    assert not CompetenceNeed.objects.exists()


def test_visit_save_rolls_the_visit_back_when_a_need_fails(consultant_a, firm):
    with pytest.raises(ValidationError):
        services.visit_create(
            company=firm,
            by=consultant_a,
            fields={"visit_date": dt.date.today(), "summary": "Godt møde"},
            consultants=[consultant_a],
            needs=[{"area": "it", "description": "Gyldigt"}, {"area": "findes-ikke", "description": "Ugyldigt"}],
            complete=True,
        )

    assert not Visit.objects.exists()
    assert not CompetenceNeed.objects.exists()
    firm.refresh_from_db()
    assert firm.status == CaseStatus.IDENTIFIED


def test_add_need_button_shows_one_more_empty_need_without_errors_or_saving(client_for, consultant_a, firm):
    data = visit_post_data(consultants=[], action="add_need", needs=[{"area": "it", "description": "Første"}])

    response = client_for(consultant_a).post(create_url(firm), data)

    assert response.status_code == 200
    assert len(response.context["needs"].forms) == 2
    assert "Første" in response.content.decode()
    assert 'class="invalid-feedback"' not in response.content.decode()
    assert not Visit.objects.exists()


# ---------------------------------------------------------------------------
# Drafts, history and concurrent edits
# ---------------------------------------------------------------------------
def test_draft_can_be_completed_later(client_for, consultant_a, firm):
    client = client_for(consultant_a)
    client.post(create_url(firm), visit_post_data(consultants=[consultant_a], action="draft", summary="Kladde"))
    visit = Visit.objects.get()

    response = client.post(
        update_url(visit),
        visit_post_data(
            consultants=[consultant_a],
            action="complete",
            summary="Færdigt resumé",
            version=visit.version,
            needs=[{"area": "sprog", "description": "Dansk for nye medarbejdere"}],
        ),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.COMPLETED
    assert visit.summary == "Færdigt resumé"
    assert visit.needs.get().area == "sprog"
    firm.refresh_from_db()
    assert firm.status == CaseStatus.VISITED
    assert firm.last_visit_on == visit.visit_date


def test_draft_form_offers_both_buttons_and_completed_form_only_save(client_for, consultant_a, firm):
    draft = VisitFactory(company=firm, status=Visit.Status.DRAFT, consultants=[consultant_a])
    completed = VisitFactory(company=firm, consultants=[consultant_a])
    client = client_for(consultant_a)

    draft_html = client.get(update_url(draft)).content.decode()
    completed_html = client.get(update_url(completed)).content.decode()

    assert "Gem som kladde" in draft_html and "Gem og afslut" in draft_html
    assert "Gem som kladde" not in completed_html and "Gem ændringer" in completed_html


def test_editing_a_completed_visit_keeps_history(client_for, consultant_a, colleague, firm):
    first = timezone.localdate() - dt.timedelta(days=5)
    client_for(consultant_a).post(
        create_url(firm), visit_post_data(consultants=[consultant_a, colleague], visit_date=first, summary="Version 1")
    )
    visit = Visit.objects.get()
    moved = first + dt.timedelta(days=1)

    response = client_for(colleague).post(
        update_url(visit),
        visit_post_data(
            consultants=[consultant_a, colleague], visit_date=moved, summary="Version 2", version=visit.version
        ),
    )

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.COMPLETED  # stays completed
    assert visit.summary == "Version 2"
    assert [h.summary for h in visit.history.order_by("history_date")] == ["Version 1", "Version 2"]
    assert visit.history.first().history_user == colleague

    page = client_for(consultant_a).get(visit.get_absolute_url())
    history = page.context["history"]
    assert [(e.action, e.by) for e in history] == [("Ændret", "Carl Erhvervsen"), ("Oprettet", "Anna Testesen")]
    changes = {c.label: c for c in history[0].changes}
    assert changes["Resumé"].shown is False
    assert (changes["Besøgsdato"].old, changes["Besøgsdato"].new) == (
        first.strftime("%d.%m.%Y"),
        moved.strftime("%d.%m.%Y"),
    )
    html = page.content.decode()
    assert "Historik" in html and "Carl Erhvervsen" in html and "Resumé ændret" in html


def test_second_save_from_a_stale_form_is_refused_and_names_who_changed_it(client_for, consultant_a, colleague, firm):
    client_for(consultant_a).post(create_url(firm), visit_post_data(consultants=[consultant_a, colleague]))
    visit = Visit.objects.get()
    opened_version = client_for(consultant_a).get(update_url(visit)).context["form"].initial["version"]
    # The colleague opens the same visit and saves first.
    client_for(colleague).post(
        update_url(visit),
        visit_post_data(consultants=[consultant_a, colleague], summary="Kollegaens tekst", version=opened_version),
    )

    response = client_for(consultant_a).post(
        update_url(visit),
        visit_post_data(consultants=[consultant_a], summary="Min tekst", version=opened_version),
    )

    assert response.status_code == 409
    html = response.content.decode()
    assert "Besøget er blevet ændret af Carl Erhvervsen, mens du redigerede. Genindlæs siden" in html
    assert "Min tekst" in html  # what the user typed is still on the page
    visit.refresh_from_db()
    assert visit.summary == "Kollegaens tekst"
    assert set(visit.consultants.all()) == {consultant_a, colleague}
    assert visit.history.count() == 2


def test_visit_update_with_a_stale_version_raises_and_writes_nothing(consultant_a, colleague, firm):
    visit = services.visit_create(
        company=firm, by=consultant_a, fields={"visit_date": dt.date.today()}, consultants=[consultant_a]
    )
    services.visit_update(
        by=colleague,
        visit=visit,
        expected_version=1,
        fields={"visit_date": dt.date.today(), "summary": "Først"},
        consultants=[consultant_a],
    )

    with pytest.raises(services.ConcurrentEditError) as caught:
        services.visit_update(
            by=consultant_a,
            visit=Visit.objects.get(pk=visit.pk),
            expected_version=1,
            fields={"visit_date": dt.date.today(), "summary": "Sidst"},
            consultants=[consultant_a],
        )

    assert caught.value.changed_by == colleague
    visit.refresh_from_db()
    assert (visit.summary, visit.version) == ("Først", 2)


# ---------------------------------------------------------------------------
# Joint visits across the three systems
# ---------------------------------------------------------------------------
def test_joint_visit_is_detected_from_consultants_of_two_systems(consultant_a, colleague, partnership_a):
    same_system = consultant_in(partnership_a, system=System.EMPLOYMENT)

    two_systems = visit_systems([consultant_a, colleague])
    one_system = visit_systems([consultant_a, same_system])

    assert [s.code for s in two_systems] == [System.BUSINESS, System.EMPLOYMENT]
    assert visit_is_joint(kind=Visit.Kind.FIRST, systems=two_systems)
    assert not visit_is_joint(kind=Visit.Kind.FIRST, systems=one_system)
    assert visit_is_joint(kind=Visit.Kind.JOINT, systems=one_system)


def test_the_operator_does_not_make_a_visit_joint(consultant_a, partnership_a):
    operator = consultant_in(partnership_a, system=System.OPERATOR)

    assert not visit_is_joint(kind=Visit.Kind.FIRST, systems=visit_systems([consultant_a, operator]))


def test_visit_page_shows_the_systems_that_took_part_and_the_joint_badge(client_for, consultant_a, colleague, firm):
    visit = VisitFactory(company=firm, consultants=[consultant_a, colleague])

    response = client_for(consultant_a).get(visit.get_absolute_url())

    assert response.context["is_joint"] is True
    assert [s.code for s in response.context["systems"]] == [System.BUSINESS, System.EMPLOYMENT]
    html = response.content.decode()
    assert "Fælles besøg" in html
    assert "Erhvervsservice, Beskæftigelse" in html


def test_visit_form_shows_the_systems_taking_part_without_javascript(client_for, consultant_a, colleague, firm):
    visit = VisitFactory(company=firm, status=Visit.Status.DRAFT, consultants=[consultant_a, colleague])

    response = client_for(consultant_a).get(update_url(visit))

    assert [s.code for s in response.context["systems"]] == [System.BUSINESS, System.EMPLOYMENT]
    assert response.context["is_joint"] is True
    html = response.content.decode()
    assert re.search(r'class="systems-list">Erhvervsservice, Beskæftigelse</span><span[^>]*>Fælles besøg', html)


def test_consultant_checkboxes_carry_their_system_for_the_live_indicator(client_for, consultant_a, colleague, firm):
    html = client_for(consultant_a).get(create_url(firm)).content.decode()

    assert f'value="{colleague.pk}"' in html
    assert re.search(rf'value="{colleague.pk}"[^>]*data-system="business"', html)


# ---------------------------------------------------------------------------
# Who may do what
# ---------------------------------------------------------------------------
def test_management_reads_visits_but_cannot_register_or_edit_them(client_for, management, consultant_a, firm):
    visit = VisitFactory(company=firm, consultants=[consultant_a])
    client = client_for(management)

    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(create_url(firm)).status_code == 403
    assert client.post(create_url(firm), visit_post_data(consultants=[consultant_a])).status_code == 403
    assert client.get(update_url(visit)).status_code == 403
    assert "Ret besøget" not in client.get(visit.get_absolute_url()).content.decode()


def test_secretariat_of_the_partnership_can_register_a_visit(client_for, secretariat_a, firm):
    response = client_for(secretariat_a).post(create_url(firm), visit_post_data(consultants=[secretariat_a]))

    assert response.status_code == 302
    assert Visit.objects.get().created_by == secretariat_a


def test_visit_page_query_count_does_not_grow_with_history_or_needs(
    client_for, consultant_a, colleague, firm, django_assert_max_num_queries
):
    visit = services.visit_create(
        company=firm, by=consultant_a, fields={"visit_date": dt.date.today()}, consultants=[consultant_a, colleague]
    )
    client = client_for(consultant_a)
    client.get(visit.get_absolute_url())  # warm the session
    with django_assert_max_num_queries(14):
        client.get(visit.get_absolute_url())
    for n in range(15):
        visit = services.visit_update(
            by=consultant_a,
            visit=visit,
            expected_version=visit.version,
            fields={"visit_date": dt.date.today(), "summary": f"Version {n}"},
            consultants=[consultant_a, colleague],
            needs=[{"area": "it", "description": f"Behov {n}"}],
        )
    with django_assert_max_num_queries(14):
        response = client.get(visit.get_absolute_url())
    assert len(response.context["history"]) == 16
