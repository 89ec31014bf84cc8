"""Settings for the benchmark: the portal's own settings, plus the floor view and plain-HTTP cookies.

Used only by ``bench/run.py`` (``DJANGO_SETTINGS_MODULE=bench.settings``), which serves the portal
with gunicorn in production mode (``DJANGO_DEBUG=0``) on 127.0.0.1 without TLS.
"""

import os
from pathlib import Path

from kompetence.settings import *  # noqa: F403
from kompetence.settings import STATIC_ROOT

# The floor view (bench/floor.py) is mounted only when asked for.
if os.environ.get("BENCH_FLOOR") == "1":
    ROOT_URLCONF = "bench.urls"

# The benchmark talks plain HTTP to 127.0.0.1: secure-only cookies would never be sent back.
# Nothing else about the request path changes.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# collectstatic goes to a temporary directory, so a benchmark never touches the project's own.
STATIC_ROOT = Path(os.environ.get("BENCH_STATIC_ROOT", str(STATIC_ROOT)))
