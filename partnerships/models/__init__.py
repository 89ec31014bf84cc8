"""People, organisations and partnerships: the ground every other app stands on.

The models live in the modules of this package (``reference``, ``people``; the programme's reference
data in ``effective``, ``programme`` and ``rules``; meetings in ``meetings``, ``evaluation`` and
``toolbox``); import them from ``partnerships.models``.
"""

from partnerships.models.effective import EffectivePeriod, EffectiveQuerySet
from partnerships.models.evaluation import (
    Dimension,
    Level,
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationResult,
)
from partnerships.models.meetings import (
    ActionItem,
    AgendaComment,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    LearningNote,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingSeriesException,
    Minutes,
    MinutesAmendment,
)
from partnerships.models.people import (
    PARTNERSHIP_LEAD,
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
from partnerships.models.toolbox import (
    IntroductionProgress,
    IntroductionStep,
    ToolboxDocument,
    ToolboxVersion,
)

__all__ = [
    "PARTNERSHIP_LEAD",
    "REGION_MIDTJYLLAND",
    "ROLES_SEEING_EVERYTHING",
    "ActionItem",
    "ActivityType",
    "ActivityTypeMapping",
    "AgendaComment",
    "AgendaItem",
    "Attendance",
    "Axis",
    "BudgetAmount",
    "BudgetLine",
    "CalendarFeedToken",
    "DeMinimisRule",
    "Dimension",
    "ESFProject",
    "EffectivePeriod",
    "EffectiveQuerySet",
    "EligibleActivity",
    "FinancingPlan",
    "FinancingPlanLine",
    "FinancingSource",
    "IndustrySection",
    "IntroductionProgress",
    "IntroductionStep",
    "LearningNote",
    "Level",
    "Meeting",
    "MeetingKind",
    "MeetingSeries",
    "MeetingSeriesException",
    "Membership",
    "MembershipQuerySet",
    "Minutes",
    "MinutesAmendment",
    "Municipality",
    "Organisation",
    "Partnership",
    "PartnershipMunicipality",
    "PartnershipQuerySet",
    "ProgrammeThreshold",
    "ReportingDeadline",
    "Role",
    "SelfEvaluation",
    "SelfEvaluationAnswer",
    "SelfEvaluationResult",
    "StaffCostRate",
    "System",
    "ToolboxDocument",
    "ToolboxVersion",
    "User",
    "UserManager",
]
