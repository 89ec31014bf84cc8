"""Reading one report: through the scoping rule, like every object (partnerships.access.access)."""

from __future__ import annotations

from typing import Any

from partnerships.access import access
from partnerships.models import User
from reporting.models import Report


def reports_for(user: User):
    """The reports ``user`` may see: every one for project management, a partnership's own for its
    members, one's own big files (``ReportQuerySet.for_user``)."""
    return Report.objects.for_user(user)


def access_report(user: User, pk: Any, *, perm: str | None = None) -> Report:
    """The report if ``user`` sees it (``ReportQuerySet.for_user``: the role's report right, the
    partnership, the file's export right, a CPR file's requester) and holds ``perm``; else 404/403."""
    return access(Report.objects.select_related("partnership", "project", "requested_by"), user, pk, perm=perm)
