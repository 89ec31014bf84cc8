"""What én indgang (public requests) and recruitment needs add to the portal: permissions, menu
entries, the dashboard panel, the firm-page section, timeline sources and demo data (see
``kompetence.registry``). Called from ``companies.portal.register``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import Role

# Every member of a partnership (secretariat and consultants) may take its requests or send them on.
CASE_WORK = ("companies.view_publicrequest", "companies.change_publicrequest")
READ_ALL = ("companies.view_publicrequest",)


def register() -> None:
    from companies import demo_requests
    from companies.selectors import requests

    registry.grant(Role.CONSULTANT, *CASE_WORK)
    registry.grant(Role.SECRETARIAT, *CASE_WORK)
    registry.grant(Role.MANAGEMENT, *READ_ALL)

    # In the firm pages' drop-down of the menu bar (companies/portal.py), which keeps the bar on one line.
    registry.add_navigation(
        registry.NavEntry(
            _("Nye henvendelser"), "requests:list", "companies.view_publicrequest", order=35, group="companies"
        ),
        registry.NavEntry(
            _("Rekrutteringsbehov"),
            "requests:recruitment_list",
            "companies.view_competenceneed",
            order=36,
            group="companies",
        ),
    )
    registry.add_section(
        registry.DASHBOARD,
        registry.Section(
            "requests",
            "companies/_dashboard_requests.html",
            requests.dashboard_counts,
            order=25,
            depends_on=("companies.PublicRequest", "companies.CompetenceNeed", "companies.Company"),
        ),
    )
    registry.add_section(
        registry.FIRM_PAGE,
        registry.Section("recruitment", "companies/_firm_recruitment.html", requests.firm_recruitment, order=15),
    )
    for source in requests.TIMELINE_SOURCES:
        registry.add_timeline_source(source)
    registry.add_demo_step(
        registry.DemoStep(
            "requests",
            seed=demo_requests.seed,
            reset=demo_requests.reset,
            summary=demo_requests.summary,
            order=25,
        )
    )
