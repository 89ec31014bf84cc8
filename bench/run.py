"""Benchmark the portal's pages against the bare floor, served by gunicorn on PostgreSQL.

    .venv/bin/python bench/run.py                     # seed (first time), serve, measure, write bench/results.md
    .venv/bin/python bench/run.py --seconds 8         # longer runs per page and round
    .venv/bin/python bench/run.py --only Tom,Gulv     # only pages whose label contains one of these words
    .venv/bin/python bench/run.py --save before       # also keep this run as bench/runs/before.json
    .venv/bin/python bench/run.py --reseed            # drop the benchmark database and seed it again

What it does, in order (see bench/README.md):

1. creates the PostgreSQL database (``kompetence_bench`` unless ``DATABASE_URL`` says otherwise),
   migrates it and runs ``manage.py seed_demo --scale 50`` (about 20,000 firms) unless it is seeded;
2. serves the portal with gunicorn (2 sync workers) in production mode (``DJANGO_DEBUG=0``, dummy
   secrets, no TLS), with ``bench.settings``, which adds the old floor view and the empty page
   (``bench/floor.py``); and, with the same gunicorn options on a second port, the bare floor
   (``bench/bare/``: no middleware, no session, no login);
3. logs in as the demo consultant, secretariat, project management and the administrator (the
   allauth form, with its CSRF token, through ``urllib`` and ``http.cookiejar``);
4. measures each page for a fixed time, in several rounds (pages interleaved, so a burst of other
   work on the machine hits one round of every page rather than all rounds of one page): the
   median over the rounds of the requests per second and of the latencies, and the cost relative
   to the bare floor, the old floor view and the admin changelist;
5. writes ``bench/results.md`` (with a before/after table when ``bench/runs/before.json`` exists).

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
import json
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
CONSULTANT, SECRETARIAT, MANAGEMENT, ADMIN = (
    "konsulent@demo.dk",
    "sekretariat@demo.dk",
    "ledelse@demo.dk",
    "admin@demo.dk",
)
BARE_LABEL = "Bart gulv (ingen middleware: COUNT + 50 rækker med 3 joins)"
EMPTY_PATH = "/bench/tom/"
RUNS_DIR = ROOT / "bench" / "runs"


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
            "FIELD_HASH_KEY": secrets.token_urlsafe(48),
            "BENCH_FLOOR": "1",
            "BENCH_STATIC_ROOT": static_root,
            "LOG_LEVEL": "WARNING",
            # The demo users have no authenticator app: with two-factor login required (production
            # mode) the consultant would only ever see the set-up page. See README, Caveats.
            "DJANGO_MFA_REQUIRED": "0",
        }
    )
    env.pop("REDIS_URL", None)
    return env


def start_gunicorn(
    env: dict[str, str], *, port: int, workers: int, app: str = "kompetence.wsgi:application"
) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            GUNICORN,
            app,
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
class Sample:
    """One timed load of one page (one wrk run, or one run of the Python client)."""

    requests: int
    errors: int
    seconds: float
    median: float
    p95: float
    cpu_app: float = 0.0  # CPU seconds of the server's worker processes during the load
    cpu_db: float = 0.0  # CPU seconds of their PostgreSQL backends

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return (self.cpu_app + self.cpu_db) * 1000 / max(1, self.requests)


@dataclass
class Page:
    """A measured page: what was asked for, and one sample per round."""

    label: str
    who: str
    path: str
    port: int
    cookie: str = ""
    samples: list[Sample] | None = None
    limit: float = 2.0  # the aim: at most this many times the bare floor

    @property
    def key(self) -> str:
        return f"{self.label} | {self.who}"

    @property
    def rps(self) -> float:
        return statistics.median(s.rps for s in self.samples)

    @property
    def median(self) -> float:
        return statistics.median(s.median for s in self.samples)

    @property
    def p95(self) -> float:
        return statistics.median(s.p95 for s in self.samples)

    @property
    def errors(self) -> int:
        return sum(s.errors for s in self.samples)

    @property
    def requests(self) -> int:
        return sum(s.requests for s in self.samples)

    @property
    def cpu_ms(self) -> float:
        """Server CPU per request (workers and their database backends), the median over the rounds."""
        return statistics.median(s.cpu_ms for s in self.samples)

    @property
    def cpu_db_ms(self) -> float:
        return statistics.median(s.cpu_db * 1000 / max(1, s.requests) for s in self.samples)

    @property
    def spread(self) -> float:
        """(highest - lowest) requests per second over the rounds, as a share of the median."""
        values = [s.rps for s in self.samples]
        return (max(values) - min(values)) / self.rps if len(values) > 1 else 0.0


# wrk prints this from its Lua `done` hook: requests, non-2xx/3xx responses, seconds, p50 and p95 in ms.
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %f %f %f\\n", summary.requests, errors,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def child_pids(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """What the server spends per request, whatever else runs on the machine.

    Requests per second fall when other work shares the two cores; the CPU time the gunicorn workers
    and their PostgreSQL backends spend per request hardly does. The backends are those connected to
    the benchmark database (the meter's own connection left out).
    """

    def __init__(self, database_url: str, masters: dict[int, int]) -> None:
        import psycopg

        self.masters = masters  # port -> gunicorn master pid
        self.database = urllib.parse.urlparse(database_url).path.lstrip("/")
        self.conn = psycopg.connect(database_url, autocommit=True)

    def snapshot(self, port: int) -> tuple[dict[int, float], dict[int, float]]:
        workers = {pid: process_cpu(pid) for pid in child_pids(self.masters[port])}
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.database]
        ).fetchall()
        return workers, {pid: process_cpu(pid) for (pid,) in rows}

    @staticmethod
    def used(before: dict[int, float], after: dict[int, float]) -> float:
        # A process that appeared during the load (a new connection) counts in full.
        return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())

    def close(self) -> None:
        self.conn.close()


def measure(page: Page, *, seconds: float, threads: int, warm_up: int, meter: CpuMeter | None = None) -> Sample:
    status, _body, _headers = get(page.port, page.path, page.cookie)
    if status != 200:
        raise SystemExit(f"{page.label}: {page.path} answered {status}")
    for _ in range(warm_up):  # warm up both workers (templates, connections)
        get(page.port, page.path, page.cookie)
    before = meter.snapshot(page.port) if meter else None
    sample = (
        _measure_wrk(page.port, page.path, page.cookie, seconds=seconds, connections=threads)
        if WRK
        else _measure_python(page.port, page.path, page.cookie, seconds=seconds, threads=threads)
    )
    if meter:
        after = meter.snapshot(page.port)
        sample.cpu_app, sample.cpu_db = meter.used(before[0], after[0]), meter.used(before[1], after[1])
    print(
        f"  {page.label[:50]:<50} {page.who:<20} {sample.median:7.1f} ms median {sample.p95:7.1f} ms p95 "
        f"{sample.rps:7.1f} req/s {sample.cpu_ms:6.2f} ms CPU"
    )
    return sample


def _measure_wrk(port: int, path: str, cookie: str, *, seconds: float, connections: int) -> Sample:
    """Load from wrk (C, one thread per core), so the client takes little CPU from the server."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    headers = ["-H", "Accept-Language: da"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    try:
        output = subprocess.run(
            [
                WRK,
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                script.name,
                *headers,
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
    return Sample(int(requests), int(errors), float(elapsed), float(median), float(p95))


def _measure_python(port: int, path: str, cookie: str, *, seconds: float, threads: int) -> Sample:
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
    return Sample(len(latencies), errors, elapsed, statistics.median(latencies), p95)


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


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def save_run(name: str, pages: list[Page], meta: dict[str, str]) -> Path:
    """Keep a run as bench/runs/NAME.json, so a later report can compare against it."""
    RUNS_DIR.mkdir(exist_ok=True)
    path = RUNS_DIR / f"{name}.json"
    data = {
        "meta": meta,
        "pages": [
            {
                "key": p.key,
                "label": p.label,
                "who": p.who,
                "path": p.path,
                "rps": round(p.rps, 1),
                "median_ms": round(p.median, 1),
                "p95_ms": round(p.p95, 1),
                "cpu_ms": round(p.cpu_ms, 2),
                "cpu_db_ms": round(p.cpu_db_ms, 2),
            }
            for p in pages
        ],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Saved {path}")
    return path


def is_reference(page: Page, refs: dict[str, Page]) -> bool:
    return page in (refs["bare"], refs["floor"], refs["admin"])


def aim(page: Page, refs: dict[str, Page]) -> str:
    if is_reference(page, refs):
        return "–"
    limit = 1.3 if page.path == EMPTY_PATH else page.limit
    return f"≤ {limit:g}×: {check(refs['bare'].rps / page.rps <= limit)}"


KEPT_MARKER = "<!-- Everything below this line is kept by bench/run.py when it rewrites the file. -->"


def kept_sections(path: Path) -> list[str]:
    """The hand-written sections of the results file (other benchmarks' tables), from the marker on."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    at = text.find(KEPT_MARKER)
    if at < 0:
        return []
    return ["", *text[at:].rstrip("\n").split("\n")]


def write_report(
    path: Path,
    pages: list[Page],
    *,
    refs: dict[str, Page],
    info: dict[str, str],
    rows: dict[str, int],
    args: argparse.Namespace,
    notes: list[str],
    meta: dict[str, str],
) -> None:
    bare, floor, admin = refs["bare"], refs["floor"], refs["admin"]
    lines = [
        "# Benchmark of the portal's pages against the bare floor",
        "",
        f"Run {meta['date']} at commit `{meta['commit']}` with `bench/run.py --seconds {args.seconds:g} "
        f"--rounds {args.rounds} --threads {args.threads}` against gunicorn ({args.workers} sync workers, "
        f"`DJANGO_DEBUG=0`) on PostgreSQL {info['postgresql']}, with `seed_demo --scale {args.scale}`: "
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
        "Cost is measured as throughput: *× bart gulv* is the bare floor's requests per second divided by the "
        "page's (2.0 = the page does twice the bare floor's work per request). The **bare floor** "
        "(`bench/bare/`) is Django with no middleware, no session and no login, running the consultant's firm "
        "list COUNT and its 50-row page joined with municipality, partnership and lead consultant, rendered by "
        "the template engine. *× gulv* compares with the old floor view (one indexed query, 50 rows, behind "
        "the portal's middleware, `bench/floor.py`), *× admin* with the Django admin changelist of the firms. "
        f"Each page was measured {args.rounds} times for {args.seconds:g} s, the pages interleaved; the table "
        "gives the medians over the rounds, and *±* the spread of the rounds' requests per second "
        "(highest minus lowest, as a share of the median). Latencies are under load, with "
        f"{args.threads} concurrent clients on {args.workers} workers (so they include queueing).",
        "",
        "*CPU ms* is what the server spent per request: the CPU time of the gunicorn workers and of their "
        "PostgreSQL backends (in brackets) during the load, divided by the requests answered. Other work on the "
        "machine lowers every page's requests per second but hardly changes this, so *× bart gulv (CPU)* is "
        "the steadier ratio on a busy machine; the aims are judged on throughput, as issue 6 states them.",
        "",
        "| Side | Bruger | Median (ms) | p95 (ms) | Forespørgsler/s | ± | × bart gulv | CPU ms (db) "
        "| × bart gulv (CPU) | × gulv | × admin | Mål (× bart gulv) | ≤ admin |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for p in pages:
        lines.append(
            f"| {p.label} | {p.who} | {p.median:.1f} | {p.p95:.1f} | {p.rps:.0f} | {p.spread:.0%} | "
            f"{bare.rps / p.rps:.2f} | {p.cpu_ms:.1f} ({p.cpu_db_ms:.1f}) | {p.cpu_ms / bare.cpu_ms:.2f} | "
            f"{floor.rps / p.rps:.2f} | {admin.rps / p.rps:.2f} | {aim(p, refs)} | "
            f"{'–' if is_reference(p, refs) else check(admin.rps / p.rps <= 1)} |"
        )
        if p.errors:
            notes.append(f"{p.label} ({p.who}): {p.errors} of {p.requests} requests did not answer 200.")

    measured = [p for p in pages if not is_reference(p, refs) and p.path != EMPTY_PATH]
    empty = next((p for p in pages if p.path == EMPTY_PATH), None)
    firm_list = next((p for p in pages if p.label == "Virksomheder, side 1" and p.who == CONSULTANT), None)
    lines += ["", "## Aims (issue 6)", ""]
    if empty is not None:
        lines.append(
            f"- The empty portal page (only `base.html`) at most 1.3× the bare floor: "
            f"{check(bare.rps / empty.rps <= 1.3)} ({bare.rps / empty.rps:.2f}×)."
        )
    if measured:
        lines += [
            f"- Every page at most 2× the bare floor: {check(all(bare.rps / p.rps <= 2 for p in measured))} "
            f"({sum(bare.rps / p.rps <= 2 for p in measured)} of {len(measured)} pages).",
            f"- No page slower than the admin changelist: {check(all(admin.rps / p.rps <= 1 for p in measured))} "
            f"({sum(admin.rps / p.rps <= 1 for p in measured)} of {len(measured)} pages).",
        ]
    if firm_list is not None:
        lines.append(
            f"- At least 150 requests/s for the firm list with {args.workers} workers on {info['cores']} cores: "
            f"{check(firm_list.rps >= 150)} ({firm_list.rps:.0f} req/s)."
        )
    paged = [p for p in pages if p.label.startswith("Virksomheder, side ")]
    for who in dict.fromkeys(p.who for p in paged):
        first, *deep = [p for p in paged if p.who == who]
        for page in deep:
            lines.append(
                f"- Deep page does not slow down ({who}): {page.label.split(', ')[1]} gives {page.rps:.0f} req/s "
                f"against {first.rps:.0f} on side 1 ({page.rps / first.rps:.2f}×): "
                f"{check(page.rps >= 0.85 * first.rps)}."
            )
    lines += compare_with_saved(pages, bare, args)
    if notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in notes]]
    lines += ["", "Paths measured:", ""]
    lines += [f"- {p.label} ({p.who}): `{p.path[:160]}`" for p in pages]
    lines += kept_sections(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nWrote {path}")


def compare_with_saved(pages: list[Page], bare: Page, args: argparse.Namespace) -> list[str]:
    """A before/after table against bench/runs/<--compare>.json, when it exists."""
    saved_path = RUNS_DIR / f"{args.compare}.json"
    if args.save == args.compare or not saved_path.exists():
        return []
    saved = json.loads(saved_path.read_text(encoding="utf-8"))
    before = {p["key"]: p for p in saved["pages"]}
    bare_before = before.get(bare.key)
    if bare_before is None:
        return []
    meta = saved["meta"]
    lines = [
        "",
        f"## Before and now (before: `bench/runs/{args.compare}.json`, run {meta['date']} at commit "
        f"`{meta['commit']}`)",
        "",
        "Each column's ratio is to the bare floor measured in the same run, so the ratios compare across runs "
        "even when the machine was busier in one of them.",
        "",
        "| Side | Bruger | Før: req/s | Før: × bart gulv | Nu: req/s | Nu: × bart gulv | Ændring "
        "| Før: × bart gulv (CPU) | Nu: × bart gulv (CPU) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in pages:
        old = before.get(p.key)
        if old is None:
            continue
        old_ratio, new_ratio = bare_before["rps"] / old["rps"], bare.rps / p.rps
        old_cpu = f"{old['cpu_ms'] / bare_before['cpu_ms']:.2f}" if old.get("cpu_ms") else "–"
        lines.append(
            f"| {p.label} | {p.who} | {old['rps']:.0f} | {old_ratio:.2f} | {p.rps:.0f} | {new_ratio:.2f} | "
            f"{new_ratio / old_ratio - 1:+.0%} | {old_cpu} | {p.cpu_ms / bare.cpu_ms:.2f} |"
        )
    return lines


# ---------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=5, help="measuring time per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over all pages (medians are reported)")
    parser.add_argument("--threads", type=int, default=4, help="client connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--port", type=int, default=8199, help="port of the portal")
    parser.add_argument("--bare-port", type=int, default=8341, help="port of the bare floor")
    parser.add_argument("--deep", type=int, default=50, help="page number of the deep page (following Næste)")
    parser.add_argument("--only", default="", help="comma-separated words: measure only pages whose label has one")
    parser.add_argument("--save", default="", help="also keep this run as bench/runs/NAME.json")
    parser.add_argument("--compare", default="before", help="compare with bench/runs/NAME.json when it exists")
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
    args.dev_env = dev_env
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
            bare_server = start_gunicorn(
                env, port=args.bare_port, workers=args.workers, app="bench.bare.wsgi:application"
            )
            try:
                wait_for_quiet(args.wait_idle)
                load_before = os.getloadavg()
                meter = CpuMeter(database_url, {args.port: server.pid, args.bare_port: bare_server.pid})
                try:
                    pages, refs = run_pages(args, meter)
                finally:
                    meter.close()
                load_after = os.getloadavg()
            finally:
                stop(bare_server)
        finally:
            stop(server)
    notes.append(
        f"Load average (1 min) of the machine: {load_before[0]:.2f} before and {load_after[0]:.2f} after the "
        "measurements (the benchmark's own client and server count too)."
    )
    meta = {"date": f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}", "commit": git_commit()}
    if args.save:
        save_run(args.save, pages, meta)
    write_report(args.out, pages, refs=refs, info=info, rows=rows, args=args, notes=notes, meta=meta)
    return 0


def wait_for_quiet(limit_seconds: float) -> None:
    """Wait (up to ``limit_seconds``) until other work on the machine has calmed down."""
    deadline = time.monotonic() + limit_seconds
    while os.getloadavg()[0] > 0.8 and time.monotonic() < deadline:
        print(f"  waiting for a quiet machine (load {os.getloadavg()[0]:.2f})")
        time.sleep(15)


def plan_pages(args: argparse.Namespace) -> tuple[list[Page], dict[str, Page]]:
    """Log in, find the deep pages and a firm page, and list what to measure (references first)."""
    port = args.port
    cookies = {who: login(port, who) for who in (CONSULTANT, SECRETARIAT, MANAGEMENT, ADMIN)}

    def page(label: str, who: str, path: str) -> Page:
        return Page(label, who, path, port, cookies[who])

    refs = {
        "bare": Page(BARE_LABEL, "(ingen)", "/", args.bare_port),
        "floor": page("Gulv (1 indekseret forespørgsel, 50 rækker, portalens middleware)", CONSULTANT, "/bench/floor/"),
        "admin": page("Admin: virksomhedsliste", ADMIN, "/admin/companies/company/"),
    }
    pages = [refs["bare"], refs["floor"], page("Tom portalside (kun base.html)", CONSULTANT, EMPTY_PATH), refs["admin"]]
    pages.append(page("Virksomheder, side 1", CONSULTANT, "/virksomheder/"))
    deep_path, deep_number = follow_next(port, "/virksomheder/", cookies[CONSULTANT], args.deep)
    pages.append(page(f"Virksomheder, side {deep_number}", CONSULTANT, deep_path))
    pages.append(page("Virksomheder, søgning »smed«", CONSULTANT, "/virksomheder/?q=smed"))
    pages.append(page("Virksomheder, side 1", MANAGEMENT, "/virksomheder/"))
    deep_path, deep_number = follow_next(port, "/virksomheder/", cookies[MANAGEMENT], args.deep)
    pages.append(page(f"Virksomheder, side {deep_number}", MANAGEMENT, deep_path))
    pages.append(
        page("Virksomheder, seneste besøg nyeste først", MANAGEMENT, "/virksomheder/?sortering=-seneste_besoeg")
    )
    pages.append(page("Virksomheder, åbne behov + SMV", MANAGEMENT, "/virksomheder/?aabne_behov=true&smv=ja"))
    pages.append(page("Mine virksomheder", CONSULTANT, "/virksomheder/mine/"))
    _status, body, _headers = get(port, "/virksomheder/", cookies[CONSULTANT])
    firm = re.search(r'href="(/virksomheder/\d+/)"', body)
    if firm and get(port, firm.group(1), cookies[CONSULTANT])[0] == 200:
        pages.append(page("Virksomhedsside (tidslinje)", CONSULTANT, firm.group(1)))
    # Activities and ESF participants (issue 10): within 2x the bare floor at --scale 50.
    pages.append(page("Aktiviteter, side 1", CONSULTANT, "/aktiviteter/"))
    pages.append(page("Aktiviteter, side 1", MANAGEMENT, "/aktiviteter/"))
    pages.append(page("Aktiviteter, akse 4 i gang", MANAGEMENT, "/aktiviteter/?akse=4&status=i_gang"))
    pages.append(page("Deltagere, side 1", CONSULTANT, "/aktiviteter/deltagere/"))
    pages.append(page("Deltagere, side 1", MANAGEMENT, "/aktiviteter/deltagere/"))
    for who in (CONSULTANT, SECRETARIAT, MANAGEMENT, ADMIN):
        pages.append(page("Overblik (forside)", who, "/"))
    # Reporting (issue 11): the management reporting dashboard within 2x the bare floor.
    pages.append(page("Rapportering, programmets indikatorer", MANAGEMENT, "/rapportering/"))
    # Én indgang and recruitment needs (issue 8): the public form within 3x the bare floor.
    pages.append(Page("Henvendelsesformular (offentlig)", "(anonym)", "/henvendelse/", port))
    pages.append(page("Nye henvendelser", SECRETARIAT, "/henvendelser/?status=alle"))
    pages.append(page("Rekrutteringsbehov", CONSULTANT, "/rekrutteringsbehov/"))
    pages.append(page("Rekrutteringsbehov", MANAGEMENT, "/rekrutteringsbehov/?state=all"))
    # Meetings (issue 9): the meeting list within 2x, the private calendar feed of a consultant in five
    # partnerships with two years of meetings (bench/feed_setup.py) within 3x the bare floor.
    pages.append(page("Møder, kommende", CONSULTANT, "/partnerskaber/moeder/"))
    pages.append(page("Møder, afholdte", MANAGEMENT, "/partnerskaber/moeder/?tid=afholdte"))
    (secret,) = shell("from bench.feed_setup import run; run()", args.dev_env)
    pages.append(
        Page(
            "Kalenderfeed (5 partnerskaber, 2 års møder)",
            "(token)",
            f"/partnerskaber/kalender/{secret}.ics",
            port,
            limit=3.0,
        )
    )
    if args.only:
        words = [w.strip().lower() for w in args.only.split(",") if w.strip()]
        pages = [p for p in pages if p in refs.values() or any(w in p.label.lower() for w in words)]
    return pages, refs


def run_pages(args: argparse.Namespace, meter: CpuMeter) -> tuple[list[Page], dict[str, Page]]:
    pages, refs = plan_pages(args)
    for p in pages:
        p.samples = []
    for number in range(1, args.rounds + 1):
        print(f"Measuring, round {number} of {args.rounds}")
        for p in pages:
            warm_up = 10 if number == 1 else 2
            p.samples.append(measure(p, seconds=args.seconds, threads=args.threads, warm_up=warm_up, meter=meter))
    return pages, refs


if __name__ == "__main__":
    sys.exit(main())
