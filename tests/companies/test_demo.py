"""The companies demo data (``companies/demo.py``): shaped like the region, consistent with the
portal's rules, deterministic and idempotent.

``seed_demo`` takes a few seconds, so the module seeds once and shares the data read-only; it is
removed again when the module ends, so other test modules start from an empty database. Tests that
seed again (twice, ``--reset``, ``--scale 2``) do so inside their own transaction, which is rolled
back.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import Decimal
from itertools import pairwise

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from stdnum.dk import cvr as stdnum_cvr

from companies import demo
from companies.models import (
    AgendaProposal,
    CaseStatus,
    Company,
    CompanySource,
    CompetenceNeed,
    SharingConsent,
    SizeClass,
    StatusChange,
    Visit,
)
from companies.services import company_refresh_visit_dates
from companies.sme import assess_sme
from kompetence import registry
from partnerships.models import Membership, Municipality, PartnershipMunicipality, User

pytestmark = pytest.mark.django_db


def seed_demo(*args: str) -> None:
    call_command("seed_demo", *args, stdout=io.StringIO())


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_demo()
    yield
    with django_db_blocker.unblock(), transaction.atomic():
        for step in reversed(registry.demo_steps()):
            step.reset()


def firm_demo():
    """The firm demo's firms; the request demo (companies/demo_requests.py) registers a few more from
    its requests, with only what a request says about them."""
    return Company.objects.exclude(source=CompanySource.REQUEST)


def counts() -> dict[str, int]:
    """Rows per model of the companies app, with the history and many-to-many tables."""
    config = apps.get_app_config("companies")
    return {model.__name__: model.objects.count() for model in config.get_models(include_auto_created=True)}


def systems_per_visit() -> dict[int, set[str]]:
    systems = defaultdict(set)
    for visit_id, system in Visit.consultants.through.objects.values_list("visit_id", "user__organisation__system_id"):
        systems[visit_id].add(system)
    return systems


# ---------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------
def test_seed_gives_about_400_firms_with_valid_unique_cvr_numbers():
    numbers = list(firm_demo().values_list("cvr", flat=True))

    assert 380 <= len(numbers) <= 420
    assert all(stdnum_cvr.is_valid(n) and n[0] != "0" for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert all(demo.DEMO_CVR_FIRST <= n <= demo.DEMO_CVR_LAST for n in numbers)


def test_every_firm_belongs_to_the_partnership_covering_its_municipality():
    covering = dict(PartnershipMunicipality.objects.values_list("municipality_id", "partnership_id"))
    firms = Company.objects.values_list("municipality_id", "partnership_id", "partnership_overridden")

    assert all(partnership == covering[code] and not overridden for code, partnership, overridden in firms)


def test_firms_are_spread_over_all_19_municipalities_by_size():
    per_municipality = Counter(Company.objects.values_list("municipality__name", flat=True))

    assert set(per_municipality) == set(Municipality.objects.values_list("name", flat=True))
    assert len(per_municipality) == 19
    assert per_municipality.most_common(1)[0][0] == "Aarhus"
    assert per_municipality["Samsø"] == min(per_municipality.values())


def test_firms_have_danish_addresses_with_the_municipalitys_postcodes():
    for firm in firm_demo()[:100]:
        towns = demo.words.AREAS[firm.municipality_id].towns
        assert (firm.postcode, firm.city) in {(t.postcode, t.city) for t in towns}
        street, number = firm.address.rsplit(" ", 1)
        assert street and number[0].isdigit()
        assert firm.industry_code[:2].isdigit() and len(firm.industry_code) == 6


def test_size_class_follows_the_eu_sme_rule_and_some_firms_are_not_smes():
    firms = list(Company.objects.all())
    for firm in firms:
        expected = assess_sme(
            employees=firm.employees,
            employee_band=firm.employee_band,
            turnover_eur_m=firm.turnover_eur_m,
            balance_eur_m=firm.balance_eur_m,
            part_of_group=firm.part_of_group,
        )
        assert firm.size_class == expected.size_class

    sizes = Counter(f.size_class for f in firms)
    assert sizes[SizeClass.LARGE] >= 5
    assert any(f.employees and f.employees > 250 for f in firms)
    assert any(f.employees is None and f.employee_band for f in firms)
    assert any(isinstance(f.turnover_eur_m, Decimal) for f in firms)
    assert sum(5 <= (f.employees or 0) <= 150 for f in firms) > len(firms) / 2


def test_contacts_have_danish_phone_numbers_and_roles_including_shop_stewards():
    contacts = list(apps.get_model("companies", "ContactPerson").objects.all())

    assert {c.role for c in contacts} == {"ejer", "leder", "hr", "tr"}
    assert all(c.phone.startswith("+45 ") and len(c.phone) == len("+45 86 12 34 56") for c in contacts)
    assert all("@" in c.email and c.email.isascii() for c in contacts)


def test_about_half_the_firms_have_consented_to_sharing():
    share = SharingConsent.objects.values("company").distinct().count() / Company.objects.count()

    assert 0.35 <= share <= 0.65


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------
def test_every_case_status_occurs():
    assert set(Company.objects.values_list("status", flat=True)) == set(CaseStatus.values)


def test_each_firms_status_changes_form_a_path_that_ends_in_its_status():
    now = timezone.now()
    changes = defaultdict(list)
    for change in StatusChange.objects.order_by("changed_at", "pk"):
        changes[change.company_id].append(change)

    for firm in Company.objects.all():
        path = changes[firm.pk]
        assert path[0].from_status == ""
        assert path[-1].to_status == firm.status
        assert all(a.to_status == b.from_status for a, b in pairwise(path))
        assert path[-1].changed_at <= now


def test_lead_consultants_and_visiting_consultants_are_members_of_the_firms_partnership():
    members = set(Membership.objects.values_list("partnership_id", "user_id"))

    leads = Company.objects.exclude(lead_consultant=None).values_list("partnership_id", "lead_consultant_id")
    present = Visit.consultants.through.objects.values_list("visit__company__partnership_id", "user_id")
    assert set(leads) <= members
    assert set(present) <= members
    assert Company.objects.exclude(lead_consultant=None).count() > 300


# ---------------------------------------------------------------------------
# Visits, needs and proposals
# ---------------------------------------------------------------------------
def test_about_a_thousand_visits_over_the_programme_years_and_this_year():
    years = Counter(d.year for d in Visit.objects.values_list("visit_date", flat=True))

    assert 850 <= sum(years.values()) <= 1200
    assert years[2017] and years[2018] and years[2019]
    assert years[timezone.localdate().year] > 100
    assert set(Visit.objects.values_list("kind", flat=True)) == set(Visit.Kind.values)


def test_every_visit_has_consultants_and_about_a_quarter_are_joint_across_systems():
    systems = systems_per_visit()
    joint = sum(len(s) > 1 for s in systems.values())

    assert len(systems) == Visit.objects.count()
    assert joint >= 1
    assert 0.15 <= joint / len(systems) <= 0.4


def test_no_completed_visit_lies_in_the_future_but_some_drafts_are_planned():
    today = timezone.localdate()
    completed = Visit.objects.filter(status=Visit.Status.COMPLETED)

    assert not completed.filter(visit_date__gt=today).exists()
    assert not completed.filter(completed_at=None).exists()
    assert Visit.objects.filter(status=Visit.Status.DRAFT, visit_date__gt=today).count() >= 3


def test_follow_ups_never_lie_before_their_visit():
    for visit_date, follow_up in Visit.objects.exclude(follow_up_on=None).values_list("visit_date", "follow_up_on"):
        assert follow_up >= visit_date


def test_last_visit_and_next_follow_up_match_the_completed_visits():
    latest = dict(
        Visit.objects.filter(status=Visit.Status.COMPLETED)
        .values("company")
        .annotate(last=Max("visit_date"))
        .values_list("company", "last")
    )
    firms = list(Company.objects.all())
    assert all(firm.last_visit_on == latest.get(firm.pk) for firm in firms)

    # The service's own rule, on a sample: refreshing changes nothing.
    for firm in firms[::15]:
        stored = (firm.last_visit_on, firm.next_follow_up_on)
        company_refresh_visit_dates(firm)
        assert (firm.last_visit_on, firm.next_follow_up_on) == stored


def test_demo_consultant_leads_about_15_firms_with_follow_ups_overdue_and_due_soon():
    today = timezone.localdate()
    consultant = User.objects.get(email=demo.DEMO_CONSULTANT)
    mine = Company.objects.filter(lead_consultant=consultant)

    assert 10 <= mine.count() <= 20
    assert mine.filter(next_follow_up_on__lt=today).exists()
    assert mine.filter(next_follow_up_on__gte=today, next_follow_up_on__lte=today + dt.timedelta(days=14)).exists()
    assert Visit.objects.filter(consultants=consultant).exclude(company__in=mine).exists()


def test_needs_cover_every_area_and_status_and_name_staff_groups():
    needs = list(CompetenceNeed.objects.training())

    assert {n.area for n in needs} == set(CompetenceNeed.Area.values)
    assert {n.status for n in needs} == set(CompetenceNeed.Status.values)
    assert all(n.staff_groups for n in needs)
    assert all(n.visit_id and n.visit.company_id == n.company_id for n in needs[:50])
    visited = Company.objects.exclude(last_visit_on=None).count()
    assert 1 <= len(needs) / visited <= 3


def test_visits_flagged_for_the_partnership_have_agenda_proposals_and_some_are_pending():
    proposals = AgendaProposal.objects.select_related("visit", "company")

    assert set(proposals.values_list("status", flat=True)) == set(AgendaProposal.Status.values)
    assert all(p.visit.for_partnership and p.partnership_id == p.company.partnership_id for p in proposals)
    pending = proposals.filter(status=AgendaProposal.Status.PENDING)
    assert pending.count() >= 5
    assert all(p.company.status == CaseStatus.VISITED for p in pending)


def test_timestamps_are_historical_not_the_time_of_seeding():
    first = StatusChange.objects.order_by("changed_at").first()
    visits = Visit.objects.filter(visit_date__year=2018)

    assert first.changed_at.year <= 2017
    assert all(v.created_at.date() >= v.visit_date and v.created_at.year <= 2019 for v in visits)
    assert Visit.history.count() == Visit.objects.count()


# ---------------------------------------------------------------------------
# Idempotent, deterministic, scalable
# ---------------------------------------------------------------------------
def test_running_seed_demo_twice_adds_nothing():
    before = counts()

    seed_demo()

    assert counts() == before


def content() -> tuple[set, set]:
    firms = Company.objects.values_list("cvr", "name", "status", "lead_consultant__email", "next_follow_up_on")
    visits = Visit.objects.values_list(
        "company__cvr", "visit_date", "kind", "summary", "created_by__email", "created_at"
    )
    return set(firms), set(visits)


def test_reset_gives_the_same_data_again():
    before, data = counts(), content()

    seed_demo("--reset")

    assert counts() == before
    assert content() == data


def test_scale_2_roughly_doubles_firms_visits_and_needs():
    before = counts()

    seed_demo("--reset", "--scale", "2")

    after = counts()
    assert after["Company"] == 2 * before["Company"]
    for model in ("Visit", "CompetenceNeed"):
        assert 1.7 <= after[model] / before[model] <= 2.3


# ---------------------------------------------------------------------------
# Small parts
# ---------------------------------------------------------------------------
def test_summary_is_a_danish_one_liner_and_says_when_nothing_was_added():
    assert demo.summary(demo.Seeded(1000, 1025, 812)) == "1.000 virksomheder, 1.025 besøg, 812 kompetencebehov"
    assert "intet tilføjet" in demo.summary(demo.Seeded(400, 1000, 600, created=False))


@pytest.mark.parametrize("base", [3000000, 3141592, 3999999, 3456789])
def test_cvr_from_base_gives_a_valid_number_or_none(base):
    number = demo.cvr_from_base(base)

    assert number is None or (stdnum_cvr.is_valid(number) and number.startswith(str(base)))


def test_apportion_splits_exactly_and_keeps_small_shares():
    assert demo.apportion(400, [345, 4, 51]) == [345, 4, 51]
    assert sum(demo.apportion(20000, [3, 7, 11])) == 20000
    assert demo.apportion(10, [100, 1]) == [10, 0]


# ---------------------------------------------------------------------------
# Én indgang and recruitment needs (companies/demo_requests.py)
# ---------------------------------------------------------------------------
def test_about_40_public_requests_in_every_state_some_from_firms_they_registered():
    from companies.models import PublicRequest

    requests = list(PublicRequest.objects.select_related("company"))

    assert 35 <= len(requests) <= 45
    assert {r.status for r in requests} == set(PublicRequest.Status.values)
    assert any(r.forwarded_from_id for r in requests)
    registered = [r for r in requests if r.created_company]
    assert registered and all(r.company.source == CompanySource.REQUEST for r in registered)
    assert all(r.partnership_id == r.company.partnership_id for r in requests)
    assert all(r.taken_by_id and r.taken_at for r in requests if r.status == PublicRequest.Status.TAKEN)
    consultant = User.objects.get(email="konsulent@demo.dk")
    assert PublicRequest.objects.for_user(consultant).new().exists()


def test_recruitment_needs_on_about_a_tenth_of_the_firms_some_closed_with_an_outcome():
    from companies.models import RecruitmentNeed

    details = list(RecruitmentNeed.objects.select_related("need"))
    firms = {d.need.company_id for d in details}

    assert 0.08 <= len(firms) / firm_demo().count() <= 0.12
    assert all(d.need.kind == CompetenceNeed.Kind.RECRUITMENT and d.positions >= 1 for d in details)
    closed = [d for d in details if d.outcome]
    assert closed and all(d.closed_on and d.need.status not in CompetenceNeed.OPEN_STATUSES for d in closed)
    assert {d.outcome for d in closed} == set(RecruitmentNeed.Outcome.values)
    consultant = User.objects.get(email="konsulent@demo.dk")
    assert CompetenceNeed.objects.for_user(consultant).recruitment().open().exists()
