"""manage.py seed_demo: the same data every time, and demo logins that work."""

from __future__ import annotations

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from partnerships.demo import DEMO_LOGINS, DEMO_PASSWORD
from partnerships.models import Municipality, Organisation, Partnership, PartnershipMunicipality
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """The demo data, seeded once for the module (seeding is the slow part) and rolled back after it.
    Each test runs in a savepoint on top, so a test that seeds again or resets sees its own changes only."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield {"output": output, "counts": row_counts()}
        transaction.set_rollback(True)


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows per model, for every installed model (the demo data of later apps included)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_twice_gives_the_same_rows(seeded):
    first = seeded["counts"]

    seed()

    assert row_counts() == first
    for label in ("partnerships.Organisation", "partnerships.Partnership", "partnerships.Membership"):
        assert first[label] > 0
    assert first["partnerships.User"] >= len(DEMO_LOGINS)


def test_reset_gives_the_same_rows_again(seeded):
    first = seeded["counts"]

    output = seed("--reset")

    assert "Demodata slettet." in output
    assert row_counts() == first


def test_fifteen_partnerships_cover_all_nineteen_municipalities_once():
    assert Partnership.objects.count() == 15
    assert Municipality.objects.count() == 19
    covered = list(PartnershipMunicipality.objects.values_list("municipality_id", flat=True))
    assert sorted(covered) == sorted(Municipality.objects.values_list("code", flat=True))


def test_every_partnership_has_a_veu_centre_secretariat_and_members():
    for partnership in Partnership.objects.select_related("secretariat"):
        assert partnership.secretariat.kind == "veu_centre", partnership
        assert partnership.memberships.exists(), partnership


@pytest.mark.parametrize(("email", "first_name"), [(login[0], login[1]) for login in DEMO_LOGINS])
def test_demo_logins_can_log_in_with_the_demo_password(seeded, email, first_name):
    assert email in seeded["output"]  # the command prints the logins

    response = Client().post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD}, follow=True)

    assert response.context["user"].email == email
    assert f"Goddag, {first_name}" in response.content.decode()


@pytest.mark.django_db
def test_reset_is_refused_in_production_mode_without_force(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", "--reset", stdout=StringIO())


@pytest.mark.django_db
def test_reset_keeps_partnerships_and_organisations_that_are_not_demo_data():
    real = PartnershipFactory(name="LKS Rigtig", municipalities=[])

    call_command("seed_demo", "--reset", stdout=StringIO())

    assert Partnership.objects.filter(pk=real.pk).exists()
    assert Organisation.objects.filter(pk=real.secretariat_id).exists()
