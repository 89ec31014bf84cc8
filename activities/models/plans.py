"""Activity plans: what a partnership decided for a firm, made concrete, with its ESF mapping and workflow.

One generic ``ActivityPlan`` carries what every activity has (firm, type, ESF mapping, purpose,
people, dates, hours, costs, status); the types that need more have a details model of their own
(``HRForHireDetail``, ``JobrotationDetail``, ``NetworkDetail``, ``PlacementDetail``), and the
participants' parts (training lines, RKV results) hang off their enrolments
(``activities.models.participants``). Never one model per type.

The ESF mapping: a plan stores a foreign key to the ``partnerships.ActivityTypeMapping`` row in force
on its start day (planned while it is a draft; the actual start once it starts). A mapping row that
has been in force is frozen at the ground, so the plan keeps the mapping it started under whatever
administrators change later.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import TEXT_LONG, TEXT_SHORT
from partnerships.scoping import PartnershipScopedQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
HOURS = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class ActivityPlanQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class ActivityPlan(models.Model):
    """An activity for a firm (an RKV, a training plan, HR-chef til leje, jobrotation, …) under one ESF project."""

    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        APPROVED = "godkendt", _("Godkendt")
        IN_PROGRESS = "i_gang", _("I gang")
        COMPLETED = "afsluttet", _("Afsluttet")
        CANCELLED = "annulleret", _("Annulleret")

    # The workflow: the only moves there are. A step back from Godkendt to Kladde needs a reason.
    TRANSITIONS: dict[str, tuple[str, ...]] = {
        Status.DRAFT: (Status.APPROVED, Status.CANCELLED),
        Status.APPROVED: (Status.IN_PROGRESS, Status.DRAFT, Status.CANCELLED),
        Status.IN_PROGRESS: (Status.COMPLETED, Status.CANCELLED),
        Status.COMPLETED: (),
        Status.CANCELLED: (),
    }
    OPEN_STATUSES = (Status.DRAFT, Status.APPROVED, Status.IN_PROGRESS)
    # Once started, the mapping, the type and the firm no longer change.
    STARTED_STATUSES = (Status.IN_PROGRESS, Status.COMPLETED)

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="activity_plans", verbose_name=_("virksomhed")
    )
    activity_type = models.ForeignKey(
        "partnerships.ActivityType", on_delete=models.PROTECT, related_name="+", verbose_name=_("aktivitetstype")
    )
    type_mapping = models.ForeignKey(
        "partnerships.ActivityTypeMapping",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ESF-tilknytning"),
        editable=False,
        help_text=_("Den tilknytning, der gjaldt på aktivitetens startdag."),
    )
    title = models.CharField(_("titel"), max_length=200)
    purpose = models.TextField(
        _("formål i virksomhedens vækststrategi"),
        blank=True,
        max_length=TEXT_SHORT,
        help_text=_("Krævet for akse 1: aktivitetens vækst- eller produktivitetsformål ud fra vækststrategien."),
    )
    description = models.TextField(_("beskrivelse"), blank=True, max_length=TEXT_LONG)
    decision = models.ForeignKey(
        "companies.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_plans",
        verbose_name=_("partnerskabets beslutning"),
        editable=False,
    )
    needs = models.ManyToManyField(
        "companies.CompetenceNeed", blank=True, related_name="activity_plans", verbose_name=_("kompetencebehov")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_activities",
        verbose_name=_("ansvarlig konsulent"),
    )
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ansvarlig organisation"),
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="activities", verbose_name=_("andre konsulenter")
    )
    planned_start = models.DateField(_("planlagt start"))
    planned_end = models.DateField(_("planlagt slut"))
    actual_start = models.DateField(_("faktisk start"), null=True, blank=True)
    actual_end = models.DateField(_("faktisk slut"), null=True, blank=True)
    planned_hours = models.DecimalField(_("planlagte konsulenttimer"), default=0, **HOURS)
    planned_cost = models.DecimalField(
        _("planlagte udgifter (kr.)"),
        default=0,
        help_text=_("Udgifter ud over konsulenttimerne: kursusgebyrer, køb af ydelser."),
        **MONEY,
    )
    # Axis 1: how many of the firm's staff and managers take part ("a substantial part", seed 3.3.1).
    staff_taking_part = models.PositiveIntegerField(
        _("medarbejdere, der deltager"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    managers_taking_part = models.PositiveIntegerField(
        _("ledere, der deltager"), null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    # De minimis: the aid to the firm is its cost to the project, in euro on the day it is granted
    # (the day the plan is approved). Set by the approval; zero for types not charged to the project.
    aid_granted_on = models.DateField(_("støtte bevilget den"), null=True, blank=True, editable=False)
    aid_dkk = models.DecimalField(_("støtteværdi (kr.)"), null=True, blank=True, editable=False, **MONEY)
    aid_eur = models.DecimalField(_("støtteværdi (EUR)"), null=True, blank=True, editable=False, **MONEY)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = ActivityPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_start", "-pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        permissions = [("export_activityplan", _("Kan eksportere aktivitetslister"))]
        indexes = [
            models.Index(fields=["planned_start", "id"], name="activity_start"),
            models.Index(fields=["company", "status"], name="activity_company"),
            models.Index(fields=["responsible", "status"], name="activity_responsible"),
            # The dashboard's "my open activities", soonest end first: read in index order, stops at 8.
            models.Index(fields=["responsible", "planned_end", "id"], name="activity_responsible_end"),
            models.Index(fields=["status", "planned_start"], name="activity_status"),
            models.Index(fields=["activity_type", "planned_start"], name="activity_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_end__gte=models.F("planned_start")),
                name="activity_planned_period_order",
                violation_error_message=_("Planlagt slut kan ikke ligge før planlagt start."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    # --- The workflow -----------------------------------------------------------------------------
    def allowed_transitions(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())

    def can_move_to(self, status: str) -> bool:
        return status in self.allowed_transitions()

    @property
    def is_started(self) -> bool:
        return self.status in self.STARTED_STATUSES

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def start(self):
        """The day the activity starts: the actual start once known, else the planned one."""
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end

    @property
    def kind(self) -> str:
        return self.activity_type.kind

    @property
    def charged_to_project(self) -> bool:
        return self.type_mapping.charged_to_project

    @property
    def aid_value_dkk(self) -> Decimal:
        """What the firm's aid is worth (the plan's cost to the project); zero when not charged."""
        return self.planned_cost if self.type_mapping.charged_to_project else Decimal(0)


class StatusChangeQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__company__partnership"


class ActivityStatusChange(models.Model):
    """One step of a plan's workflow: from, to, who, when, why."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=ActivityPlan.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=ActivityPlan.Status.choices)
    note = models.CharField(_("begrundelse"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField()

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "changed_at", "pk"]
        verbose_name = _("statusskift for aktivitet")
        verbose_name_plural = _("statusskift for aktiviteter")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.from_status} → {self.to_status}"


class CostQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__company__partnership"


class Cost(models.Model):
    """An actual expense of an activity beyond consultants' hours (a course fee, a bought service)."""

    class Kind(models.TextChoices):
        COURSE_FEE = "kursusgebyr", _("Kursusgebyr")
        SERVICE = "ydelse", _("Køb af ydelse (fx HR-chef til leje)")
        TRAVEL = "transport", _("Transport")
        MATERIALS = "materialer", _("Materialer")
        OTHER = "andet", _("Andet")

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="costs")
    incurred_on = models.DateField(_("dato"))
    kind = models.CharField(_("art"), max_length=12, choices=Kind.choices)
    description = models.CharField(_("tekst"), max_length=200)
    amount = models.DecimalField(_("beløb (kr.)"), **MONEY)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CostQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "incurred_on", "pk"]
        verbose_name = _("udgift")
        verbose_name_plural = _("udgifter")

    def __str__(self) -> str:
        return f"{self.description}: {self.amount}"


# ---------------------------------------------------------------------------
# Type-specific details (one row per plan of that kind)
# ---------------------------------------------------------------------------
class DetailQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__company__partnership"


class HRForHireDetail(models.Model):
    """HR-chef til leje: who provides the HR manager, the hours bought, the tasks and the firm's HR outcome."""

    plan = models.OneToOneField(ActivityPlan, on_delete=models.CASCADE, related_name="hr_detail")
    provider = models.CharField(_("leverandør"), max_length=200, blank=True)
    hours_bought = models.DecimalField(_("købte timer"), null=True, blank=True, **HOURS)
    tasks = models.TextField(_("opgaver"), blank=True, max_length=TEXT_SHORT)
    outcome = models.TextField(_("virksomhedens HR-resultat"), blank=True, max_length=TEXT_SHORT)

    objects = DetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("HR-chef til leje")
        verbose_name_plural = _("HR-chef til leje")

    def __str__(self) -> str:
        return f"HR {self.plan_id}"


