"""Recruitment needs: the details of a competence need of kind rekruttering."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models.visits import CompetenceNeed
from partnerships.scoping import PartnershipScopedQuerySet


class RecruitmentNeedQuerySet(PartnershipScopedQuerySet):
    partnership_path = "need__company__partnership"


class RecruitmentNeed(models.Model):
    """What a firm wants to recruit (``CompetenceNeed.kind == "rekruttering"``), and how it ended.

    Its primary key is its need's: the need carries the firm, the skills asked for (``description``)
    and the open/closed status; the scoping follows the need's firm.
    """

    class Outcome(models.TextChoices):
        FILLED = "besat", _("Besat")
        PARTLY_FILLED = "delvist_besat", _("Delvist besat")
        NOT_FILLED = "ikke_besat", _("Ikke besat")
        WITHDRAWN = "trukket_tilbage", _("Trukket tilbage")

    need = models.OneToOneField(CompetenceNeed, on_delete=models.CASCADE, related_name="recruitment", primary_key=True)
    job_title = models.CharField(_("Stillingsbetegnelse"), max_length=150)
    positions = models.PositiveIntegerField(
        _("Antal stillinger"),
        validators=[
            MinValueValidator(1, _("Antallet af stillinger skal være mindst 1.")),
            MaxValueValidator(10000, _("Antallet af stillinger må højst være 10.000.")),
        ],
    )
    deadline = models.DateField(_("Frist"), null=True, blank=True, help_text=_("Hvornår skal stillingerne være besat?"))
    foreign_specialists = models.BooleanField(_("Udenlandske specialister overvejes"), default=False)
    graduates = models.BooleanField(_("Dimittender overvejes"), default=False)
    outcome = models.CharField(_("Resultat"), max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("Lukket den"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = RecruitmentNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("rekrutteringsbehov")
        verbose_name_plural = _("rekrutteringsbehov")
        indexes = [models.Index(fields=["deadline"], name="recruitment_deadline")]

    def __str__(self) -> str:
        return f"{self.job_title} ({self.positions})"

    @property
    def is_open(self) -> bool:
        return not self.outcome
