"""The reporting dashboards: the programme's (project management) and each partnership's, and the list
behind every number. Their bodies are drawn and kept by ``reporting.boards``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetence.rules import rule
from partnerships.access import access_partnership
from partnerships.models import Partnership
from reporting import boards, selectors
from reporting.forms import PeriodForm
from reporting.indicators import indicator as find_indicator
from reporting.periods import Period, PeriodError

DASHBOARD_PERM = "reporting.view_partnership_dashboard"
PROGRAMME_PERM = "reporting.view_programme_dashboard"


def _period_form(request: HttpRequest, *, partnerships=None) -> PeriodForm:
    today = timezone.localdate()
    return PeriodForm(request.GET or None, partnerships=partnerships, default=selectors.default_period(today))


@rule(perm=PROGRAMME_PERM)
def programme(request: HttpRequest) -> HttpResponse:
    form = _period_form(
        request, partnerships=Partnership.objects.for_user(request.user).only("pk", "name").order_by("name")
    )
    board = boards.board(
        "reporting/_programme_board.html", user=request.user, period=form.period, partnership=form.partnership
    )
    return render(request, "reporting/dashboard_programme.html", {"form": form, "period": form.period, **board})


@rule(perm=DASHBOARD_PERM, objects={"pk": "partnerships.Partnership"})
def partnership(request: HttpRequest, pk: int) -> HttpResponse:
    chosen = access_partnership(request.user, pk, perm=DASHBOARD_PERM)
    form = _period_form(request)
    board = boards.board("reporting/_partnership_board.html", user=request.user, period=form.period, partnership=chosen)
    context = {"form": form, "period": form.period, "partnership": chosen, **board}
    return render(request, "reporting/dashboard_partnership.html", context)


@rule(perm=DASHBOARD_PERM)
def indicator_rows(request: HttpRequest) -> HttpResponse:
    """``?kode=co07&periode=2018&partnerskab=3``: the rows counted in one number, as far as the user may
    see them (participants only for those who may see people)."""
    user = request.user
    if not request.GET.get("kode"):
        return redirect("reporting:programme" if user.has_perm(PROGRAMME_PERM) else "dashboard")
    try:
        item = find_indicator(request.GET["kode"])
    except KeyError:
        raise Http404 from None
    try:
        period = Period.parse(request.GET.get("periode", ""))
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:programme" if user.has_perm(PROGRAMME_PERM) else "dashboard")
    chosen = None
    if request.GET.get("partnerskab"):
        chosen = access_partnership(user, request.GET["partnerskab"], perm=DASHBOARD_PERM)
    elif not user.has_perm(PROGRAMME_PERM):
        raise PermissionDenied
    if item.source.personal and not selectors.may_see_people(user):
        raise PermissionDenied
    rows, total = selectors.indicator_rows(item=item, period=period, partnership=chosen, user=user)
    context = {
        "item": item,
        "period": period,
        "partnership": chosen,
        "rows": rows,
        "total": total,
        "limited": total > len(rows),
        "title": _("%(indicator)s, %(period)s") % {"indicator": item.label, "period": period.label},
    }
    return render(request, "reporting/indicator_rows.html", context)
