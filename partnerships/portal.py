"""What the partnerships app adds to the portal: its roles' permissions, menu entries, dashboard
panels and demo data (see ``kompetence.registry``). Called from ``PartnershipsConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import Role


def register() -> None:
    from partnerships import dashboard, demo, meetings_portal

    registry.grant(Role.CONSULTANT, "partnerships.view_partnership")
    registry.grant(
        Role.SECRETARIAT,
        "partnerships.view_partnership",
        "partnerships.change_partnership",
        "partnerships.view_membership",
        "partnerships.add_membership",
        "partnerships.change_membership",
        "partnerships.delete_membership",
    )
    registry.grant(
        Role.MANAGEMENT,
        "partnerships.view_partnership",
        "partnerships.view_organisation",
        "partnerships.view_user",
    )
    registry.grant(Role.ADMINISTRATOR, registry.ALL_PERMISSIONS)

    registry.add_navigation(
        registry.NavEntry(_("Partnerskaber"), "partnerships:list", "partnerships.view_partnership", order=80),
        # Administration lives in the user menu, so the main menu fits one line for every role.
        registry.NavEntry(_("Brugere"), "partnerships:user_list", "partnerships.add_user", menu=registry.USER_MENU),
        registry.NavEntry(
            _("Django-administration"), "admin:index", registry.STAFF, order=200, menu=registry.USER_MENU
        ),
    )

    for section in dashboard.SECTIONS:
        registry.add_section(registry.DASHBOARD, section)

    registry.add_demo_step(
        registry.DemoStep("partnerships", seed=demo.seed, reset=demo.reset, summary=demo.summary, order=10)
    )
    meetings_portal.register()
