"""The AMU course catalogue and the euro rate: reference data the activities read.

``Course`` is the national AMU catalogue's numbers and titles (imported from CSV by
``manage.py import_courses``); a training plan's lines point at it. ``EuroRate`` converts an
activity's aid value to euro on the day it is granted (de minimis ceilings are in euro).
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.effective import EffectivePeriod


class Course(models.Model):
    """An AMU course (arbejdsmarkedsuddannelse) of the national catalogue: number, title, days, main area."""

    number = models.CharField(_("AMU-nummer"), max_length=10, unique=True)
    title = models.CharField(_("titel"), max_length=250)
    days = models.DecimalField(_("varighed (dage)"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    main_area = models.CharField(_("fagligt hovedområde"), max_length=200, blank=True)
    qualifying = models.BooleanField(
        _("erhvervskompetencegivende"),
        default=True,
        help_text=_("AMU-kurser giver et kompetencebevis og er erhvervsrettede."),
    )
    is_demo = models.BooleanField(
        _("demorække"), default=False, help_text=_("Nummer og titel er ikke kontrolleret mod det nationale katalog.")
    )
    is_active = models.BooleanField(_("udbydes"), default=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("AMU-kursus")
        verbose_name_plural = _("AMU-kurser")

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class EuroRate(EffectivePeriod):
    """Kroner per euro from a date, for converting aid to euro on the day it is granted.

    Shipped: the krone's ERM II central rate, 7.46038, from 2014 (the Commission's monthly InforEuro
    rate differs from it by a few øre; administrators add a row per month when it matters).
    """

    dkk_per_eur = models.DecimalField(
        _("kroner pr. euro"), max_digits=8, decimal_places=5, validators=[MinValueValidator(1)]
    )
    source = models.CharField(_("kilde"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["valid_from"]
        verbose_name = _("eurokurs")
        verbose_name_plural = _("eurokurser")

    def __str__(self) -> str:
        return f"{self.dkk_per_eur} ({self.period_display})"
