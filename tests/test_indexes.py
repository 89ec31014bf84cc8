"""kompetence.indexes.SortIndex: the firm list's "latest visit, newest first" index builds on both databases."""

from __future__ import annotations

from django.db import connection

from companies.models import Company


def test_the_latest_visit_index_puts_never_visited_firms_last_on_either_database(db):
    index = next(i for i in Company._meta.indexes if i.name == "company_last_visit_desc")
    # The statement only, not run (SQLite opens no schema editor inside a test's transaction).
    sql = str(index.create_sql(Company, connection.schema_editor()))
    if connection.vendor == "postgresql":
        # PostgreSQL sorts NULL above every value: DESC needs NULLS LAST for the list's order.
        assert '"last_visit_on" DESC NULLS LAST' in sql
    else:
        # SQLite refuses NULLS in CREATE INDEX, and its DESC already puts NULL last.
        assert "NULLS" not in sql and '"last_visit_on" DESC' in sql
