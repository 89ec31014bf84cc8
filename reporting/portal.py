"""What the reporting app adds to the portal (see ``kompetence.registry``): its roles' permissions,
menu entries, the dashboard panel linking to the reporting pages, and its demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry

# Project management: everything, and the programme's reference data that the budget is made of.
MANAGEMENT = (
    "reporting.view_programme_dashboard",
    "reporting.view_partnership_dashboard",
    "reporting.view_budget",
    "reporting.export_indicators",
    "reporting.view_target",
    "reporting.add_target",
    "reporting.change_target",
    "reporting.view_partnershipgoal",
    "reporting.view_goalreview",
    "reporting.view_partnershipdeclaration",
    "reporting.add_partnershipdeclaration",
    "partnerships.view_budgetamount",
    "partnerships.add_budgetamount",
    "partnerships.change_budgetamount",
    "partnerships.view_financingplan",
    "partnerships.add_financingplan",
    "partnerships.change_financingplan",
    "partnerships.view_financingplanline",
    "partnerships.add_financingplanline",
    "partnerships.change_financingplanline",
    "partnerships.view_staffcostrate",
    "partnerships.add_staffcostrate",
    "partnerships.change_staffcostrate",
)
# A partnership's secretariat: its own dashboard with the people behind the numbers, its goals.
SECRETARIAT = (
    "reporting.view_partnership_dashboard",
    "reporting.export_indicators",
    "reporting.view_partnershipgoal",
    "reporting.add_partnershipgoal",
    "reporting.view_goalreview",
    "reporting.add_goalreview",
)
# Consultants: their partnerships' dashboards (counts, no personal data) and goals.
CONSULTANT = (
    "reporting.view_partnership_dashboard",
    "reporting.view_partnershipgoal",
    "reporting.view_goalreview",
)


def register() -> None:
    from partnerships.models import Role
    from reporting import dashboard, demo

    registry.grant(Role.MANAGEMENT, *MANAGEMENT)
    registry.grant(Role.SECRETARIAT, *SECRETARIAT)
    registry.grant(Role.CONSULTANT, *CONSULTANT)

    # The reporting pages share one drop-down of the menu bar ("Rapportering"), as the firm pages do; a
    # user who may see only one of them gets that page as a plain link.
    registry.add_navigation(
        registry.NavEntry(_("Overblik"), "dashboard", None, order=0),
        registry.NavGroup("reporting", _("Rapportering")),
        registry.NavEntry(
            _("Indikatorer"), "reporting:programme", "reporting.view_programme_dashboard", order=109, group="reporting"
        ),
        registry.NavEntry(
            _("Budget og forbrug"), "reporting:budget", "reporting.view_budget", order=110, group="reporting"
        ),
        registry.NavEntry(
            _("Programmål"), "reporting:targets", "reporting.change_target", order=111, group="reporting"
        ),
        registry.NavEntry(
            _("Eksport af indikatorer"),
            "reporting:exports",
            "reporting.export_indicators",
            order=112,
            group="reporting",
        ),
    )
    for section in dashboard.SECTIONS:
        registry.add_section(registry.DASHBOARD, section)
    registry.add_demo_step(
        registry.DemoStep("reporting_targets", seed=demo.seed, reset=demo.reset, summary=demo.summary, order=60)
    )

    from reporting.reports import portal as reports_portal

    reports_portal.register()
