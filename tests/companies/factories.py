"""factory_boy factories for firms, contacts, visits and needs.

``CompanyFactory(partnership=p)`` puts the firm in ``p``; its municipality is one the partnership
covers when there is one. CVR numbers are generated with valid modulus-11 check digits.
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory

from companies.models import AgendaProposal, CaseStatus, Company, CompetenceNeed, ContactPerson, Visit
from companies.sme import assess_sme
from partnerships.models import Municipality
from tests.factories import PartnershipFactory

_cvr_serial = itertools.count(1000000)
_factory_serial = itertools.count()


def valid_cvr(seed: int | None = None) -> str:
    """The first valid CVR number at or after 8-digit ``seed`` (weights 2,7,6,5,4,3,2,1; sum % 11 == 0)."""
    n = seed if seed is not None else next(_cvr_serial) * 10
    while True:
        digits = f"{n:08d}"[-8:]
        if (
            digits[0] != "0"
            and sum(w * int(d) for w, d in zip((2, 7, 6, 5, 4, 3, 2, 1), digits, strict=True)) % 11 == 0
        ):
            return digits
        n += 1


def _municipality_for(company) -> Municipality:
    coverage = company.partnership.coverage.select_related("municipality").first()
    return coverage.municipality if coverage else Municipality.objects.get(code=751)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    # Seeds 100 apart (the next valid number is always fewer than 20 above a seed), in a range of
    # their own (valid_cvr() without a seed stays below 20000000), so CVRs never collide.
    cvr = factory.LazyFunction(lambda: valid_cvr(20000000 + next(_factory_serial) * 100))
    name = factory.Sequence(lambda n: f"Testvirksomhed {n} ApS")
    address = "Industrivej 1"
    postcode = "8000"
    city = "Aarhus C"
    partnership = factory.SubFactory(PartnershipFactory)
    municipality = factory.LazyAttribute(_municipality_for)
    employees = 25
    status = CaseStatus.IDENTIFIED
    size_class = factory.LazyAttribute(
        lambda c: (
            assess_sme(employees=c.employees, turnover_eur_m=c.turnover_eur_m, balance_eur_m=c.balance_eur_m).size_class
        )
    )
    turnover_eur_m = None
    balance_eur_m = None


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
    role = ContactPerson.Role.MANAGER
    email = factory.Sequence(lambda n: f"kontakt{n}@firma.dk")


class VisitFactory(factory.django.DjangoModelFactory):
    """A completed visit a week ago; pass ``consultants=[user, ...]`` to set who took part."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    visit_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=7))
    kind = Visit.Kind.FIRST
    status = Visit.Status.COMPLETED
    summary = "Godt møde med ejeren om automatisering."

    @factory.post_generation
    def consultants(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.consultants.set(extracted)


class CompetenceNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetenceNeed

    company = factory.SubFactory(CompanyFactory)
    area = CompetenceNeed.Area.DIGITAL
    description = "Operatører skal kunne programmere den nye robotcelle."
    employees_affected = 6
    staff_unskilled = True


class AgendaProposalFactory(factory.django.DjangoModelFactory):
    """A pending proposal to put the firm on its partnership's next agenda."""

    class Meta:
        model = AgendaProposal

    company = factory.SubFactory(CompanyFactory)
    partnership = factory.LazyAttribute(lambda p: p.company.partnership)
    reason = "Skal partnerskabet tilbyde en uddannelsesplan?"


def consultant_in(partnership, *, system: str = "employment", **fields):
    """An active consultant, member of ``partnership``, working for an organisation in ``system``
    ("business", "employment" or "education"): for visits with consultants from several systems."""
    from partnerships.models import Organisation, Role, System
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    kinds = {
        System.BUSINESS: Organisation.Kind.BUSINESS_HOUSE,
        System.EMPLOYMENT: Organisation.Kind.JOBCENTRE,
        System.EDUCATION: Organisation.Kind.SCHOOL,
    }
    organisation = OrganisationFactory(
        name=f"{System.objects.get(code=system).name} {partnership.name}",
        system=System.objects.get(code=system),
        kind=kinds.get(system, Organisation.Kind.OTHER),
    )
    user = UserFactory(organisation=organisation, role=Role.CONSULTANT, **fields)
    MembershipFactory(user=user, partnership=partnership)
    return user


def visit_post_data(*, consultants=(), action: str = "complete", needs=(), version=None, **fields) -> dict:
    """The POST body of the visit form, as a browser sends it: a visit yesterday with a short summary
    unless told otherwise. ``needs`` is a list of dicts of need fields (``staff_groups`` a list)."""
    data = {
        "visit_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
        "visit_time": "",
        "kind": Visit.Kind.FIRST,
        "consultants": [getattr(c, "pk", c) for c in consultants],
        "other_participants": "",
        "growth_plans": "",
        "summary": "Godt møde med ejeren.",
        "next_step": "",
        "follow_up_on": "",
        "action": action,
        "behov-TOTAL_FORMS": str(max(1, len(needs))),
        "behov-INITIAL_FORMS": "0",
        "behov-MIN_NUM_FORMS": "0",
        "behov-MAX_NUM_FORMS": "20",
    }
    if version is not None:
        data["version"] = str(version)
    # A browser always sends the selected urgency, also for a need form left empty.
    data["behov-0-urgency"] = CompetenceNeed.Urgency.MEDIUM
    for index, need in enumerate(needs):
        data[f"behov-{index}-urgency"] = CompetenceNeed.Urgency.MEDIUM
        for name, value in need.items():
            data[f"behov-{index}-{name}"] = value
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            else:
                data.pop(name, None)
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = value
    return data
