"""The programme-wide steps of the common introduction for new consultants (CARMA's recommendation:
a shared introduction and a shared reference level). Administrators may change them afterwards."""

from django.db import migrations

STEPS = [
    ("Læs programbeskrivelsen", "KOMPETENCEFORSYNINGmidt ver. 2.0: formål, aktiviteter og ESF-kravene (Værktøjskassen)."),
    ("Mød partnerskabet", "Deltag i et konsulentgruppemøde og hils på kollegerne fra de tre systemer."),
    ("Første fælles virksomhedsbesøg", "Tag med på et besøg sammen med en konsulent fra et andet system."),
    ("ESF-dokumentation", "Gennemgå start- og slutskemaerne for deltagere og timeregistreringen."),
    ("Kend de andre systemers tilbud", "Jobcentrets, erhvervsservices og uddannelsesinstitutionernes tilbud til virksomhederne."),
]


def add_steps(apps, schema_editor):
    step = apps.get_model("partnerships", "IntroductionStep")
    if step.objects.filter(partnership__isnull=True).exists():
        return
    step.objects.bulk_create(
        [step(position=n, title=title, description=text) for n, (title, text) in enumerate(STEPS, start=1)]
    )


def remove_steps(apps, schema_editor):
    apps.get_model("partnerships", "IntroductionStep").objects.filter(
        partnership__isnull=True, title__in=[t for t, _d in STEPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0008_user_approves_timesheets")]

    operations = [migrations.RunPython(add_steps, remove_steps)]
