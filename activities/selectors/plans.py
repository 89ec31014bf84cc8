"""Reads for the activity pages: the activity list (rows prepared in Python from one page query and small
look-ups), the plan page, and the names of the catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet, Sum
from django.urls import reverse

from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    Cost,
    Enrollment,
    NetworkMeeting,
    Recruitment,
    TimeEntry,
    TrainingLine,
    recruitment_complete_on,
)
from activities.services import plans as plan_services
from companies.selectors.firms import firm_filter_options
from kompetence.memo import Memo
from partnerships.models import ActivityType, ActivityTypeMapping, EligibleActivity, ESFProject, User

STATUS_CSS = {
    ActivityPlan.Status.DRAFT: "text-bg-secondary",
    ActivityPlan.Status.APPROVED: "text-bg-info",
    ActivityPlan.Status.IN_PROGRESS: "text-bg-primary",
    ActivityPlan.Status.COMPLETED: "text-bg-success",
    ActivityPlan.Status.CANCELLED: "text-bg-light border",
}

# What a list row reads, as plain values (no model instances): the page, and the export in chunks.
LIST_FIELDS = (
    "pk",
    "title",
    "status",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "activity_type_id",
    "type_mapping_id",
    "company_id",
    "company__name",
    "company__partnership_id",
    "responsible__first_name",
    "responsible__last_name",
    "responsible__email",
)


def plans_for_list(user: User) -> QuerySet:
    """The plans the user may see, as named tuples of what a list row shows (the firm and the responsible
    joined): a filter and the keyset pagination work on it as on the model's queryset."""
    return ActivityPlan.objects.for_user(user).values_list(*LIST_FIELDS, named=True)


# The catalogue's names (types, the ESF axis of each mapping), kept per process (kompetence.memo) until
# a row they come from changes: activities.portal connects ``CATALOGUE.changed`` to the signals of
# every model in CATALOGUE_MODELS. The lists read them with two or three queries per request before.
CATALOGUE = Memo("activities:catalogue", seconds=60)
CATALOGUE_MODELS = (ActivityType, ActivityTypeMapping, EligibleActivity, ESFProject)


def catalogue_changed(**_signal_kwargs: Any) -> None:
    """A row of the activity catalogue was saved or deleted."""
    CATALOGUE.changed()


def activity_type_options() -> list[tuple[str, str]]:
    """The activity list's type filter options (every type, in catalogue order), without "Alle"."""

    def read() -> list[tuple[str, str]]:
        types = ActivityType.objects.order_by("sort_order", "name").values_list("pk", "name")
        return [(str(pk), name) for pk, name in types]

    return CATALOGUE.get("type_options", read)


def partnership_options(user: User) -> list[tuple[str, str]]:
    """The partnerships the user sees, as the filters offer them: the firm list's own options (kept per
    process and user until a partnership or membership changes, companies.selectors.firms.REFERENCE)."""
    return firm_filter_options(user)["lks"]


def lead_options(user: User) -> list[tuple[str, str]]:
    """Active members of the user's partnerships (the firm list's "tovholder" options, kept likewise)."""
    return firm_filter_options(user)["tovholder"]


@dataclass(frozen=True)
class CatalogueNames:
    """Names for the rows by id: activity types, the ESF axis of each type mapping, partnerships."""

    types: dict[int, str]  # activity type id -> name
    axes: dict[int, int]  # type mapping id -> ESF axis
    partnerships: dict[int, str]  # every partnership the user sees, hence every one a row can show

    @classmethod
    def for_user(cls, user: User) -> CatalogueNames:
        """No query while the kept names are current."""
        return cls(
            types={int(pk): name for pk, name in activity_type_options()},
            axes=CATALOGUE.get(
                "axes",
                lambda: dict(
                    ActivityTypeMapping.objects.order_by().values_list("pk", "eligible_activity__project__axis")
                ),
            ),
            partnerships={int(pk): name for pk, name in partnership_options(user)},
        )


@dataclass(frozen=True)
class PlanRow:
    pk: int
    url: str
    title: str
    company: str
    company_url: str
    partnership: str
    type_name: str
    axis: int | None
    status: str
    status_css: str
    responsible: str
    start: str
    end: str


