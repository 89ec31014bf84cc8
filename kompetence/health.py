"""/healthz: is the database answering, and is the Celery broker answering?"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from kompetence import broker
from kompetence.rules import rule


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (opgaver køres direkte, ingen REDIS_URL)"
    # Bounded by REDIS_TIMEOUT_SECONDS: a Redis that hangs is reported within about a second,
    # instead of holding the worker until gunicorn kills it.
    broker.ping()
    return "ok"


# Not inside ATOMIC_REQUESTS: a transaction would open the connection before the probe could catch the error.
@rule(public=True)
@transaction.non_atomic_requests
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, str] = {}
    healthy = True
    for name, probe in (("database", _database), ("broker", _broker)):
        try:
            checks[name] = probe()
        except Exception as exc:  # Any failure means "not healthy"; say which and why.
            healthy = False
            checks[name] = f"fejl: {type(exc).__name__}"
    return JsonResponse(
        {"status": "ok" if healthy else "fejl", **checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )
