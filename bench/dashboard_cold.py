"""The reporting dashboards after a change: what a user waits for when a consultant has just saved a visit.

    .venv/bin/python bench/dashboard_cold.py                          # project management's /rapportering/
    .venv/bin/python bench/dashboard_cold.py /rapportering/partnerskab/3/ -n 10

``bench/run.py`` asks the same page again and again with no writes, so every dashboard after the first
is a cache hit. In use, consultants save visits all day, and any save of what the figures count
replaces their version. This script calls the WSGI application in-process (``bench/profile_request.py``:
production settings, ``DJANGO_DEBUG=0``, a session made for the user) and measures, per request, wall
and process CPU time and the queries, in three ways:

* ``warm``: nothing changed since the last request;
* ``saved``: a visit is saved (``Visit.save()``, every signal receiver runs) before each request, as in
  real use. Where the figures are recounted in the background (``reporting.figures``), the queued
  recount is taken from the queue and run after the timed request, and timed apart ("recount");
* ``cold``: the cache emptied before each request (nothing counted yet: the first dashboard of the day).

The bare floor (``bench/bare/``) is measured in a second process in the same run, so the ratios
(× bare floor, wall and CPU) compare across runs on this loaded 2-core machine.

Two helpers for work on the count itself:

    .venv/bin/python bench/dashboard_cold.py --queries /tmp/q.json   # one cold count per path: its queries ranked
    .venv/bin/python bench/dashboard_cold.py --figures /tmp/f.json   # the whole figures of a few counts, to compare

``--queries`` prints every query of one cold request by time (and writes their SQL with parameters
inlined to the file, for ``EXPLAIN ANALYZE`` in psql); ``--figures`` counts the dashboard's facts for
the programme and partnership 1 over the default period, 2018 and 2017-2026, with and without the
budget, and writes them as JSON: two runs (before and after a change) must give the same file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _bare(args: argparse.Namespace) -> dict:
    from bench import profile_request as pr

    pr.configure(bare=True, database_url=args.database_url)
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    app = get_wsgi_application()
    for _ in range(20):
        pr.request_once(app, "/", "")
    walls, cpus = [], []
    for _ in range(max(args.n * 5, 50)):
        wall, cpu = time.perf_counter(), time.process_time()
        pr.request_once(app, "/", "")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall": statistics.median(walls) * 1000, "cpu": statistics.median(cpus) * 1000}


def _portal(args: argparse.Namespace) -> dict:
    from bench import profile_request as pr

    pr.configure(bare=False, database_url=args.database_url)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from companies.models import Visit

    # As in production (Celery with a broker); the queued recounts are caught here and run by hand.
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued: list = []
    try:
        from reporting import tasks

        tasks.recount_figures.apply_async = lambda args=(), kwargs=None, **_options: queued.append((args, kwargs))
        recount = tasks.recount_figures
    except AttributeError:  # before the background recount
        recount = None

    call_command("collectstatic", "--no-input", "-v", "0")  # incremental, as bench/profile_request.py does
    app = get_wsgi_application()
    cookie = pr.session_cookie(args.user)
    visit = Visit.objects.order_by("-pk").first()
    results: dict = {}
    for path in args.paths:
        for mode in ("warm", "saved", "cold"):
            pr.request_once(app, path, cookie)
            walls, cpus, counts, recounts = [], [], [], []
            for _ in range(args.n):
                if mode == "saved":
                    visit.save()
                elif mode == "cold":
                    cache.clear()
                queued.clear()
                counter = pr.Counter()
                wall, cpu = time.perf_counter(), time.process_time()
                with connection.execute_wrapper(counter):
                    status, _body = pr.request_once(app, path, cookie)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                counts.append(len(counter.queries))
                assert status.startswith("200"), status
                if recount is not None and queued:
                    start = time.perf_counter()
                    for task_args, task_kwargs in list(queued):
                        recount(*task_args, **(task_kwargs or {}))
                    recounts.append(time.perf_counter() - start)
            results[f"{path} {mode}"] = {
                "wall": statistics.median(walls) * 1000,
                "cpu": statistics.median(cpus) * 1000,
                "queries": max(counts),
                "recount": statistics.median(recounts) * 1000 if recounts else None,
            }
    return results


def _queries(args: argparse.Namespace) -> None:
    from bench import profile_request as pr

    pr.configure(bare=False, database_url=args.database_url)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    call_command("collectstatic", "--no-input", "-v", "0")  # incremental, as bench/profile_request.py does
    app = get_wsgi_application()
    cookie = pr.session_cookie(args.user)
    written = []
    for path in args.paths:
        pr.request_once(app, path, cookie)
        cache.clear()
        counter = pr.Counter()
        captured: list[str] = []

        def inline(execute, sql, params, many, context, captured=captured):
            with connection.cursor() as cursor:
                captured.append(cursor.mogrify(sql, params) if params else sql)
            return execute(sql, params, many, context)

        wall = time.perf_counter()
        with connection.execute_wrapper(counter), connection.execute_wrapper(inline):
            pr.request_once(app, path, cookie)
        wall = time.perf_counter() - wall
        total = sum(seconds for seconds, _sql in counter.queries)
        print(
            f"{path}: {len(counter.queries)} queries, {total * 1000:.0f} ms in the database, {wall * 1000:.0f} ms wall"
        )
        ranked = sorted(zip(counter.queries, captured, strict=True), key=lambda item: -item[0][0])
        for rank, ((seconds, sql), full) in enumerate(ranked, 1):
            print(f"  {rank:2d}. {seconds * 1000:7.1f} ms  {' '.join(sql.split())[:150]}")
            written.append({"path": path, "ms": seconds * 1000, "sql": full})
    if args.queries != "-":
        Path(args.queries).write_text(json.dumps(written, indent=1))


def _plain(value):
    """The facts as JSON-able plain data (dataclasses by field, model instances by their fields)."""
    import dataclasses
    import datetime as dt
    from decimal import Decimal

    from django.db.models import Model
    from django.forms.models import model_to_dict

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Model):
        return {"model": value._meta.label, **{k: _plain(v) for k, v in model_to_dict(value).items()}}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in sorted(value.items(), key=lambda item: str(item[0]))}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | dt.date):
        return str(value)
    if value is None or isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _figures(args: argparse.Namespace) -> None:
    from bench import profile_request as pr

    pr.configure(bare=False, database_url=args.database_url)
    import django

    django.setup()
    import datetime as dt

    from django.utils import timezone, translation

    from partnerships.models import Partnership
    from reporting.periods import Period
    from reporting.selectors import _count_facts, default_period

    today = timezone.localdate()
    periods = [default_period(today), Period.year(2018), Period(dt.date(2017, 1, 1), dt.date(2026, 12, 31))]
    found = {}
    with translation.override("da"):
        for period in periods:
            for partnership in (None, Partnership.objects.get(pk=1)):
                for with_budget in (True, False):
                    key = f"{period.code} {partnership.pk if partnership else 'all'} {'budget' if with_budget else ''}"
                    facts = _count_facts(period=period, partnership=partnership, with_budget=with_budget, today=today)
                    found[key] = _plain(facts)
                    print(key, "counted")
    Path(args.figures).write_text(json.dumps(found, indent=1, sort_keys=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=["/rapportering/"])
    parser.add_argument("--user", default="ledelse@demo.dk")
    parser.add_argument("-n", type=int, default=15, help="requests per path and way")
    parser.add_argument("--bare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kompetence_bench")
    )
    parser.add_argument("--queries", metavar="FILE", help="one cold count per path: its queries by time")
    parser.add_argument("--figures", metavar="FILE", help="write a few counts' whole figures as JSON")
    args = parser.parse_args()
    if args.queries:
        _queries(args)
        return 0
    if args.figures:
        _figures(args)
        return 0
    if args.bare:
        print(json.dumps(_bare(args)))
        return 0
    command = [sys.executable, __file__, "--bare", "-n", str(args.n), "--database-url", args.database_url]
    bare = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    results = _portal(args)
    print(f"bare floor: {bare['wall']:.1f} ms wall, {bare['cpu']:.1f} ms CPU (median)")
    print("| page | way | wall ms | × bare (wall) | CPU ms | × bare (CPU) | queries | recount ms (background) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        path, mode = name.rsplit(" ", 1)
        recount = f"{r['recount']:.0f}" if r["recount"] is not None else "–"
        print(
            f"| {path} | {mode} | {r['wall']:.1f} | {r['wall'] / bare['wall']:.2f} | {r['cpu']:.1f} | "
            f"{r['cpu'] / bare['cpu']:.2f} | {r['queries']} | {recount} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
