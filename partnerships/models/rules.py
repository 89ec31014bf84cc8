"""The programme's dated rules: staff-cost rates and monthly caps, de minimis ceilings, thresholds, reporting dates.

Each is a table of dated rows (``partnerships.models.effective``); the shipped rows and the reasons
behind them are in the data migration ``0005_programme_data``. Read them through
``partnerships.programme``.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.models.effective import EffectivePeriod
from partnerships.models.people import Organisation


def _years_back(day: date, years: int) -> date:
    """The same day ``years`` years earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class StaffCostRate(EffectivePeriod):
    """How consultants' hours are costed in a period: the standard row (no organisation) or one organisation's.

    One table for rates and caps: a row without an organisation is the standard; an organisation's row
    overrides it for that organisation, and a field left empty on it is taken from the standard row in
    force on the same day.
    """

    class Method(models.TextChoices):
        STANDARD_RATE = "standard_rate", _("Standardsats pr. time")
        ACTUAL_PAY = "actual_pay", _("Faktiske lønomkostninger")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_cost_rates",
        verbose_name=_("organisation"),
        help_text=_("Tom: standarden for alle organisationer."),
    )
    method = models.CharField(_("opgørelsesmetode"), max_length=20, choices=Method.choices)
    hourly_rate = models.DecimalField(
        _("timesats (kr.)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Ved faktiske lønomkostninger: organisationens dokumenterede timeløn, når den kendes."),
    )
    monthly_cap_hours = models.DecimalField(
        _("loft (timer pr. person pr. måned)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("grundlag og bemærkninger"), blank=True)

    period_key = ("organisation",)
    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["organisation__name", "valid_from"]
        verbose_name = _("timesats og loft")
        verbose_name_plural = _("timesatser og lofter")

    def __str__(self) -> str:
        who = self.organisation.name if self.organisation_id else _("Standard")
        return f"{who} ({self.period_display})"

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.hourly_rate is not None and self.hourly_rate <= 0:
            errors["hourly_rate"] = _("Timesatsen skal være større end 0.")
        if self.monthly_cap_hours is not None and not 0 < self.monthly_cap_hours <= 744:
            errors["monthly_cap_hours"] = _("Loftet skal være mellem 0 og 744 timer (en måned med 31 døgn).")
        if self.method == self.Method.STANDARD_RATE and self.organisation_id is None and self.hourly_rate is None:
            errors["hourly_rate"] = _("En standardsats skal have en timesats.")
        if errors:
            raise ValidationError(errors)


class DeMinimisRule(EffectivePeriod):
    """The de minimis ceiling in force: how much aid one undertaking may receive over which window."""

    class Window(models.TextChoices):
        FISCAL_YEARS = "fiscal_years", _("Indeværende og de foregående regnskabsår")
        ROLLING = "rolling", _("Enhver periode af den angivne længde (løbende)")

    regulation = models.CharField(_("forordning"), max_length=200)
    ceiling_eur = models.DecimalField(_("loft (EUR)"), max_digits=12, decimal_places=2)
    years = models.PositiveSmallIntegerField(
        _("periode (år)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    window = models.CharField(_("opgørelse"), max_length=20, choices=Window.choices)
    single_undertaking = models.BooleanField(
        _("tilknyttede virksomheder tæller som én"),
        default=True,
        help_text=_("»Én og samme virksomhed«: virksomheder med kontrol over hinanden lægges sammen."),
    )
    note = models.TextField(_("bemærkninger"), blank=True)

    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["valid_from"]
        verbose_name = _("de minimis-regel")
        verbose_name_plural = _("de minimis-regler")

    def __str__(self) -> str:
        return self.regulation

    def clean(self) -> None:
        super().clean()
        if self.ceiling_eur is not None and self.ceiling_eur <= 0:
            raise ValidationError({"ceiling_eur": _("Loftet skal være større end 0.")})

    def window_start(self, on: date, *, fiscal_year_start: tuple[int, int] = (1, 1)) -> date:
        """The first day counted with aid granted on ``on``: the window is ``window_start(on)``..``on``.

        Fiscal years (1407/2013): the current fiscal year and the ``years - 1`` before it; pass the
        firm's fiscal-year start (month, day) when it is not the calendar year. Rolling (2023/2831):
        the ``years`` years up to and including ``on``.
        """
        if self.window == self.Window.ROLLING:
            return _years_back(on, self.years) + timedelta(days=1)
        month, day = fiscal_year_start
        start = date(on.year, month, day)
        if start > on:
            start = date(on.year - 1, month, day)
        return date(start.year - (self.years - 1), month, day)


class ProgrammeThreshold(EffectivePeriod):
    """A number the rules compare against, kept as data so administrators can change it from a date."""

    class Key(models.TextChoices):
        SUBSTANTIAL_PART = "substantial_part", _("Væsentlig del af medarbejdere eller ledelse (%)")

    key = models.CharField(_("tærskel"), max_length=40, choices=Key.choices)
    value = models.DecimalField(_("værdi"), max_digits=10, decimal_places=2)
    note = models.TextField(_("begrundelse"), blank=True)

    period_key = ("key",)
    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["key", "valid_from"]
        verbose_name = _("tærskelværdi")
        verbose_name_plural = _("tærskelværdier")

    def __str__(self) -> str:
        return self.get_key_display()

    def clean(self) -> None:
        super().clean()
        if self.key == self.Key.SUBSTANTIAL_PART and self.value is not None and not 0 < self.value <= 100:
            raise ValidationError({"value": _("Andelen skal være mellem 0 og 100 %.")})


class ReportingDeadline(EffectivePeriod):
    """A recurring ESF deadline: the last day of ``month`` every year (status reports, participant data)."""

    name = models.CharField(_("navn"), max_length=200)
    month = models.PositiveSmallIntegerField(
        _("måned"),
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("Fristen er månedens sidste dag."),
    )
    warning_days = models.PositiveSmallIntegerField(
        _("varsel (dage)"), default=30, help_text=_("Så mange dage før fristen advarer portalen om manglende data.")
    )

    period_key = ("month",)
    history = HistoricalRecords()

    class Meta(EffectivePeriod.Meta):
        ordering = ["month", "valid_from"]
        verbose_name = _("indberetningsfrist")
        verbose_name_plural = _("indberetningsfrister")

    def __str__(self) -> str:
        return self.name

    def deadline_in(self, year: int) -> date:
        return date(year, self.month, calendar.monthrange(year, self.month)[1])
