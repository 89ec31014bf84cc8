"""The cast of users shared by every app's tests.

Two partnerships in different municipalities, and one person per role::

    partnership_a   "LKS Alfa", covers Aarhus (751)
    partnership_b   "LKS Beta", covers Herning (657)

    consultant_a    Konsulent, member of A          -> sees A only
    consultant_b    Konsulent, member of B          -> sees B only
    secretariat_a   Sekretariat, member of A        -> sees A only
    management      Projektledelse, no memberships  -> sees everything
    administrator   Administrator, staff+superuser  -> sees everything, may invite users

Everyone's password is ``tests.factories.DEFAULT_PASSWORD``. ``client_for(user)`` returns a test
client already logged in as that user, so one test can act as several people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest
from django.test import Client

from partnerships.models import Membership, Partnership, Role, User
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory
from tests.faults import redis_failing


@pytest.fixture(autouse=True)
def _private_cache(settings) -> None:
    """Give every test an empty cache of its own.

    allauth counts failed logins in the cache, so a shared cache (Redis when REDIS_URL is set)
    would carry one test's throttling into the next test, or into the next run within five
    minutes. Clearing Redis instead is not an option: the suite must never flush a developer's
    Redis, which may hold the Celery queue.
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{uuid4()}"}
    }


@pytest.fixture(autouse=True)
def _tasks_inline(request, settings) -> None:
    """Run Celery tasks inline, as without REDIS_URL, except in tests marked ``celery_worker``.

    Tasks are asked for through the outbox (kompetence/outbox.py); inline, a test sees the task's
    effect (an e-mail in ``mail.outbox``) right after commit, and nothing is ever left in the
    developer's Redis queue. Tests of the broker itself point Celery elsewhere
    (``tests/celery_helpers.py``) or run a real worker (marked ``celery_worker``).
    """
    if request.node.get_closest_marker("celery_worker"):
        return
    from tests.celery_helpers import reset_celery_connections

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = "memory://"
    reset_celery_connections()


@pytest.fixture
def partnership_a(db) -> Partnership:
    return PartnershipFactory(name="LKS Alfa", municipalities=[751])


@pytest.fixture
def partnership_b(db) -> Partnership:
    return PartnershipFactory(name="LKS Beta", municipalities=[657])


@pytest.fixture
def consultant_a(partnership_a) -> User:
    user = UserFactory(email="konsulent.a@example.dk", first_name="Anna", role=Role.CONSULTANT)
    MembershipFactory(user=user, partnership=partnership_a)
    return user


@pytest.fixture
def consultant_b(partnership_b) -> User:
    user = UserFactory(email="konsulent.b@example.dk", first_name="Bent", role=Role.CONSULTANT)
    MembershipFactory(user=user, partnership=partnership_b)
    return user


@pytest.fixture
def secretariat_a(partnership_a) -> User:
    user = UserFactory(
        email="sekretariat.a@example.dk",
        first_name="Sara",
        organisation=partnership_a.secretariat,
        role=Role.SECRETARIAT,
    )
    MembershipFactory(
        user=user,
        partnership=partnership_a,
        group=Membership.Group.BOTH,
        lead_role=Membership.LeadRole.COORDINATOR,
    )
    return user


@pytest.fixture
def management(db) -> User:
    return UserFactory(email="ledelse@example.dk", first_name="Lene", role=Role.MANAGEMENT)


@pytest.fixture
def administrator(db) -> User:
    return UserFactory(
        email="admin@example.dk",
        first_name="Adam",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )


@pytest.fixture(params=["unreachable", "hanging"])
def redis_fault(request, settings) -> Iterator[str]:
    """The cache and the Celery broker point at a Redis that is down, or that hangs (tests/faults.py)."""
    with redis_failing(request.param, settings) as kind:
        yield kind


@pytest.fixture
def client_for(db) -> Callable[[User], Client]:
    """``client_for(user)``: a fresh test client logged in as ``user``."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def eager_tasks(settings) -> Iterator[None]:
    """Run Celery tasks inline, also when REDIS_URL points at a real broker.

    Through Django's settings, which the Celery app reads on every access: setting ``app.conf``
    directly would outlive the test and hide later tests' broker settings.
    """
    from tests.celery_helpers import reset_celery_connections

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    settings.CELERY_BROKER_URL = "memory://"
    reset_celery_connections()
    yield
    reset_celery_connections()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path) -> None:
    """Uploaded and generated files (toolbox, minutes PDFs) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
