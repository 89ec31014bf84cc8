"""The activities app's models: ESF recruitment, activity plans and their details, courses,
participants and enrolments, time registration, headcounts and costs."""

from activities.models.catalogue import Course, EuroRate
from activities.models.firms import Headcount
from activities.models.participants import (
    IDENTIFYING_FIELDS,
    AnonymisationRun,
    CprReveal,
    Enrollment,
    Participant,
    ParticipantDocument,
    ParticipantFormPrint,
    RKVResult,
    TrainingLine,
    YesNoDeclined,
    YesNoUnknown,
)
from activities.models.plans import (
    ActivityPlan,
    ActivityStatusChange,
    Cost,
    HRForHireDetail,
    JobrotationDetail,
    NetworkDetail,
    NetworkMeeting,
    PlacementDetail,
)
from activities.models.recruitment import Declaration, Recruitment, recruitment_complete_on
from activities.models.time import PersonalQuerySet, TimeEntry, Timesheet

__all__ = [
    "IDENTIFYING_FIELDS",
    "ActivityPlan",
    "ActivityStatusChange",
    "AnonymisationRun",
    "Cost",
    "Course",
    "CprReveal",
    "Declaration",
    "Enrollment",
    "EuroRate",
    "HRForHireDetail",
    "Headcount",
    "JobrotationDetail",
    "NetworkDetail",
    "NetworkMeeting",
    "Participant",
    "ParticipantDocument",
    "ParticipantFormPrint",
    "PersonalQuerySet",
    "PlacementDetail",
    "RKVResult",
    "Recruitment",
    "TimeEntry",
    "Timesheet",
    "TrainingLine",
    "YesNoDeclined",
    "YesNoUnknown",
    "recruitment_complete_on",
]
