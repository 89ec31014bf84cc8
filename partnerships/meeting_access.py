"""The ``access_*`` functions for meetings and what belongs to them (see ``partnerships.access``).

Reading follows the scoping rule (members of the partnership, and Projektledelse/administrators,
see its meetings; everyone else gets 404). Managing a meeting needs the role's permission (403) and
being the partnership's secretariat or lead (``can_manage_meetings``; else 403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from partnerships.access import access
from partnerships.models import ActionItem, Meeting, User
from partnerships.services.meetings import can_manage_meetings

_MEETING_SHAPE = ("partnership__secretariat", "lead", "series")


def access_meeting(user: User, pk: Any, *, perm: str | None = "partnerships.view_meeting") -> Meeting:
    return access(Meeting.objects.select_related(*_MEETING_SHAPE), user, pk, perm=perm)


def access_meeting_to_manage(user: User, pk: Any, *, perm: str = "partnerships.view_meeting") -> Meeting:
    """A meeting the user may plan, invite to and write minutes for: 404 when not visible, 403 when
    visible but not the user's to manage (Projektledelse reads every meeting but runs none)."""
    meeting = access_meeting(user, pk, perm=perm)
    if not can_manage_meetings(user, meeting.partnership):
        raise PermissionDenied
    return meeting


def access_action_item(user: User, pk: Any, *, perm: str | None = "partnerships.view_actionitem") -> ActionItem:
    return access(ActionItem.objects.select_related("partnership", "owner", "meeting"), user, pk, perm=perm)
