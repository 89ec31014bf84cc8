from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerskaber og brugere")

    def ready(self) -> None:
        from partnerships import portal
        from partnerships.roles import sync_role_groups

        portal.register()
        # Runs after every app's migrations, when all permissions exist.
        post_migrate.connect(sync_role_groups, dispatch_uid="partnerships.sync_role_groups")
