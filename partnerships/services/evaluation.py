"""Writes for the self-evaluation: open a round, members answer, close and combine.

Combining: per dimension the partnership's level is the median of the members' levels (the lower of
the two middle ones when the count is even, so one optimist cannot lift the result), and the joint
justification is the secretariat's text, or else the members' own justifications side by side.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence.text import display_name
from partnerships.models import (
    Dimension,
    Level,
    Partnership,
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationResult,
    User,
)
from partnerships.models.evaluation import JUSTIFICATION_MAX
from partnerships.services.meetings import is_member

ALLOWED_ROUNDS_PER_YEAR = (1, 2, 3, 4, 6, 12)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    title: str


def evaluation_period(day: dt.date, *, rounds_per_year: int | None = None) -> Period:
    """The evaluation period containing ``day``: a half-year with two rounds a year, a quarter with four."""
    rounds = rounds_per_year or settings.SELF_EVALUATION_ROUNDS_PER_YEAR
    if rounds not in ALLOWED_ROUNDS_PER_YEAR:
        raise ValueError(f"SELF_EVALUATION_ROUNDS_PER_YEAR must be one of {ALLOWED_ROUNDS_PER_YEAR}.")
    months = 12 // rounds
    index = (day.month - 1) // months
    start = dt.date(day.year, index * months + 1, 1)
    end_month = start.month + months
    end = (dt.date(day.year + 1, 1, 1) if end_month > 12 else dt.date(day.year, end_month, 1)) - dt.timedelta(days=1)
    if rounds == 1:
        title = str(day.year)
    elif rounds == 2:
        title = _("%(n)s. halvår %(year)s") % {"n": index + 1, "year": day.year}
    elif rounds == 4:
        title = _("%(n)s. kvartal %(year)s") % {"n": index + 1, "year": day.year}
    else:
        title = _("Periode %(n)s, %(year)s") % {"n": index + 1, "year": day.year}
    return Period(start=start, end=end, title=title)


@transaction.atomic
def self_evaluation_open(
    *, partnership: Partnership, by: User, day: dt.date | None = None, closes_on: dt.date | None = None
) -> SelfEvaluation:
    """Open the round for the period containing ``day`` (today unless given)."""
    period = evaluation_period(day or timezone.localdate())
    if SelfEvaluation.objects.filter(partnership=partnership, period_start=period.start).exists():
        raise ValidationError(
            {"day": _("Der er allerede en selvevaluering for %(period)s.") % {"period": period.title}}
        )
    if closes_on is not None and closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("Svarfristen kan ikke ligge i fortiden.")})
    evaluation = SelfEvaluation(
        partnership=partnership,
        title=period.title,
        period_start=period.start,
        period_end=period.end,
        closes_on=closes_on,
        opened_by=by,
    )
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def self_evaluation_answer(
    *, evaluation: SelfEvaluation, respondent: User, answers: Mapping[str, tuple[int | None, str]]
) -> list[SelfEvaluationAnswer]:
    """A member's answers: for every dimension a level and a written justification (both needed).
    Answering again replaces the member's earlier answers."""
    if evaluation.status != SelfEvaluation.Status.OPEN:
        raise ValidationError({"__all__": _("Selvevalueringen er afsluttet.")})
    if not is_member(respondent, evaluation.partnership_id):
        raise ValidationError({"__all__": _("Kun partnerskabets medlemmer kan besvare selvevalueringen.")})
    errors: dict[str, str] = {}
    rows = []
    for dimension in Dimension:
        level, justification = answers.get(dimension.value, (None, ""))
        justification = (justification or "").strip()
        if level not in Level.values:
            errors[f"{dimension.value}_level"] = _("Vælg et niveau.")
        if not justification:
            errors[f"{dimension.value}_justification"] = _("Skriv en begrundelse for niveauet.")
        elif len(justification) > JUSTIFICATION_MAX:
            errors[f"{dimension.value}_justification"] = _("Skriv højst %(n)s tegn.") % {"n": JUSTIFICATION_MAX}
        rows.append((dimension.value, level, justification))
    if errors:
        raise ValidationError(errors)
    SelfEvaluationAnswer.objects.filter(evaluation=evaluation, respondent=respondent).delete()
    return SelfEvaluationAnswer.objects.bulk_create(
        [
            SelfEvaluationAnswer(
                evaluation=evaluation, respondent=respondent, dimension=d, level=level, justification=text
            )
            for d, level, text in rows
        ]
    )


@dataclass(frozen=True)
class Combined:
    dimension: str
    level: int
    lowest: int
    highest: int
    answers: int
    justifications: tuple[str, ...]


def combine_answers(answers: Iterable[tuple[str, int, str, str]]) -> dict[str, Combined]:
    """Combine (dimension, level, justification, respondent name) rows per dimension: the lower median."""
    grouped: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for dimension, level, justification, name in answers:
        grouped[dimension].append((level, justification, name))
    return {
        dimension: Combined(
            dimension=dimension,
            level=statistics.median_low([level for level, _text, _name in rows]),
            lowest=min(level for level, _text, _name in rows),
            highest=max(level for level, _text, _name in rows),
            answers=len(rows),
            justifications=tuple(f"{name}: {text}" for _level, text, name in rows),
        )
        for dimension, rows in grouped.items()
    }


@transaction.atomic
def self_evaluation_close(
    *, evaluation: SelfEvaluation, by: User, justifications: Mapping[str, str] | None = None, summary: str = ""
) -> list[SelfEvaluationResult]:
    """Close the round and store the partnership's combined level per dimension."""
    evaluation = SelfEvaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status != SelfEvaluation.Status.OPEN:
        raise ValidationError({"__all__": _("Selvevalueringen er allerede afsluttet.")})
    rows = SelfEvaluationAnswer.objects.filter(evaluation=evaluation).select_related("respondent")
    combined = combine_answers((a.dimension, a.level, a.justification, display_name(a.respondent)) for a in rows)
    if not combined:
        raise ValidationError({"__all__": _("Ingen medlemmer har svaret endnu.")})
    justifications = justifications or {}
    results = [
        SelfEvaluationResult(
            evaluation=evaluation,
            dimension=dimension,
            level=item.level,
            lowest=item.lowest,
            highest=item.highest,
            answers=item.answers,
            justification=(justifications.get(dimension) or "").strip() or "\n".join(item.justifications),
        )
        for dimension, item in combined.items()
    ]
    SelfEvaluationResult.objects.bulk_create(results)
    evaluation.status = SelfEvaluation.Status.CLOSED
    evaluation.summary = summary.strip()
    evaluation.closed_by = by
    evaluation.closed_at = timezone.now()
    evaluation.full_clean()
    evaluation.save()
    return results
