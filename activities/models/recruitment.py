"""ESF recruitment: a firm taken into one of the two ESF projects by its signed declarations.

The real programme ran as two ESF operations, each with its own forms, and a firm may take part in
both; so a firm is recruited into each project separately (one ``Recruitment`` per firm and project),
and signs again for the second. No activity starts in a project before the firm's recruitment into it
is complete: all three declarations signed and dated on or before the start
(``activities.services.recruitment_complete_on``).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.models import TEXT_SHORT
from partnerships.scoping import PartnershipScopedQuerySet


class RecruitmentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class Recruitment(models.Model):
    """A firm's recruitment into an ESF project, with the facts its declarations state.

    SME status is declared for the undertaking as a whole (CVR level, never per P-number), with its
    partner and linked enterprises counted, as the EU SME definition requires. The de minimis
    declaration states the other de minimis aid the undertaking (linked undertakings as one) received
    in the window, which counts against the ceiling with the project's own aid.
    """

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="recruitments", verbose_name=_("virksomhed")
    )
    project = models.ForeignKey(
        "partnerships.ESFProject", on_delete=models.PROTECT, related_name="+", verbose_name=_("ESF-projekt")
    )
    # SME declaration (CVR level, with partner and linked enterprises).
    sme_staff = models.PositiveIntegerField(
        _("ansatte (årsværk) inkl. partner- og tilknyttede virksomheder"),
        validators=[MaxValueValidator(10_000_000)],
    )
    sme_turnover_eur_m = models.DecimalField(
        _("omsætning (mio. EUR) inkl. partner- og tilknyttede virksomheder"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    sme_balance_eur_m = models.DecimalField(
        _("balance (mio. EUR) inkl. partner- og tilknyttede virksomheder"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    linked_enterprises = models.TextField(
        _("partner- og tilknyttede virksomheder"),
        blank=True,
        max_length=TEXT_SHORT,
        help_text=_("Navn og CVR-nummer på de virksomheder, der er regnet med."),
    )
    # De minimis declaration.
    other_de_minimis_eur = models.DecimalField(
        _("anden de minimis-støtte i perioden (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Den støtte, virksomheden (og dens tilknyttede virksomheder) erklærer at have fået."),
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("regnskabsåret begynder i måned"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    recruited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = RecruitmentQuerySet.as_manager()

    class Meta:
        ordering = ["company", "project__sort_order"]
        verbose_name = _("rekruttering til ESF-projekt")
        verbose_name_plural = _("rekrutteringer til ESF-projekter")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "project"],
                name="recruitment_one_per_company_and_project",
                violation_error_message=_("Virksomheden er allerede rekrutteret til projektet."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id} → {self.project_id}"

    def get_absolute_url(self) -> str:
        return reverse("activities:recruitment_detail", args=[self.pk])

    @property
    def sme_declared(self) -> bool:
        """Whether the declared figures make the undertaking an SME (fewer than 250 staff and
        turnover at most EUR 50 m or balance sheet at most EUR 43 m)."""
        if self.sme_staff is None or self.sme_staff >= 250:
            return False
        turnover, balance = self.sme_turnover_eur_m, self.sme_balance_eur_m
        if turnover is None and balance is None:
            return True
        return (turnover is not None and turnover <= 50) or (balance is not None and balance <= 43)


class DeclarationQuerySet(PartnershipScopedQuerySet):
    partnership_path = "recruitment__company__partnership"


class Declaration(models.Model):
    """One signed declaration of a recruitment, dated, with its signed scan (PDF or image)."""

    class Kind(models.TextChoices):
        SME = "smv", _("SMV-erklæring")
        DE_MINIMIS = "de_minimis", _("De minimis-erklæring")
        INTENT = "hensigt", _("Hensigtserklæring (vækststrategi)")

    recruitment = models.ForeignKey(Recruitment, on_delete=models.CASCADE, related_name="declarations")
    kind = models.CharField(_("erklæring"), max_length=12, choices=Kind.choices)
    signed_on = models.DateField(_("underskrevet den"))
    signed_by = models.CharField(_("underskrevet af"), max_length=150)
    scan = models.FileField(_("underskrevet scanning"), upload_to="erklaeringer/%Y/", max_length=200)
    scan_name = models.CharField(max_length=200, editable=False, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ["recruitment", "kind"]
        verbose_name = _("erklæring")
        verbose_name_plural = _("erklæringer")
        constraints = [
            models.UniqueConstraint(
                fields=["recruitment", "kind"],
                name="declaration_one_per_kind",
                violation_error_message=_("Erklæringen er allerede registreret for denne rekruttering."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signed_on:%d.%m.%Y}"


def recruitment_complete_on(declarations: list[Declaration]) -> dt.date | None:
    """The day all three declarations were signed (the latest signature), or None while one is missing."""
    by_kind = {d.kind: d.signed_on for d in declarations}
    if set(by_kind) != set(Declaration.Kind.values):
        return None
    return max(by_kind.values())
