"""Partnership maturity: where each partnership stands on CARMA's ladder kantine – klub – kompagni,
from its own written self-evaluation (``partnerships.models.evaluation``).

A partnership's maturity at the end of a period is its latest *closed* self-evaluation round that
ended by then: the combined level of every dimension, and their mean (1 kantine … 5 kompagni). A
partnership without a closed round has no maturity yet (it is left out, not counted as kantine).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import OuterRef, Subquery

from partnerships.models.evaluation import Dimension, Level, SelfEvaluation, SelfEvaluationResult
from reporting.periods import Period


@dataclass(frozen=True)
class Maturity:
    """One partnership's latest closed self-evaluation by the end of a period."""

    partnership_id: int
    evaluation_id: int
    title: str
    evaluated_until: Any  # date
    levels: dict[str, int]  # dimension code -> combined level

    @property
    def mean(self) -> Decimal:
        if not self.levels:
            return Decimal(0)
        return (Decimal(sum(self.levels.values())) / len(self.levels)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def level(self) -> int:
        """The mean rounded to the nearest step of the ladder."""
        return int(self.mean.to_integral_value(ROUND_HALF_UP)) if self.levels else 0

    @property
    def label(self) -> str:
        return str(Level(self.level).label) if self.level else ""


def maturity(period: Period, *, partnership: Any = None) -> dict[int, Maturity]:
    """Each partnership's maturity at the end of ``period`` (two queries' worth: one, with a subquery)."""
    closed = SelfEvaluation.objects.filter(status=SelfEvaluation.Status.CLOSED, period_end__lte=period.end)
    latest = (
        closed.filter(partnership=OuterRef("evaluation__partnership")).order_by("-period_end", "-pk").values("pk")[:1]
    )
    results = SelfEvaluationResult.objects.filter(
        evaluation__status=SelfEvaluation.Status.CLOSED,
        evaluation__period_end__lte=period.end,
        evaluation_id=Subquery(latest),
    ).select_related("evaluation")
    if partnership is not None:
        results = results.filter(evaluation__partnership_id=getattr(partnership, "pk", partnership))
    found: dict[int, Maturity] = {}
    for result in results.order_by("evaluation__partnership_id", "dimension"):
        evaluation = result.evaluation
        entry = found.get(evaluation.partnership_id)
        if entry is None:
            entry = found[evaluation.partnership_id] = Maturity(
                partnership_id=evaluation.partnership_id,
                evaluation_id=evaluation.pk,
                title=evaluation.title,
                evaluated_until=evaluation.period_end,
                levels={},
            )
        entry.levels[result.dimension] = result.level
    return found


def level_distribution(found: dict[int, Maturity]) -> dict[int, int]:
    """How many partnerships stand at each step of the ladder (1-5), from ``maturity(...)``."""
    counts = {level.value: 0 for level in Level}
    for entry in found.values():
        if entry.level:
            counts[entry.level] += 1
    return counts


def dimension_means(found: dict[int, Maturity]) -> dict[str, Decimal]:
    """The programme's mean level per dimension over the partnerships evaluated."""
    means = {}
    for dimension in Dimension:
        levels = [entry.levels[dimension.value] for entry in found.values() if dimension.value in entry.levels]
        if levels:
            means[dimension.value] = (Decimal(sum(levels)) / len(levels)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return means
