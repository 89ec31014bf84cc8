"""The dashboards' bodies: drawn once per count of the figures and kept with them (``reporting.figures``).

The view (``reporting.views.dashboards``) asks for a body in the request; the background recount
(``reporting.tasks``) draws again the bodies drawn of the figures before, so the next dashboard finds
its body ready. Both use this module, so a task never imports a view.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from partnerships.models import Partnership
from reporting import figures, selectors
from reporting.periods import Period


def board(template: str, *, user, period: Period, partnership: Partnership | None) -> dict:
    """The dashboard's body and when its figures were counted. The body is rendered once per count of
    the figures (``reporting.figures``) and what the user may see (the links to people, the budget),
    and kept with them: rendering its hundred lines costs more than the rest of the page."""
    today = timezone.localdate()
    people = selectors.may_see_people(user)
    with_budget = selectors.sees_budget(user)
    budget_link = user.has_perm("reporting.view_budget")
    counted = selectors.counted_facts(period=period, partnership=partnership, with_budget=with_budget, today=today)

    def draw_now() -> str:
        facts = selectors.facts_of(
            counted, period=period, partnership=partnership, with_budget=with_budget, today=today
        )
        return draw(template, facts, period=period, partnership=partnership, today=today, flags=flags)

    flags = f"{people:d}{budget_link:d}"
    html = figures.kept(f"{template}:{flags}", draw_now, counted=counted)
    return {
        "board_html": mark_safe(html),  # noqa: S308 - our own template's output, escaped when rendered
        "counted_at": counted.counted_at,
        "recounting": not counted.fresh,
    }


def draw(template: str, facts: selectors.Facts, *, period: Period, partnership, today, flags: str) -> str:
    """One variant of a body: ``flags`` says whether the numbers link to people and to the budget."""
    people, budget_link = flags[0] == "1", flags[1] == "1"
    dashboard = selectors.dashboard(
        user=None, period=period, partnership=partnership, today=today, facts=facts, people=people
    )
    return render_to_string(template, {"board": dashboard, "period": period, "budget_link": budget_link})


def draw_again(counted: figures.Counted, *, period: Period, partnership, today) -> None:
    """After a recount (``reporting.tasks.recount_figures``): draw the bodies drawn of the figures
    before, so the next dashboard finds its body ready."""
    for name in figures.drawn(counted.key):
        template, flags = name.rsplit(":", 1)
        html = draw(template, counted.value, period=period, partnership=partnership, today=today, flags=flags)
        figures.keep_drawn(counted, name, html)
