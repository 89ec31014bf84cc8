"""One name per system: the short name the badges and lists show is the system's own name.

"Erhverv" in forms and badges beside "Erhvervsservice" elsewhere read as two systems (issue 8); the
operator likewise keeps its one name, "Projektoperatør".
"""

from django.db import migrations

NAMES = {"business": ("Erhverv", "Erhvervsservice"), "operator": ("Operatør", "Projektoperatør")}


def one_name(apps, schema_editor):
    System = apps.get_model("partnerships", "System")
    for code, (_old, new) in NAMES.items():
        System.objects.filter(code=code).update(short_name=new)


def two_names(apps, schema_editor):
    System = apps.get_model("partnerships", "System")
    for code, (old, _new) in NAMES.items():
        System.objects.filter(code=code).update(short_name=old)


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0010_agenda_comments")]

    operations = [migrations.RunPython(one_name, two_names)]
