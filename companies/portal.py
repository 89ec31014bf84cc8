"""What the companies app adds to the portal: its roles' permissions, menu entries, dashboard panels,
the firm's timeline sources and its demo data (see ``kompetence.registry``). Called from
``CompaniesConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import Role

# The case work every consultant does, in the firms of their own partnerships.
CASE_WORK = (
    "companies.view_company",
    "companies.add_company",
    "companies.change_company",
    "companies.view_contactperson",
    "companies.add_contactperson",
    "companies.change_contactperson",
    "companies.view_visit",
    "companies.add_visit",
    "companies.change_visit",
    "companies.view_competenceneed",
    "companies.add_competenceneed",
    "companies.change_competenceneed",
    "companies.export_company",
    "companies.view_agendaproposal",
    "companies.add_agendaproposal",
)

# Project management reads every case but does no case work.
READ_ALL = (
    "companies.view_company",
    "companies.view_contactperson",
    "companies.view_visit",
    "companies.view_competenceneed",
    "companies.view_agendaproposal",
    "companies.export_company",
    "companies.import_company",
)


def register() -> None:
    from companies import dashboard, demo, meetings_portal, requests_portal
    from companies.selectors import case

    registry.grant(Role.CONSULTANT, *CASE_WORK)
    registry.grant(Role.SECRETARIAT, *CASE_WORK)
    registry.grant(Role.MANAGEMENT, *READ_ALL)

    # The firm pages share one drop-down of the menu bar, so the bar fits one line at desktop width.
    registry.add_navigation(
        registry.NavGroup("companies", _("Virksomheder")),
        registry.NavEntry(_("Virksomheder"), "companies:list", "companies.view_company", order=10, group="companies"),
        registry.NavEntry(_("Mine virksomheder"), "companies:mine", "companies.add_visit", order=20, group="companies"),
        registry.NavEntry(
            _("Til behandling"), "companies:agenda_list", "companies.view_agendaproposal", order=30, group="companies"
        ),
    )
    for section in dashboard.SECTIONS:
        registry.add_section(registry.DASHBOARD, section)
    # The dashboard's cached firm figures are counted again after any change to what they count.
    from django.db.models.signals import post_delete, post_save

    from companies.models import AgendaProposal, Company, CompetenceNeed, Visit

    for model in (Company, Visit, CompetenceNeed, AgendaProposal):
        for signal in (post_save, post_delete):
            signal.connect(dashboard.figures_changed, sender=model, dispatch_uid=f"case_totals_{model.__name__}")
    # The list's reference names and filter options are read again after any change to their tables.
    from companies.selectors.firms import REFERENCE_MODELS, reference_changed

    for model in REFERENCE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(reference_changed, sender=model, dispatch_uid=f"firm_reference_{model.__name__}")
    for source in case.TIMELINE_SOURCES:
        registry.add_timeline_source(source)

    registry.add_demo_step(
        registry.DemoStep("companies", seed=demo.seed, reset=demo.reset, summary=demo.summary, order=20)
    )
    meetings_portal.register()
    requests_portal.register()
