"""Reference data every app reads: the three public systems, the region's municipalities, DB07 sections."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# Region Midtjylland's official region code: the programme's region.
REGION_MIDTJYLLAND = 1082


class System(models.Model):
    """One of the three public systems serving firms, or the programme operator."""

    BUSINESS = "business"
    EMPLOYMENT = "employment"
    EDUCATION = "education"
    OPERATOR = "operator"

    code = models.SlugField(_("kode"), max_length=20, primary_key=True)
    name = models.CharField(_("navn"), max_length=100)
    short_name = models.CharField(_("kort navn"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("system")
        verbose_name_plural = _("systemer")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommune), keyed by its official code (e.g. 751 for Aarhus)."""

    code = models.PositiveSmallIntegerField(_("kommunekode"), primary_key=True)
    name = models.CharField(_("navn"), max_length=60, unique=True)
    region_code = models.PositiveSmallIntegerField(_("regionskode"), default=REGION_MIDTJYLLAND)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.name


class IndustrySection(models.Model):
    """A top-level section (A-S) of the Danish industry classification DB07."""

    code = models.CharField(_("kode"), max_length=1, primary_key=True)
    name = models.CharField(_("navn"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("branchehovedgruppe (DB07)")
        verbose_name_plural = _("branchehovedgrupper (DB07)")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
