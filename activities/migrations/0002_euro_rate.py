"""The euro rate that converts an activity's aid to euro for the de minimis ceiling.

Shipped: the Danish krone's ERM II central rate against the euro, 7.46038 kroner per euro, in force
throughout the programme (Danmarks Nationalbank). The Commission's de minimis rules convert at the
rate of the day the aid is granted, which the krone's narrow band keeps within a few øre of the
central rate; administrators can add a row per month (the InforEuro rate) when that precision matters.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    EuroRate = apps.get_model("activities", "EuroRate")
    if not EuroRate.objects.exists():
        EuroRate.objects.create(
            valid_from=date(2014, 1, 1),
            valid_until=None,
            dkk_per_eur=Decimal("7.46038"),
            source="ERM II-centralkurs (Danmarks Nationalbank)",
        )


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
