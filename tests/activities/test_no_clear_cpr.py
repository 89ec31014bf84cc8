"""No CPR number is stored in clear anywhere (issue 10, "Done when").

On PostgreSQL: the demo data is loaded and committed, a consultant registers a participant through the
pages (an invalid number first), project management reveals one number with two factors and exports
the list without full numbers, the retention task runs; then the whole database is dumped with
``pg_dump`` (every table: history tables, sessions, the reveal log, the outbox) and the dump, the
captured logs, the sent e-mails, the task's result and the exports are searched for every CPR number,
with and without the dash. Without PostgreSQL (or pg_dump) the test is skipped; CI runs it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from activities import cpr, crypto
from activities.models import Participant
from activities.tasks import anonymise_participants
from partnerships.models import User

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or shutil.which("pg_dump") is None,
    reason="needs PostgreSQL and pg_dump (CI has both)",
)

REGISTERED = "020285-4321"


def _dump() -> str:
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = ["pg_dump", "--no-owner", "--dbname", settings["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            command += [flag, str(settings[key])]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=300)  # noqa: S603
    return result.stdout


def _with_two_factors(client, user):
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "at": time.time(), "type": "totp"}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def _stream(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_no_cpr_number_is_stored_in_clear_anywhere(
    transactional_db, django_db_serialized_rollback, client, caplog, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.DEBUG)
    call_command("seed_demo", verbosity=0)
    numbers = [crypto.decrypt(t) for t in Participant.objects.exclude(cpr_token="").values_list("cpr_token", flat=True)]
    assert len(numbers) > 1000

    consultant = User.objects.get(email="konsulent@demo.dk")
    management = User.objects.get(email="ledelse@demo.dk")
    plan = consultant.responsible_activities.filter(status="i_gang").first()
    client.force_login(consultant)
    url = reverse("activities:register_participant", args=[plan.pk])
    form = {
        "deltager-first_name": "Signe",
        "deltager-last_name": "Prøvedeltager",
        "deltager-employer": plan.company_id,
        "deltager-entry_date": plan.start.isoformat(),
        "deltager-employment_status": "employed",
        "deltager-homeless": "ukendt",
        "deltager-rural": "ukendt",
        "tilmelding-role": "medarbejder",
        "tilmelding-hours": "0",
    }
    assert client.post(url, {**form, "deltager-cpr": "320285-4321"}).status_code == 200  # refused
    assert client.post(url, {**form, "deltager-cpr": REGISTERED}).status_code == 302
    numbers.append(cpr.normalise_cpr(REGISTERED))

    client.force_login(management)
    _with_two_factors(client, management)
    person = Participant.objects.get(first_name="Signe", last_name="Prøvedeltager")
    shown = client.post(
        reverse("activities:participant_reveal", args=[person.pk]), {"reason": "Borgerens egen henvendelse"}
    )
    assert REGISTERED in shown.content.decode()  # shown once, on the page, not stored
    masked_export = _stream(client.get(reverse("activities:participant_export")))
    plan_export = _stream(client.get(reverse("activities:export")))
    task_result = str(anonymise_participants())

    dump = _dump()
    assert "activities_participant" in dump and "activities_historicalparticipant" in dump and "django_session" in dump
    places = {
        "database dump": dump,
        "logs": caplog.text,
        "sent e-mails": "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox),
        "task result": task_result,
        "export without the reveal permission": masked_export + plan_export,
    }
    found = [
        f"{where}: {number[:6]}…"
        for number in set(numbers)
        for where, text in places.items()
        if number in text or cpr.formatted(number) in text
    ]
    assert found == []
