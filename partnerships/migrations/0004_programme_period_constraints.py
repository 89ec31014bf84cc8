"""No two versions of the same thing in force on the same day, enforced by PostgreSQL itself.

Model validation (``EffectivePeriod.validate_no_overlap``) refuses overlapping periods with a Danish
message; these exclusion constraints make the database refuse them too, so two administrators saving
at the same moment cannot both win. ``daterange(valid_from, valid_until, '[]')`` is the inclusive
period, an empty ``valid_until`` giving an open end. The equality parts need ``btree_gist`` (a trusted
extension since PostgreSQL 13). The standard rate row has no organisation; ``COALESCE(…, 0)`` makes
"no organisation" one value, so two overlapping standard rows are refused too.

SQLite has no exclusion constraints: there model validation is the guard (the development database).
Written as SQL here rather than as ``ExclusionConstraint`` in the models' Meta, because that class
would make the SQLite schema fail to build.
"""

from django.db import migrations

# table, equality expressions (empty: one version at a time for the whole table)
CONSTRAINTS = [
    ("partnerships_staffcostrate", ["COALESCE(organisation_id, 0)"]),
    ("partnerships_financingplan", []),
    ("partnerships_budgetamount", ["budget_line_id", "year"]),
    ("partnerships_deminimisrule", []),
    ("partnerships_activitytypemapping", ["activity_type_id"]),
    ("partnerships_programmethreshold", ["key"]),
    ("partnerships_reportingdeadline", ["month"]),
]


def _name(table: str) -> str:
    return f"{table}_no_overlap"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for table, keys in CONSTRAINTS:
        parts = [f"{key} WITH =" for key in keys]
        parts.append("daterange(valid_from, valid_until, '[]') WITH &&")
        schema_editor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {_name(table)} EXCLUDE USING gist ({', '.join(parts)})")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _keys in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0003_programme")]

    operations = [migrations.RunPython(forward, backward)]
