"""Settings of the bare floor: Django with no middleware, no session, no login, no context processor.

The bare floor (``bench/bare/``) is the reference every portal page is measured against: the firm
list's own two queries (the COUNT and the 50-row page joined with municipality, partnership and lead
consultant) rendered with the Django template engine, and nothing else Django would let a page skip.
It is served by the same gunicorn as the portal, in the same run (``bench/run.py``), so a page's
ratio to it says how much work the portal adds to the firm list's irreducible part.

What it keeps, because a correct production portal cannot do without it: a persistent database
connection with a health check (PITFALLS.md), the cached template loader (Django's default with
DEBUG off), Danish formats and the Copenhagen time zone. These settings are fixed on purpose, and
independent of ``kompetence/settings.py``, so that a change to the portal's request path moves the
portal's numbers and never the floor's.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent

DEBUG = False
# Signs nothing (no session, no CSRF, no messages); Django only insists on a value.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "bench-bare-floor-signs-nothing-" + "x" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# The portal's own apps with their models only (bench/bare/apps.py: no ready() hooks, which would
# pull in allauth and its middleware), and the libraries their models need.
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "simple_history",
    "bench.bare.apps.KompetenceModels",
    "bench.bare.apps.PartnershipsModels",
    "bench.bare.apps.CompaniesModels",
    "bench.bare.apps.ActivitiesModels",
    "bench.bare.apps.ReportingModels",
]
AUTH_USER_MODEL = "partnerships.User"

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare.urls"
WSGI_APPLICATION = "bench.bare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": []},
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kompetence_bench"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "da"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# The consultant whose firm list the floor runs (the scope of "Virksomheder, side 1" in run.py).
BARE_SCOPE_EMAIL = os.environ.get("BENCH_BARE_EMAIL", "konsulent@demo.dk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