class JobrotationDetail(models.Model):
    """Jobrotation: how many weeks; the employees in training and the unemployed substitutes are its enrolments."""

    plan = models.OneToOneField(ActivityPlan, on_delete=models.CASCADE, related_name="jobrotation_detail")
    weeks = models.PositiveSmallIntegerField(
        _("uger"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(260)]
    )
    jobcentre = models.CharField(_("jobcenter"), max_length=200, blank=True)

    objects = DetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("jobrotation")
        verbose_name_plural = _("jobrotationer")

    def __str__(self) -> str:
        return f"Jobrotation {self.plan_id}"


class NetworkDetail(models.Model):
    """A firm network: its theme; its member firms and meetings are rows of their own."""

    plan = models.OneToOneField(ActivityPlan, on_delete=models.CASCADE, related_name="network_detail")
    theme = models.CharField(_("tema"), max_length=200, blank=True)
    members = models.ManyToManyField(
        "companies.Company", blank=True, related_name="networks", verbose_name=_("medlemsvirksomheder")
    )

    objects = DetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("netværk")
        verbose_name_plural = _("netværk")

    def __str__(self) -> str:
        return f"Netværk {self.plan_id}"


class NetworkMeetingQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__company__partnership"


class NetworkMeeting(models.Model):
    """A meeting of a firm network."""

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="network_meetings")
    held_on = models.DateField(_("dato"))
    topic = models.CharField(_("emne"), max_length=200)
    firms_present = models.PositiveSmallIntegerField(_("virksomheder til stede"), default=0)

    objects = NetworkMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "held_on", "pk"]
        verbose_name = _("netværksmøde")
        verbose_name_plural = _("netværksmøder")

    def __str__(self) -> str:
        return self.topic


class PlacementDetail(models.Model):
    """Tilknytning af højtuddannede and udenlandsk arbejdskraft: the need answered, the person placed, the task
    and the outcome. The person is an enrolment when the ESF counts them as a participant."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Ikke afklaret")
        HIRED = "ansat", _("Ansat")
        PROJECT = "projekt", _("Ansat i projektperioden")
        NOT_PLACED = "ikke_placeret", _("Ikke placeret")

    plan = models.OneToOneField(ActivityPlan, on_delete=models.CASCADE, related_name="placement_detail")
    recruitment_need = models.TextField(_("rekrutteringsbehov"), blank=True, max_length=TEXT_SHORT)
    person_placed = models.CharField(
        _("placeret person"),
        max_length=150,
        blank=True,
        help_text=_("Kun når personen ikke er registreret som deltager."),
    )
    development_task = models.TextField(_("udviklingsopgave"), blank=True, max_length=TEXT_SHORT)
    outcome = models.CharField(_("resultat"), max_length=15, choices=Outcome.choices, blank=True, default="")

    objects = DetailQuerySet.as_manager()

    class Meta:
        verbose_name = _("tilknytning af arbejdskraft")
        verbose_name_plural = _("tilknytninger af arbejdskraft")

    def __str__(self) -> str:
        return f"Tilknytning {self.plan_id}"
