"""Public requests (én indgang) and recruitment needs, through their services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from companies.models import (
    PRIVACY_NOTICE_VERSION,
    CaseStatus,
    Company,
    CompanySource,
    CompetenceNeed,
    ContactPerson,
    PublicRequest,
    RecruitmentNeed,
    StatusChange,
)
from companies.services import recruitment as recruitment_services
from companies.services import requests as services
from partnerships.models import Municipality
from tests.companies.factories import CompanyFactory, valid_cvr

pytestmark = pytest.mark.django_db

AARHUS, HERNING, SKIVE = 751, 657, 779
_capture = {}


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    """Each service call below is its own transaction: run its after-commit work (the e-mails) at its end."""
    _capture["run"] = django_capture_on_commit_callbacks


def committed(service, **kwargs):
    with _capture["run"](execute=True):
        return service(**kwargs)


def submit(**overrides):
    fields = {
        "cvr": valid_cvr(45000000),
        "company_name": "Nyfirma ApS",
        "postcode": "8000",
        "municipality": Municipality.objects.get(code=AARHUS),
        "contact_name": "Lise Holm",
        "contact_email": "lise@nyfirma.dk",
        "contact_phone": "12345678",
        "needs": ["need_upskilling"],
        "description": "Vi skal have opkvalificeret vores operatører.",
        "consent": True,
    }
    fields.update(overrides)
    return committed(services.request_submit, **fields)


def test_an_unknown_cvr_registers_the_firm_in_the_municipalitys_partnership(partnership_a, secretariat_a):
    result = submit()

    request = result.request
    company = request.company
    assert not result.duplicate
    assert request.created_company
    assert company.partnership == partnership_a
    assert company.status == CaseStatus.IDENTIFIED
    assert company.source == CompanySource.REQUEST
    assert company.municipality_id == AARHUS
    assert StatusChange.objects.filter(company=company, to_status=CaseStatus.IDENTIFIED).count() == 1
    assert request.privacy_notice_version == PRIVACY_NOTICE_VERSION
    assert request.partnership == partnership_a and request.status == PublicRequest.Status.NEW


def test_a_known_firm_keeps_its_municipality_partnership_and_status(partnership_a, partnership_b):
    known = CompanyFactory(partnership=partnership_b, status=CaseStatus.VISITED)

    # The requester says Aarhus, but the firm is registered in Herning (partnership B): the register wins.
    request = submit(cvr=known.cvr, company_name="Andet navn").request

    known.refresh_from_db()
    assert request.company == known
    assert request.partnership == partnership_b
    assert not request.created_company
    assert known.status == CaseStatus.VISITED
    assert known.name != "Andet navn"
    assert Company.objects.count() == 1


def test_the_receipt_and_the_partnerships_notice_are_sent_after_commit(partnership_a, secretariat_a, consultant_a):
    submit()

    receipts = [m for m in mail.outbox if m.to == ["lise@nyfirma.dk"]]
    notices = [m for m in mail.outbox if "Ny henvendelse" in m.subject]
    assert len(receipts) == 1 and "5 arbejdsdage" in receipts[0].body
    assert len(notices) == 1
    assert set(notices[0].bcc) == {secretariat_a.email, consultant_a.email}
    # The notice names the firm, not the contact person's details.
    assert "Nyfirma ApS" in notices[0].body and "lise@nyfirma.dk" not in notices[0].body


def test_the_receipt_reads_the_same_for_a_known_and_an_unknown_firm(partnership_a):
    known = CompanyFactory(partnership=partnership_a)
    submit(cvr=known.cvr, company_name="Samme ApS")
    submit(company_name="Samme ApS")

    first, second = (m.body for m in mail.outbox if m.to == ["lise@nyfirma.dk"])
    assert (
        first.replace(known.cvr, "X").split("Vi har modtaget")[1][30:]
        == (second.replace(valid_cvr(45000000), "X").split("Vi har modtaget")[1][30:])
    )


def test_the_same_request_twice_within_a_minute_is_one_case_and_one_receipt(partnership_a):
    first = submit()
    second = submit(description="  Vi skal have   opkvalificeret vores operatører. ")

    assert second.duplicate and second.request == first.request
    assert PublicRequest.objects.count() == 1
    assert Company.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == ["lise@nyfirma.dk"]]) == 1


def test_the_same_request_after_a_minute_is_a_new_request(partnership_a):
    first = submit().request
    PublicRequest.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))

    second = submit()

    assert not second.duplicate
    assert PublicRequest.objects.count() == 2
    # The second request joins the firm the first one registered.
    assert second.request.company == first.company and not second.request.created_company


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"cvr": "12345678"}, "cvr", "kontrolcifferet"),
        ({"cvr": "1234"}, "cvr", "8 cifre"),
        ({"postcode": "2100"}, "postcode", "erhvervshus"),
        ({"postcode": "80"}, "postcode", "4 cifre"),
        ({"municipality": None}, "municipality", "Vælg den kommune"),
        ({"needs": []}, "needs", "mindst én"),
        ({"description": "   "}, "description", "egne ord"),
        ({"description": "x" * 100_000}, "description", "4000"),
        ({"consent": False}, "consent", "kontakte"),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(partnership_a, overrides, field, text):
    with pytest.raises(ValidationError) as error:
        submit(**overrides)

    assert text in " ".join(error.value.message_dict[field])
    assert not PublicRequest.objects.exists() and not Company.objects.exists()
    assert mail.outbox == []


def test_a_municipality_outside_the_region_is_refused_with_where_to_turn(partnership_a):
    elsewhere = Municipality.objects.create(code=101, name="København", region_code=1084)

    with pytest.raises(ValidationError) as error:
        submit(municipality=elsewhere)

    assert "jobnet.dk" in error.value.message_dict["municipality"][0]


def test_a_municipality_no_partnership_covers_is_refused_and_nothing_is_saved(partnership_a):
    with pytest.raises(ValidationError) as error:
        submit(municipality=Municipality.objects.get(code=SKIVE))

    assert "Skive" in error.value.message_dict["municipality"][0]
    assert not Company.objects.exists()


def test_taking_a_request_makes_it_the_takers_with_a_lead_and_adds_the_contact(
    partnership_a, secretariat_a, consultant_a
):
    request = submit().request

    services.request_take(request=request, by=secretariat_a, lead=consultant_a)

    request.refresh_from_db()
    request.company.refresh_from_db()
    assert request.status == PublicRequest.Status.TAKEN and request.taken_by == secretariat_a
    assert request.company.lead_consultant == consultant_a
    assert request.company.status == CaseStatus.IDENTIFIED
    contact = ContactPerson.objects.get(company=request.company)
    assert contact.email == "lise@nyfirma.dk" and contact.consent_to_contact


def test_a_request_is_taken_once_and_only_with_a_member_as_lead(partnership_a, secretariat_a, consultant_b):
    request = submit().request

    with pytest.raises(ValidationError) as error:
        services.request_take(request=request, by=secretariat_a, lead=consultant_b)
    assert "aktive medlemmer" in error.value.message_dict["lead"][0]

    services.request_take(request=request, by=secretariat_a, lead=secretariat_a)
    with pytest.raises(ValidationError) as error:
        services.request_take(request=request, by=secretariat_a, lead=secretariat_a)
    assert "allerede taget af Sara" in error.value.message_dict["lead"][0]


def test_sending_a_request_on_moves_the_firm_it_registered(partnership_a, partnership_b, secretariat_a, consultant_b):
    request = submit().request
    mail.outbox.clear()

    committed(services.request_forward, request=request, to=partnership_b, by=secretariat_a, note="Ligger i Herning.")

    request.refresh_from_db()
    request.company.refresh_from_db()
    assert request.partnership == partnership_b and request.forwarded_from == partnership_a
    assert request.company.partnership == partnership_b
    assert PublicRequest.objects.for_user(consultant_b).filter(pk=request.pk).exists()
    assert [m.bcc for m in mail.outbox] == [[consultant_b.email]]


def test_a_request_of_a_known_firm_stays_with_the_firms_partnership(partnership_a, partnership_b, secretariat_a):
    known = CompanyFactory(partnership=partnership_a)
    request = submit(cvr=known.cvr).request

    with pytest.raises(ValidationError) as error:
        services.request_forward(request=request, to=partnership_b, by=secretariat_a)

    assert "allerede registreret" in error.value.message_dict["partnership"][0]
    request.refresh_from_db()
    assert request.partnership == partnership_a


def test_the_receipt_task_sends_once(partnership_a):
    from companies.tasks import send_request_receipt

    request = submit().request
    send_request_receipt(request.pk)
    send_request_receipt(request.pk)
    send_request_receipt(999_999)

    assert len([m for m in mail.outbox if m.to == ["lise@nyfirma.dk"]]) == 1


# ---------------------------------------------------------------------------
# Recruitment needs
# ---------------------------------------------------------------------------
def recruit(company, by, **overrides):
    fields = {
        "job_title": "CNC-operatør",
        "positions": 2,
        "skills": "Heidenhain-styring",
        "deadline": timezone.localdate() + dt.timedelta(days=30),
        "foreign_specialists": True,
    }
    fields.update(overrides)
    return recruitment_services.recruitment_create(company=company, by=by, **fields)


def test_a_recruitment_need_is_a_need_of_kind_rekruttering_with_its_details(partnership_a, consultant_a):
    company = CompanyFactory(partnership=partnership_a)

    need = recruit(company, consultant_a)

    assert need.kind == CompetenceNeed.Kind.RECRUITMENT and need.description == "Heidenhain-styring"
    assert need.recruitment.positions == 2 and need.recruitment.foreign_specialists
    assert CompetenceNeed.objects.recruitment().open().count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"positions": 0}, "positions"),
        ({"positions": -3}, "positions"),
        ({"positions": None}, "positions"),
        ({"deadline": dt.date(2020, 1, 1)}, "deadline"),
        ({"job_title": ""}, "job_title"),
        ({"skills": ""}, "skills"),
    ],
)
def test_a_recruitment_need_with_bad_input_is_refused_and_nothing_saved(partnership_a, consultant_a, overrides, field):
    company = CompanyFactory(partnership=partnership_a)

    with pytest.raises(ValidationError) as error:
        recruit(company, consultant_a, **overrides)

    assert field in error.value.message_dict
    assert not CompetenceNeed.objects.exists() and not RecruitmentNeed.objects.exists()


def test_closing_a_recruitment_need_records_outcome_and_date(partnership_a, consultant_a):
    need = recruit(CompanyFactory(partnership=partnership_a), consultant_a)
    today = timezone.localdate()

    recruitment_services.recruitment_close(
        need=need, outcome=RecruitmentNeed.Outcome.PARTLY_FILLED, closed_on=today, by=consultant_a
    )

    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.COVERED
    assert need.recruitment.outcome == "delvist_besat" and need.recruitment.closed_on == today
    with pytest.raises(ValidationError) as error:
        recruitment_services.recruitment_close(need=need, outcome="besat", closed_on=today, by=consultant_a)
    assert "allerede lukket" in error.value.message_dict["outcome"][0]


def test_a_recruitment_need_cannot_close_in_the_future_or_without_an_outcome(partnership_a, consultant_a):
    need = recruit(CompanyFactory(partnership=partnership_a), consultant_a)

    with pytest.raises(ValidationError) as error:
        recruitment_services.recruitment_close(
            need=need, outcome="", closed_on=timezone.localdate() + dt.timedelta(days=1), by=consultant_a
        )

    assert set(error.value.message_dict) == {"outcome", "closed_on"}
    need.refresh_from_db()
    assert need.status == CompetenceNeed.Status.IDENTIFIED


def test_a_recruitment_need_is_closed_with_an_outcome_not_by_a_bare_status(partnership_a, consultant_a):
    from companies import services as company_services

    need = recruit(CompanyFactory(partnership=partnership_a), consultant_a)

    with pytest.raises(ValidationError) as error:
        company_services.need_set_status(need=need, status=CompetenceNeed.Status.COVERED, by=consultant_a)

    assert "lukkes med et resultat" in error.value.message_dict["status"][0]
