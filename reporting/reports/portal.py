"""What the reports add to the portal: the roles' permissions and the menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import Role

# Project management asks for and reads every report; a secretariat its own partnership's
# (the scoping rule decides which rows, ``ReportQuerySet``).
REPORTS = ("reporting.view_report", "reporting.add_report")


def register() -> None:
    registry.grant(Role.MANAGEMENT, *REPORTS)
    registry.grant(Role.SECRETARIAT, *REPORTS)
    # The main menu must fit one line: like the other reporting pages, the reports are in the user menu.
    registry.add_navigation(
        registry.NavEntry(
            _("Rapporter"), "reporting:report_list", "reporting.view_report", order=113, group="reporting"
        )
    )
    from reporting.reports import demo

    registry.add_demo_step(
        registry.DemoStep("reports", seed=demo.seed, reset=demo.reset, summary=demo.summary, order=90)
    )
