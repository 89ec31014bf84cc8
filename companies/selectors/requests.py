"""Reads for public requests (én indgang) and recruitment needs: the lists "Nye henvendelser" and
"Rekrutteringsbehov", the firm page's recruitment section, the timeline sources and the dashboard
counts. Each starts from the scoping rule (``for_user``) and runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.models import CompetenceNeed, PublicRequest, RecruitmentNeed
from companies.selectors.case import Badge, FirmCase, TimelineItem, _at_start_of, _name
from kompetence import registry
from kompetence.pagination import KeysetPage, keyset_paginate
from partnerships.models import Partnership, User

REQUEST_KEYS = ("-created_at", "-pk")
RECRUITMENT_KEYS = ("-created_at", "-pk")
_PLACEHOLDER = "987654321"


# ---------------------------------------------------------------------------
# "Nye henvendelser"
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RequestRow:
    pk: int
    url: str
    received: dt.datetime
    company_name: str
    cvr: str
    municipality: str
    partnership: str
    needs: list[str]
    status: str
    status_label: str
    taken_by: str
    forwarded_from: str


def requests_for(user: User, *, status: str = "", partnership: Partnership | None = None) -> QuerySet[PublicRequest]:
    queryset = PublicRequest.objects.for_user(user)
    if status:
        queryset = queryset.filter(status=status)
    if partnership is not None:
        queryset = queryset.filter(partnership=partnership)
    return queryset


def request_page(queryset: QuerySet[PublicRequest], *, cursor: str | None) -> tuple[KeysetPage, list[RequestRow]]:
    """One keyset page of requests as display rows: one query, whatever the page size."""
    queryset = queryset.select_related("municipality", "partnership", "taken_by", "forwarded_from").only(
        "pk",
        "created_at",
        "company_name",
        "cvr",
        "status",
        "need_upskilling",
        "need_recruitment",
        "need_hr_strategy",
        "need_other",
        "municipality__name",
        "partnership__name",
        "forwarded_from__name",
        "taken_by__first_name",
        "taken_by__last_name",
        "taken_by__email",
    )
    page = keyset_paginate(queryset, keys=REQUEST_KEYS, cursor=cursor)
    rows = [
        RequestRow(
            pk=r.pk,
            url=reverse("requests:detail", args=[r.pk]),
            received=r.created_at,
            company_name=r.company_name,
            cvr=r.cvr,
            municipality=r.municipality.name,
            partnership=r.partnership.name,
            needs=r.need_labels,
            status=r.status,
            status_label=r.get_status_display(),
            taken_by=_name(r.taken_by) if r.taken_by_id else "",
            forwarded_from=r.forwarded_from.name if r.forwarded_from_id else "",
        )
        for r in page.object_list
    ]
    return page, rows


def request_detail_queryset() -> QuerySet[PublicRequest]:
    return PublicRequest.objects.select_related(
        "company__partnership", "municipality", "partnership", "taken_by", "forwarded_from", "forwarded_by"
    )


# ---------------------------------------------------------------------------
# "Rekrutteringsbehov"
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RecruitmentRow:
    pk: int
    company_name: str
    company_url: str
    partnership: str
    job_title: str
    positions: int
    skills: str
    deadline: dt.date | None
    overdue: bool
    foreign_specialists: bool
    graduates: bool
    outcome: str
    closed_on: dt.date | None
    created_at: dt.datetime
    close_url: str


def recruitment_for(user: User, *, state: str = "open", partnership: Partnership | None = None) -> QuerySet:
    queryset = CompetenceNeed.objects.for_user(user).recruitment().filter(recruitment__isnull=False)
    if state == "open":
        queryset = queryset.open()
    elif state == "closed":
        queryset = queryset.exclude(status__in=CompetenceNeed.OPEN_STATUSES)
    if partnership is not None:
        queryset = queryset.filter(company__partnership=partnership)
    return queryset


def _recruitment_urls() -> tuple[str, str]:
    """The firm's and the closing page's URLs, each reversed once with a placeholder for the id
    (reversing them for each of 50 rows was a tenth of the list's cost)."""
    return reverse("companies:detail", args=[_PLACEHOLDER]), reverse("requests:recruitment_close", args=[_PLACEHOLDER])


def _recruitment_row(need: CompetenceNeed, today: dt.date, urls: tuple[str, str]) -> RecruitmentRow:
    detail: RecruitmentNeed = need.recruitment
    return RecruitmentRow(
        pk=need.pk,
        company_name=need.company.name,
        company_url=urls[0].replace(_PLACEHOLDER, str(need.company_id)),
        partnership=need.company.partnership.name,
        job_title=detail.job_title,
        positions=detail.positions,
        skills=need.description,
        deadline=detail.deadline,
        overdue=bool(detail.is_open and detail.deadline and detail.deadline < today),
        foreign_specialists=detail.foreign_specialists,
        graduates=detail.graduates,
        outcome=detail.get_outcome_display() if detail.outcome else "",
        closed_on=detail.closed_on,
        created_at=need.created_at,
        close_url=urls[1].replace(_PLACEHOLDER, str(need.pk)),
    )


def recruitment_page(queryset: QuerySet, *, cursor: str | None) -> tuple[KeysetPage, list[RecruitmentRow]]:
    queryset = queryset.select_related("recruitment", "company__partnership").only(
        "pk",
        "created_at",
        "description",
        "status",
        "company_id",
        "company__name",
        "company__partnership__name",
        "recruitment__job_title",
        "recruitment__positions",
        "recruitment__deadline",
        "recruitment__foreign_specialists",
        "recruitment__graduates",
        "recruitment__outcome",
        "recruitment__closed_on",
    )
    page = keyset_paginate(queryset, keys=RECRUITMENT_KEYS, cursor=cursor)
    today = timezone.localdate()
    urls = _recruitment_urls()
    return page, [_recruitment_row(need, today, urls) for need in page.object_list]


# ---------------------------------------------------------------------------
# Registered with the portal: dashboard counts, the firm page section, timeline sources
# ---------------------------------------------------------------------------
def dashboard_counts(*, user: User) -> dict[str, Any] | None:
    """New requests and open recruitment needs in the user's partnerships (two queries)."""
    context: dict[str, Any] = {"new_requests": None, "open_recruitment": None}
    if user.has_perm("companies.view_publicrequest"):
        context["new_requests"] = PublicRequest.objects.for_user(user).new().count()
    if user.has_perm("companies.view_competenceneed"):
        context["open_recruitment"] = CompetenceNeed.objects.for_user(user).recruitment().open().count()
    if context["new_requests"] is None and context["open_recruitment"] is None:
        return None
    return context


def firm_recruitment(*, company, user: User, case: FirmCase) -> dict[str, Any] | None:
    """The firm page's "Rekrutteringsbehov": its recruitment needs, newest first (the page's needs, read
    once)."""
    if not user.has_perm("companies.view_competenceneed"):
        return None
    today = timezone.localdate()
    urls = _recruitment_urls()
    rows = [_recruitment_row(need, today, urls) for need in case.recruitment_needs()]
    return {
        "recruitment_rows": rows,
        "recruitment_company": company,
        "can_add_recruitment": user.has_perm("companies.add_competenceneed"),
        "can_close_recruitment": user.has_perm("companies.change_competenceneed"),
    }


def _request_items(case: FirmCase) -> Iterable[TimelineItem]:
    company = case.company
    requests = (
        PublicRequest.objects.for_user(case.user)
        .filter(company=company)
        .select_related("taken_by", "lead", "forwarded_from", "partnership")
    )
    for request in requests:
        badges = [Badge(request.get_status_display(), "text-bg-warning" if request.status == "ny" else "text-bg-info")]
        badges += [Badge(label, "text-bg-light border") for label in request.need_labels]
        yield TimelineItem(
            when=request.created_at,
            kind="request",
            kind_label=_("Henvendelse"),
            title=_("Henvendelse via Én indgang fra %(name)s") % {"name": request.contact_name},
            text=request.description,
            url=reverse("requests:detail", args=[request.pk]),
            badges=tuple(badges),
        )
        if request.forwarded_at:
            yield TimelineItem(
                when=request.forwarded_at,
                kind="request",
                kind_label=_("Henvendelse"),
                title=_("Sendt videre fra %(from)s til %(to)s")
                % {"from": request.forwarded_from.name if request.forwarded_from else "–", "to": request.partnership},
                text=request.forward_note,
            )
        if request.taken_at:
            # Who was made lead then, not who is lead now.
            lead = _name(request.lead) if request.lead_id else "–"
            yield TimelineItem(
                when=request.taken_at,
                kind="request",
                kind_label=_("Henvendelse"),
                title=_("Henvendelsen taget af %(name)s") % {"name": _name(request.taken_by)},
                text=_("Tovholder: %(lead)s") % {"lead": lead},
                by=_name(request.taken_by),
            )


def _recruitment_items(case: FirmCase) -> Iterable[TimelineItem]:
    for need in case.recruitment_needs():
        detail = need.recruitment
        badges = [
            Badge(
                ngettext("%(n)d stilling", "%(n)d stillinger", detail.positions) % {"n": detail.positions},
                "text-bg-light border",
            )
        ]
        if detail.foreign_specialists:
            badges.append(Badge(_("Udenlandske specialister"), "text-bg-light border"))
        if detail.graduates:
            badges.append(Badge(_("Dimittender"), "text-bg-light border"))
        yield TimelineItem(
            when=need.created_at,
            kind="recruitment",
            kind_label=_("Rekrutteringsbehov"),
            title=detail.job_title,
            text=need.description,
            by=_name(need.created_by),
            badges=tuple(badges),
        )
        if detail.outcome and detail.closed_on:
            yield TimelineItem(
                when=_at_start_of(detail.closed_on),
                kind="recruitment",
                kind_label=_("Rekrutteringsbehov"),
                title=_("%(job)s: %(outcome)s") % {"job": detail.job_title, "outcome": detail.get_outcome_display()},
                by=_name(detail.closed_by),
                date_only=True,
            )


TIMELINE_SOURCES = [
    registry.TimelineSource("request", _request_items, rank=5, perm="companies.view_publicrequest"),
    registry.TimelineSource("recruitment", _recruitment_items, rank=35, perm="companies.view_competenceneed"),
]
