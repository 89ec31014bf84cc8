"""WSGI entry of the bare floor (``gunicorn bench.bare.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

# Forced, not defaulted: run.py's environment names the portal's settings for the other server.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"

application = get_wsgi_application()
