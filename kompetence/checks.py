"""System checks for promises `check --deploy` does not know about."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def portal_security_checks(app_configs, **kwargs):
    problems = []
    if len(settings.AUTH_PASSWORD_VALIDATORS) < 3:
        problems.append(Warning("Fewer than three password validators are configured.", id="kompetence.W001"))
    if "allauth.mfa" not in settings.INSTALLED_APPS:
        problems.append(Error("Two-factor login (allauth.mfa) must be installed.", id="kompetence.E001"))
    if "django.contrib.auth.middleware.LoginRequiredMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("LoginRequiredMiddleware must guard every page.", id="kompetence.E002"))
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.DEBUG:
        problems.append(
            Warning(
                "REDIS_URL is not set: Celery tasks (PDF reports) run inside web requests.",
                hint="Set REDIS_URL and run a Celery worker.",
                id="kompetence.W002",
            )
        )
    problems.extend(_promised_safeguards())
    return problems


REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


def _promised_safeguards() -> list:
    """What issue 7 promises, checked so a later settings change cannot drop it silently."""
    problems = []
    if not settings.DEBUG and not settings.MFA_REQUIRED:
        problems.append(
            Error(
                "Two-factor login is not required in production mode (MFA_REQUIRED is off).",
                hint="Unset DJANGO_MFA_REQUIRED or set it to 1.",
                id="kompetence.E003",
            )
        )
    for alias, cache in settings.CACHES.items():
        location = str(cache.get("LOCATION", ""))
        if location.startswith(REDIS_SCHEMES):
            options = cache.get("OPTIONS", {})
            timeouts = [options.get("socket_connect_timeout"), options.get("socket_timeout")]
            if cache.get("BACKEND") != "kompetence.cache.FailSoftRedisCache" or not all(
                t is not None and 0 < t <= 2 for t in timeouts
            ):
                problems.append(
                    Error(
                        f"The Redis cache {alias!r} must fail soft and have connect and read timeouts of at most 2 s.",
                        hint="Use kompetence.cache.FailSoftRedisCache with socket_connect_timeout and socket_timeout.",
                        id="kompetence.E004",
                    )
                )
    if str(settings.CELERY_BROKER_URL).startswith(REDIS_SCHEMES):
        options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
        timeouts = [options.get("socket_connect_timeout"), options.get("socket_timeout")]
        if not all(t is not None and 0 < t <= 2 for t in timeouts):
            problems.append(
                Error("The Celery broker must have connect and read timeouts of at most 2 s.", id="kompetence.E005")
            )
    if settings.DEFAULT_EXCEPTION_REPORTER_FILTER != "kompetence.errors.PortalExceptionReporterFilter" or (
        settings.DEFAULT_EXCEPTION_REPORTER != "kompetence.errors.PortalExceptionReporter"
    ):
        problems.append(
            Error("Error reports must go through kompetence.errors (no request data in mails).", id="kompetence.E006")
        )
    if settings.AUTHENTICATION_BACKENDS[:1] != ["axes.backends.AxesStandaloneBackend"]:
        problems.append(Error("django-axes must be the first authentication backend.", id="kompetence.E007"))
    if "kompetence.mfa.RequireTwoFactorMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("RequireTwoFactorMiddleware must be installed.", id="kompetence.E008"))
    if "kompetence.inputs.StripNulMiddleware" not in settings.MIDDLEWARE:
        problems.append(Error("StripNulMiddleware must be installed (NUL bytes).", id="kompetence.E009"))
    return problems
