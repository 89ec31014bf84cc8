"""Firm-level ESF facts: the firm's headcount with its date (axis 1b counts employment in supported firms)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.scoping import PartnershipScopedQuerySet


class HeadcountQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class Headcount(models.Model):
    """How many people the firm employed on a day: at the start of its first activity and at follow-up."""

    class Occasion(models.TextChoices):
        START = "start", _("Ved start af første aktivitet")
        FOLLOW_UP = "opfoelgning", _("Ved opfølgning")
        OTHER = "andet", _("Andet")

    class Source(models.TextChoices):
        CVR = "cvr", _("CVR-udtræk")
        FIRM = "virksomheden", _("Oplyst af virksomheden")

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="headcounts")
    counted_on = models.DateField(_("opgjort pr."))
    employees = models.PositiveIntegerField(_("ansatte i alt"), validators=[MaxValueValidator(1_000_000)])
    managers = models.PositiveIntegerField(
        _("heraf ledere"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    occasion = models.CharField(_("anledning"), max_length=12, choices=Occasion.choices)
    source = models.CharField(_("kilde"), max_length=12, choices=Source.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = HeadcountQuerySet.as_manager()

    class Meta:
        ordering = ["company", "-counted_on", "-pk"]
        verbose_name = _("medarbejdertal")
        verbose_name_plural = _("medarbejdertal")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(managers__isnull=True) | models.Q(managers__lte=models.F("employees")),
                name="headcount_managers_within_employees",
                violation_error_message=_("Der kan ikke være flere ledere end ansatte."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.employees} ({self.counted_on})"
