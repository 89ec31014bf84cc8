"""Firms, their people, visits, competence needs, and each firm's case (forløb) in the partnership.

The models live in the modules of this package (``firms``, ``visits``, ``agenda``, ``requests``,
``recruitment``); import them from
``companies.models``.
"""

from companies.models.agenda import (
    AgendaProposal,
    AgendaProposalQuerySet,
    CaseAgendaItem,
    CaseAgendaItemQuerySet,
    Decision,
    DecisionConsultant,
    DecisionQuerySet,
)
from companies.models.firms import (
    SME_CLASSES,
    TEXT_LONG,
    TEXT_SHORT,
    CaseStatus,
    Company,
    CompanyQuerySet,
    CompanySource,
    ContactPerson,
    ContactPersonQuerySet,
    ProductionUnit,
    SharingConsent,
    SharingConsentQuerySet,
    SizeClass,
    StatusChange,
    StatusChangeQuerySet,
)
from companies.models.recruitment import RecruitmentNeed
from companies.models.requests import (
    PRIVACY_NOTICE_VERSION,
    REQUEST_TEXT_MAX,
    PublicRequest,
    PublicRequestQuerySet,
)
from companies.models.visits import CompetenceNeed, CompetenceNeedQuerySet, Visit, VisitQuerySet

__all__ = [
    "PRIVACY_NOTICE_VERSION",
    "REQUEST_TEXT_MAX",
    "SME_CLASSES",
    "TEXT_LONG",
    "TEXT_SHORT",
    "AgendaProposal",
    "AgendaProposalQuerySet",
    "CaseAgendaItem",
    "CaseAgendaItemQuerySet",
    "CaseStatus",
    "Company",
    "CompanyQuerySet",
    "CompanySource",
    "CompetenceNeed",
    "CompetenceNeedQuerySet",
    "ContactPerson",
    "ContactPersonQuerySet",
    "Decision",
    "DecisionConsultant",
    "DecisionQuerySet",
    "ProductionUnit",
    "PublicRequest",
    "PublicRequestQuerySet",
    "RecruitmentNeed",
    "SharingConsent",
    "SharingConsentQuerySet",
    "SizeClass",
    "StatusChange",
    "StatusChangeQuerySet",
    "Visit",
    "VisitQuerySet",
]
