"""Settings for Kompetenceportalen.

Every setting that differs between machines is read from the environment here, and only here
(12-factor). With nothing set the portal runs as a development server on SQLite with Celery tasks
executed inline. With ``DJANGO_DEBUG=0`` it runs in production mode, and refuses to start when a
variable it needs is missing or malformed, naming the variable.

Reference: https://docs.djangoproject.com/en/5.2/ref/settings/
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------
# Reading the environment
# ---------------------------------------------------------------------------
def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1 (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
PRODUCTION = not DEBUG


def required_in_production(name: str, development_default: str) -> str:
    """Return the variable, or the development default; in production a missing value stops the start."""
    value = env_str(name)
    if value:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG=0.")
    return development_default


# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
# The development key is public on purpose: it is only ever used with DEBUG on.
SECRET_KEY = required_in_production("DJANGO_SECRET_KEY", "django-insecure-development-key-do-not-use-in-production")
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of at least 50 characters.")
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
if PRODUCTION and not env_list("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first, so their templates (allauth layouts, admin tweaks) win.
    "partnerships",
    "companies",
    "activities",
    "reporting",
    # The project package: infrastructure models (audit log, task outbox), checks, converters.
    "kompetence",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "django_celery_beat",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kompetence.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kompetence.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # NUL bytes never reach a view (PostgreSQL refuses them in text): kompetence/inputs.py.
    "kompetence.inputs.StripNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page requires login unless its view is marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Administrators and CPR-revealing roles set up two-factor login before anything else.
    "kompetence.mfa.RequireTwoFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After every middleware with a process_exception hook (allauth's): POST, PUT, PATCH and DELETE
    # views run in one transaction, pages that only read in none (ATOMIC_REQUESTS for writes only,
    # which saves every page view a BEGIN and a COMMIT). See kompetence/middleware.py.
    "kompetence.middleware.AtomicWritesMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kompetence.urls"
WSGI_APPLICATION = "kompetence.wsgi.application"
ASGI_APPLICATION = "kompetence.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partnerships.context_processors.navigation",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database: SQLite file by default, PostgreSQL (psycopg 3) through DATABASE_URL
# ---------------------------------------------------------------------------
# Parsed, not kept: the URL holds the password (DATABASES' PASSWORD is masked in error reports).
_database_url = env_str("DATABASE_URL")
if _database_url:
    try:
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / env_str("SQLITE_PATH", "db.sqlite3"),
            "OPTIONS": {"timeout": 20},
        }
    }
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Redis: Celery broker, result backend and cache. Without it tasks run inline.
# Redis is a help, never a single point of failure: every client has short connect and read
# timeouts, the cache answers like an empty cache while Redis is away (kompetence/cache.py), and
# work asked for meanwhile waits in the outbox (kompetence/outbox.py).
# ---------------------------------------------------------------------------
# Not kept as a setting of its own: the URL may hold a password (the error reporter masks the
# settings below that carry it, see kompetence/errors.py).
_redis_url = env_str("REDIS_URL")
if _redis_url and not _redis_url.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://.")

# Seconds to wait for Redis to accept a connection, and for an answer, before giving up.
REDIS_TIMEOUT_SECONDS = 1.0

if _redis_url:
    CACHES = {
        "default": {
            "BACKEND": "kompetence.cache.FailSoftRedisCache",
            "LOCATION": _redis_url,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# https://docs.celeryq.dev/en/stable/userguide/configuration.html
CELERY_BROKER_URL = _redis_url or "memory://"
CELERY_RESULT_BACKEND = _redis_url or None
CELERY_TASK_ALWAYS_EAGER = not _redis_url
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360)
# The progress report's render (reporting.reports.tasks): its limits, its attempts and the first
# pause before a retry (doubled each time). The tests' kill test sets short ones for its workers.
REPORT_TIME_LIMIT = env_int("REPORT_TIME_LIMIT", 300)
REPORT_SOFT_TIME_LIMIT = env_int("REPORT_SOFT_TIME_LIMIT", max(1, REPORT_TIME_LIMIT - 30))
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 3)
REPORT_RETRY_BACKOFF = env_int("REPORT_RETRY_BACKOFF", 20)
# A file with full CPR numbers built in the background is deleted this many hours after it was made.
REPORT_CPR_FILE_HOURS = env_int("REPORT_CPR_FILE_HOURS", 24)
# Seconds the visibility timeout lies above the longest task time limit.
CELERY_VISIBILITY_MARGIN = env_int("CELERY_VISIBILITY_MARGIN", 60)
# Fail fast when a user asks for work and Redis is down or hangs, instead of hanging the request
# (the outbox keeps the request). A task whose worker died is redelivered after visibility_timeout:
# just above the time limit, not kombu's default hour.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
    "visibility_timeout": max(CELERY_TASK_TIME_LIMIT, REPORT_TIME_LIMIT) + CELERY_VISIBILITY_MARGIN,
    # How often a worker looks for unacknowledged tasks past the visibility timeout (kombu's defaults:
    # every 10 s, scanning on every 10th look, so a dead worker's task is back within ~100 s of it).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_REDIS_RETRY_ON_TIMEOUT = False
# The portal never waits for a task's result in a request; results are kept only for the tests'
# round trip and for the admin.
CELERY_RESULT_EXPIRES = datetime.timedelta(days=1)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# PDF rendering has its own queue (and worker settings), so long reports never hold up e-mail.
CELERY_TASK_ROUTES = {
    "partnerships.render_minutes_pdf": {"queue": "pdf"},
    "activities.render_participant_form": {"queue": "pdf"},
    "reporting.render_report": {"queue": "pdf"},
}
# Fixed schedules live here, in code (beat copies them into django-celery-beat's tables at start,
# where the admin shows them); schedules people edit are made in the admin. "expires": a flush that
# waited in the queue longer than its interval is dropped, the next one does its work.
CELERY_BEAT_SCHEDULE = {
    # The Vækstforum progress report for the quarter just ended, on the 1st of Jan/Apr/Jul/Oct at 6:00;
    # project management gets an e-mail when it is ready (reporting.reports.services).
    "quarterly-progress-report": {
        "task": "reporting.quarterly_progress_report",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
        "options": {"expires": 60 * 60 * 12},
    },
    # Today's default dashboards counted at 5:30, before the first user asks (reporting.ahead).
    "dashboards-ahead": {
        "task": "reporting.count_dashboards_ahead",
        "schedule": crontab(minute=30, hour=5),
        "options": {"expires": 60 * 60 * 2},
    },
    # Reports whose render died (past REPORT_TIME_LIMIT): requeued, or failed after the last attempt.
    "reports-reap": {"task": "reporting.reap_reports", "schedule": 60.0 * 5, "options": {"expires": 280}},
    "outbox-flush": {"task": "kompetence.outbox_flush", "schedule": 60.0, "options": {"expires": 55}},
    "housekeeping": {"task": "kompetence.housekeeping", "schedule": 60.0 * 60 * 24, "options": {"expires": 3600}},
    # Participants past PARTICIPANT_RETENTION_DAYS after the programme's end lose their identity.
    "participants-anonymise": {
        "task": "activities.anonymise_participants",
        "schedule": 60.0 * 60 * 24,
        "options": {"expires": 3600},
    },
}

# ---------------------------------------------------------------------------
# Authentication (django-allauth, e-mail login, no open sign-up, TOTP)
# https://docs.allauth.org/en/latest/account/configuration.html
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "partnerships.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out (account, address) pair before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "partnerships.backends.PortalModelBackend",
    "partnerships.backends.EmailBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "partnerships.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # Invitations prove the address; there is no sign-up.
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kompetenceportalen] "
# allauth's other limits count in the cache (Redis): they help while it answers and let everything
# through when it does not (the cache fails soft). Its "login_failed" limit per key was a lockout
# anyone could trigger by typing someone's address: failed logins are limited by django-axes and
# the audit log below instead, in the database, so they hold without Redis.
ACCOUNT_RATE_LIMITS = {
    "login_failed": None,
    "reset_password": "5/5m/ip,3/5m/key",
}
# No «Ukendt konto» mail to an address that has no account (it would mail strangers on request).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False

# ---------------------------------------------------------------------------
# Failed logins: django-axes, database handler
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
# ---------------------------------------------------------------------------
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (0: clients connect directly).
# One number for allauth (its rate limits) and for axes and the audit log (kompetence.audit.client_ip).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("DJANGO_TRUSTED_PROXY_COUNT must be 0 or more.")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Five wrong passwords for one account from one address lock that pair for 15 minutes; the same
# account from another address, and other accounts from this address, are not affected.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "kompetence.audit.login_identifier"
AXES_CLIENT_IP_CALLABLE = "kompetence.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
# The audit log records logins; axes keeps only its failure counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "oldpassword", "code", "key"]
# The looser limit per client address, whatever the account (password spraying): counted in the
# audit log by partnerships.adapters.AccountAdapter.pre_authenticate.
LOGIN_FAILURES_PER_ADDRESS = 30
LOGIN_FAILURES_PER_ADDRESS_WINDOW = datetime.timedelta(minutes=15)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kompetenceportalen"
MFA_ADAPTER = "kompetence.mfa.MfaAdapter"
# Two-factor login is required (kompetence/mfa.py) for these roles, superusers, and every user
# holding one of these permissions (the activities work creates reveal_cpr; until then it holds
# for nobody). On in production mode; off in development so the demo logins work without a phone.
MFA_REQUIRED = env_bool("DJANGO_MFA_REQUIRED", PRODUCTION)
MFA_REQUIRED_ROLES = ["Administrator"]
MFA_REQUIRED_PERMISSIONS = ["activities.reveal_cpr"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Language, time and formats: Danish first, English available
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

# A visit summary may be long (the form refuses over 10,000 characters with a message next to the
# field); this limit only stops absurd requests, which get the Danish 400 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# ---------------------------------------------------------------------------
# Static files: vendored Bootstrap and htmx, served by WhiteNoise (no CDN)
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / env_str("MEDIA_DIR", "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# ---------------------------------------------------------------------------
# Personal data: key(s) for encrypted fields (CPR numbers), newest first
# ---------------------------------------------------------------------------
# A Fernet key is 32 url-safe base64-encoded bytes. The development key below is public and
# only valid with DEBUG on.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY") or (
    [] if PRODUCTION else ["a29tcGV0ZW5jZS1kZXYta2V5LW5vdC1mb3ItcHJvZCE="]
)
if PRODUCTION and not FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DJANGO_DEBUG=0.")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        # The key itself is never put in the message: it is a secret.
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be comma-separated Fernet keys (32 url-safe base64-encoded bytes)."
        ) from None
# The key of the keyed hash (HMAC-SHA256) stored beside each encrypted CPR number, so a person
# registered twice is found without decrypting anything. It is NOT rotated with the encryption keys:
# changing it makes every stored hash useless (duplicates go unnoticed) until
# ``manage.py rotate_encryption_key --rehash`` recomputes them. Back it up with the encryption keys.
# At least 32 characters; the development key below is public and only valid with DEBUG on.
FIELD_HASH_KEY = required_in_production("FIELD_HASH_KEY", "kompetence-dev-hash-key-not-for-production-use")
if len(FIELD_HASH_KEY) < 32:
    raise ImproperlyConfigured("FIELD_HASH_KEY must be a random string of at least 32 characters.")
# Participants are anonymised (CPR, name and contact removed; ESF facts kept) this many days after
# the end of the programme (the last ESF project's end), by the daily task activities.anonymise.
PARTICIPANT_RETENTION_DAYS = env_int("PARTICIPANT_RETENTION_DAYS", 365 * 10)
if PARTICIPANT_RETENTION_DAYS < 0:
    raise ImproperlyConfigured("PARTICIPANT_RETENTION_DAYS must be 0 or more.")

# ---------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kompetenceportalen <noreply@kompetenceportalen.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------
# Partnership meetings (invitations, calendar feed, minutes, toolbox, self-evaluation)
# ---------------------------------------------------------------------------
# The portal's own address, for links in e-mails and calendar entries (no request to take it from).
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Calendar invitations name this address as ORGANIZER, under the secretariat's name: clients mail
# their replies there, and the portal never reads them (attendance is answered in the portal).
MEETING_ORGANIZER_EMAIL = env_str("MEETING_ORGANIZER_EMAIL", "noreply@kompetenceportalen.local")
TOOLBOX_MAX_UPLOAD_MB = env_int("TOOLBOX_MAX_UPLOAD_MB", 10)
SELF_EVALUATION_ROUNDS_PER_YEAR = env_int("SELF_EVALUATION_ROUNDS_PER_YEAR", 2)

# ---------------------------------------------------------------------------
# Security (check --deploy passes with DJANGO_DEBUG=0)
# ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10  # a working day
# Database sessions, read with SQL compiled once per process (kompetence/sessions.py): server-side,
# nothing personal in the cookie, and no cache on the request path.
SESSION_ENGINE = "kompetence.sessions"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# ---------------------------------------------------------------------------
# Logging: to the console; CPR numbers are never passed to a logger.
# ---------------------------------------------------------------------------
# No secret and no personal data in error reports or logs (kompetence/errors.py): error mails carry
# the exception's type and the traceback, never request data, variables, settings or the message;
# console tracebacks leave out the message in production; request logs leave out query strings.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "strip_query_string": {"()": "kompetence.errors.StripQueryString"},
    },
    "formatters": {
        "plain": {
            "()": "kompetence.errors.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["strip_query_string"]},
        "mail_admins": {
            "class": "kompetence.errors.PortalAdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "include_html": False,
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default "django" logger (console in DEBUG, mail_admins): ours mail the
        # admins through the redacting handler and print through the root's console.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["requests"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # One line per failed login is in the audit log already.
        "axes": {"level": "WARNING"},
    },
}
DEFAULT_EXCEPTION_REPORTER = "kompetence.errors.PortalExceptionReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "kompetence.errors.PortalExceptionReporterFilter"
# Messages ("Virksomheden X er registreret") hold names: kept in the session, not in a readable cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ADMINS = [("Drift", addr) for addr in env_list("DJANGO_ADMINS")]

# Where the portal is reached, for links in e-mails sent by background tasks (no request to ask).
# Production default: https:// and the first DJANGO_ALLOWED_HOSTS entry.
PORTAL_URL = env_str(
    "DJANGO_PORTAL_URL",
    f"https://{ALLOWED_HOSTS[0].lstrip('.')}" if PRODUCTION else "http://127.0.0.1:8000",
).rstrip("/")
if not PORTAL_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("DJANGO_PORTAL_URL must start with https:// (or http:// in development).")

# The accessibility statement's contact (kompetence.views.accessibility_statement): the law asks for a
# written and a telephone contact of the body responsible for the portal.
ACCESSIBILITY_CONTACT_EMAIL = env_str("DJANGO_ACCESSIBILITY_EMAIL", "tilgaengelighed@kompetenceportalen.local")
ACCESSIBILITY_CONTACT_PHONE = env_str("DJANGO_ACCESSIBILITY_PHONE")

# Look-ups of firms held by other partnerships that may show firms, per user per 24 hours
# (companies.selectors.firms.companies_held_elsewhere; counted in the audit log).
HELD_ELSEWHERE_LOOKUPS_PER_DAY = env_int("DJANGO_HELD_ELSEWHERE_LOOKUPS_PER_DAY", 40)

# Security audit events are kept this long (kompetence.housekeeping deletes older ones).
AUDIT_KEEP_DAYS = env_int("DJANGO_AUDIT_KEEP_DAYS", 365)

# Names shown in the layout.
PORTAL_NAME = "Kompetenceportalen"
