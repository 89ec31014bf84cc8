"""Trigram indexes for searching firms by part of their name (PostgreSQL only).

Django's ``icontains`` becomes ``UPPER(name::text) LIKE UPPER('%…%')`` on PostgreSQL; a GIN index
with ``gin_trgm_ops`` on that expression answers it without scanning the table. SQLite has no
such index and gets a plain scan (fine for the development database).
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS company_name_trgm ON companies_company USING gin (UPPER(name::text) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS company_name_trgm",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
