"""The companies services, called directly (no HTTP): every rule of firms, visits, needs and cases.

Pages are tested through the client elsewhere; here each rule is checked where it lives, so a form or
view that forgot to call it could not hide it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies import services
from companies.models import AgendaProposal, CaseStatus, Company, CompetenceNeed, StatusChange, Visit
from partnerships.models import IndustrySection, Municipality
from tests.companies.factories import CompanyFactory, ContactPersonFactory, VisitFactory, consultant_in, valid_cvr
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture
def firm(partnership_a):
    return CompanyFactory(partnership=partnership_a, name="Alfa Smed ApS")


def register(by, **fields):
    defaults = {
        "cvr": valid_cvr(31000000),
        "name": "Ny Virksomhed ApS",
        "municipality": Municipality.objects.get(code=751),
    }
    return services.company_create(by=by, **{**defaults, **fields})


def messages(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


# ---------------------------------------------------------------------------
# Registering and editing a firm
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("cvr", "message"),
    [
        ("1234567", "Et CVR-nummer har 8 cifre (du skrev 7)."),
        ("1234567a", "Et CVR-nummer består kun af cifre."),
        ("12345678", "kontrolcifferet passer ikke"),
    ],
)
def test_company_create_refuses_an_invalid_cvr_number_and_writes_nothing(consultant_a, partnership_a, cvr, message):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, cvr=cvr)

    assert any(message in text for text in messages(caught)["cvr"])
    assert not Company.objects.exists()


def test_company_create_normalises_spaces_and_dk_in_the_cvr_number(consultant_a, partnership_a):
    cvr = valid_cvr(31000000)

    company = register(consultant_a, cvr=f"DK {cvr[:4]} {cvr[4:]}")

    assert company.cvr == cvr


def test_a_duplicate_cvr_in_the_users_partnerships_points_at_the_existing_firm(consultant_a, firm):
    with pytest.raises(services.DuplicateCompany) as caught:
        register(consultant_a, cvr=firm.cvr)

    assert caught.value.existing == firm
    assert messages(caught)["cvr"] == ["Virksomheden er allerede registreret."]


def test_a_duplicate_cvr_held_elsewhere_names_the_partnership_and_whom_to_call_only(consultant_b, firm, consultant_a):
    services.company_set_lead(company=firm, lead=consultant_a, by=consultant_a)

    with pytest.raises(services.DuplicateCompany) as caught:
        register(consultant_b, cvr=firm.cvr, municipality=Municipality.objects.get(code=657))

    assert caught.value.existing is None
    (text,) = messages(caught)["cvr"]
    assert "LKS Alfa" in text and "konsulent.a@example.dk" in text
    assert "Alfa Smed" not in text  # the firm's own data stays in its partnership


def test_changing_a_firms_cvr_to_another_firms_is_refused(consultant_a, firm, partnership_a):
    other = CompanyFactory(partnership=partnership_a, name="Anden ApS")

    with pytest.raises(services.DuplicateCompany) as caught:
        services.company_update(company=other, by=consultant_a, cvr=firm.cvr)

    assert "Alfa Smed ApS" in messages(caught)["cvr"][0]
    other.refresh_from_db()
    assert other.cvr != firm.cvr


def test_the_industry_section_follows_the_industry_code(consultant_a, partnership_a):
    company = register(consultant_a, industry_code="251100")

    assert company.industry_section_id == "C"


def test_an_industry_code_of_another_section_than_the_one_chosen_is_refused(consultant_a, partnership_a):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, industry_code="251100", industry_section=IndustrySection.objects.get(code="F"))

    assert messages(caught)["industry_code"] == ["Branchekoden 251100 hører til branche C, ikke F."]


@pytest.mark.parametrize("code", ["25110", "2511OO", "25110²", "000000"])
def test_an_industry_code_that_is_not_six_digits_of_a_section_is_refused(consultant_a, partnership_a, code):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, industry_code=code)

    assert messages(caught)["industry_code"] == ["En branchekode (DB07) består af 6 cifre, fx 251100."]
    assert not Company.objects.exists()


def test_a_firm_belongs_to_the_partnership_of_its_municipality_unless_one_is_chosen(
    consultant_a, partnership_a, partnership_b
):
    automatic = register(consultant_a, cvr=valid_cvr(31000000))
    chosen = register(consultant_a, cvr=valid_cvr(31000100), partnership=partnership_b)

    assert (automatic.partnership, automatic.partnership_overridden) == (partnership_a, False)
    assert (chosen.partnership, chosen.partnership_overridden) == (partnership_b, True)


def test_a_new_municipality_moves_a_firm_unless_its_partnership_was_chosen(consultant_a, partnership_a, partnership_b):
    automatic = register(consultant_a, cvr=valid_cvr(31000000))
    chosen = register(consultant_a, cvr=valid_cvr(31000100), partnership=partnership_a)  # the default: not an override
    overridden = register(consultant_a, cvr=valid_cvr(31000200), partnership=partnership_b)
    herning = Municipality.objects.get(code=657)

    for company in (automatic, chosen, overridden):
        services.company_update(company=company, by=consultant_a, municipality=herning)

    assert automatic.partnership == partnership_b
    assert chosen.partnership == partnership_b
    assert overridden.partnership == partnership_b and overridden.partnership_overridden


def test_partnership_none_means_the_municipality_s_and_clears_an_override(consultant_a, partnership_a, partnership_b):
    company = register(consultant_a, partnership=partnership_b)

    services.company_update(company=company, by=consultant_a, partnership=None)

    assert (company.partnership, company.partnership_overridden) == (partnership_a, False)


def test_a_municipality_no_partnership_covers_needs_a_chosen_partnership(consultant_a, partnership_a):
    with pytest.raises(ValidationError) as caught:
        register(consultant_a, municipality=Municipality.objects.get(code=730))

    assert "Ingen partnerskab dækker Randers" in messages(caught)["municipality"][0]


def test_the_size_class_is_worked_out_when_the_firm_is_saved(consultant_a, partnership_a):
    company = register(consultant_a, employees=30, turnover_eur_m=Decimal("3.5"))

    assert company.size_class == "small"


def test_registering_a_firm_records_its_first_status(consultant_a, partnership_a):
    company = register(consultant_a)

    (change,) = StatusChange.objects.filter(company=company)
    assert (change.from_status, change.to_status, change.changed_by) == ("", CaseStatus.IDENTIFIED, consultant_a)


# ---------------------------------------------------------------------------
# The case's status and lead
# ---------------------------------------------------------------------------
def test_a_step_back_in_the_pipeline_needs_a_reason(consultant_a, firm):
    services.company_set_status(company=firm, status=CaseStatus.VISITED, by=consultant_a)

    with pytest.raises(ValidationError) as caught:
        services.company_set_status(company=firm, status=CaseStatus.IDENTIFIED, by=consultant_a, note="  ")

    assert messages(caught)["note"] == ["Skriv hvorfor sagen går tilbage fra »Besøgt« til »Identificeret«."]
    firm.refresh_from_db()
    assert firm.status == CaseStatus.VISITED
    assert services.company_set_status(
        company=firm, status=CaseStatus.IDENTIFIED, by=consultant_a, note="Forkert virksomhed besøgt"
    )


def test_not_relevant_may_be_chosen_and_left_without_a_reason(consultant_a, firm):
    services.company_set_status(company=firm, status=CaseStatus.VISITED, by=consultant_a)

    assert services.company_set_status(company=firm, status=CaseStatus.NOT_RELEVANT, by=consultant_a)
    assert services.company_set_status(company=firm, status=CaseStatus.CONTACTED, by=consultant_a)


def test_an_unknown_status_is_refused(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        services.company_set_status(company=firm, status="lukket", by=consultant_a)

    assert messages(caught)["status"] == ["Vælg en gyldig status."]


def test_only_an_active_member_of_the_partnership_may_be_lead(consultant_a, consultant_b, firm):
    with pytest.raises(ValidationError):
        services.company_set_lead(company=firm, lead=consultant_b, by=consultant_a)
    consultant_a.is_active = False
    consultant_a.save()
    with pytest.raises(ValidationError):
        services.company_set_lead(company=firm, lead=consultant_a, by=consultant_a)


# ---------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------
def new_visit(firm, by, *, complete=True, **fields):
    return services.visit_create(
        company=firm,
        by=by,
        fields={"visit_date": TODAY() - dt.timedelta(days=1), **fields},
        consultants=[by],
        complete=complete,
    )


def test_a_completed_visit_cannot_lie_in_the_future_but_a_planned_draft_may(consultant_a, firm):
    tomorrow = TODAY() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as caught:
        new_visit(firm, consultant_a, visit_date=tomorrow)
    draft = new_visit(firm, consultant_a, complete=False, visit_date=tomorrow)

    assert "kan ikke ligge i fremtiden" in messages(caught)["visit_date"][0]
    assert draft.status == Visit.Status.DRAFT


def test_a_visit_before_the_programme_started_is_refused(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        new_visit(firm, consultant_a, visit_date=dt.date(1900, 1, 1))

    assert messages(caught)["visit_date"] == ["Besøgsdatoen kan ikke ligge før programmets start (1. januar 2017)."]
    assert not Visit.objects.exists()


def test_the_follow_up_cannot_come_before_the_visit(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        new_visit(firm, consultant_a, follow_up_on=TODAY() - dt.timedelta(days=10))

    assert messages(caught)["follow_up_on"] == ["Opfølgningsdatoen kan ikke ligge før besøgsdatoen."]


def test_a_visit_needs_a_consultant_who_is_an_active_member_with_an_accepted_invitation(
    consultant_a, consultant_b, partnership_a, firm
):
    invited = UserFactory()
    invited.set_unusable_password()
    invited.save()
    MembershipFactory(user=invited, partnership=partnership_a)
    fields = {"visit_date": TODAY()}

    for consultants, field_message in (
        ([], "Vælg mindst én deltagende konsulent."),
        ([consultant_b], "Deltagende konsulenter skal være aktive medlemmer af virksomhedens partnerskab."),
        ([invited], "Deltagende konsulenter skal være aktive medlemmer af virksomhedens partnerskab."),
    ):
        with pytest.raises(ValidationError) as caught:
            services.visit_create(company=firm, by=consultant_a, fields=fields, consultants=consultants)
        assert messages(caught)["consultants"] == [field_message]
    assert not Visit.objects.exists()


def test_a_summary_over_the_limit_is_refused_not_cut(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        new_visit(firm, consultant_a, summary="x" * 2_000_000)

    assert "summary" in messages(caught)
    assert not Visit.objects.exists()


def test_markup_is_stored_as_typed(consultant_a, firm):
    visit = new_visit(firm, consultant_a, summary="<script>alert(1)</script>")

    assert Visit.objects.get(pk=visit.pk).summary == "<script>alert(1)</script>"


def test_completing_a_visit_moves_the_case_dates_status_lead_and_proposes_the_firm(consultant_a, firm):
    visit = new_visit(
        firm,
        consultant_a,
        follow_up_on=TODAY() + dt.timedelta(days=30),
        for_partnership=True,
        next_step="Uddannelsesplan til tre operatører",
    )

    firm.refresh_from_db()
    assert visit.completed_at is not None
    assert (firm.last_visit_on, firm.next_follow_up_on) == (visit.visit_date, visit.follow_up_on)
    assert firm.status == CaseStatus.VISITED
    assert firm.lead_consultant == consultant_a
    assert AgendaProposal.objects.get(company=firm).reason == "Uddannelsesplan til tre operatører"


def test_a_draft_changes_nothing_on_the_case(consultant_a, firm):
    new_visit(firm, consultant_a, complete=False, for_partnership=True)

    firm.refresh_from_db()
    assert (firm.status, firm.last_visit_on) == (CaseStatus.IDENTIFIED, None)
    assert not AgendaProposal.objects.exists()


def test_completing_a_draft_later_proposes_it_once_and_editing_again_does_not_repropose(consultant_a, firm):
    draft = new_visit(firm, consultant_a, complete=False, for_partnership=True)
    services.visit_update(
        visit=draft, by=consultant_a, expected_version=1, fields={}, consultants=[consultant_a], complete=True
    )
    AgendaProposal.objects.update(status=AgendaProposal.Status.TREATED)

    services.visit_update(
        visit=draft, by=consultant_a, expected_version=2, fields={"summary": "Rettet"}, consultants=[consultant_a]
    )

    assert AgendaProposal.objects.count() == 1


def test_a_stale_update_raises_and_writes_nothing(consultant_a, partnership_a, firm):
    colleague = consultant_in(partnership_a, system="business")
    visit = new_visit(firm, consultant_a, complete=False)
    services.visit_update(
        visit=visit, by=colleague, expected_version=1, fields={"summary": "Først"}, consultants=[consultant_a]
    )

    with pytest.raises(services.ConcurrentEditError) as caught:
        services.visit_update(
            visit=Visit.objects.get(pk=visit.pk),
            by=consultant_a,
            expected_version=1,
            fields={"summary": "Sidst"},
            consultants=[consultant_a],
        )

    assert caught.value.changed_by == colleague
    assert Visit.objects.get(pk=visit.pk).summary == "Først"


def test_a_need_that_fails_leaves_no_visit_behind(consultant_a, firm):
    with pytest.raises(ValidationError):
        services.visit_create(
            company=firm,
            by=consultant_a,
            fields={"visit_date": TODAY()},
            consultants=[consultant_a],
            needs=[{"area": "it", "description": "Gyldigt"}, {"area": "findes-ikke", "description": "Ugyldigt"}],
            complete=True,
        )

    assert not Visit.objects.exists() and not CompetenceNeed.objects.exists()


def test_the_firms_participants_must_be_its_own_people(consultant_a, firm, partnership_a):
    own = ContactPersonFactory(company=firm)
    stranger = ContactPersonFactory(company=CompanyFactory(partnership=partnership_a))

    visit = services.visit_create(
        company=firm,
        by=consultant_a,
        fields={"visit_date": TODAY()},
        consultants=[consultant_a],
        company_participants=[own, stranger],
    )

    assert list(visit.company_participants.all()) == [own]


# ---------------------------------------------------------------------------
# Needs, the agenda, consent
# ---------------------------------------------------------------------------
def test_a_need_with_an_unknown_area_or_an_impossible_head_count_is_refused(consultant_a, firm):
    for fields, field in (
        ({"area": "findes-ikke", "description": "x"}, "area"),
        ({"area": "it", "description": "x", "employees_affected": 0}, "employees_affected"),
        ({"area": "it", "description": ""}, "description"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.need_create(company=firm, by=consultant_a, **fields)
        assert field in messages(caught)
    assert not CompetenceNeed.objects.exists()


def test_a_firm_is_on_its_partnerships_list_once_until_treated(consultant_a, firm):
    first = services.agenda_propose(company=firm, by=consultant_a, reason="Første")
    second = services.agenda_propose(company=firm, by=consultant_a, reason="Anden")
    AgendaProposal.objects.update(status=AgendaProposal.Status.TREATED)
    third = services.agenda_propose(company=firm, by=consultant_a, reason="Tredje")

    assert first == second
    assert third != first
    assert services.agenda_open_proposal(firm) == third


def test_consent_cannot_be_given_in_the_future(consultant_a, firm):
    with pytest.raises(ValidationError) as caught:
        services.consent_record(
            company=firm, by=consultant_a, given_on=TODAY() + dt.timedelta(days=1), given_by="Ejer", given_to="LKS"
        )

    assert messages(caught)["given_on"] == ["Datoen for samtykket kan ikke ligge i fremtiden."]


def test_services_never_touch_another_partnerships_rows(consultant_a, firm):
    # A visit for a firm of another partnership: the consultants must be members of the firm's own
    # partnership, so a consultant of A cannot register a visit to a firm of B.
    foreign_firm = CompanyFactory(partnership=PartnershipFactory(municipalities=[615]))

    with pytest.raises(ValidationError):
        services.visit_create(
            company=foreign_firm, by=consultant_a, fields={"visit_date": TODAY()}, consultants=[consultant_a]
        )
    assert not VisitFactory._meta.model.objects.exists()
