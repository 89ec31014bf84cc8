"""Benchmark of the ESF participant export against its floors, each in a fresh process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python bench/export_esf.py [--period P]

Four measurements over the same rows (the participants taking part in the period), each in its own
Python process so its peak memory is its own:

* ``csv-floor``: a plain batched ``csv.writer`` over ``values_list(...).iterator(chunk_size=2000)`` of
  the same fields, no formatting;
* ``csv``: the portal's export (``reporting.exports.esf_csv_lines`` over ``esf_rows``: typed columns,
  labels, masked CPR, formula neutralising), with the time to the first data row;
* ``xlsx-floor``: openpyxl write-only alone, the raw values appended;
* ``xlsx``: the portal's ``reporting.exports.write_esf_xlsx`` with the same columns.

Time is wall-clock and CPU (``process_time``: the ratio to read on a loaded machine); memory is the
peak resident set (VmHWM) above the process after Django setup and a first query (the idle process);
``gc`` counts the garbage collector's runs during the measurement (``gen2``: over every object of the
process, about 0.1 s here). The aims (issue 11): CSV within 2x the floor and at most 32 MB
above idle, first byte within 1 s; XLSX within 1.5x openpyxl alone and at most 64 MB above it.
Reads only: the database is not changed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def measure(kind: str, period_text: str) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetence.settings")
    import django

    django.setup()
    import csv

    from openpyxl import Workbook

    from activities.models import Participant
    from reporting.exports import ESF_FIELDS, esf_csv_lines, esf_participants, esf_rows, write_esf_xlsx
    from reporting.periods import Period

    period = Period.parse(period_text)
    participants = esf_participants(period, user=None)
    count = participants.count()
    Participant.objects.first()
    idle = _rss("VmRSS")
    out = Path(f"/tmp/bench_esf_{os.getpid()}.{'xlsx' if 'xlsx' in kind else 'csv'}")
    collections = [stats["collections"] for stats in gc.get_stats()]
    first = None
    cpu_start = time.process_time()
    start = time.perf_counter()
    if kind == "csv-floor":
        with out.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            for row in participants.values_list(*ESF_FIELDS).iterator(chunk_size=2000):
                writer.writerow(row)
    elif kind == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            for index, piece in enumerate(esf_csv_lines(esf_rows(participants))):
                handle.write(piece)
                if index == 1 and first is None:  # the BOM and header, then the first rows
                    first = time.perf_counter() - start
    elif kind == "xlsx-floor":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Data")
        for row in participants.values_list(*ESF_FIELDS).iterator(chunk_size=2000):
            sheet.append(
                [value.replace(tzinfo=None) if hasattr(value, "tzinfo") and value.tzinfo else value for value in row]
            )
        book.save(out)
    else:
        write_esf_xlsx(out, esf_rows(participants), sheet_title="ESF")
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    ran = [stats["collections"] - before for stats, before in zip(gc.get_stats(), collections, strict=True)]
    peak = _rss("VmHWM")
    size = out.stat().st_size
    out.unlink()
    return {
        "kind": kind,
        "rows": count,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "first_row_seconds": round(first, 3) if first is not None else None,
        "mb_above_idle": round((peak - idle) / 2**20, 1),
        "bytes": size,
        "gc": sum(ran),
        "gc_gen2": ran[2],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--period", default="2017-01-01..2026-12-31")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.period)))
        return
    results = {}
    for kind in ("csv-floor", "csv", "xlsx-floor", "xlsx"):
        done = subprocess.run(
            [sys.executable, __file__, "--one", kind, "--period", args.period],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        results[kind] = json.loads(done.stdout.strip().splitlines()[-1])
        print(results[kind], flush=True)
    csv_ratio = results["csv"]["seconds"] / max(results["csv-floor"]["seconds"], 0.001)
    xlsx_ratio = results["xlsx"]["seconds"] / max(results["xlsx-floor"]["seconds"], 0.001)
    csv_cpu = results["csv"]["cpu_seconds"] / max(results["csv-floor"]["cpu_seconds"], 0.001)
    xlsx_cpu = results["xlsx"]["cpu_seconds"] / max(results["xlsx-floor"]["cpu_seconds"], 0.001)
    print(
        json.dumps(
            {
                "csv_x_floor": round(csv_ratio, 2),
                "xlsx_x_openpyxl": round(xlsx_ratio, 2),
                "csv_x_floor_cpu": round(csv_cpu, 2),
                "xlsx_x_openpyxl_cpu": round(xlsx_cpu, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
