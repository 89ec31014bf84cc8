"""Effective dating: rows that hold a value from one date to another, so what was in force can be read back.

Every dated reference table (rates and caps, the financing plan, budget amounts, de minimis rules, the
activity catalogue's mapping, thresholds) inherits :class:`EffectivePeriod`. The rule is the same
everywhere:

- ``valid_from`` is the first day a row applies, ``valid_until`` the last day (inclusive, "til og med");
  an empty ``valid_until`` means "until further notice".
- Two rows with the same ``period_key`` (for example the same organisation, or the same budget line
  and year) may not overlap. Model validation refuses it with a Danish message next to the field;
  on PostgreSQL an exclusion constraint refuses it too (added by migration, see
  ``partnerships/migrations/0004_programme_period_constraints.py``), so no race can slip past.
- A change that applies from a date is a new row from that date, with the old row closed the day
  before: ``partnerships.services.effective_row_save(row=new, supersede=True)`` does both in one
  transaction (the admin's "Afslut den gældende række" box). Reading "what was in force on D" is then
  ``Model.objects.in_force(D)``.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


def format_period(valid_from: date, valid_until: date | None) -> str:
    """The period as Danish users write it: ``01.09.2018–31.12.2019`` or ``fra 01.09.2018``."""
    start = valid_from.strftime("%d.%m.%Y")
    if valid_until is None:
        return _("fra %(start)s") % {"start": start}
    return f"{start}–{valid_until.strftime('%d.%m.%Y')}"


class EffectiveQuerySet(models.QuerySet):
    """Reads by date: ``in_force(on)`` and ``overlapping(start, end)``."""

    def in_force(self, on: date) -> Self:
        """The rows that apply on the day ``on``."""
        return self.filter(valid_from__lte=on).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))

    def overlapping(self, valid_from: date, valid_until: date | None) -> Self:
        """The rows sharing at least one day with the period ``valid_from``..``valid_until`` (None: open)."""
        rows = self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
        if valid_until is not None:
            rows = rows.filter(valid_from__lte=valid_until)
        return rows


class EffectivePeriod(models.Model):
    """Abstract base: a row that applies from ``valid_from`` to ``valid_until`` (inclusive; empty: open)."""

    valid_from = models.DateField(_("gælder fra"))
    valid_until = models.DateField(
        _("gælder til og med"),
        null=True,
        blank=True,
        help_text=_("Tom: gælder indtil videre."),
    )

    # The fields that, with the period, pick out one version: rows equal on these may not overlap.
    # Subclasses set it; an empty tuple means the whole table holds one version at a time.
    period_key: tuple[str, ...] = ()

    objects = EffectiveQuerySet.as_manager()

    # Set by the caller (the admin form, a service) to say: this row replaces the one in force on its
    # start day, which will be closed the day before. Validation then ignores that predecessor.
    supersede = False

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_period_order",
                violation_error_message=_("Slutdatoen må ikke ligge før startdatoen."),
            ),
        ]

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so a validation error can sit on the field the user actually changed.
        instance._saved_valid_from = getattr(instance, "valid_from", None)
        return instance

    @property
    def period_display(self) -> str:
        return format_period(self.valid_from, self.valid_until)

    def is_in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self) -> None:
        super().clean()
        if self.valid_from is None:
            return  # the field's own "required" error says it
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Slutdatoen må ikke ligge før startdatoen.")})
        self.validate_no_overlap()

    def same_key(self) -> EffectiveQuerySet | None:
        """The other rows with this row's ``period_key``; None while a required key field is unset."""
        filters = {}
        for name in self.period_key:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if value is None and not field.null:
                return None
            filters[field.attname] = value  # None becomes IS NULL (e.g. the standard rate row)
        return type(self)._default_manager.filter(**filters).exclude(pk=self.pk)

    def predecessor(self) -> EffectivePeriod | None:
        """The row of the same key in force on this row's start day that began earlier (the one it replaces)."""
        rows = self.same_key()
        if rows is None or self.valid_from is None:
            return None
        return rows.in_force(self.valid_from).filter(valid_from__lt=self.valid_from).first()

    def validate_no_overlap(self) -> None:
        """Refuse a period that shares a day with another row of the same ``period_key``."""
        rows = self.same_key()
        if rows is None:
            return  # a required key field is missing; its own error is shown instead
        if self.supersede and (previous := self.predecessor()) is not None:
            rows = rows.exclude(pk=previous.pk)
        clash = rows.overlapping(self.valid_from, self.valid_until).order_by("valid_from").first()
        if clash is not None:
            # On a saved row whose start is unchanged only the end (or the key) can have caused it.
            unchanged_start = self.pk is not None and getattr(self, "_saved_valid_from", None) == self.valid_from
            raise ValidationError(
                {
                    "valid_until" if unchanged_start else "valid_from": _(
                        "Perioden overlapper en anden række (%(other)s, gældende %(period)s). "
                        "Afslut den anden række dagen før, eller vælg andre datoer."
                    )
                    % {"other": clash, "period": clash.period_display}
                }
            )
