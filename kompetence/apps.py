from django.apps import AppConfig
from django.urls import register_converter


class KompetenceConfig(AppConfig):
    """The project package as an app: infrastructure models (audit log, task outbox), system checks
    and the path converters every app's URLs use. It imports no other app of ours."""

    name = "kompetence"
    verbose_name = "Kompetenceportalen"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kompetence import checks  # noqa: F401  (registers the system checks)
        from kompetence.admin_danish import name_third_party_models
        from kompetence.audit import connect_receivers
        from kompetence.converters import IdConverter

        register_converter(IdConverter, "id")
        connect_receivers()
        # After every app of ours (they come first in INSTALLED_APPS) registered its dashboard panels.
        from kompetence.dashboard import watch_registered

        watch_registered()
        name_third_party_models()
