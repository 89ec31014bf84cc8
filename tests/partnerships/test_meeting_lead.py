"""A partnership's lead (tovholder) runs its meetings whatever the role: a Konsulent who is the
tovholder plans, builds the agenda, invites and records decisions for that partnership only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import AgendaItem, Meeting, MeetingKind, Membership, Role, User
from tests.factories import MembershipFactory
from tests.partnerships.meeting_factories import member_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_consultant(partnership_a) -> User:
    user = member_in(partnership_a, system="business", first_name="Tove", last_name="Holder", role=Role.CONSULTANT)
    user.memberships.update(lead_role=Membership.LeadRole.COORDINATOR)
    return user


@pytest.fixture
def lead_of_b(partnership_b) -> User:
    user = member_in(partnership_b, system="business", first_name="Bjarne", role=Role.CONSULTANT)
    user.memberships.update(lead_role=Membership.LeadRole.COORDINATOR)
    return user


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_konsulent_who_leads_a_partnership_holds_the_meeting_permissions_and_others_do_not(
    lead_consultant, consultant_a
):
    assert _fresh(lead_consultant).has_perm("partnerships.change_meeting")
    assert _fresh(lead_consultant).has_perm("companies.add_decision")
    assert not _fresh(consultant_a).has_perm("partnerships.change_meeting")
    # Only the meeting permissions: the lead is not made a secretariat.
    assert not _fresh(lead_consultant).has_perm("partnerships.add_toolboxdocument")


def test_the_konsulent_lead_manages_the_partnerships_meeting(make_meeting, client_for, lead_consultant):
    meeting = make_meeting(title="Konsulentgruppe")
    client = client_for(lead_consultant)
    page = client.get(reverse("partnerships:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'name="action" value="standing"' in page
    response = client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    assert response.status_code == 302
    assert AgendaItem.objects.filter(meeting=meeting, kind=AgendaItem.Kind.STANDING).exists()


def test_a_plain_konsulent_member_still_gets_403(make_meeting, client_for, consultant_a):
    meeting = make_meeting()
    response = client_for(consultant_a).post(
        reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"}
    )
    assert response.status_code == 403
    assert not meeting.agenda_items.exists()


def test_the_lead_of_another_partnership_gets_403_or_404_and_changes_nothing(make_meeting, client_for, lead_of_b):
    meeting = make_meeting()
    client = client_for(lead_of_b)
    assert client.get(reverse("partnerships:meeting_detail", args=[meeting.pk])).status_code == 404
    response = client.post(reverse("partnerships:meeting_agenda", args=[meeting.pk]), {"action": "standing"})
    assert response.status_code == 404
    assert not meeting.agenda_items.exists()


def test_the_konsulent_lead_plans_meetings_only_for_the_partnership_led(
    client_for, lead_consultant, partnership_a, partnership_b
):
    MembershipFactory(user=lead_consultant, partnership=partnership_b)  # an ordinary seat in B
    client = client_for(lead_consultant)
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    values = {"kind": MeetingKind.CONSULTANTS, "day": day, "start_time": "09:00", "end_time": "10:00"}
    form_page = client.get(reverse("partnerships:meeting_create")).content.decode()
    assert partnership_a.name in form_page
    assert partnership_b.name not in form_page
    refused = client.post(reverse("partnerships:meeting_create"), {**values, "partnership": partnership_b.pk})
    assert refused.status_code == 200
    assert not Meeting.objects.exists()
    created = client.post(reverse("partnerships:meeting_create"), {**values, "partnership": partnership_a.pk})
    assert created.status_code == 302
    assert Meeting.objects.get().partnership == partnership_a
