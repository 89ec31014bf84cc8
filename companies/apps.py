from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Virksomheder og besøg")

    def ready(self) -> None:
        from companies import portal

        portal.register()
