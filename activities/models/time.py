"""Time registration: consultants' hours per day, activity, firm or partnership work, in weekly timesheets.

The ESF wants staff time documented per person and day, signed by the employee and approved by a
superior. A ``Timesheet`` is one consultant's week: open while hours are entered, *submitted* when
the consultant confirms it (recorded as the signature: who, when), then *approved* and locked by
project management or by the approver the consultant's organisation names (``User.approves_timesheets``).

Hours are not partnership-scoped rows but a person's own: a consultant sees their own; an
organisation's approver sees the organisation's; management sees everything. ``PersonalQuerySet``
is that rule, in the one ``for_user`` the access functions and the walker use.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activities.models.plans import ActivityPlan
from partnerships.scoping import PartnershipScopedQuerySet, user_sees_everything


class PersonalQuerySet(PartnershipScopedQuerySet):
    """Rows that belong to a person: their own, their organisation's for its approver, all for management."""

    user_path = "user"

    def for_user(self, user):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user_sees_everything(user):
            return self.all()
        visible = Q(**{self.user_path: user.pk})
        if getattr(user, "approves_timesheets", False) and user.organisation_id:
            visible |= Q(**{f"{self.user_path}__organisation_id": user.organisation_id})
        return self.filter(visible)

    def in_partnerships_of(self, user):
        return self.filter(**{self.user_path: user.pk})


class Timesheet(models.Model):
    """One consultant's week (Monday to Sunday): open, submitted (signed) or approved (locked)."""

    class Status(models.TextChoices):
        OPEN = "aaben", _("Åben")
        SUBMITTED = "indsendt", _("Indsendt og underskrevet")
        APPROVED = "godkendt", _("Godkendt")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="timesheets")
    week_start = models.DateField(_("uge fra mandag"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_at = models.DateTimeField(_("underskrevet"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    returned_note = models.CharField(_("sendt tilbage med bemærkning"), max_length=500, blank=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        ordering = ["user", "-week_start"]
        verbose_name = _("timeseddel")
        verbose_name_plural = _("timesedler")
        permissions = [("approve_timesheet", _("Kan godkende alle timesedler"))]
        constraints = [
            models.UniqueConstraint(fields=["user", "week_start"], name="timesheet_one_per_week"),
        ]
        indexes = [models.Index(fields=["status", "week_start"], name="timesheet_status")]

    def __str__(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{self.user_id} uge {week}/{year}"

    def get_absolute_url(self) -> str:
        return reverse("activities:timesheet_detail", args=[self.pk])

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def locked(self) -> bool:
        return self.status != self.Status.OPEN

    @property
    def week_label(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return _("uge %(week)d, %(year)d") % {"week": week, "year": year}


class TimeEntry(models.Model):
    """Hours one consultant spent on one day: on an activity, on a firm, or on developing the partnership.

    Every hour belongs to exactly one ESF project: an activity's hours to the activity's project; a
    firm's or the partnership's to the project chosen. Partnership work (meetings, secretariat) is the
    budget line "Udvikling af partnerskabet".
    """

    class Kind(models.TextChoices):
        OUTREACH = "opsoegende", _("Opsøgende arbejde")
        PLANNING = "planlaegning", _("Planlægning")
        DELIVERY = "gennemfoersel", _("Gennemførelse")
        FOLLOW_UP = "opfoelgning", _("Opfølgning og resultater")
        MEETING = "moede", _("Møde i partnerskabet")
        SECRETARIAT = "sekretariat", _("Sekretariatsarbejde")
        ADMINISTRATION = "administration", _("Administration og registrering")

    PARTNERSHIP_KINDS = (Kind.MEETING, Kind.SECRETARIAT)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="time_entries")
    timesheet = models.ForeignKey(Timesheet, on_delete=models.PROTECT, related_name="entries")
    day = models.DateField(_("dato"))
    hours = models.DecimalField(
        _("timer"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
    )
    kind = models.CharField(_("arbejde"), max_length=15, choices=Kind.choices)
    project = models.ForeignKey(
        "partnerships.ESFProject", on_delete=models.PROTECT, related_name="+", verbose_name=_("ESF-projekt")
    )
    plan = models.ForeignKey(
        ActivityPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("aktivitet"),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="time_entries",
        verbose_name=_("virksomhed"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnerskab (udvikling af partnerskabet)"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PersonalQuerySet.as_manager()

    class Meta:
        ordering = ["user", "day", "pk"]
        verbose_name = _("tidsregistrering")
        verbose_name_plural = _("tidsregistreringer")
        indexes = [
            models.Index(fields=["user", "day"], name="timeentry_user_day"),
            models.Index(fields=["plan", "day"], name="timeentry_plan"),
        ]
        constraints = [
            # Exactly one of activity, firm, partnership.
            models.CheckConstraint(
                condition=(
                    Q(plan__isnull=False, company__isnull=True, partnership__isnull=True)
                    | Q(plan__isnull=True, company__isnull=False, partnership__isnull=True)
                    | Q(plan__isnull=True, company__isnull=True, partnership__isnull=False)
                ),
                name="timeentry_one_target",
                violation_error_message=_("Timer registreres på én aktivitet, én virksomhed eller ét partnerskab."),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24),
                name="timeentry_hours_range",
                violation_error_message=_("Timer skal være mellem 0 og 24."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.hours}"
