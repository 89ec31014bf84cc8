"""The bare floor view: the consultant's firm list, its COUNT and first page of 50, and nothing else.

The same scope and order the firm list uses for that consultant (a membership subquery, name and
id), joined with municipality, partnership and lead consultant, read as plain tuples (the cheapest
way Django reads rows: no model instances) and rendered by a file template through the cached loader.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader

from companies.models import Company
from partnerships.models import Membership, User


@cache
def _scope_user_id() -> int:
    # Looked up once per process: the floor has no session and no login, only a fixed scope.
    return User.objects.values_list("pk", flat=True).get(email=settings.BARE_SCOPE_EMAIL)


def firms(request: HttpRequest) -> HttpResponse:
    partnerships = Membership.objects.filter(user_id=_scope_user_id()).values("partnership_id")
    queryset = Company.objects.filter(partnership__in=partnerships)
    total = queryset.count()
    rows = queryset.order_by("name", "pk").values_list(
        "pk",
        "name",
        "cvr",
        "municipality__name",
        "partnership__name",
        "lead_consultant__first_name",
        "lead_consultant__last_name",
        "lead_consultant__email",
    )[:50]
    html = loader.render_to_string("bare/firms.html", {"rows": rows, "total": total})
    return HttpResponse(html)


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
