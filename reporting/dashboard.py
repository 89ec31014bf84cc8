"""The reporting app's panel on the dashboard: links to the reporting pages the user may open, the
programme's or the user's partnerships' (one query, none for those who see the programme)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kompetence.registry import Section


def reporting_links(*, user: Any) -> dict[str, Any] | None:
    from partnerships.models import Partnership

    if not user.has_perm("reporting.view_partnership_dashboard"):
        return None
    programme = user.has_perm("reporting.view_programme_dashboard")
    own = []
    if not programme:
        page = reverse("reporting:partnership", args=[987654321])
        own = [
            {"url": page.replace("987654321", str(pk)), "name": name}
            for pk, name in Partnership.objects.in_partnerships_of(user).order_by("name").values_list("pk", "name")
        ]
    return {"reporting_programme": programme, "reporting_partnerships": own}


SECTIONS = [
    Section(
        "reporting",
        "reporting/_dashboard_panel.html",
        reporting_links,
        order=5,
        depends_on=("partnerships.Partnership",),
    ),
]
