"""People, organisations and partnerships: the ground every other app stands on.

The models live in the modules of this package (``reference``, ``people``); import them from
``partnerships.models``.
"""

from partnerships.models.people import (
    ROLES_SEEING_EVERYTHING,
    Membership,
    MembershipQuerySet,
    Organisation,
    Partnership,
    PartnershipMunicipality,
    PartnershipQuerySet,
    Role,
    User,
    UserManager,
)
from partnerships.models.reference import REGION_MIDTJYLLAND, IndustrySection, Municipality, System

__all__ = [
    "REGION_MIDTJYLLAND",
    "ROLES_SEEING_EVERYTHING",
    "IndustrySection",
    "Membership",
    "MembershipQuerySet",
    "Municipality",
    "Organisation",
    "Partnership",
    "PartnershipMunicipality",
    "PartnershipQuerySet",
    "Role",
    "System",
    "User",
    "UserManager",
]
