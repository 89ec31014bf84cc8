"""The fixed tax: what every page asks the database before its own work, counted exactly.

A page's own queries come on top of these; if one of them comes back (a permission look-up per
menu entry, a transaction around a read), this fails and says which query is new. Speed itself is
measured in bench/, never in a timed test.
"""

from __future__ import annotations

import pytest

from partnerships.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.urls("tests.kompetence.urls")

# The session, and the user with the organisation the header shows.
SESSION_AND_USER = 2
# The role and the permissions the navigation asks for, in one query (User.grants).
ROLE_AND_PERMISSIONS = 1


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.SECRETARIAT, Role.MANAGEMENT])
def test_empty_page_runs_a_fixed_number_of_queries(client_for, partnership_a, django_assert_num_queries, role):
    user = UserFactory(role=role, organisation=partnership_a.secretariat)
    client = client_for(user)
    with django_assert_num_queries(SESSION_AND_USER + ROLE_AND_PERMISSIONS):
        response = client.get("/test/tom/")
    assert response.status_code == 200
    assert partnership_a.secretariat.name in response.content.decode()


def test_empty_page_for_a_superuser_needs_no_permission_look_up(client_for, administrator, django_assert_num_queries):
    # An active superuser holds every permission without asking the database; the role is still read.
    client = client_for(administrator)
    with django_assert_num_queries(SESSION_AND_USER + 1):
        assert client.get("/test/tom/").status_code == 200
