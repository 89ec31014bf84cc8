"""Benchmark the firm pages against a floor view and the Django admin, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/run.py                 # seed (first time), serve, measure, write bench/results.md
    .venv/bin/python bench/run.py --seconds 20    # longer runs
    .venv/bin/python bench/run.py --reseed        # drop the benchmark database and seed it again

What it does, in order (see bench/README.md):

1. creates the PostgreSQL database (``kompetence_bench`` unless ``DATABASE_URL`` says otherwise),
   migrates it and runs ``manage.py seed_demo --scale 50`` (about 20,000 firms) unless it is seeded;
2. serves the portal with gunicorn (2 sync workers) in production mode (``DJANGO_DEBUG=0``, dummy
   secrets, no TLS), with ``bench.settings``, which adds the floor view (``bench/floor.py``);
3. logs in as the demo consultant, project management and the administrator (the allauth form, with
   its CSRF token, through ``urllib`` and ``http.cookiejar``);
4. measures each page with a pool of client threads for a fixed time: median and 95th percentile
   latency, requests per second, and the cost relative to the floor view and to the admin changelist;
5. writes ``bench/results.md``.

The client runs on the same machine as the server, so it takes a little CPU from gunicorn: the
numbers are a lower bound for the server alone.
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import datetime as dt
import html
import http.client
import http.cookiejar
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn") if (VENV_BIN / "gunicorn").exists() else "gunicorn"
WRK = shutil.which("wrk")  # Debian package "wrk"; without it a Python client measures (less exactly)
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kompetence_bench"
DEMO_PASSWORD = "demo1234"  # the published demo password of seed_demo
CONSULTANT, MANAGEMENT, ADMIN = "konsulent@demo.dk", "ledelse@demo.dk", "admin@demo.dk"


# ---------------------------------------------------------------------------
# Database and server
# ---------------------------------------------------------------------------
def ensure_database(url: str, *, fresh: bool) -> None:
    import psycopg

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            print(f"Dropping database {name}")
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            print(f"Creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(*args: str, env: dict[str, str], capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def shell(code: str, env: dict[str, str]) -> list[str]:
    """Run Python in ``manage.py shell``; return the words of the line it printed after "RESULT"."""
    output = manage("shell", "-c", code, env=env, capture=True)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return line.split()[1:]


def count_rows(env: dict[str, str]) -> dict[str, int]:
    code = (
        "from companies.models import Company, Visit, CompetenceNeed;"
        "print('RESULT', Company.objects.count(), Visit.objects.count(), CompetenceNeed.objects.count())"
    )
    firms, visits, needs = shell(code, env)
    return {"firms": int(firms), "visits": int(visits), "needs": int(needs)}


def server_env(database_url: str, static_root: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "FIELD_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BENCH_FLOOR": "1",
            "BENCH_STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def start_gunicorn(env: dict[str, str], *, port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            GUNICORN,
            "kompetence.wsgi:application",
            "--chdir",
            str(ROOT),
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, so stopping it stops exactly its workers
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            status, _body, _headers = get(port, "/healthz", "")
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# ---------------------------------------------------------------------------
# HTTP client
# ---------------------------------------------------------------------------
def get(port: int, path: str, cookie: str) -> tuple[int, str, dict[str, str]]:
    """One GET on a fresh connection (gunicorn's sync workers close every connection anyway)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Language": "da"} if cookie else {})
        response = conn.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        return response.status, body, dict(response.getheaders())
    finally:
        conn.close()


def login(port: int, email: str) -> str:
    """Log in through the allauth form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        raise SystemExit("No CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": DEMO_PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"})
    response = opener.open(request)
    if "/accounts/login" in response.geturl():
        raise SystemExit(f"Login as {email} failed (did seed_demo run?)")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def next_link(body: str) -> str | None:
    match = re.search(r'rel="next" href="([^"]+)"', body)
    return html.unescape(match.group(1)) if match else None


def follow_next(port: int, path: str, cookie: str, pages: int) -> tuple[str, int]:
    """Follow the "Næste" link up to ``pages`` times; return the URL reached and its page number."""
    current, number = path, 1
    base_path = path.split("?")[0]
    for _ in range(pages - 1):
        status, body, _headers = get(port, current, cookie)
        if status != 200:
            raise SystemExit(f"{current} answered {status}")
        link = next_link(body)
        if not link:
            break
        current, number = base_path + link, number + 1
    return current, number


@dataclass
class Result:
    label: str
    who: str
    path: str
    requests: int
    errors: int
    seconds: float
    median: float
    p95: float
    client: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


# wrk prints this from its Lua `done` hook: requests, non-2xx/3xx responses, seconds, p50 and p95 in ms.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests, errors,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def measure(port: int, label: str, who: str, path: str, cookie: str, *, seconds: float, threads: int) -> Result:
    status, _body, _headers = get(port, path, cookie)
    if status != 200:
        raise SystemExit(f"{label}: {path} answered {status}")
    for _ in range(10):  # warm up both workers (templates, connections)
        get(port, path, cookie)
    result = (
        _measure_wrk(port, label, who, path, cookie, seconds=seconds, connections=threads)
        if WRK
        else _measure_python(port, label, who, path, cookie, seconds=seconds, threads=threads)
    )
    print(f"  {label:<45} {result.median:7.1f} ms median {result.p95:7.1f} ms p95 {result.rps:7.1f} req/s")
    return result


def _measure_wrk(
    port: int, label: str, who: str, path: str, cookie: str, *, seconds: float, connections: int
) -> Result:
    """Load from wrk (C, one thread per core), so the client takes little CPU from the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        output = subprocess.run(
            [
                WRK,
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                script.name,
                "-H",
                f"Cookie: {cookie}",
                "-H",
                "Accept-Language: da",
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    if not match:
        raise SystemExit(f"wrk gave no result for {path}:\n{output}")
    requests, errors, elapsed, median, p95 = match.groups()
    return Result(label, who, path, int(requests), int(errors), float(elapsed), float(median), float(p95), "wrk")


def _measure_python(port: int, label: str, who: str, path: str, cookie: str, *, seconds: float, threads: int) -> Result:
    """Fallback without wrk: Python threads, each GET on a fresh connection (costs the server CPU)."""

    def worker(deadline: float) -> tuple[list[float], int]:
        latencies, errors = [], 0
        while time.monotonic() < deadline:
            start = time.perf_counter()
            code, _b, _h = get(port, path, cookie)
            latencies.append((time.perf_counter() - start) * 1000)
            errors += code != 200
        return latencies, errors

    start = time.monotonic()
    deadline = start + seconds
    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(worker, [deadline] * threads))
    elapsed = time.monotonic() - start
    latencies = [ms for lat, _e in outcomes for ms in lat]
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) >= 20 else max(latencies)
    errors = sum(e for _l, e in outcomes)
    return Result(label, who, path, len(latencies), errors, elapsed, statistics.median(latencies), p95, "python")


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
def machine_info(env: dict[str, str]) -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{mem_kb / 1024 / 1024:.0f} GB"
    except (OSError, AttributeError):
        memory = "?"
    versions = shell(
        "import django;from django.db import connection;c=connection.cursor();c.execute('SHOW server_version');"
        "print('RESULT', django.get_version(), c.fetchone()[0])",
        env,
    )
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": versions[0],
        "postgresql": versions[1],
    }


