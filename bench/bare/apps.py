"""The portal's apps for the bare floor: their models only, without their ready() hooks.

The apps' ready() hooks register navigation, dashboard panels and services with one another, which
pulls in allauth, and allauth refuses to start without its middleware. The bare floor needs the
models and nothing else.
"""

from django.apps import AppConfig


class PartnershipsModels(AppConfig):
    name = "partnerships"
    label = "partnerships"
    default_auto_field = "django.db.models.BigAutoField"


class CompaniesModels(AppConfig):
    name = "companies"
    label = "companies"
    default_auto_field = "django.db.models.BigAutoField"


class ActivitiesModels(AppConfig):
    name = "activities"
    label = "activities"
    default_auto_field = "django.db.models.BigAutoField"


class ReportingModels(AppConfig):
    name = "reporting"
    label = "reporting"
    default_auto_field = "django.db.models.BigAutoField"


class KompetenceModels(AppConfig):
    name = "kompetence"
    label = "kompetence"
    default_auto_field = "django.db.models.BigAutoField"
