"""The ``access_*`` functions of the companies app: one object the user may see, in one step.

Built on ``partnerships.access.access``: the permission first (403), then the scoping rule (404 for
what is outside the user's partnerships, exactly as for what does not exist). Views and tasks get
firms, visits, needs and contacts only through these.
"""

from __future__ import annotations

from typing import Any

from companies.models import Company, CompetenceNeed, ContactPerson, PublicRequest, RecruitmentNeed, Visit
from companies.selectors.case import visit_page_queryset
from companies.selectors.requests import request_detail_queryset
from partnerships.access import access
from partnerships.models import User

# What the firm page's header and every firm sub-page need, in the same query.
_COMPANY_SHAPE = ("municipality", "partnership", "industry_section", "lead_consultant__organisation__system")


def access_company(user: User, pk: Any, *, perm: str | None = "companies.view_company") -> Company:
    return access(Company.objects.select_related(*_COMPANY_SHAPE), user, pk, perm=perm)


def access_visit(user: User, pk: Any, *, perm: str | None = "companies.view_visit") -> Visit:
    return access(visit_page_queryset(), user, pk, perm=perm)


def access_need(user: User, pk: Any, *, perm: str | None = "companies.view_competenceneed") -> CompetenceNeed:
    return access(CompetenceNeed.objects.select_related("company"), user, pk, perm=perm)


def access_contact(user: User, pk: Any, *, perm: str | None = "companies.view_contactperson") -> ContactPerson:
    return access(ContactPerson.objects.select_related("company__partnership"), user, pk, perm=perm)


def access_request(user: User, pk: Any, *, perm: str | None = "companies.view_publicrequest") -> PublicRequest:
    return access(request_detail_queryset(), user, pk, perm=perm)


def access_recruitment(user: User, pk: Any, *, perm: str | None = "companies.view_competenceneed") -> RecruitmentNeed:
    """A recruitment need's details by its need's id, with the need and its firm."""
    return access(RecruitmentNeed.objects.select_related("need__company__partnership"), user, pk, perm=perm)
