"""Reading one report: through the scoping rule, like every object (partnerships.access.access)."""

from __future__ import annotations

from typing import Any

from partnerships.access import access
from partnerships.models import User
from reporting.models import Report


def reports_for(user: User):
    """The reports ``user`` may see: every one for project management, a partnership's own for its members."""
    return Report.objects.for_user(user)


def access_report(user: User, pk: Any, *, perm: str = "reporting.view_report") -> Report:
    return access(Report.objects.select_related("partnership", "project", "requested_by"), user, pk, perm=perm)
