"""The self-evaluation on CARMA's ladder: periods, answers, combining."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Dimension, Level, SelfEvaluation, SelfEvaluationResult
from partnerships.services import evaluation as services

pytestmark = pytest.mark.django_db


def _answers(level: int, text: str = "Vi mødes fast og kender hinandens tilbud.") -> dict:
    return {d.value: (level, text) for d in Dimension}


def test_two_rounds_a_year_are_half_years():
    first = services.evaluation_period(dt.date(2026, 3, 15), rounds_per_year=2)
    second = services.evaluation_period(dt.date(2026, 12, 1), rounds_per_year=2)
    assert (first.start, first.end, first.title) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30), "1. halvår 2026")
    assert (second.start, second.end, second.title) == (dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2. halvår 2026")


def test_the_number_of_rounds_is_configurable(settings):
    settings.SELF_EVALUATION_ROUNDS_PER_YEAR = 4
    period = services.evaluation_period(dt.date(2026, 5, 2))
    assert (period.start, period.end, period.title) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2. kvartal 2026")


def test_one_round_per_period(partnership_a, secretariat_a):
    services.self_evaluation_open(partnership=partnership_a, by=secretariat_a, day=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as error:
        services.self_evaluation_open(partnership=partnership_a, by=secretariat_a, day=dt.date(2026, 5, 1))
    assert "1. halvår 2026" in error.value.message_dict["day"][0]


def test_an_answer_needs_a_level_and_a_justification_for_every_dimension(partnership_a, secretariat_a, business_a):
    evaluation = services.self_evaluation_open(partnership=partnership_a, by=secretariat_a)
    answers = _answers(Level.KLUB)
    answers[Dimension.MANDATE] = (None, "")
    answers[Dimension.RESOURCES] = (Level.KANTINE, "  ")
    with pytest.raises(ValidationError) as error:
        services.self_evaluation_answer(evaluation=evaluation, respondent=business_a, answers=answers)
    assert set(error.value.message_dict) == {"mandat_level", "mandat_justification", "ressourcer_justification"}
    assert not evaluation.answers.exists()


def test_only_members_answer(partnership_a, secretariat_a, consultant_b):
    evaluation = services.self_evaluation_open(partnership=partnership_a, by=secretariat_a)
    with pytest.raises(ValidationError):
        services.self_evaluation_answer(evaluation=evaluation, respondent=consultant_b, answers=_answers(Level.KLUB))


def test_answering_again_replaces_the_earlier_answers(partnership_a, secretariat_a, business_a):
    evaluation = services.self_evaluation_open(partnership=partnership_a, by=secretariat_a)
    services.self_evaluation_answer(evaluation=evaluation, respondent=business_a, answers=_answers(Level.KANTINE))
    services.self_evaluation_answer(evaluation=evaluation, respondent=business_a, answers=_answers(Level.KLUB))
    assert set(evaluation.answers.values_list("level", flat=True)) == {Level.KLUB}
    assert evaluation.answers.count() == len(Dimension)


def test_closing_combines_the_members_answers_per_dimension(
    partnership_a, secretariat_a, business_a, employment_a, education_a
):
    evaluation = services.self_evaluation_open(partnership=partnership_a, by=secretariat_a)
    services.self_evaluation_answer(
        evaluation=evaluation, respondent=business_a, answers=_answers(Level.KANTINE, "Løst")
    )
    services.self_evaluation_answer(
        evaluation=evaluation, respondent=employment_a, answers=_answers(Level.KLUB, "Bedre")
    )
    services.self_evaluation_answer(
        evaluation=evaluation, respondent=education_a, answers=_answers(Level.KOMPAGNI, "Stærkt")
    )
    services.self_evaluation_close(
        evaluation=evaluation, by=secretariat_a, justifications={Dimension.MANDATE: "Mandatet er afklaret i 2026."}
    )
    results = {r.dimension: r for r in SelfEvaluationResult.objects.filter(evaluation=evaluation)}
    assert len(results) == len(Dimension)
    mandate = results[Dimension.MANDATE]
    assert (mandate.level, mandate.lowest, mandate.highest, mandate.answers) == (Level.KLUB, 1, 5, 3)
    assert mandate.justification == "Mandatet er afklaret i 2026."
    other = results[Dimension.RESOURCES].justification
    assert "Bo Erhverv: Løst" in other and "Ulla Skole: Stærkt" in other
    evaluation.refresh_from_db()
    assert evaluation.status == SelfEvaluation.Status.CLOSED
    with pytest.raises(ValidationError):
        services.self_evaluation_answer(evaluation=evaluation, respondent=business_a, answers=_answers(Level.KLUB))


def test_with_an_even_number_of_answers_the_lower_middle_counts():
    combined = services.combine_answers(
        [("mandat", 1, "a", "A"), ("mandat", 2, "b", "B"), ("mandat", 4, "c", "C"), ("mandat", 5, "d", "D")]
    )
    assert combined["mandat"].level == 2


def test_closing_without_answers_is_refused(partnership_a, secretariat_a):
    evaluation = services.self_evaluation_open(partnership=partnership_a, by=secretariat_a)
    with pytest.raises(ValidationError):
        services.self_evaluation_close(evaluation=evaluation, by=secretariat_a)
