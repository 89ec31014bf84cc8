"""Pages of a partnership's learning: the learning and hand-over notes (searchable; Projektledelse sees
every partnership's), and the self-evaluation with its development chart (an SVG drawn on the server,
so the strict Content-Security-Policy needs no script)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kompetence.rules import rule
from partnerships.access import access, access_partnership
from partnerships.models import (
    Dimension,
    LearningNote,
    Level,
    Membership,
    Partnership,
    SelfEvaluation,
    SelfEvaluationAnswer,
    SelfEvaluationResult,
)
from partnerships.services import evaluation as services
from partnerships.services.meetings import can_manage_meetings

PAGE_SIZE = 50


@rule(perm="partnerships.view_learningnote")
def learning_list(request: HttpRequest) -> HttpResponse:
    """Erfaringer og overleveringer: what the user's partnerships (all, for Projektledelse) have learned."""
    notes = LearningNote.objects.for_user(request.user).select_related("partnership", "meeting", "author")
    query = (request.GET.get("q") or "").strip()[:100]
    kind = request.GET.get("type") or ""
    partnership = request.GET.get("partnerskab") or ""
    if query:
        notes = notes.filter(Q(text__icontains=query) | Q(partnership__name__icontains=query))
    if kind in LearningNote.Kind.values:
        notes = notes.filter(kind=kind)
    if partnership.isascii() and partnership.isdigit():
        notes = notes.filter(partnership_id=int(partnership))
    page = Paginator(notes.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "partnerships/learning_list.html",
        {
            "page": page,
            "q": query,
            "kind": kind,
            "partnership": partnership,
            "kinds": LearningNote.Kind.choices,
            "partnerships": Partnership.objects.for_user(request.user).only("pk", "name"),
        },
    )


# ---------------------------------------------------------------------------
# Self-evaluation
# ---------------------------------------------------------------------------
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_TOP, CHART_BOTTOM, CHART_RIGHT = 640, 260, 150, 20, 40, 60
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]


@dataclass(frozen=True)
class ChartLine:
    label: str
    colour: str
    points: str
    dots: list[tuple[float, float, int]]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    lines: list[ChartLine]
    x_labels: list[tuple[float, str]]
    y_labels: list[tuple[float, str]]
    left: int
    plot_right: int
    plot_bottom: int


def development_chart(rounds: list[SelfEvaluation], results: dict[int, dict[str, int]]) -> Chart | None:
    """The combined level per dimension over the closed rounds, as SVG coordinates."""
    if not rounds:
        return None
    plot_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = plot_w / max(1, len(rounds) - 1)

    def x(i: int) -> float:
        return round(CHART_LEFT + (i * step if len(rounds) > 1 else plot_w / 2), 1)

    def y(level: int) -> float:
        return round(CHART_TOP + plot_h - (level - 1) / (len(Level) - 1) * plot_h, 1)

    lines = []
    for n, dimension in enumerate(Dimension):
        dots = [
            (x(i), y(results[r.pk][dimension.value]), results[r.pk][dimension.value])
            for i, r in enumerate(rounds)
            if dimension.value in results.get(r.pk, {})
        ]
        if dots:
            lines.append(
                ChartLine(
                    label=str(dimension.label),
                    colour=COLOURS[n % len(COLOURS)],
                    points=" ".join(f"{a},{b}" for a, b, _l in dots),
                    dots=dots,
                )
            )
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        lines=lines,
        x_labels=[(x(i), r.title) for i, r in enumerate(rounds)],
        y_labels=[(y(level.value), str(level.label)) for level in Level],
        left=CHART_LEFT,
        plot_right=CHART_WIDTH - CHART_RIGHT,
        plot_bottom=CHART_TOP + plot_h,
    )


