"""The activities services, called directly (no HTTP): every rule of the issue's "Bad input", the
workflow, recruitment, de minimis, time registration, and revealing CPR numbers.

Each rule is checked where it lives, so a form or view that forgot to call it could not hide it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from activities import crypto, services
from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    CprReveal,
    Enrollment,
    Participant,
    Recruitment,
    TimeEntry,
    Timesheet,
    TrainingLine,
)
from kompetence import registry
from partnerships.models import ActivityTypeMapping, BudgetLine, EligibleActivity, Organisation
from partnerships.services import effective_row_save
from tests.activities.factories import (
    activity_type,
    course,
    make_enrollment,
    make_participant,
    make_plan,
    project,
    recruit,
    scan,
    synthetic_cpr,
)
from tests.companies.factories import CompanyFactory
from tests.factories import UserFactory

Status = ActivityPlan.Status
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


@pytest.fixture
def plan(firm, consultant_a):
    return make_plan(firm, consultant_a)


def errors(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


def register(by, partnership, *, number: str | None = None, **fields):
    defaults = {
        "first_name": "Karen",
        "last_name": "Madsen",
        "entry_date": dt.date(2018, 2, 1),
        "employment_status": Participant.EmploymentStatus.EMPLOYED,
        "consent_on": dt.date(2018, 2, 1),
    }
    return services.participant_register(
        by=by,
        partnership=partnership,
        cpr_number=synthetic_cpr(11) if number is None else number,
        **{**defaults, **fields},
    )


# ---------------------------------------------------------------------------
# Participants and CPR numbers
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3202801234", "De første seks cifre skal være en gyldig fødselsdato (ddmmåå)."),
        ("310280123", "Et CPR-nummer har 10 cifre (du skrev 9)."),
        ("01018012345", "Et CPR-nummer har 10 cifre (du skrev 11)."),
        ("0101801a34", "Et CPR-nummer består kun af cifre, fx 010190-1234."),
        ("０１０１８０１２３４", "Et CPR-nummer består kun af cifre, fx 010190-1234."),
        ("", "Skriv CPR-nummeret (ddmmåå-xxxx)."),
    ],
)
def test_register_refuses_an_invalid_cpr_number_with_a_danish_message_and_saves_nothing(
    consultant_a, partnership_a, value, message
):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, number=value)

    assert errors(caught)["cpr"] == [message]
    assert not Participant.objects.exists()


def test_register_refuses_a_birth_date_in_the_future(consultant_a, partnership_a):
    future = dt.date.today() + dt.timedelta(days=40)
    # Seventh digit 4 or 9 with a year below 37 is 2000s (stdnum's century rule).
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, number=f"{future:%d%m%y}4321")

    assert errors(caught)["cpr"] == ["Fødselsdatoen i CPR-nummeret ligger i fremtiden."]


def test_a_cpr_number_failing_the_old_modulus_11_check_is_accepted(consultant_a, partnership_a):
    number = "0101801235"
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11 != 0

    participant = register(consultant_a, partnership_a, number="010180-1235")

    assert participant.birth_date == dt.date(1980, 1, 1)
    assert participant.gender == Participant.Gender.MAN  # odd last digit
    assert participant.cpr_masked == "010180-****"


def test_the_cpr_number_is_stored_only_encrypted_and_as_a_keyed_hash(consultant_a, partnership_a):
    participant = register(consultant_a, partnership_a, number="010180-1234")

    stored = Participant.objects.values("cpr_token", "cpr_hash").get(pk=participant.pk)
    assert "0101801234" not in stored["cpr_token"] and "010180-1234" not in stored["cpr_token"]
    assert crypto.decrypt(stored["cpr_token"]) == "0101801234"
    assert stored["cpr_hash"] == crypto.keyed_hash("0101801234") != "0101801234"
    assert participant.gender == Participant.Gender.WOMAN


def test_the_history_of_a_participant_holds_neither_the_cpr_number_nor_the_name(consultant_a, partnership_a):
    register(consultant_a, partnership_a, number="010180-1234")
    table = Participant.history.model._meta.db_table
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(), table)}

    assert not columns & {"cpr_token", "cpr_hash", "first_name", "last_name", "email", "phone"}
    assert "employment_status" in columns


def test_a_person_registered_twice_points_at_the_existing_participant(consultant_a, partnership_a):
    first = register(consultant_a, partnership_a, number="010180-1234")

    with pytest.raises(services.DuplicateParticipant) as caught:
        register(consultant_a, partnership_a, number="0101801234", first_name="Anden")

    assert caught.value.existing == first
    assert errors(caught)["cpr"] == ["Personen er allerede registreret som deltager."]
    assert Participant.objects.count() == 1


def test_a_person_registered_in_another_partnership_is_named_by_partnership_only(
    consultant_a, partnership_a, consultant_b, partnership_b
):
    register(consultant_a, partnership_a, number="010180-1234")

    with pytest.raises(services.DuplicateParticipant) as caught:
        register(consultant_b, partnership_b, number="010180-1234")

    assert caught.value.existing is None
    (message,) = errors(caught)["cpr"]
    assert "LKS Alfa" in message and "Karen" not in message


def test_exit_before_entry_is_refused(consultant_a, partnership_a):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, entry_date=dt.date(2018, 5, 1), exit_date=dt.date(2018, 4, 30))

    assert errors(caught)["exit_date"] == ["Ophørsdatoen kan ikke ligge før startdatoen."]
    assert not Participant.objects.exists()


def test_an_unemployed_participant_needs_the_length_of_unemployment(consultant_a, partnership_a):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, employment_status=Participant.EmploymentStatus.UNEMPLOYED)

    assert "unemployed_months" in errors(caught)


def test_the_employer_must_be_a_firm_of_the_partnership(consultant_a, partnership_a, partnership_b):
    elsewhere = CompanyFactory(partnership=partnership_b)

    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, employer=elsewhere)

    assert "employer" in errors(caught)


def test_registering_with_an_enrolment_outside_the_plan_saves_neither(consultant_a, partnership_a, plan):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, partnership_a, enroll_in=plan, enrollment={"start_date": dt.date(2019, 6, 1)})

    assert "start_date" in errors(caught)
    assert not Participant.objects.exists()
    assert not Enrollment.objects.exists()


# ---------------------------------------------------------------------------
# Enrolments, training lines, RKV
# ---------------------------------------------------------------------------
def test_an_enrolment_outside_the_activitys_dates_is_refused(consultant_a, partnership_a, plan):
    participant = make_participant(partnership_a)

    with pytest.raises(ValidationError) as caught:
        services.enroll(plan=plan, participant=participant, by=consultant_a, start_date=dt.date(2018, 2, 15))
    assert errors(caught)["start_date"] == [
        "Tilmeldingen skal ligge inden for aktivitetens periode (01.03.2018–31.12.2018)."
    ]

    with pytest.raises(ValidationError) as caught:
        services.enroll(
            plan=plan,
            participant=participant,
            by=consultant_a,
            start_date=dt.date(2018, 3, 1),
            end_date=dt.date(2019, 1, 5),
        )
    assert "end_date" in errors(caught)
    assert not Enrollment.objects.exists()


def test_an_enrolment_cannot_start_before_the_person_entered_the_project(consultant_a, partnership_a, plan):
    participant = make_participant(partnership_a, entry=dt.date(2018, 4, 1))

    with pytest.raises(ValidationError) as caught:
        services.enroll(plan=plan, participant=participant, by=consultant_a, start_date=dt.date(2018, 3, 15))

    assert "01.04.2018" in errors(caught)["start_date"][0]


def test_a_participant_is_enrolled_once_per_activity(consultant_a, partnership_a, plan):
    participant = make_participant(partnership_a)
    services.enroll(plan=plan, participant=participant, by=consultant_a)

    with pytest.raises(ValidationError) as caught:
        services.enroll(plan=plan, participant=participant, by=consultant_a)

    assert errors(caught)["participant"] == ["Deltageren er allerede tilmeldt aktiviteten."]


def test_a_training_line_needs_a_course_number_from_the_catalogue(consultant_a, partnership_a, plan):
    enrollment = make_enrollment(plan, make_participant(partnership_a))
    course("40123")

    with pytest.raises(ValidationError) as caught:
        services.training_line_add(
            enrollment=enrollment,
            by=consultant_a,
            course_number="99999",
            start_date=dt.date(2018, 4, 1),
            end_date=dt.date(2018, 4, 5),
        )
    assert errors(caught)["course_number"] == ["AMU-nummeret 99999 findes ikke i kursuskataloget."]

    line = services.training_line_add(
        enrollment=enrollment,
        by=consultant_a,
        course_number="40123",
        start_date=dt.date(2018, 4, 1),
        end_date=dt.date(2018, 4, 5),
    )
    assert line.days == Decimal("5") and line.qualifying


def test_an_axis_4_training_line_must_be_qualifying(consultant_a, partnership_a, plan):
    assert plan.type_mapping.axis == 4
    enrollment = make_enrollment(plan, make_participant(partnership_a))

    with pytest.raises(ValidationError) as caught:
        services.training_line_add(
            enrollment=enrollment,
            by=consultant_a,
            other_education="Intern introduktion",
            qualifying=False,
            days=Decimal(1),
            start_date=dt.date(2018, 4, 1),
            end_date=dt.date(2018, 4, 1),
        )

    assert "qualifying" in errors(caught)
    assert not TrainingLine.objects.exists()


def test_an_rkv_result_is_recorded_once_per_enrolment(consultant_a, partnership_a, firm):
    rkv = make_plan(firm, consultant_a, type_code="rkv-job")
    enrollment = make_enrollment(rkv, make_participant(partnership_a))
    recommended = course("48780", "Truck A")

    services.rkv_result_save(
        enrollment=enrollment,
        by=consultant_a,
        assessor="AMU Aarhus",
        assessed_on=dt.date(2018, 4, 2),
        recommended_courses=[recommended],
        certificate="kompetencebevis",
    )
    result = services.rkv_result_save(
        enrollment=enrollment, by=consultant_a, assessor="AMU Aarhus", assessed_on=dt.date(2018, 4, 3)
    )

    assert result.assessed_on == dt.date(2018, 4, 3)
    assert list(result.recommended_courses.all()) == []


# ---------------------------------------------------------------------------
# Plans: rules, workflow, mapping, recruitment, de minimis
# ---------------------------------------------------------------------------
def create(by, company, **fields):
    defaults = {
        "activity_type": activity_type("hr-chef-til-leje"),
        "responsible": by,
        "title": "HR-chef til leje",
        "purpose": "Rekruttering af 10 operatører til den nye linje.",
        "planned_start": dt.date(2018, 3, 1),
        "planned_end": dt.date(2018, 9, 30),
    }
    return services.plan_create(company=company, by=by, **{**defaults, **fields})


def test_an_axis_1_activity_without_a_growth_purpose_is_refused(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        create(consultant_a, firm, purpose="  ")

    assert "vækststrategi" in errors(caught)["purpose"][0]
    assert not ActivityPlan.objects.exists()


def test_an_axis_4_activity_needs_no_growth_purpose(consultant_a, firm):
    plan = create(consultant_a, firm, activity_type=activity_type("uddannelsesplan"), purpose="")

    assert plan.type_mapping.axis == 4
    assert plan.status == Status.DRAFT
    assert plan.status_changes.get().changed_by == consultant_a


def test_a_plan_ending_before_it_starts_is_refused(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        create(consultant_a, firm, planned_end=dt.date(2018, 2, 1))

    assert errors(caught)["planned_end"] == ["Planlagt slut kan ikke ligge før planlagt start."]


def test_the_responsible_consultant_must_be_a_member_of_the_firms_partnership(consultant_a, consultant_b, firm):
    with pytest.raises(ValidationError) as caught:
        create(consultant_a, firm, responsible=consultant_b)

    assert "responsible" in errors(caught)


def test_an_illegal_status_transition_is_refused_and_changes_nothing(consultant_a, plan):
    with pytest.raises(ValidationError) as caught:
        services.plan_set_status(plan=plan, status=Status.COMPLETED, by=consultant_a)

    assert errors(caught)["status"] == ["En aktivitet kan ikke gå fra »Kladde« til »Afsluttet«."]
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT
    assert not ActivityStatusChange.objects.filter(plan=plan).exists()


def test_the_model_knows_its_allowed_transitions(plan):
    assert plan.allowed_transitions() == (Status.APPROVED, Status.CANCELLED)
    plan.status = Status.COMPLETED
    assert plan.allowed_transitions() == ()
    assert not plan.can_move_to(Status.IN_PROGRESS)


def test_going_back_to_draft_or_cancelling_needs_a_reason(consultant_a, plan):
    services.plan_set_status(plan=plan, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 20))

    with pytest.raises(ValidationError) as caught:
        services.plan_set_status(plan=plan, status=Status.DRAFT, by=consultant_a)
    assert "note" in errors(caught)

    services.plan_set_status(plan=plan, status=Status.CANCELLED, by=consultant_a, note="Virksomheden sprang fra")
    plan.refresh_from_db()
    assert plan.status == Status.CANCELLED
    assert plan.status_changes.last().note == "Virksomheden sprang fra"


def test_an_activity_cannot_start_before_the_firm_is_recruited_into_its_project(consultant_a, firm, plan):
    services.plan_set_status(plan=plan, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 20))

    with pytest.raises(ValidationError) as caught:
        services.plan_set_status(plan=plan, status=Status.IN_PROGRESS, by=consultant_a, on=dt.date(2018, 3, 1))
    assert "Erhvervsfaglige kompetencer" in errors(caught)["status"][0]

    # Recruited into the other project does not count: the two projects are kept apart.
    recruit(firm, "vaekstrettet")
    with pytest.raises(ValidationError):
        services.plan_set_status(plan=plan, status=Status.IN_PROGRESS, by=consultant_a, on=dt.date(2018, 3, 1))

    # Recruited, but only after the start day.
    recruit(firm, "erhvervsfaglige", signed_on=dt.date(2018, 3, 5))
    with pytest.raises(ValidationError) as caught:
        services.plan_set_status(plan=plan, status=Status.IN_PROGRESS, by=consultant_a, on=dt.date(2018, 3, 1))
    assert "05.03.2018" in errors(caught)["status"][0]

    services.plan_set_status(plan=plan, status=Status.IN_PROGRESS, by=consultant_a, on=dt.date(2018, 3, 6))
    plan.refresh_from_db()
    assert plan.status == Status.IN_PROGRESS and plan.actual_start == dt.date(2018, 3, 6)


def test_a_firm_recruited_again_into_a_new_project_signs_again(consultant_a, firm):
    services.recruitment_create(company=firm, project=project("vaekstrettet"), by=consultant_a, sme_staff=30)
    with pytest.raises(ValidationError):
        services.recruitment_create(company=firm, project=project("vaekstrettet"), by=consultant_a, sme_staff=30)

    second = services.recruitment_create(
        company=firm, project=project("erhvervsfaglige"), by=consultant_a, sme_staff=30
    )

    assert second.declarations.count() == 0
    assert Recruitment.objects.filter(company=firm).count() == 2


def test_a_declaration_scan_is_checked_by_its_content(consultant_a, firm):
    recruitment = services.recruitment_create(
        company=firm, project=project("vaekstrettet"), by=consultant_a, sme_staff=30
    )
    fake = SimpleUploadedFile("erklaering.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    with pytest.raises(ValidationError) as caught:
        services.declaration_add(
            recruitment=recruitment, kind="smv", signed_on=YESTERDAY, signed_by="Ejer", scan=fake, by=consultant_a
        )
    assert errors(caught)["scan"] == ["Filen skal være en PDF eller et billede (PNG eller JPEG)."]

    declaration = services.declaration_add(
        recruitment=recruitment, kind="smv", signed_on=YESTERDAY, signed_by="Ejer", scan=scan(), by=consultant_a
    )
    assert declaration.scan_name == "erklaering.pdf"
    assert not declaration.scan.name.endswith("erklaering.pdf")  # stored under a made-up name


def test_a_started_activity_keeps_the_mapping_it_started_under(consultant_a, firm, plan):
    recruit(firm, "erhvervsfaglige")
    services.plan_set_status(plan=plan, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 20))
    services.plan_set_status(plan=plan, status=Status.IN_PROGRESS, by=consultant_a, on=dt.date(2018, 3, 1))
    started_under = ActivityPlan.objects.get(pk=plan.pk).type_mapping

    # From 2019 the administrators move training plans to another eligible activity and budget line.
    change = ActivityTypeMapping(
        activity_type=activity_type("uddannelsesplan"),
        eligible_activity=EligibleActivity.objects.get(code="a4-uddannelse"),
        budget_line=BudgetLine.objects.get(code="efteruddannelse"),
        valid_from=dt.date(2019, 1, 1),
    )
    change.supersede = True
    effective_row_save(row=change, supersede=True)
    services.plan_update(plan=plan, by=consultant_a, responsible=consultant_a, planned_end=dt.date(2019, 6, 30))

    plan.refresh_from_db()
    assert plan.type_mapping == started_under
    assert plan.type_mapping.eligible_activity.code == "a4-screening"
    # A new plan starting in 2019 gets the new mapping.
    later = create(
        consultant_a,
        firm,
        activity_type=activity_type("uddannelsesplan"),
        planned_start=dt.date(2019, 2, 1),
        planned_end=dt.date(2019, 6, 1),
    )
    assert later.type_mapping.eligible_activity.code == "a4-uddannelse"


def test_approval_fixes_the_aid_in_euro_and_refuses_to_exceed_the_de_minimis_ceiling(consultant_a, firm):
    recruit(firm, "vaekstrettet")
    Recruitment.objects.filter(company=firm).update(other_de_minimis_eur=Decimal("190000"))
    small = make_plan(firm, consultant_a, type_code="hr-chef-til-leje", planned_cost=Decimal("37301.90"))
    services.plan_set_status(plan=small, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 1))
    small.refresh_from_db()
    assert small.aid_eur == Decimal("5000.00")  # 37,301.90 kr. at 7.46038
    assert small.aid_granted_on == dt.date(2018, 2, 1)

    big = make_plan(firm, consultant_a, type_code="hr-chef-til-leje", planned_cost=Decimal("50000"))
    status = services.de_minimis_status(company=firm, on=dt.date(2018, 2, 2), adding_dkk=big.planned_cost)
    assert status.exceeded and status.total_eur > status.ceiling_eur == Decimal("200000")

    with pytest.raises(ValidationError) as caught:
        services.plan_set_status(plan=big, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 2))
    assert "1407/2013" in errors(caught)["status"][0]
    big.refresh_from_db()
    assert big.status == Status.DRAFT and big.aid_eur is None


def test_aid_outside_the_three_fiscal_years_does_not_count(consultant_a, firm):
    old = make_plan(firm, consultant_a, type_code="hr-chef-til-leje", planned_cost=Decimal("745000"))
    services.plan_set_status(plan=old, status=Status.APPROVED, by=consultant_a, on=dt.date(2017, 3, 1))

    assert services.de_minimis_status(company=firm, on=dt.date(2019, 12, 31)).granted_eur > 0
    assert services.de_minimis_status(company=firm, on=dt.date(2020, 1, 1)).granted_eur == 0


def test_rkv_towards_an_education_is_recorded_but_not_charged(consultant_a, firm):
    rkv = make_plan(firm, consultant_a, type_code="rkv-uddannelse", planned_cost=Decimal("8000"))
    services.plan_set_status(plan=rkv, status=Status.APPROVED, by=consultant_a, on=dt.date(2018, 2, 1))

    rkv.refresh_from_db()
    assert rkv.charged_to_project is False
    assert rkv.aid_dkk == 0 and rkv.aid_eur == 0


def test_the_substantial_part_warning_follows_the_headcount_and_the_threshold(consultant_a, firm):
    plan = make_plan(firm, consultant_a, type_code="hr-chef-til-leje", staff_taking_part=2)
    assert "medarbejdertal" in services.substantial_part_warning(plan=plan)

    services.headcount_record(
        company=firm,
        by=consultant_a,
        counted_on=dt.date(2018, 1, 15),
        employees=20,
        managers=2,
        occasion="start",
        source="cvr",
    )
    assert "2 af 20" in services.substantial_part_warning(plan=plan)

    plan.staff_taking_part = 5  # 25 %
    assert services.substantial_part_warning(plan=plan) is None


def test_a_headcount_cannot_have_more_managers_than_staff(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        services.headcount_record(
            company=firm, by=consultant_a, counted_on=YESTERDAY, employees=3, managers=4, occasion="start", source="cvr"
        )

    assert "managers" in errors(caught)


def test_a_decision_offering_activities_becomes_draft_plans(consultant_a, firm):
    # The arguments the meetings work passes (companies.agenda_services.decision_record).
    decision = SimpleNamespace(
        company=firm,
        lead_consultant=consultant_a,
        lead_consultant_id=consultant_a.pk,
        text="Partnerskabet tilbyder en vækststrategi og uddannelsesplaner for operatørerne.",
        deadline=dt.date.today() + dt.timedelta(days=60),
        activity_types=[activity_type("vaekststrategi"), activity_type("uddannelsesplan")],
    )

    results = registry.run_hooks("decision_recorded", decision=decision, by=consultant_a)

    plans = [plan for result in results if isinstance(result, list) for plan in result]
    assert sorted(p.activity_type.code for p in plans) == ["uddannelsesplan", "vaekststrategi"]
    assert all(p.status == Status.DRAFT and p.responsible == consultant_a for p in plans)
    assert all(p.purpose == decision.text for p in plans)
    assert ActivityPlan.objects.filter(company=firm).count() == 2


# ---------------------------------------------------------------------------
# Time registration
# ---------------------------------------------------------------------------
def hours(by, amount, *, day=YESTERDAY, **target):
    target = target or {"partnership": by.memberships.first().partnership}
    target.setdefault("project", project("vaekstrettet"))
    return services.time_entry_add(by=by, day_=day, hours=Decimal(amount), kind="moede", **target)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-1", "Timer skal være større end 0."),
        ("0", "Timer skal være større end 0."),
        ("24.5", "Der er højst 24 timer på en dag."),
    ],
)
def test_hours_that_are_negative_zero_or_over_24_are_refused(consultant_a, amount, message):
    with pytest.raises(ValidationError) as caught:
        hours(consultant_a, amount)

    assert errors(caught)["hours"] == [message]
    assert not TimeEntry.objects.exists()


def test_more_than_24_hours_on_one_day_in_all_is_refused(consultant_a):
    hours(consultant_a, "20")

    with pytest.raises(ValidationError) as caught:
        hours(consultant_a, "4.5")

    assert "20,00 timer" in errors(caught)["hours"][0]


def test_hours_in_the_future_are_refused(consultant_a):
    with pytest.raises(ValidationError) as caught:
        hours(consultant_a, "2", day=dt.date.today() + dt.timedelta(days=1))

    assert "day" in errors(caught)


def test_an_activitys_hours_belong_to_its_project(consultant_a, plan):
    entry = hours(consultant_a, "3", plan=plan, project=None)
    assert entry.project.code == "erhvervsfaglige"

    with pytest.raises(ValidationError) as caught:
        hours(consultant_a, "1", plan=plan, project=project("vaekstrettet"))
    assert "project" in errors(caught)


def test_hours_cannot_go_on_another_partnerships_activity(consultant_b, plan):
    with pytest.raises(ValidationError) as caught:
        hours(consultant_b, "2", plan=plan, project=None)

    assert "target" in errors(caught)


def test_a_submitted_week_is_signed_and_locked(consultant_a):
    entry = hours(consultant_a, "2")
    sheet = services.timesheet_submit(sheet=entry.timesheet, by=consultant_a)

    assert sheet.status == Timesheet.Status.SUBMITTED and sheet.submitted_at is not None
    with pytest.raises(ValidationError):
        hours(consultant_a, "1")
    with pytest.raises(ValidationError):
        services.time_entry_delete(entry=entry, by=consultant_a)


def test_management_or_the_organisations_approver_approves_a_week_but_nobody_their_own(
    consultant_a, management, partnership_a
):
    entry = hours(consultant_a, "2")
    sheet = services.timesheet_submit(sheet=entry.timesheet, by=consultant_a)
    other_org = UserFactory(
        approves_timesheets=True, organisation=Organisation.objects.exclude(pk=consultant_a.organisation_id).first()
    )
    colleague = UserFactory(approves_timesheets=True, organisation=consultant_a.organisation)
    plain_colleague = UserFactory(organisation=consultant_a.organisation)

    for refused in (consultant_a, other_org, plain_colleague):
        with pytest.raises(PermissionDenied):
            services.timesheet_approve(sheet=sheet, by=refused)

    services.timesheet_return(sheet=sheet, by=colleague, note="Mødet 3. lå om eftermiddagen")
    sheet.refresh_from_db()
    assert sheet.status == Timesheet.Status.OPEN and sheet.returned_note

    services.timesheet_submit(sheet=sheet, by=consultant_a)
    approved = services.timesheet_approve(sheet=sheet, by=management)
    assert approved.status == Timesheet.Status.APPROVED and approved.approved_by == management


def test_hours_over_the_monthly_cap_are_flagged(consultant_a):
    month = dt.date(2018, 10, 1)
    for offset in range(6):
        hours(consultant_a, "23.5", day=month + dt.timedelta(days=offset))
    hours(consultant_a, "19", day=month + dt.timedelta(days=6))
    assert not services.month_hours(user=consultant_a, month=month).over_cap  # 160 of 160.33

    hours(consultant_a, "1", day=month + dt.timedelta(days=7))
    result = services.month_hours(user=consultant_a, month=month)
    assert result.cap == Decimal("160.33")
    assert result.over_cap and result.over_by == Decimal("0.67")


def test_no_cap_before_september_2018(consultant_a):
    hours(consultant_a, "8", day=dt.date(2018, 3, 5))

    assert services.month_hours(user=consultant_a, month=dt.date(2018, 3, 1)).cap is None


# ---------------------------------------------------------------------------
# Revealing and exporting CPR numbers
# ---------------------------------------------------------------------------
def test_revealing_needs_the_permission_two_factors_and_a_reason_and_is_recorded(
    consultant_a, management, partnership_a
):
    participant = register(consultant_a, partnership_a, number="010180-1234")

    with pytest.raises(PermissionDenied):
        services.participant_reveal_cpr(
            participant=participant, by=consultant_a, reason="Indberetning", two_factor=True
        )
    with pytest.raises(services.TwoFactorRequired):
        services.participant_reveal_cpr(participant=participant, by=management, reason="Indberetning", two_factor=False)
    with pytest.raises(ValidationError) as caught:
        services.participant_reveal_cpr(participant=participant, by=management, reason=" ", two_factor=True)
    assert "reason" in errors(caught)
    assert not CprReveal.objects.exists()

    shown = services.participant_reveal_cpr(
        participant=participant, by=management, reason="Indberetning til Erhvervsstyrelsen", two_factor=True
    )

    assert shown == "010180-1234"
    reveal = CprReveal.objects.get()
    assert (reveal.by, reveal.kind, reveal.reason) == (management, "vist", "Indberetning til Erhvervsstyrelsen")


def test_an_export_with_cpr_numbers_records_each_number_exported(consultant_a, management, partnership_a):
    people = [register(consultant_a, partnership_a, number=synthetic_cpr(n)) for n in (1, 2, 3)]

    rows = list(services.participant_cpr_export(participants=people, by=management, reason="Revision", two_factor=True))

    assert [number for _p, number in rows] == [synthetic_cpr(n, sep=True) for n in (1, 2, 3)]
    assert CprReveal.objects.filter(kind="eksport").count() == 3