def _date(value: dt.date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def plan_rows(plans: Iterable[Any], *, names: CatalogueNames) -> list[PlanRow]:
    """Display rows from the named tuples of ``plans_for_list``."""
    url = reverse("activities:detail", args=[987654321])
    company_url = reverse("companies:detail", args=[987654321])
    labels = {value: str(label) for value, label in ActivityPlan.Status.choices}
    rows = []
    for plan in plans:
        rows.append(
            PlanRow(
                pk=plan.pk,
                url=url.replace("987654321", str(plan.pk)),
                title=plan.title,
                company=plan.company__name,
                company_url=company_url.replace("987654321", str(plan.company_id)),
                partnership=names.partnerships.get(plan.company__partnership_id, ""),
                type_name=names.types.get(plan.activity_type_id, ""),
                axis=names.axes.get(plan.type_mapping_id),
                status=labels.get(plan.status, plan.status),
                status_css=STATUS_CSS.get(plan.status, "text-bg-secondary"),
                # As User.get_full_name() and display_name: the full name, else the e-mail address.
                responsible=f"{plan.responsible__first_name} {plan.responsible__last_name}".strip()
                or plan.responsible__email,
                start=_date(plan.actual_start or plan.planned_start),
                end=_date(plan.actual_end or plan.planned_end),
            )
        )
    return rows


# ---------------------------------------------------------------------------
# The plan page
# ---------------------------------------------------------------------------
@dataclass
class PlanPage:
    plan: ActivityPlan
    enrollments: list[Enrollment]
    status_changes: list[ActivityStatusChange]
    costs: list[Cost]
    cost_total: Decimal
    hours_total: Decimal
    detail: Any
    network_meetings: list[NetworkMeeting]
    recruited_on: dt.date | None
    substantial_part_warning: str | None
    de_minimis: plan_services.DeMinimisStatus | None
    consultants: list[User] = field(default_factory=list)
    needs: list = field(default_factory=list)


def plan_page(plan: ActivityPlan, *, user: User) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries whatever the number of participants."""
    lines = Prefetch(
        "training_lines", queryset=TrainingLine.objects.select_related("course").order_by("start_date", "pk")
    )
    enrollments = list(
        Enrollment.objects.for_user(user)
        .filter(plan=plan)
        .select_related("participant", "rkv_result")
        .prefetch_related(lines)
        .order_by("start_date", "pk")
    )
    costs = list(Cost.objects.for_user(user).filter(plan=plan).order_by("incurred_on", "pk"))
    hours = TimeEntry.objects.filter(plan=plan).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    recruitment = (
        Recruitment.objects.for_user(user)
        .filter(company=plan.company, project=plan.type_mapping.eligible_activity.project)
        .prefetch_related("declarations")
        .first()
    )
    de_minimis = None
    if plan.status == ActivityPlan.Status.DRAFT and plan.type_mapping.charged_to_project:
        try:
            de_minimis = plan_services.de_minimis_status(company=plan.company, adding_dkk=plan.aid_value_dkk)
        except ValidationError:  # no rule or rate in force: the page shows no figure
            de_minimis = None
    detail = plan_services.plan_detail(plan)
    return PlanPage(
        plan=plan,
        enrollments=enrollments,
        status_changes=list(
            ActivityStatusChange.objects.for_user(user)
            .filter(plan=plan)
            .select_related("changed_by")
            .order_by("changed_at", "pk")
        ),
        costs=costs,
        cost_total=sum((c.amount for c in costs), Decimal(0)),
        hours_total=hours,
        detail=detail,
        network_meetings=list(NetworkMeeting.objects.for_user(user).filter(plan=plan))
        if plan.activity_type.kind == ActivityType.Kind.NETWORK
        else [],
        recruited_on=recruitment_complete_on(list(recruitment.declarations.all())) if recruitment else None,
        substantial_part_warning=plan_services.substantial_part_warning(plan=plan),
        de_minimis=de_minimis,
        consultants=list(plan.consultants.select_related("organisation").order_by("first_name", "last_name")),
        needs=list(plan.needs.order_by("-created_at")),
    )