@rule(perm="partnerships.view_selfevaluation", objects={"pk": "partnerships.Partnership"})
def self_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk)
    rounds = list(
        SelfEvaluation.objects.for_user(request.user).filter(partnership=partnership).order_by("period_start")
    )
    closed = [r for r in rounds if r.status == SelfEvaluation.Status.CLOSED]
    results: dict[int, dict[str, int]] = {}
    latest_rows = []
    for result in SelfEvaluationResult.objects.filter(evaluation__in=closed).order_by(
        "evaluation__period_start", "dimension"
    ):
        results.setdefault(result.evaluation_id, {})[result.dimension] = result.level
        if closed and result.evaluation_id == closed[-1].pk:
            latest_rows.append(result)
    open_round = next((r for r in rounds if r.status == SelfEvaluation.Status.OPEN), None)
    manage = request.user.has_perm("partnerships.change_selfevaluation") and can_manage_meetings(
        request.user, partnership
    )
    member = Membership.objects.filter(user=request.user, partnership=partnership).exists()
    answered = (
        SelfEvaluationAnswer.objects.filter(evaluation=open_round, respondent=request.user).exists()
        if open_round
        else False
    )
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "close" and open_round:
                services.self_evaluation_close(evaluation=open_round, by=request.user)
                messages.success(request, _("Selvevalueringen er afsluttet, og svarene er lagt sammen."))
            elif request.POST.get("action") == "open":
                services.self_evaluation_open(partnership=partnership, by=request.user)
                messages.success(request, _("Selvevalueringen er åbnet for medlemmernes svar."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("partnerships:self_evaluation", pk=partnership.pk)
    latest_rows.sort(key=lambda r: list(Dimension.values).index(r.dimension))
    return render(
        request,
        "partnerships/self_evaluation.html",
        {
            "partnership": partnership,
            "rounds": rounds,
            "chart": development_chart(closed, results),
            "latest": closed[-1] if closed else None,
            "latest_rows": latest_rows,
            "open_round": open_round,
            "manage": manage,
            "member": member,
            "answered": answered,
        },
    )


@dataclass(frozen=True)
class OverviewCell:
    level: int | None
    label: str
    change: int  # against the partnership's round before (0 when none or unchanged)


@dataclass(frozen=True)
class OverviewRow:
    partnership: Partnership
    round_title: str
    cells: list[OverviewCell]


def _overview_rows(user) -> list[OverviewRow]:
    """Every visible partnership's latest closed round, dimension by dimension, with the change since
    the round before: two queries whatever the number of partnerships and rounds."""
    partnerships = list(Partnership.objects.for_user(user).only("pk", "name").order_by("name"))
    by_round: dict[int, dict[str, int]] = {}
    rounds: dict[int, list[SelfEvaluation]] = {}
    results = (
        SelfEvaluationResult.objects.filter(
            evaluation__in=SelfEvaluation.objects.for_user(user).filter(status=SelfEvaluation.Status.CLOSED)
        )
        .select_related("evaluation")
        .only(
            "level",
            "dimension",
            "evaluation__id",
            "evaluation__partnership_id",
            "evaluation__title",
            "evaluation__period_start",
        )
        .order_by("evaluation__period_start", "evaluation__pk")
    )
    for result in results:
        evaluation = result.evaluation
        if evaluation.pk not in by_round:
            rounds.setdefault(evaluation.partnership_id, []).append(evaluation)
        by_round.setdefault(evaluation.pk, {})[result.dimension] = result.level
    labels = dict(Level.choices)
    rows = []
    for partnership in partnerships:
        own = rounds.get(partnership.pk, [])
        latest = by_round[own[-1].pk] if own else {}
        before = by_round[own[-2].pk] if len(own) > 1 else {}
        cells = []
        for dimension in Dimension.values:
            level = latest.get(dimension)
            previous = before.get(dimension)
            change = 0 if level is None or previous is None else (level > previous) - (level < previous)
            cells.append(OverviewCell(level=level, label=str(labels.get(level, "–")), change=change))
        rows.append(OverviewRow(partnership=partnership, round_title=own[-1].title if own else "", cells=cells))
    return rows


@rule(perm="partnerships.view_selfevaluation")
def self_evaluation_overview(request: HttpRequest) -> HttpResponse:
    """All partnerships' self-evaluations side by side (Projektledelse sees every partnership; others
    their own): the latest combined level per dimension and whether it rose or fell."""
    return render(
        request,
        "partnerships/self_evaluation_overview.html",
        {"rows": _overview_rows(request.user), "dimensions": Dimension.choices},
    )


@rule(perm="partnerships.add_selfevaluationanswer", objects={"pk": "partnerships.SelfEvaluation"})
def self_evaluation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = access(SelfEvaluation.objects.select_related("partnership"), request.user, pk)
    existing = {
        a.dimension: a for a in SelfEvaluationAnswer.objects.filter(evaluation=evaluation, respondent=request.user)
    }
    errors: dict[str, list[str]] = {}
    values = {
        d.value: (
            request.POST.get(f"{d.value}_level", existing[d.value].level if d.value in existing else ""),
            request.POST.get(
                f"{d.value}_justification", existing[d.value].justification if d.value in existing else ""
            ),
        )
        for d in Dimension
    }
    if request.method == "POST":
        answers = {}
        for dimension, (level, text) in values.items():
            level_number = int(level) if str(level).isascii() and str(level).isdigit() else None
            answers[dimension] = (level_number, text)
        try:
            services.self_evaluation_answer(evaluation=evaluation, respondent=request.user, answers=answers)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("Tak. Dine svar er gemt; du kan rette dem, indtil runden afsluttes."))
            return redirect("partnerships:self_evaluation", pk=evaluation.partnership_id)
    rows = [
        {
            "key": d.value,
            "label": d.label,
            "level": str(values[d.value][0]),
            "text": values[d.value][1],
            "level_errors": errors.get(f"{d.value}_level", []),
            "text_errors": errors.get(f"{d.value}_justification", []),
        }
        for d in Dimension
    ]
    return render(
        request,
        "partnerships/self_evaluation_form.html",
        {"evaluation": evaluation, "rows": rows, "levels": Level.choices, "errors": errors.get("__all__", [])},
    )
