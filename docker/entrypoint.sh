#!/bin/sh
# Entry point of the Kompetenceportalen image.
#
#   web        apply database migrations, then serve the portal with gunicorn on 0.0.0.0:$PORT
#              (default 8000) with $WEB_CONCURRENCY sync workers (default 2). Extra arguments
#              are passed on to gunicorn.
#   anything   run as given (exec), e.g. `celery -A kompetence worker -Q celery,pdf`,
#              `celery -A kompetence beat`, `python manage.py createsuperuser`.
#
# Only the web service migrates: worker and beat must never race it to change the schema.
set -eu

if [ "${1:-}" = "web" ]; then
    shift
    python manage.py migrate --no-input
    # Sync workers are the faster choice for these CPU-bound pages. The heartbeat files go to
    # memory (/dev/shm): on a container's overlay file system they can stall the workers.
    # The access log's format (no query strings) comes from /app/gunicorn.conf.py.
    exec gunicorn kompetence.wsgi \
        --workers "${WEB_CONCURRENCY:-2}" \
        --worker-class sync \
        --bind "0.0.0.0:${PORT:-8000}" \
        --worker-tmp-dir /dev/shm \
        --access-logfile - \
        "$@"
fi

exec "$@"
