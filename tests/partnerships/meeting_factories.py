"""Helpers for the meeting tests."""

from __future__ import annotations

from partnerships.models import Organisation, Partnership, Role, System, User
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

_KINDS = {
    System.BUSINESS: Organisation.Kind.BUSINESS_SERVICE,
    System.EMPLOYMENT: Organisation.Kind.JOBCENTRE,
    System.EDUCATION: Organisation.Kind.SCHOOL,
}


def member_in(partnership: Partnership, *, system: str = System.EMPLOYMENT, role=Role.CONSULTANT, **fields) -> User:
    """An active member of ``partnership`` working for an organisation in ``system``."""
    organisation = OrganisationFactory(
        name=f"{System.objects.get(code=system).name} {partnership.name}",
        system=System.objects.get(code=system),
        kind=_KINDS.get(system, Organisation.Kind.OTHER),
    )
    user = UserFactory(organisation=organisation, role=role, **fields)
    MembershipFactory(user=user, partnership=partnership)
    return user
