"""Danish names in the Django admin for the third-party models an administrator sees.

allauth's two-factor methods, django-celery-beat's schedules and django-axes' login attempts have
English model names and field labels without Danish translations. Their models cannot be changed
(a changed field label is a migration in their app), so:

- ``name_third_party_models()`` (from ``KompetenceConfig.ready()``) sets the apps' and models' display
  names. Only ``_meta.verbose_name``/``verbose_name_plural`` are set, never ``original_attrs``, which is
  what migrations read: ``makemigrations --check`` stays clean.
- ``danish_admin(model, labels)`` (from ``kompetence/admin.py``) re-registers the model's own admin as a
  subclass whose column headings, filter titles, read-only fields and form labels use ``labels``.

The Danish texts are msgids of our own catalogue (Danish is the source language).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "mfa": _("Tofaktor-login"),
    "django_celery_beat": _("Planlagte opgaver"),
    "axes": _("Loginforsøg og spærringer"),
}

# (app label, model name): (singular, plural)
MODEL_NAMES = {
    ("mfa", "authenticator"): (_("tofaktor-metode"), _("tofaktor-metoder")),
    ("django_celery_beat", "periodictask"): (_("planlagt opgave"), _("planlagte opgaver")),
    ("django_celery_beat", "intervalschedule"): (_("interval"), _("intervaller")),
    ("django_celery_beat", "crontabschedule"): (_("tidsplan (crontab)"), _("tidsplaner (crontab)")),
    ("django_celery_beat", "clockedschedule"): (_("fast tidspunkt"), _("faste tidspunkter")),
    ("django_celery_beat", "solarschedule"): (_("solbegivenhed"), _("solbegivenheder")),
    ("axes", "accessattempt"): (_("loginforsøg"), _("loginforsøg")),
    ("axes", "accessfailurelog"): (_("mislykket login"), _("mislykkede login")),
    ("axes", "accesslog"): (_("login"), _("loginlog")),
}

AXES_LABELS = {
    "attempt_time": _("tidspunkt"),
    "logout_time": _("logget ud"),
    "ip_address": _("IP-adresse"),
    "username": _("brugernavn"),
    "user_agent": _("browser (user agent)"),
    "path_info": _("adresse"),
    "http_accept": _("HTTP Accept"),
    "get_data": _("GET-data"),
    "post_data": _("POST-data"),
    "failures_since_start": _("mislykkede forsøg"),
    "locked_out": _("spærret"),
    "expiration": _("udløber"),
}

LABELS: dict[tuple[str, str], dict[str, Any]] = {
    ("mfa", "authenticator"): {
        "user": _("bruger"),
        "type": _("type"),
        "created_at": _("oprettet"),
        "last_used_at": _("sidst brugt"),
        "data": _("data"),
    },
    ("django_celery_beat", "periodictask"): {
        "name": _("navn"),
        "task": _("opgave"),
        "regtask": _("opgave (registreret)"),
        "enabled": _("aktiv"),
        "description": _("beskrivelse"),
        "scheduler": _("tidsplan"),
        "interval": _("interval"),
        "crontab": _("tidsplan (crontab)"),
        "crontab_translation": _("tidsplan i ord"),
        "solar": _("solbegivenhed"),
        "clocked": _("fast tidspunkt"),
        "start_time": _("første kørsel"),
        "last_run_at": _("sidst kørt"),
        "one_off": _("kun én gang"),
        "args": _("argumenter (JSON)"),
        "kwargs": _("navngivne argumenter (JSON)"),
        "expires": _("udløber"),
        "expire_seconds": _("udløber efter (sekunder)"),
        "queue": _("kø"),
        "exchange": _("exchange"),
        "routing_key": _("routing key"),
        "priority": _("prioritet"),
        "headers": _("headers (JSON)"),
        "total_run_count": _("antal kørsler"),
    },
    ("django_celery_beat", "intervalschedule"): {"every": _("hver"), "period": _("periode")},
    ("django_celery_beat", "crontabschedule"): {
        "human_readable": _("tidsplan"),
        "minute": _("minut"),
        "hour": _("time"),
        "day_of_month": _("dag i måneden"),
        "month_of_year": _("måned"),
        "day_of_week": _("ugedag"),
        "timezone": _("tidszone"),
    },
    ("django_celery_beat", "clockedschedule"): {"clocked_time": _("tidspunkt")},
    ("django_celery_beat", "solarschedule"): {
        "event": _("begivenhed"),
        "latitude": _("breddegrad"),
        "longitude": _("længdegrad"),
    },
    ("axes", "accessattempt"): AXES_LABELS,
    ("axes", "accessfailurelog"): AXES_LABELS,
    ("axes", "accesslog"): AXES_LABELS,
}

FIELDSET_TITLES = {
    "Schedule": _("Tidsplan"),
    "Arguments": _("Argumenter"),
    "Execution Options": _("Kørsel"),
    "Form Data": _("Formulardata"),
    "Meta Data": _("Metadata"),
}


def name_third_party_models() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(apps.get_app_config(label).name):
            apps.get_app_config(label).verbose_name = name
    for (app_label, model_name), (singular, plural) in MODEL_NAMES.items():
        opts = apps.get_model(app_label, model_name)._meta
        opts.verbose_name, opts.verbose_name_plural = singular, plural


def _titled_filter(title) -> type[admin.FieldListFilter]:
    """A field filter with our title; the kind of filter still follows the field (dates, booleans, …)."""

    class TitledFilter(admin.FieldListFilter):
        def __new__(cls, field, request, params, model, model_admin, field_path):
            spec = admin.FieldListFilter.create(field, request, params, model, model_admin, field_path)
            spec.title = title
            return spec

    return TitledFilter


def _column(model, model_admin_class, name: str, label) -> Callable:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    own = getattr(model_admin_class, name, None)

    def column(self, obj):
        if callable(own):
            return own(self, obj)
        value = getattr(obj, name)
        return value() if callable(value) else value

    column.short_description = label
    column.__name__ = f"da_{name}"
    if field is not None:
        column.admin_order_field = name
    if isinstance(field, models.BooleanField) or getattr(own, "boolean", False):
        column.boolean = True
    return column


def danish_admin(model, labels: dict[str, Any]) -> None:
    """Re-register ``model``'s admin as a subclass that shows ``labels`` instead of its English ones."""
    if not admin.site.is_registered(model):
        return
    base = type(admin.site._registry[model])
    renamed = {f"da_{name}": _column(model, base, name, label) for name, label in labels.items()}

    def swap(names):
        return [f"da_{n}" if isinstance(n, str) and n in labels else n for n in names]

    def get_list_display(self, request):
        return swap(base.get_list_display(self, request))

    def get_list_display_links(self, request, list_display):
        links = base.get_list_display_links(self, request, list_display)
        return swap(links) if links else links

    def get_readonly_fields(self, request, obj=None):
        return swap(base.get_readonly_fields(self, request, obj))

    def get_list_filter(self, request):
        return [
            (item, _titled_filter(labels[item])) if isinstance(item, str) and item in labels else item
            for item in base.get_list_filter(self, request)
        ]

    def get_fieldsets(self, request, obj=None):
        readonly = set(base.get_readonly_fields(self, request, obj))
        fieldsets = []
        for title, options in base.get_fieldsets(self, request, obj):
            fields = [
                f"da_{f}" if isinstance(f, str) and f in readonly and f in labels else f for f in options["fields"]
            ]
            fieldsets.append((FIELDSET_TITLES.get(str(title), title), {**options, "fields": fields}))
        return fieldsets

    def get_exclude(self, request, obj=None):
        # The read-only fields are shown under their "da_" names; the form must still leave out the
        # fields themselves, or they would become editable.
        excluded = base.get_exclude(self, request, obj)
        readonly = [f for f in base.get_readonly_fields(self, request, obj) if f in labels]
        if not readonly:
            return excluded
        form_excluded = getattr(getattr(self.form, "_meta", None), "exclude", None) or ()
        return [*(excluded or form_excluded), *readonly]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = base.get_form(self, request, obj, change, **kwargs)
        for name, field in form.base_fields.items():
            if name in labels:
                field.label = labels[name]
        return form

    subclass = type(
        f"Danish{base.__name__}",
        (base,),
        {
            **renamed,
            "get_list_display": get_list_display,
            "get_list_display_links": get_list_display_links,
            "get_readonly_fields": get_readonly_fields,
            "get_list_filter": get_list_filter,
            "get_fieldsets": get_fieldsets,
            "get_exclude": get_exclude,
            "get_form": get_form,
            "__module__": __name__,
        },
    )
    admin.site.unregister(model)
    admin.site.register(model, subclass)


def register_danish_admins() -> None:
    for (app_label, model_name), labels in LABELS.items():
        danish_admin(apps.get_model(app_label, model_name), labels)
