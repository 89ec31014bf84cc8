"""The partnership's written self-evaluation on CARMA's ladder kantine – klub – kompagni.

Twice a year (``settings.SELF_EVALUATION_ROUNDS_PER_YEAR``) the secretariat opens a round; each
member rates every dimension with a level and a written justification; when the round is closed
the answers are combined per dimension (the median level, and the justifications) into the
partnership's result, which the development chart shows over time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.models.people import Partnership
from partnerships.scoping import PartnershipScopedQuerySet

JUSTIFICATION_MAX = 2000


class Dimension(models.TextChoices):
    """What the partnership rates itself on (CARMA, Partnerskaber i støbeskeen)."""

    SHARED_UNDERSTANDING = "samtaenkning", _("Samtænkning (fælles forståelse)")
    COORDINATION = "samordning", _("Samordning (koordinerede handlinger)")
    COOPERATION = "samarbejde", _("Samarbejde om fælles opgaver")
    MANDATE = "mandat", _("Mandat")
    PROGRAMME_THEORY = "programteori", _("Fælles programteori")
    RESOURCES = "ressourcer", _("Ressourcer")
    COMMUNICATION = "kommunikation", _("Kommunikation mellem niveauerne")
    HANDOVER = "overlevering", _("Overlevering af viden til organisationerne")


class Level(models.IntegerChoices):
    """CARMA's three ideal types, with the steps between them (most partnerships were between
    kantine and klub)."""

    KANTINE = 1, _("Kantine")
    KANTINE_KLUB = 2, _("Mellem kantine og klub")
    KLUB = 3, _("Klub")
    KLUB_KOMPAGNI = 4, _("Mellem klub og kompagni")
    KOMPAGNI = 5, _("Kompagni")


class SelfEvaluationQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class SelfEvaluation(models.Model):
    """One round of a partnership's self-evaluation, for a period (e.g. the first half of 2026)."""

    class Status(models.TextChoices):
        OPEN = "aaben", _("Åben for svar")
        CLOSED = "afsluttet", _("Afsluttet")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="self_evaluations", verbose_name=_("Partnerskab")
    )
    title = models.CharField(_("Titel"), max_length=100)
    period_start = models.DateField(_("Periode fra"))
    period_end = models.DateField(_("Periode til"))
    closes_on = models.DateField(_("Svarfrist"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    summary = models.TextField(_("Samlet vurdering"), max_length=JUSTIFICATION_MAX * 2, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = SelfEvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "period_start"]
        verbose_name = _("selvevaluering")
        verbose_name_plural = _("selvevalueringer")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "period_start"], name="selfevaluation_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="selfevaluation_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title}"


class SelfEvaluationAnswer(models.Model):
    """One member's level and justification for one dimension."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    dimension = models.CharField(_("Dimension"), max_length=20, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField(_("Niveau"), choices=Level.choices)
    justification = models.TextField(_("Begrundelse"), max_length=JUSTIFICATION_MAX)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["evaluation", "dimension", "pk"]
        verbose_name = _("svar på selvevaluering")
        verbose_name_plural = _("svar på selvevaluering")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "respondent", "dimension"], name="selfevaluationanswer_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.respondent}: {self.dimension} = {self.level}"


class SelfEvaluationResult(models.Model):
    """The partnership's combined level for one dimension in one round, with the joint justification."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="results")
    dimension = models.CharField(_("Dimension"), max_length=20, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField(_("Niveau"), choices=Level.choices)
    justification = models.TextField(_("Begrundelse"), max_length=JUSTIFICATION_MAX * 4)
    answers = models.PositiveSmallIntegerField(default=0)
    lowest = models.PositiveSmallIntegerField(choices=Level.choices, null=True)
    highest = models.PositiveSmallIntegerField(choices=Level.choices, null=True)

    class Meta:
        ordering = ["evaluation", "dimension"]
        verbose_name = _("resultat af selvevaluering")
        verbose_name_plural = _("resultater af selvevaluering")
        constraints = [models.UniqueConstraint(fields=["evaluation", "dimension"], name="selfevaluationresult_unique")]

    def __str__(self) -> str:
        return f"{self.evaluation}: {self.dimension} = {self.level}"
