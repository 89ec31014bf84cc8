"""Targets against results: "on track / behind" from the time elapsed.

The rule (``target_status``), for a target to be met by the end of a span of time:

* before the span starts: **not started**;
* the result has reached the target: **reached** (whenever that happens);
* the span is over and the target was not reached: **missed**;
* otherwise the result is compared with the target's share for the time elapsed (a yearly target of
  120 firms on 1 April, 90 of 365 days gone, expects 29.6): at or above it **on track**, below it
  **behind**.

The time elapsed counts today as a whole day gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

from reporting.periods import Period


class TargetStatus(TextChoices):
    NOT_STARTED = "not_started", _("Ikke begyndt")
    ON_TRACK = "on_track", _("På vej")
    BEHIND = "behind", _("Bagud")
    REACHED = "reached", _("Nået")
    MISSED = "missed", _("Ikke nået")


@dataclass(frozen=True)
class Progress:
    """A result against its target at a day."""

    actual: Decimal
    target: Decimal
    expected: Decimal  # the target's share for the time elapsed
    elapsed: Decimal  # 0..1
    status: TargetStatus

    @property
    def percent(self) -> Decimal:
        """The result as a percentage of the target (0 for a zero target)."""
        if not self.target:
            return Decimal(100) if self.actual else Decimal(0)
        return (self.actual * 100 / self.target).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def expected_percent(self) -> Decimal:
        return (self.elapsed * 100).quantize(Decimal(1), ROUND_HALF_UP)

    @property
    def is_good(self) -> bool:
        return self.status in (TargetStatus.ON_TRACK, TargetStatus.REACHED)


def target_status(*, actual: int | Decimal, target: int | Decimal, span: Period, today: dt.date) -> Progress:
    """``actual`` against ``target`` to be met by the end of ``span``, as it stands on ``today``."""
    actual, target = Decimal(actual), Decimal(target)
    elapsed = span.elapsed_fraction(today)
    expected = (target * elapsed).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if today < span.start:
        status = TargetStatus.NOT_STARTED
    elif actual >= target:
        status = TargetStatus.REACHED
    elif today >= span.end:
        status = TargetStatus.MISSED
    elif actual >= target * elapsed:
        status = TargetStatus.ON_TRACK
    else:
        status = TargetStatus.BEHIND
    return Progress(actual=actual, target=target, expected=expected, elapsed=elapsed, status=status)
