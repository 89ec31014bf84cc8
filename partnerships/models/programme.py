"""The programme's reference data: ESF projects, the activity catalogue, budget lines and the financing plan.

Meetings, activities and reporting all read these, and none may import another for it, so they live at
the ground. The shipped values come from the programme paper (seed sections 3.2-3.4) through the data
migration ``0005_programme_data``; read them through ``partnerships.programme`` (typed selector
functions), not by querying here. The dated tables follow the rule of ``partnerships.models.effective``.
The rates, caps, de minimis rules and thresholds are in ``partnerships.models.rules``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.effective import EffectivePeriod


class Axis(models.IntegerChoices):
    """The ESF priority axes the programme runs under (the Danish programme "Vækst via uddannelse og iværksætteri")."""

    AXIS_1 = 1, _("Akse 1: Fremme af beskæftigelse og støtte til arbejdskraftens mobilitet")
    AXIS_4 = 4, _("Akse 4: Erhvervsuddannelse og videregående uddannelse")


class ESFProject(models.Model):
    """One ESF operation with its own journal number, budget and forms; every activity belongs to one."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    axis = models.PositiveSmallIntegerField(_("prioritetsakse"), choices=Axis.choices)
    objective = models.CharField(_("specifikt mål"), max_length=10, help_text=_("F.eks. 1b eller 4b."))
    activity_code = models.CharField(
        _("aktivitet i socialfondsprogrammet"), max_length=20, help_text=_("F.eks. 1.2.C.")
    )
    journal_number = models.CharField(
        _("journalnummer"),
        max_length=50,
        blank=True,
        help_text=_("Erhvervsstyrelsens journalnummer fra tilsagnsbrevet. Tomt, indtil det er indtastet."),
    )
    period_start = models.DateField(_("projektperiode fra"))
    period_end = models.DateField(_("projektperiode til og med"))
    uses_flat_rate = models.BooleanField(
        _("bruger fast takst på direkte lønomkostninger"),
        default=False,
        help_text=_(
            "Socialfondens særlige kontoplan tillod et fast tillæg til de direkte lønomkostninger, "
            "der også skulle dække deltagernes forsørgelse."
        ),
    )
    flat_rate_percent = models.DecimalField(
        _("fast takst (%)"), max_digits=5, decimal_places=2, default=40, help_text=_("Gælder kun, når taksten bruges.")
    )
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "axis"]
        verbose_name = _("ESF-projekt")
        verbose_name_plural = _("ESF-projekter")

    def __str__(self) -> str:
        return f"{self.name} (akse {self.axis})"

    def clean(self) -> None:
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Slutdatoen må ikke ligge før startdatoen.")})
        if self.flat_rate_percent is not None and not 0 <= self.flat_rate_percent <= 100:
            raise ValidationError({"flat_rate_percent": _("Den faste takst skal være mellem 0 og 100 %.")})


class EligibleActivity(models.Model):
    """An eligible-activity category of an ESF project (axis 1: Ledelse, Kompetenceudvikling, …; axis 4: seed 3.3.2)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    project = models.ForeignKey(
        ESFProject, on_delete=models.PROTECT, related_name="eligible_activities", verbose_name=_("ESF-projekt")
    )
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project__sort_order", "sort_order"]
        verbose_name = _("støtteberettiget aktivitet")
        verbose_name_plural = _("støtteberettigede aktiviteter")

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A line of the programme's budget (seed 3.3); a cost lands on one through its activity type."""

    # The line that hours spent on meetings and secretariat work land on (ESF.md).
    PARTNERSHIP_DEVELOPMENT = "partnerskab"

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    project = models.ForeignKey(
        ESFProject,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("ESF-projekt"),
        help_text=_("Tom: linjen deles af begge projekter."),
    )
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("budgetlinje")
        verbose_name_plural = _("budgetlinjer")

    def __str__(self) -> str:
        return self.name


class BudgetAmount(EffectivePeriod):
    """A budget line's amount for one calendar year, in kroner; a budget revision is a new row from its date."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="amounts", verbose_name=_("budgetlinje")
    )
    year = models.PositiveSmallIntegerField(_("budgetår"))
    amount = models.DecimalField(_("beløb (kr.)"), max_digits=14, decimal_places=2)

    period_key = ("budget_line", "year")
    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["budget_line__sort_order", "year", "valid_from"]
        verbose_name = _("budgetbeløb")
        verbose_name_plural = _("budgetbeløb")

    def __str__(self) -> str:
        return f"{self.budget_line} {self.year}"

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("Beløbet må ikke være negativt.")})


class FinancingSource(models.Model):
    """A source of the programme's financing: ESF, Region Midtjylland, other public co-financing."""

    ESF = "esf"
    REGION = "region"
    OTHER_PUBLIC = "anden-offentlig"

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("finansieringskilde")
        verbose_name_plural = _("finansieringskilder")

    def __str__(self) -> str:
        return self.name


class FinancingPlan(EffectivePeriod):
    """The financing plan in force for a period: how much each source pays; the shares follow from the amounts."""

    name = models.CharField(_("navn"), max_length=100)

    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["valid_from"]
        verbose_name = _("finansieringsplan")
        verbose_name_plural = _("finansieringsplaner")

    def __str__(self) -> str:
        return self.name


