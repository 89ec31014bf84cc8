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
    return problems
