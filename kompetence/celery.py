"""The Celery application. Configuration comes from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetence.settings")

app = Celery("kompetence")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="kompetence.ping")
def ping() -> str:
    """Answer 'pong'; used by the health check tests and the Celery round-trip test."""
    return "pong"