class FinancingPlanLine(models.Model):
    """One source's amount in a financing plan, in kroner for the plan's period."""

    plan = models.ForeignKey(FinancingPlan, on_delete=models.CASCADE, related_name="lines", verbose_name=_("plan"))
    source = models.ForeignKey(
        FinancingSource, on_delete=models.PROTECT, related_name="plan_lines", verbose_name=_("kilde")
    )
    amount = models.DecimalField(_("beløb (kr.)"), max_digits=14, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "source__sort_order"]
        verbose_name = _("finansieringslinje")
        verbose_name_plural = _("finansieringslinjer")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "source"],
                name="partnerships_financingplanline_one_per_source",
                violation_error_message=_("Kilden står allerede i planen."),
            )
        ]

    def __str__(self) -> str:
        # Danish thousands and decimal separators: "ESF: 7.500.000,00 kr."
        amount = f"{self.amount:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return f"{self.source}: {amount} kr."

    def clean(self) -> None:
        super().clean()
        if self.amount is not None and self.amount < 0:
            raise ValidationError({"amount": _("Beløbet må ikke være negativt.")})


class ActivityType(models.Model):
    """An activity of the programme's catalogue (seed 3.2); its ESF mapping is dated in ActivityTypeMapping."""

    class Kind(models.TextChoices):
        """Which type-specific details an activity of this type records (the activities work picks the form)."""

        RKV = "rkv", _("Realkompetencevurdering")
        TRAINING_PLAN = "training_plan", _("Uddannelsesplan")
        HR_FOR_HIRE = "hr_for_hire", _("HR-chef til leje")
        JOBROTATION = "jobrotation", _("Jobrotation")
        NETWORK = "network", _("Netværk")
        GRADUATE = "graduate", _("Tilknytning af højtuddannede")
        FOREIGN_SPECIALIST = "foreign_specialist", _("Udenlandsk arbejdskraft")
        GENERIC = "generic", _("Ingen særlige oplysninger")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("navn"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    kind = models.CharField(_("særlige oplysninger"), max_length=20, choices=Kind.choices, default=Kind.GENERIC)
    is_active = models.BooleanField(
        _("kan vælges"), default=True, help_text=_("Fravælg for at skjule typen for nye aktiviteter.")
    )
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("aktivitetstype")
        verbose_name_plural = _("aktivitetstyper")

    def __str__(self) -> str:
        return self.name


class ActivityTypeMapping(EffectivePeriod):
    """How an activity type is financed from a date: ESF project and eligible activity, budget line, charged or not.

    An activity keeps the row in force on the day it started (a foreign key to it), so a row that is or
    has been in force is frozen: only its end date may be set. A change is a new row from the day it
    applies, with the old row closed the day before.
    """

    FROZEN_FIELDS = ("activity_type_id", "eligible_activity_id", "budget_line_id", "charged_to_project", "valid_from")

    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="mappings", verbose_name=_("aktivitetstype")
    )
    eligible_activity = models.ForeignKey(
        EligibleActivity,
        on_delete=models.PROTECT,
        related_name="mappings",
        verbose_name=_("støtteberettiget aktivitet"),
        help_text=_("Bestemmer også ESF-projektet og aksen."),
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="mappings", verbose_name=_("budgetlinje")
    )
    charged_to_project = models.BooleanField(
        _("konteres projektet"),
        default=True,
        help_text=_("Fravælg, når aktiviteten betales af det ordinære system (f.eks. RKV i forhold til uddannelse)."),
    )

    period_key = ("activity_type",)
    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["activity_type__sort_order", "valid_from"]
        verbose_name = _("tilknytning af aktivitetstype")
        verbose_name_plural = _("tilknytninger af aktivitetstyper")

    def __str__(self) -> str:
        name = self.activity_type.name if self.activity_type_id else "?"
        return f"{name} ({self.period_display})"

    @property
    def project(self) -> ESFProject:
        return self.eligible_activity.project

    @property
    def axis(self) -> int:
        return self.eligible_activity.project.axis

    @property
    def requires_growth_purpose(self) -> bool:
        """Axis 1 activities need a growth or productivity purpose from the firm's growth strategy (seed 3.3.1)."""
        return self.axis == Axis.AXIS_1

    @property
    def requires_qualifying_education(self) -> bool:
        """Axis 4 activities must lead to a formally qualifying education (seed 3.3.2)."""
        return self.axis == Axis.AXIS_4

    def clean(self) -> None:
        super().clean()
        self.validate_frozen()

    def validate_frozen(self) -> None:
        """A row that is or has been in force keeps its values; only its end date may change."""
        if self.pk is None:
            return
        saved = type(self)._default_manager.filter(pk=self.pk).first()
        if saved is None or saved.valid_from > timezone.localdate():
            return  # not yet in force: no activity can have started under it
        changed = [name for name in self.FROZEN_FIELDS if getattr(saved, name) != getattr(self, name)]
        if changed:
            raise ValidationError(
                _(
                    "En tilknytning, der er eller har været gældende, kan ikke ændres, fordi aktiviteter "
                    "beholder den tilknytning, der gjaldt, da de startede. Sæt en slutdato på denne, "
                    "og opret en ny fra den dag, ændringen gælder."
                )
            )
