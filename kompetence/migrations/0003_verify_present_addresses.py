"""Every user's present login address becomes a verified, primary allauth EmailAddress.

Administrators invited every user to that address, and an accepted invitation proves it; users
still to accept prove it when they do. Nobody is locked out when verification is relied on, and a
user can no longer make an unverified address primary (allauth refuses while a verified one exists).
"""

from django.conf import settings
from django.db import migrations


def verify_present_addresses(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user_id, email in User.objects.exclude(email="").values_list("pk", "email").iterator():
        EmailAddress.objects.filter(user_id=user_id).exclude(email__iexact=email).update(primary=False)
        address = EmailAddress.objects.filter(user_id=user_id, email__iexact=email).first()
        if address is None:
            EmailAddress.objects.create(user_id=user_id, email=email, verified=True, primary=True)
        elif not (address.verified and address.primary):
            address.verified = True
            address.primary = True
            address.save(update_fields=["verified", "primary"])


class Migration(migrations.Migration):
    dependencies = [
        ("kompetence", "0002_outbox_task_id"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(verify_present_addresses, migrations.RunPython.noop)]