def check(ok: bool) -> str:
    return "ja" if ok else "**nej**"


def write_report(
    path: Path,
    results: list[Result],
    *,
    floor: Result,
    admin: Result,
    firm_list: Result,
    info: dict[str, str],
    rows: dict[str, int],
    args: argparse.Namespace,
    notes: list[str],
) -> None:
    lines = [
        "# Benchmark of the firm pages",
        "",
        f"Run {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} with `bench/run.py --seconds {args.seconds:g} "
        f"--threads {args.threads}` against gunicorn ({args.workers} sync workers, `DJANGO_DEBUG=0`) on "
        f"PostgreSQL {info['postgresql']}, with `seed_demo --scale {args.scale}`: "
        f"{rows['firms']:,} firms, {rows['visits']:,} visits, {rows['needs']:,} competence needs.",
        "",
        f"Machine: {info['cpu']}, {info['cores']} cores, {info['memory']} RAM; {info['os']}; Python "
        f"{info['python']}, Django {info['django']}. The client "
        + (
            f"is wrk ({args.threads} connections, 2 threads)"
            if WRK
            else f"is Python ({args.threads} threads, a new connection per request; install wrk for less overhead)"
        )
        + ", on the same machine, so it takes some CPU from the server.",
        "",
        "Cost is measured as throughput: *× gulv* is the floor view's requests per second divided by the "
        "page's (2.0 = the page does twice the floor's work per request); *× admin* likewise against the "
        "Django admin changelist of the same firms. Latencies are under load, with "
        f"{args.threads} concurrent clients on {args.workers} workers (so they include queueing).",
        "",
        "| Side | Bruger | Median (ms) | p95 (ms) | Forespørgsler/s | × gulv | × admin | ≤ 2× gulv | ≤ admin |",
        "|---|---|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for r in results:
        cost_floor = floor.rps / r.rps
        cost_admin = admin.rps / r.rps
        is_reference = r is floor or r is admin or r.path == "/bench/tom/"
        lines.append(
            f"| {r.label} | {r.who} | {r.median:.1f} | {r.p95:.1f} | {r.rps:.0f} | {cost_floor:.2f} | "
            f"{cost_admin:.2f} | {'–' if is_reference else check(cost_floor <= 2)} | "
            f"{'–' if is_reference else check(cost_admin <= 1)} |"
        )
        if r.errors:
            notes.append(f"{r.label}: {r.errors} of {r.requests} requests did not answer 200.")
    pages = [r for r in results if r is not floor and r is not admin and r.path != "/bench/tom/"]
    lines += [
        "",
        "## Aims (issue 3)",
        "",
        f"- Each page at most 2× the floor view: {check(all(floor.rps / r.rps <= 2 for r in pages))} "
        f"({sum(floor.rps / r.rps <= 2 for r in pages)} of {len(pages)} pages).",
        f"- No page slower than the admin changelist: {check(all(admin.rps / r.rps <= 1 for r in pages))} "
        f"({sum(admin.rps / r.rps <= 1 for r in pages)} of {len(pages)} pages).",
        f"- At least 150 requests/s for the firm list with {args.workers} workers on {info['cores']} cores: "
        f"{check(firm_list.rps >= 150)} ({firm_list.rps:.0f} req/s).",
    ]
    empty = next((r for r in results if r.path == "/bench/tom/"), None)
    if empty is not None:
        lines.append(
            f"- For scale: the empty portal page (only `base.html`: header, navigation, footer) already costs "
            f"{floor.rps / empty.rps:.2f}× the floor, so a page with a table, a filter form and a count has "
            f"{max(0.0, 2 - floor.rps / empty.rps):.2f}× of the floor left within the 2× aim."
        )
    paged = [r for r in results if r.label.startswith("Virksomheder, side ")]
    for who in dict.fromkeys(r.who for r in paged):
        first, *deep = [r for r in paged if r.who == who]
        for page in deep:
            lines.append(
                f"- Deep page does not slow down ({who}): {page.label.split(', ')[1]} gives {page.rps:.0f} req/s "
                f"against {first.rps:.0f} on side 1 ({page.rps / first.rps:.2f}×): "
                f"{check(page.rps >= 0.85 * first.rps)}."
            )
    if notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    lines += ["", "Paths measured:", ""]
    lines += [f"- {r.label}: `{r.path[:160]}`" for r in results]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWrote {path}")


# ---------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10, help="measuring time per page")
    parser.add_argument("--threads", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--deep", type=int, default=50, help="page number of the deep page (following Næste)")
    parser.add_argument("--reseed", action="store_true", help="drop and recreate the benchmark database")
    parser.add_argument(
        "--wait-idle", type=float, default=0, help="wait up to N seconds for the load average to fall below 0.8"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://...).")
    ensure_database(database_url, fresh=args.reseed)
    dev_env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "kompetence.settings"}
    dev_env.pop("REDIS_URL", None)
    manage("migrate", "--no-input", "-v", "0", env=dev_env)
    notes: list[str] = []
    rows = count_rows(dev_env)
    if rows["firms"] < 300 * args.scale:
        print(f"Seeding demo data (--scale {args.scale}); this takes a few minutes")
        started = time.monotonic()
        manage("seed_demo", "--scale", str(args.scale), env=dev_env)
        notes.append(f"`seed_demo --scale {args.scale}` took {time.monotonic() - started:.0f} s.")
        rows = count_rows(dev_env)
    # As autovacuum would have done on a live database: fresh statistics, and a visibility map so
    # that counts can use index-only scans.
    manage("shell", "-c", "from django.db import connection;connection.cursor().execute('VACUUM ANALYZE')", env=dev_env)

    with tempfile.TemporaryDirectory(prefix="kompetence-bench-static-") as static_root:
        env = server_env(database_url, static_root)
        manage("collectstatic", "--no-input", "-v", "0", env=env)
        info = machine_info(env)
        server = start_gunicorn(env, port=args.port, workers=args.workers)
        try:
            wait_for_quiet(args.wait_idle)
            load_before = os.getloadavg()
            results = run_pages(args, notes)
            load_after = os.getloadavg()
        finally:
            stop(server)
    notes.append(
        f"Load average (1 min) of the machine: {load_before[0]:.2f} before and {load_after[0]:.2f} after the "
        "measurements (the benchmark's own client and server count too)."
    )
    floor, admin, firm_list = results[0], results[1], results[2]
    write_report(
        args.out,
        results,
        floor=floor,
        admin=admin,
        firm_list=firm_list,
        info=info,
        rows=rows,
        args=args,
        notes=notes,
    )
    return 0


def wait_for_quiet(limit_seconds: float) -> None:
    """Wait (up to ``limit_seconds``) until other work on the machine has calmed down."""
    deadline = time.monotonic() + limit_seconds
    while os.getloadavg()[0] > 0.8 and time.monotonic() < deadline:
        print(f"  waiting for a quiet machine (load {os.getloadavg()[0]:.2f})")
        time.sleep(15)


def run_pages(args: argparse.Namespace, notes: list[str]) -> list[Result]:
    port = args.port
    cookies = {who: login(port, who) for who in (CONSULTANT, MANAGEMENT, ADMIN)}
    consultant, management = cookies[CONSULTANT], cookies[MANAGEMENT]

    def run(label: str, who: str, path: str) -> Result:
        return measure(port, label, who, path, cookies[who], seconds=args.seconds, threads=args.threads)

    print("Measuring")
    results = [
        run("Gulv (1 indekseret forespørgsel, 50 rækker)", CONSULTANT, "/bench/floor/"),
        run("Admin: virksomhedsliste", ADMIN, "/admin/companies/company/"),
        run("Virksomheder, side 1", CONSULTANT, "/virksomheder/"),
        run("Tom portalside (kun base.html)", CONSULTANT, "/bench/tom/"),
    ]
    deep_path, deep_number = follow_next(port, "/virksomheder/", consultant, args.deep)
    results.append(run(f"Virksomheder, side {deep_number}", CONSULTANT, deep_path))
    results.append(run("Virksomheder, side 1", MANAGEMENT, "/virksomheder/"))
    deep_path, deep_number = follow_next(port, "/virksomheder/", management, args.deep)
    results.append(run(f"Virksomheder, side {deep_number}", MANAGEMENT, deep_path))
    results.append(
        run("Virksomheder, seneste besøg nyeste først", MANAGEMENT, "/virksomheder/?sortering=-seneste_besoeg")
    )
    results.append(run("Virksomheder, søgning »smed«", CONSULTANT, "/virksomheder/?q=smed"))
    results.append(run("Virksomheder, åbne behov + SMV", MANAGEMENT, "/virksomheder/?aabne_behov=true&smv=ja"))
    results.append(run("Mine virksomheder", CONSULTANT, "/virksomheder/mine/"))

    _status, body, _headers = get(port, "/virksomheder/", consultant)
    firm = re.search(r'href="(/virksomheder/\d+/)"', body)
    status = get(port, firm.group(1), consultant)[0] if firm else 404
    if firm and status == 200:
        results.append(run("Virksomhedsside (tidslinje)", CONSULTANT, firm.group(1)))
    else:
        notes.append("The firm page (companies:detail) did not answer 200, so it was not measured.")
    return results


if __name__ == "__main__":
    sys.exit(main())
