"""Time the rotation of every participant's CPR number to a new key (issue 10: "key rotation of all
participants is timed").

Run it against a seeded database (``seed_demo --scale N``), with the portal's environment:

    DATABASE_URL=postgres://… .venv/bin/python bench/rotation.py [--batch-size 500]

It puts a freshly generated key in front of the configured ones (as an operator does, docs/operations.md),
runs the same generator ``manage.py rotate_encryption_key`` runs, checks nothing is left under the old
key and every sampled value still decrypts to what it was, then rotates back under the configured key so
the database stays readable. Prints the rows, the seconds and the rows per second of both passes, and
appends one line to ``bench/runs/rotation.jsonl``. It prints counts only, never a number.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetence.settings")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--batch-size", type=int, default=500)
    args = parser.parse_args()

    import django

    django.setup()
    from cryptography.fernet import Fernet
    from django.conf import settings
    from django.db import connection

    from activities import crypto
    from activities.models import Participant
    from activities.services.keys import remaining_under_old_keys, rotate_participant_keys

    configured = list(settings.FIELD_ENCRYPTION_KEYS)
    sample = dict(Participant.objects.exclude(cpr_token="").order_by("pk").values_list("pk", "cpr_token"))
    rows = len(sample)
    if not rows:
        print("No participants with a CPR number: run seed_demo first.")
        return 1
    checked = {pk: crypto.decrypt(token) for pk, token in list(sample.items())[:: max(1, rows // 100)]}

    def rotate(keys: list[str]) -> float:
        settings.FIELD_ENCRYPTION_KEYS = keys
        started = time.perf_counter()
        for _progress in rotate_participant_keys(batch_size=args.batch_size):
            pass
        seconds = time.perf_counter() - started
        assert remaining_under_old_keys() == 0, "values left under an old key"
        return seconds

    new_key = Fernet.generate_key().decode()
    forward = rotate([new_key, *configured])
    for pk, number in checked.items():
        assert crypto.decrypt(Participant.objects.get(pk=pk).cpr_token) == number
    back = rotate([*configured, new_key])
    settings.FIELD_ENCRYPTION_KEYS = configured
    for pk, number in checked.items():
        assert crypto.decrypt(Participant.objects.get(pk=pk).cpr_token) == number

    result = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "vendor": connection.vendor,
        "participants": rows,
        "batch_size": args.batch_size,
        "seconds": round(forward, 2),
        "rows_per_second": round(rows / forward),
        "seconds_back": round(back, 2),
    }
    print(
        f"{rows} participants rotated to a new key in {forward:.1f} s ({rows / forward:,.0f}/s), "
        f"and back in {back:.1f} s ({connection.vendor}, batches of {args.batch_size})"
    )
    with (ROOT / "bench" / "runs" / "rotation.jsonl").open("a") as out:
        out.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
