"""Profile portal requests in-process, in production mode, on the benchmark database.

    .venv/bin/python bench/profile_request.py /bench/tom/                        # the empty page, as the consultant
    .venv/bin/python bench/profile_request.py / --user ledelse@demo.dk -n 300    # a dashboard
    .venv/bin/python bench/profile_request.py /bench/tom/ --pyinstrument          # where the time goes (call tree)
    .venv/bin/python bench/profile_request.py /bench/tom/ --cprofile              # the same with cProfile
    .venv/bin/python bench/profile_request.py --bare                              # the bare floor (bench/bare/)

It calls the WSGI application directly (no server, no client), with the settings ``bench/run.py``
gives gunicorn (``bench.settings``, ``DJANGO_DEBUG=0``), and a session made for the user. For each
path it prints the mean wall-clock and CPU time per request, the queries one request runs (with
their time; the health check's ``SELECT 1`` and the transaction's ``BEGIN``/``COMMIT`` are counted
apart, since they never reach Django's query wrappers) and the time spent between each pair of
middleware (see ``bench/marks.py``). Run ``bench/run.py`` once first: it creates and seeds the
database. Numbers are for one process with no concurrency; ``run.py`` measures throughput.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
STATIC_ROOT = Path("/tmp/kompetence-bench-profile-static")  # a cache of collectstatic


def configure(*, bare: bool, database_url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.bare.settings" if bare else "bench.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "FIELD_HASH_KEY": secrets.token_urlsafe(48),
            "BENCH_FLOOR": "1",
            "BENCH_STATIC_ROOT": str(STATIC_ROOT),
            "LOG_LEVEL": "WARNING",
            # The demo users have no authenticator app: with two-factor login required (production
            # mode) the consultant would only ever see the set-up page. See README, Caveats.
            "DJANGO_MFA_REQUIRED": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)


def session_cookie(email: str) -> str:
    from django.conf import settings
    from django.test import Client

    from partnerships.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def environ_for(path: str, cookie: str) -> dict:
    path_info, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8199",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "HTTP_ACCEPT_LANGUAGE": "da",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class Counter:
    """Counts what one request sends to the database, including what Django's wrappers never see."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str]] = []
        self.health_checks = 0
        self.commits = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - start, sql))


def request_once(app, path: str, cookie: str) -> tuple[str, bytes]:
    status_line = []

    def start_response(status, headers, exc_info=None):
        status_line.append(status)

    result = app(environ_for(path, cookie), start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()  # sends request_finished: connections are checked and returned here
    return status_line[0], body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["/bench/tom/"])
    parser.add_argument("--user", default="konsulent@demo.dk")
    parser.add_argument("-n", type=int, default=200, help="requests per path")
    parser.add_argument("--bare", action="store_true", help="profile the bare floor instead of the portal")
    parser.add_argument("--pyinstrument", action="store_true", help="print pyinstrument's call tree")
    parser.add_argument("--cprofile", action="store_true", help="print cProfile's top functions (CPU time)")
    parser.add_argument("--no-marks", action="store_true", help="leave out the middleware timing marks")
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kompetence_bench")
    )
    args = parser.parse_args()
    configure(bare=args.bare, database_url=args.database_url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from bench import marks

    middleware = list(settings.MIDDLEWARE)
    if not args.no_marks:
        settings.MIDDLEWARE = [m for i, name in enumerate(middleware) for m in (f"bench.marks.Mark{i}", name)] + [
            f"bench.marks.Mark{len(middleware)}"
        ]
    if not args.bare:  # incremental: copies only what changed since the last run
        call_command("collectstatic", "--no-input", "-v", "0")
    app = get_wsgi_application()
    cookie = "" if args.bare else session_cookie(args.user)
    paths = ["/"] if args.bare else args.paths

    counter = Counter()
    real_is_usable, real_commit = connection.is_usable, connection._commit

    def is_usable():
        counter.health_checks += 1
        return real_is_usable()

    def commit():
        counter.commits += 1
        return real_commit()

    connection.is_usable, connection._commit = is_usable, commit

    for path in paths:
        for _ in range(20):
            status, body = request_once(app, path, cookie)
        if not status.startswith("200"):
            print(f"{path}: {status}")
            continue
        counter.__init__()
        with connection.execute_wrapper(counter):
            request_once(app, path, cookie)
        one = counter.queries, counter.health_checks, counter.commits

        marks.reset()
        walls, cpus = [], []
        profiler = None
        if args.pyinstrument:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            profiler.start()
        elif args.cprofile:
            import cProfile

            # CPU time, not wall time: waiting for PostgreSQL (which a busy machine stretches) is left out.
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        for _ in range(args.n):
            wall, cpu = time.perf_counter(), time.process_time()
            request_once(app, path, cookie)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        if args.pyinstrument:
            profiler.stop()
        elif args.cprofile:
            profiler.disable()

        queries, health_checks, commits = one
        print(f"\n{path} as {args.user if not args.bare else '(bare floor)'}: {len(body):,} bytes")
        print(
            f"  {statistics.mean(walls) * 1000:.2f} ms wall (median {statistics.median(walls) * 1000:.2f}), "
            f"{statistics.mean(cpus) * 1000:.2f} ms CPU per request, over {args.n} requests"
        )
        print(
            f"  {len(queries)} queries ({sum(t for t, _ in queries) * 1000:.2f} ms), "
            f"{health_checks} health check(s), {commits} transaction(s) (BEGIN + COMMIT each)"
        )
        for seconds, sql in queries:
            print(f"    {seconds * 1000:6.2f} ms  {sql[:150]}")
        if not args.no_marks:
            print("  time per request between the marks (own cost of each middleware, then the view):")
            totals = [marks.TOTALS.get(i, 0.0) / args.n for i in range(len(middleware) + 1)]
            for i, name in enumerate(middleware):
                print(f"    {(totals[i] - totals[i + 1]) * 1000:6.3f} ms  {name}")
            print(f"    {totals[-1] * 1000:6.3f} ms  (view, process_view hooks, template, context processors)")
            outside = statistics.mean(walls) - totals[0]
            print(f"    {outside * 1000:6.3f} ms  (WSGI handler, request_started/finished signals, outside the chain)")
        if args.pyinstrument:
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        elif args.cprofile:
            import pstats

            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
