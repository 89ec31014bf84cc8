"""manage.py rotate_encryption_key: re-encrypt every CPR number under the newest FIELD_ENCRYPTION_KEY.

Batches of ``--batch-size`` rows, each in its own transaction; run it again after an interruption and
it continues (values already under the newest key are skipped; ``--after-id`` starts later still).
It prints counts only, never a number.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from activities import crypto
from activities.services.keys import remaining_under_old_keys, rotate_participant_keys


class Command(BaseCommand):
    help = "Krypterer alle CPR-numre igen med den nyeste nøgle i FIELD_ENCRYPTION_KEY (i portioner, kan genoptages)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="Rækker pr. transaktion (standard 500).")
        parser.add_argument("--after-id", type=int, default=0, help="Begynd efter deltageren med dette id.")
        parser.add_argument(
            "--rehash", action="store_true", help="Beregn også de nøglede hashes igen (efter skift af FIELD_HASH_KEY)."
        )

    def handle(self, *args, batch_size: int, after_id: int, rehash: bool, **options):
        if batch_size < 1:
            raise CommandError("--batch-size skal være mindst 1.")
        started = time.monotonic()
        progress = None
        try:
            for progress in rotate_participant_keys(batch_size=batch_size, rehash=rehash, after_pk=after_id):
                self.stdout.write(
                    f"  {progress.examined} gennemgået, {progress.rotated} krypteret igen"
                    + (f", {progress.rehashed} nye hashes" if rehash else "")
                    + f" (til og med id {progress.last_pk})"
                )
        except crypto.UndecryptableError:
            last = progress.last_pk if progress else after_id
            raise CommandError(
                "Et CPR-nummer kan ikke dekrypteres med nogen af nøglerne i FIELD_ENCRYPTION_KEY. Er en gammel "
                f"nøgle fjernet for tidligt? Intet efter id {last} er ændret i den portion."
            ) from None
        left = remaining_under_old_keys()
        seconds = time.monotonic() - started
        if left:
            raise CommandError(f"{left} CPR-numre er stadig krypteret med en ældre nøgle. Kør kommandoen igen.")
        done = progress.examined if progress else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Færdig: {done} CPR-numre gennemgået på {seconds:.1f} s; alle er under den nyeste nøgle."
            )
        )
