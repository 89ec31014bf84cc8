"""What the firm side of partnership meetings adds to the portal: permissions, the hooks the meeting
services raise, the firm cases on the meeting page and in the minutes, the decisions on the firm's
timeline and on the consultants' dashboards (see ``kompetence.registry``). Called from
``companies.portal.register``."""

from __future__ import annotations

from kompetence import registry
from partnerships.models import PARTNERSHIP_LEAD, Role

MEMBER = ("companies.view_decision", "companies.view_caseagendaitem")
# Firms on the agenda and decisions: the secretariat, and a partnership's lead whatever the role.
RUN_MEETINGS = (
    "companies.add_decision",
    "companies.change_decision",
    "companies.add_caseagendaitem",
    "companies.change_caseagendaitem",
)
SECRETARIAT = (*MEMBER, *RUN_MEETINGS)


# The minutes PDF shows the decisions (the page name the partnerships app asks the registry for).
MEETING_PDF = "meeting_pdf"


def register() -> None:
    from companies import agenda_services, demo_meetings
    from companies.selectors import meetings

    registry.grant(Role.CONSULTANT, *MEMBER)
    registry.grant(Role.SECRETARIAT, *SECRETARIAT)
    registry.grant(PARTNERSHIP_LEAD, *RUN_MEETINGS)
    registry.grant(Role.MANAGEMENT, *MEMBER)

    registry.add_hook("meeting_cancelled", "companies", agenda_services.on_meeting_cancelled)
    registry.add_hook("agenda_item_removing", "companies", agenda_services.on_agenda_item_removing)
    registry.add_hook("minutes_approving", "companies", agenda_services.on_minutes_approving)

    registry.add_section(
        MEETING_PDF,
        registry.Section("decisions", "companies/pdf/_meeting_decisions.html", meetings.minutes_pdf_section),
    )
    registry.add_timeline_source(
        registry.TimelineSource("decision", meetings.decision_timeline_items, rank=5, perm="companies.view_decision")
    )
    registry.add_timeline_source(registry.TimelineSource("proposal_end", meetings.proposal_end_items, rank=8))
    registry.add_section(
        registry.MEETING_PAGE,
        registry.Section("firm_cases", "companies/_meeting_cases.html", meetings.meeting_page_section, order=10),
    )
    registry.add_section(
        registry.DASHBOARD,
        registry.Section(
            "decision_tasks",
            "companies/_dashboard_decisions.html",
            meetings.my_decisions,
            order=15,
            # The consultants of a decision are bulk-created with it, in its transaction.
            depends_on=(
                "companies.Decision",
                "companies.DecisionConsultant",
                "companies.Company",
                "partnerships.Meeting",
            ),
        ),
    )
    registry.add_demo_step(
        registry.DemoStep(
            "meeting_cases",
            seed=demo_meetings.seed,
            reset=demo_meetings.reset,
            summary=demo_meetings.summary,
            order=40,
        )
    )
