"""Give every shipped programme row its first history entry, so the audit trail starts with what was shipped.

Data migrations do not pass through django-simple-history's signals, so without this the admin's
"Historik" of a shipped row would begin at an administrator's first change, with nothing to compare it
against. Each row gets one "created" entry, without a user, marked as shipped. Rows that already have
history are left alone, so running this again adds nothing.
"""

from django.db import migrations
from django.utils import timezone

MODELS = [
    "ESFProject",
    "EligibleActivity",
    "BudgetLine",
    "BudgetAmount",
    "FinancingSource",
    "FinancingPlan",
    "FinancingPlanLine",
    "ActivityType",
    "ActivityTypeMapping",
    "StaffCostRate",
    "DeMinimisRule",
    "ProgrammeThreshold",
    "ReportingDeadline",
]
REASON = "Leveret med portalen (data-migrering 0005)"


def populate(apps, schema_editor):
    now = timezone.now()
    for name in MODELS:
        model = apps.get_model("partnerships", name)
        history = apps.get_model("partnerships", f"Historical{name}")
        has_history = set(history.objects.values_list("id", flat=True).distinct())
        fields = [field.attname for field in model._meta.concrete_fields]
        history.objects.bulk_create(
            history(
                **{attname: getattr(row, attname) for attname in fields},
                history_date=now,
                history_type="+",
                history_change_reason=REASON,
            )
            for row in model.objects.exclude(pk__in=has_history)
        )


def unpopulate(apps, schema_editor):
    for name in MODELS:
        apps.get_model("partnerships", f"Historical{name}").objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0005_programme_data")]

    operations = [migrations.RunPython(populate, unpopulate)]
