"""What the activities app shows on a firm's page: its activities, ESF recruitments, headcount and the
decisions still waiting for a plan (a section), and its activity events on the timeline (sources)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, Max, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    Enrollment,
    Headcount,
    Recruitment,
    TimeEntry,
    TrainingLine,
    recruitment_complete_on,
)
from activities.selectors.plans import STATUS_CSS
from companies.models import Company, Decision
from companies.selectors.case import Badge, FirmCase, TimelineItem
from companies.selectors.meetings import firm_decisions
from partnerships.models import User


def firm_section(*, company: Company, user: User, case: FirmCase) -> dict[str, Any] | None:
    """The firm page's "Aktiviteter og ESF" section (four queries; the decisions are the page's, read
    once)."""
    if not user.has_perm("activities.view_activityplan"):
        return None
    plans = list(
        ActivityPlan.objects.for_user(user)
        .filter(company=company)
        .select_related("activity_type")  # the section shows the type, not the responsible consultant
        .order_by("-planned_start", "-pk")[:50]
    )
    recruitments = list(
        Recruitment.objects.for_user(user)
        .filter(company=company)
        .select_related("project")
        .prefetch_related("declarations")
    )
    for recruitment in recruitments:
        recruitment.complete_on = recruitment_complete_on(list(recruitment.declarations.all()))
    decisions = []
    if user.has_perm("activities.add_activityplan") and user.has_perm("companies.view_decision"):
        decisions = [decision for decision in firm_decisions(case) if decision.status == Decision.Status.OPEN][:5]
    return {
        "activity_plans": [(plan, STATUS_CSS.get(plan.status, "")) for plan in plans],
        "recruitments": recruitments,
        "headcount": Headcount.objects.for_user(user).filter(company=company).order_by("-counted_on", "-pk").first(),
        "open_decisions": decisions,
        "can_add_plan": user.has_perm("activities.add_activityplan"),
        "can_recruit": user.has_perm("activities.add_recruitment"),
        "can_add_headcount": user.has_perm("activities.add_headcount"),
    }


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.email) if user else ""


def _row_name(row: dict[str, Any]) -> str:
    """``_name`` of the ``changed_by`` user of a ``values()`` row."""
    if row["changed_by__email"] is None:
        return ""
    full = f"{row['changed_by__first_name'] or ''} {row['changed_by__last_name'] or ''}".strip()
    return full or row["changed_by__email"]


def activity_items(case: FirmCase) -> Iterable[TimelineItem]:
    """Each step of the firm's activities: created, approved, started, completed, cancelled (one query of
    the few fields shown, as ``values()`` rows)."""
    changes = (
        ActivityStatusChange.objects.for_user(case.user)
        .filter(plan__company=case.company)
        .order_by("plan", "changed_at", "pk")  # the model's order, which the merge keeps for ties
        .values(
            "changed_at",
            "from_status",
            "to_status",
            "note",
            "plan_id",
            "plan__title",
            "plan__activity_type__name",
            "changed_by__first_name",
            "changed_by__last_name",
            "changed_by__email",
        )
    )
    labels = dict(ActivityPlan.Status.choices)
    for change in changes:
        title = change["plan__title"]
        if change["from_status"]:
            title = _("%(title)s: %(status)s") % {"title": title, "status": labels.get(change["to_status"])}
        else:
            title = _("Aktivitet oprettet: %(title)s") % {"title": title}
        yield TimelineItem(
            when=change["changed_at"],
            kind="activity",
            kind_label=_("Aktivitet"),
            title=title,
            text=change["note"],
            url=reverse("activities:detail", args=[change["plan_id"]]),
            by=_row_name(change),
            badges=(
                Badge(change["plan__activity_type__name"], "text-bg-light border"),
                Badge(
                    str(labels.get(change["to_status"])),
                    STATUS_CSS.get(change["to_status"], "text-bg-secondary"),
                ),
            ),
        )


def enrollment_items(case: FirmCase) -> Iterable[TimelineItem]:
    """Participants enrolled in the firm's activities (one query)."""
    enrollments = (
        Enrollment.objects.for_user(case.user).filter(plan__company=case.company).select_related("plan", "participant")
    )
    for enrollment in enrollments:
        yield TimelineItem(
            when=_at(enrollment.start_date),
            kind="enrollment",
            kind_label=_("Deltager"),
            title=_("%(person)s tilmeldt %(title)s")
            % {"person": enrollment.participant, "title": enrollment.plan.title},
            text=enrollment.get_role_display(),
            url=enrollment.get_absolute_url(),
            date_only=True,
        )


def training_items(case: FirmCase) -> Iterable[TimelineItem]:
    """The lines of the training plans of the firm's employees: AMU courses and other education (one query)."""
    lines = (
        TrainingLine.objects.for_user(case.user)
        .filter(enrollment__plan__company=case.company)
        .select_related("course", "enrollment__participant")
    )
    for line in lines:
        yield TimelineItem(
            when=_at(line.start_date),
            kind="training",
            kind_label=_("Uddannelse"),
            title=_("%(person)s: %(line)s") % {"person": line.enrollment.participant, "line": line},
            text=line.provider,
            url=reverse("activities:enrollment_detail", args=[line.enrollment_id]),
            date_only=True,
            badges=(Badge(line.get_status_display(), "text-bg-light border"),),
        )


def hours_items(case: FirmCase) -> Iterable[TimelineItem]:
    """Consultants' hours on the firm and its activities, one line per person and month (one query). Hours
    themselves are a person's, so they are summed, not listed; whether they are shown at all is decided by
    the firm: they are read only when the firm is one the user may see (``Company.objects.for_user``)."""
    company = case.company
    totals = (
        # The firm's entries and its plans' entries as a UNION ALL of two index look-ups (an entry has
        # exactly one target): "company OR plan's company" made PostgreSQL scan every time entry.
        TimeEntry.objects.filter(
            pk__in=TimeEntry.objects.filter(company=company)
            .order_by()
            .values("pk")
            .union(TimeEntry.objects.filter(plan__company=company).order_by().values("pk"), all=True)
        )
        # Once for the whole read (PostgreSQL evaluates an uncorrelated EXISTS once).
        .filter(Exists(Company.objects.for_user(case.user).filter(pk=company.pk)))
        .annotate(month=TruncMonth("day"))
        .values("month", "user__first_name", "user__last_name")
        .annotate(total=Sum("hours"), last=Max("day"))
        .order_by()
    )
    items = []
    for row in totals:
        hours = f"{row['total']:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        items.append(
            TimelineItem(
                when=_at(row["last"]),
                kind="hours",
                kind_label=_("Timer"),
                title=_("%(hours)s timer i %(month)s")
                % {"hours": hours, "month": formats.date_format(row["month"], "YEAR_MONTH_FORMAT")},
                by=f"{row['user__first_name']} {row['user__last_name']}".strip(),
                date_only=True,
            )
        )
    return items
