"""Backup and restore (docs/operations.md): a dump of the demo database, restored into a fresh
database, has every table with the same number of rows. PostgreSQL only (CI runs on it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="backup and restore are tested on PostgreSQL (DATABASE_URL)",
    ),
    pytest.mark.skipif(not shutil.which("pg_dump") or not shutil.which("pg_restore"), reason="pg_dump not installed"),
]


def _libpq_env() -> dict[str, str]:
    conf = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(
        PGHOST=conf["HOST"] or "127.0.0.1",
        PGPORT=str(conf["PORT"] or 5432),
        PGUSER=conf["USER"] or "postgres",
    )
    if conf["PASSWORD"]:
        env["PGPASSWORD"] = conf["PASSWORD"]
    return env


def _run(*args: str) -> None:
    subprocess.run(args, env=_libpq_env(), check=True, capture_output=True, text=True, timeout=300)  # noqa: S603


def _row_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
        counts[table] = cursor.fetchone()[0]
    return counts


# serialized_rollback: an earlier transactional test may have flushed the reference data (municipalities)
# of the data migrations, which the demo data needs.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_dump_of_the_demo_database_restores_with_every_table_complete(tmp_path):
    call_command("seed_demo", stdout=StringIO())
    with connection.cursor() as cursor:
        before = _row_counts(cursor)
    assert before["companies_company"] > 0 and before["partnerships_user"] > 0

    source = connection.settings_dict["NAME"]
    restored = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    dump = tmp_path / "kompetence.dump"
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", source)
    _run("createdb", restored)
    try:
        _run("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={restored}", str(dump))
        import psycopg

        conf = connection.settings_dict
        with (
            psycopg.connect(
                host=conf["HOST"] or "127.0.0.1",
                port=conf["PORT"] or 5432,
                user=conf["USER"] or "postgres",
                password=conf["PASSWORD"] or None,
                dbname=restored,
            ) as restored_connection,
            restored_connection.cursor() as cursor,
        ):
            after = _row_counts(cursor)
            cursor.execute(
                "SELECT id, cpr_token, cpr_hash FROM activities_participant WHERE cpr_token <> '' ORDER BY id"
            )
            restored_people = cursor.fetchall()
    finally:
        _run("dropdb", "--if-exists", restored)

    assert after == before

    # The participants' CPR numbers still decrypt with the keys kept apart from the data, and still
    # find their duplicates by the keyed hash: a restore without the keys would give tokens nobody can read.
    from activities import crypto
    from activities.models import Participant

    assert len(restored_people) > 1000
    originals = dict(Participant.objects.exclude(cpr_token="").values_list("pk", "cpr_token"))
    for pk, token, cpr_hash in restored_people[:: max(1, len(restored_people) // 200)]:
        number = crypto.decrypt(token)
        assert number == crypto.decrypt(originals[pk])
        assert len(number) == 10 and number.isdigit()
        assert cpr_hash == crypto.keyed_hash(number)
