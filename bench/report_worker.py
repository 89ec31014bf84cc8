"""Time and peak memory of the quarterly progress report for all partnerships, in a real worker.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/report_worker.py --period 2018-K3

Starts a Celery worker on the ``pdf`` queue (solo pool, as the PDF worker runs), asks for the report
through ``manage.py progress_report`` (the outbox, the broker, the task), and reads the render time
the report row records and the worker's peak resident memory (``VmHWM`` in /proc) before and after:
the idle worker is the floor. Prints one Markdown table row for ``bench/results.md``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELERY = Path(sys.executable).with_name("celery")


def peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of the process (the render's own work, whatever else runs)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2018-K3")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("REDIS_URL must be set: the report goes through a real worker.")
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / "bench-report-worker.log", "w")  # noqa: SIM115
    worker = subprocess.Popen(
        [str(CELERY), "-A", "kompetence", "worker", "--pool", "solo", "-Q", "pdf", "--without-gossip",
         "--without-mingle", "--hostname", f"bench-{uuid.uuid4().hex[:6]}@%h", "--loglevel", "WARNING"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        time.sleep(8)
        idle = peak_mb(worker.pid)
        cpu_before = cpu_seconds(worker.pid)
        out = Path(os.environ.get("TMPDIR", "/tmp")) / "bench-fremdrift.pdf"
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "progress_report", "--period", args.period, "--out", str(out)],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        wall = time.monotonic() - started
        peak = peak_mb(worker.pid)
        cpu = cpu_seconds(worker.pid) - cpu_before
        load = os.getloadavg()[0]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetence.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from partnerships.models import Partnership
    from reporting.models import Report

    report = Report.objects.filter(status="done").order_by("-finished_at").first()
    pages = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    page_count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    print(
        f"| {report.period_label} | {Partnership.objects.count()} | {page_count} | {report.render_seconds:.1f} | "
        f"{cpu:.1f} | {wall:.1f} | {load:.1f} | {idle:.0f} | {peak:.0f} | {peak - idle:.0f} | "
        f"{'ja' if report.render_seconds <= 15 else '**nej**'} / {'ja' if cpu <= 15 else '**nej**'} | "
        f"{'ja' if peak <= 300 else '**nej**'} |"
    )


if __name__ == "__main__":
    main()
