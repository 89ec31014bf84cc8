"""What the meetings part of the partnerships app adds to the portal: its roles' permissions, menu
entry, dashboard panels and demo data (see ``kompetence.registry``). Called from
``partnerships.portal.register``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kompetence import registry
from partnerships.models import PARTNERSHIP_LEAD, Role

# Members read their partnerships' meetings, answer invitations, propose points, write learning
# notes, answer the self-evaluation and work through the introduction.
MEMBER = (
    "partnerships.view_meeting",
    "partnerships.view_actionitem",
    "partnerships.view_learningnote",
    "partnerships.add_learningnote",
    "partnerships.view_selfevaluation",
    "partnerships.add_selfevaluationanswer",
    "partnerships.view_toolboxdocument",
    "partnerships.view_introductionstep",
    "partnerships.view_introductionprogress",
    "partnerships.add_introductionprogress",
)
# Running meetings: planning, the agenda, invitations, minutes and action items. The secretariat holds
# it by its role, a partnership's lead (tovholder) of any role by being the lead (PARTNERSHIP_LEAD,
# partnerships.backends); which partnership's meetings is services.meetings.can_manage_meetings.
RUN_MEETINGS = (
    "partnerships.add_meeting",
    "partnerships.change_meeting",
    "partnerships.add_meetingseries",
    "partnerships.add_minutes",
    "partnerships.change_minutes",
    "partnerships.add_actionitem",
    "partnerships.change_actionitem",
)
# The secretariat also evaluates and keeps the partnership's toolbox.
SECRETARIAT = (
    *MEMBER,
    *RUN_MEETINGS,
    "partnerships.add_selfevaluation",
    "partnerships.change_selfevaluation",
    "partnerships.add_toolboxdocument",
    "partnerships.change_toolboxdocument",
    "partnerships.add_introductionstep",
    "partnerships.change_introductionprogress",
)
# Projektledelse reads everything, and keeps the programme-wide toolbox and introduction.
MANAGEMENT = (
    "partnerships.view_meeting",
    "partnerships.view_actionitem",
    "partnerships.view_learningnote",
    "partnerships.view_selfevaluation",
    "partnerships.view_toolboxdocument",
    "partnerships.add_toolboxdocument",
    "partnerships.change_toolboxdocument",
    "partnerships.view_introductionstep",
    "partnerships.add_introductionstep",
    "partnerships.view_introductionprogress",
)


def register() -> None:
    from partnerships import demo_meetings, feed_cache

    # Every change the calendar feed shows makes the cached feeds of that partnership's members stale.
    feed_cache.connect()
    # The meeting list's partnership choices are kept per process until a partnership or seat changes.
    from django.db.models.signals import post_delete, post_save

    from partnerships.meeting_selectors import PARTNERSHIP_CHOICES
    from partnerships.models import Membership, Partnership

    for model in (Partnership, Membership):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                PARTNERSHIP_CHOICES.changed,
                sender=model,
                dispatch_uid=f"partnerships.meeting_list.{model.__name__}.{name}",
            )

    registry.add_navigation(
        registry.NavEntry(_("Møder"), "partnerships:meeting_list", "partnerships.view_meeting", order=40),
        registry.NavEntry(
            _("Værktøjskassen"),
            "partnerships:toolbox_list",
            "partnerships.view_toolboxdocument",
            order=155,
            menu=registry.USER_MENU,
        ),
        registry.NavEntry(
            _("Erfaringer"),
            "partnerships:learning_list",
            "partnerships.view_learningnote",
            order=160,
            menu=registry.USER_MENU,
        ),
        registry.NavEntry(
            _("Selvevalueringer"),
            "partnerships:self_evaluation_overview",
            "partnerships.view_selfevaluation",
            order=162,
            menu=registry.USER_MENU,
        ),
        registry.NavEntry(
            _("Kalenderabonnement"),
            "partnerships:calendar",
            "partnerships.view_meeting",
            order=150,
            menu=registry.USER_MENU,
        ),
    )
    from partnerships.meeting_selectors import my_action_items

    registry.add_section(
        registry.DASHBOARD,
        registry.Section(
            "action_items",
            "partnerships/_dashboard_action_items.html",
            my_action_items,
            order=16,
            depends_on=("partnerships.ActionItem", "partnerships.Meeting"),
        ),
    )
    registry.grant(Role.CONSULTANT, *MEMBER)
    registry.grant(Role.SECRETARIAT, *SECRETARIAT)
    registry.grant(PARTNERSHIP_LEAD, *RUN_MEETINGS)
    registry.grant(Role.MANAGEMENT, *MANAGEMENT)

    # After the firms (order 20): the companies app's own meeting step puts firms on these meetings.
    registry.add_demo_step(
        registry.DemoStep(
            "meetings", seed=demo_meetings.seed, reset=demo_meetings.reset, summary=demo_meetings.summary, order=30
        )
    )
