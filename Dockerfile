# syntax=docker/dockerfile:1
# Kompetenceportalen: one image for the web server, the Celery worker and Celery beat.
# The command chooses the role (see docker/entrypoint.sh and docker-compose.yml).
# Build: docker build -t kompetenceportalen .

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PORT=8000

# WeasyPrint (PDF reports) needs Pango, HarfBuzz and a font from the operating system;
# gettext compiles the translation catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

# The application runs as an unprivileged user. The code stays owned by root, so a compromised
# process cannot change it; only the media directory (uploads, generated reports) is writable.
# Its home directory holds caches (fontconfig's, for WeasyPrint).
RUN groupadd --system --gid 10001 kompetence \
    && useradd --system --uid 10001 --gid kompetence --create-home --home-dir /home/kompetence \
        --shell /usr/sbin/nologin kompetence

# Dependencies first, so editing the code does not reinstall them. Every package is pinned with
# its hash.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv "$VIRTUAL_ENV" \
    && pip install --require-hashes -r /tmp/requirements.lock \
    && rm /tmp/requirements.lock

WORKDIR /app
COPY . /app

# Static files are collected once, at build time, with production storage (hashed, compressed
# names served by WhiteNoise). Production settings refuse to load without their required
# variables, so this step gets throw-away values that exist only during this command and are
# never used at run time. The catalogues are recompiled so the .mo files match the .po files.
RUN DJANGO_DEBUG=0 \
    DJANGO_SECRET_KEY=build-only-secret-key-never-used-at-run-time-0123456789abcdefghij \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktbm90LWZvci1ydW50aW1lISE= \
    FIELD_HASH_KEY=build-only-hash-key-never-used-at-run-time \
    python manage.py collectstatic --no-input --verbosity 0 \
    && python manage.py compilemessages --verbosity 0 \
    && mkdir -p /app/media \
    && chown kompetence:kompetence /app/media \
    && chmod 0755 docker/entrypoint.sh

USER kompetence
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
# "web": apply migrations, then gunicorn kompetence.wsgi with 2 sync workers on 0.0.0.0:8000.
# Any other command runs as given, e.g. `celery -A kompetence worker` or `python manage.py shell`.
CMD ["web"]
