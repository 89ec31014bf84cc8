"""What the activities app adds to the portal: its roles' permissions, menu entries, dashboard panel,
the firm page's section and timeline source, the ``decision_recorded`` hook and its demo data (see
``kompetence.registry``). Called from ``ActivitiesConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import Role

# The activity work consultants (and secretariats) do in their own partnerships' firms.
ACTIVITY_WORK = (
    "activities.view_activityplan",
    "activities.add_activityplan",
    "activities.change_activityplan",
    "activities.export_activityplan",
    "activities.view_participant",
    "activities.add_participant",
    "activities.change_participant",
    "activities.view_enrollment",
    "activities.add_enrollment",
    "activities.change_enrollment",
    "activities.view_trainingline",
    "activities.add_trainingline",
    "activities.change_trainingline",
    "activities.view_rkvresult",
    "activities.add_rkvresult",
    "activities.view_recruitment",
    "activities.add_recruitment",
    "activities.view_declaration",
    "activities.add_declaration",
    "activities.view_headcount",
    "activities.add_headcount",
    "activities.view_cost",
    "activities.add_cost",
    "activities.view_participantdocument",
    "activities.add_participantdocument",
    "activities.view_course",
    "activities.view_timeentry",
    "activities.add_timeentry",
    "activities.delete_timeentry",
    "activities.view_timesheet",
)

# Project management reads everything, approves timesheets, and is the one role that may see full
# CPR numbers (with a reason and a two-factor login) and export them, and answer a person's question
# of who has seen their data.
OVERSIGHT = (
    "activities.view_activityplan",
    "activities.export_activityplan",
    "activities.view_participant",
    "activities.export_participant",
    "activities.reveal_cpr",
    "activities.view_cprreveal",
    "activities.view_enrollment",
    "activities.view_trainingline",
    "activities.view_rkvresult",
    "activities.view_recruitment",
    "activities.view_declaration",
    "activities.view_headcount",
    "activities.view_cost",
    "activities.view_participantdocument",
    "activities.view_course",
    "activities.view_timeentry",
    "activities.view_timesheet",
    "activities.approve_timesheet",
)


def register() -> None:
    from activities import dashboard, demo
    from activities.selectors import firm
    from activities.services import plans

    registry.grant(Role.CONSULTANT, *ACTIVITY_WORK)
    registry.grant(Role.SECRETARIAT, *ACTIVITY_WORK)
    registry.grant(Role.MANAGEMENT, *OVERSIGHT)

    # One main-menu entry (the header must fit one line); the participant list and the follow-up list are
    # reached from the activity list, the user's own timesheet and the approvals from the user menu.
    registry.add_navigation(
        registry.NavEntry(_("Aktiviteter"), "activities:list", "activities.view_activityplan", order=40),
        registry.NavEntry(
            _("Mine timer"), "activities:timesheet", "activities.add_timeentry", order=20, menu=registry.USER_MENU
        ),
        registry.NavEntry(
            _("Timesedler til godkendelse"),
            "activities:timesheet_approvals",
            "activities.view_timesheet",
            order=30,
            menu=registry.USER_MENU,
        ),
    )
    for section in dashboard.SECTIONS:
        registry.add_section(registry.DASHBOARD, section)
    registry.add_section(
        registry.FIRM_PAGE, registry.Section("activities", "activities/_firm_section.html", firm.firm_section, order=10)
    )
    for source in (
        registry.TimelineSource("activity", firm.activity_items, rank=15, perm="activities.view_activityplan"),
        registry.TimelineSource("enrollment", firm.enrollment_items, rank=25, perm="activities.view_enrollment"),
        registry.TimelineSource("training", firm.training_items, rank=26, perm="activities.view_trainingline"),
        registry.TimelineSource("hours", firm.hours_items, rank=45, perm="activities.view_timeentry"),
    ):
        registry.add_timeline_source(source)

    registry.add_hook("decision_recorded", "activities.draft_plans", plans.on_decision_recorded)
    # The lists' catalogue names and type options are read again after any change to the catalogue.
    from django.db.models.signals import post_delete, post_save

    from activities.selectors.counts import COUNTED_MODELS, counts_changed
    from activities.selectors.plans import CATALOGUE_MODELS, catalogue_changed

    for model in CATALOGUE_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(catalogue_changed, sender=model, dispatch_uid=f"activity_catalogue_{model.__name__}")
    # The lists' totals are counted again after any change to what they count.
    for model in COUNTED_MODELS:
        for signal in (post_save, post_delete):
            signal.connect(counts_changed, sender=model, dispatch_uid=f"activity_list_counts_{model.__name__}")
    registry.add_demo_step(
        registry.DemoStep("activities", seed=demo.seed, reset=demo.reset, summary=demo.summary, order=40)
    )
