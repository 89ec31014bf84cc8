"""People, organisations and partnerships: the ground every other app stands on.

The models live in the modules of this package (``reference``, ``people``; the programme's reference
data in ``effective``, ``programme`` and ``rules``); import them from ``partnerships.models``.
"""

from partnerships.models.effective import EffectivePeriod, EffectiveQuerySet
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
from partnerships.models.programme import (
    ActivityType,
    ActivityTypeMapping,
    Axis,
    BudgetAmount,
    BudgetLine,
    EligibleActivity,
    ESFProject,
    FinancingPlan,
    FinancingPlanLine,
    FinancingSource,
)
from partnerships.models.reference import REGION_MIDTJYLLAND, IndustrySection, Municipality, System
from partnerships.models.rules import DeMinimisRule, ProgrammeThreshold, ReportingDeadline, StaffCostRate

__all__ = [
    "REGION_MIDTJYLLAND",
    "ROLES_SEEING_EVERYTHING",
    "ActivityType",
    "ActivityTypeMapping",
    "Axis",
    "BudgetAmount",
    "BudgetLine",
    "DeMinimisRule",
    "ESFProject",
    "EffectivePeriod",
    "EffectiveQuerySet",
    "EligibleActivity",
    "FinancingPlan",
    "FinancingPlanLine",
    "FinancingSource",
    "IndustrySection",
    "Membership",
    "MembershipQuerySet",
    "Municipality",
    "Organisation",
    "Partnership",
    "PartnershipMunicipality",
    "PartnershipQuerySet",
    "ProgrammeThreshold",
    "ReportingDeadline",
    "Role",
    "StaffCostRate",
    "System",
    "User",
    "UserManager",
]
