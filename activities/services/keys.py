"""Key rotation: re-encrypt every stored CPR number under the newest key, in batches, resumably.

Rotating is: put the new key first in ``FIELD_ENCRYPTION_KEY`` (``new,old``), restart, run
``manage.py rotate_encryption_key``, check it reports nothing left, then remove the old key. Each
batch is its own transaction, so an interrupted run keeps what it did, and a second run skips every
value already under the newest key (checked by decrypting with that key alone): it is resumable by
simply running it again.

``rehash=True`` also recomputes the keyed hashes from the decrypted numbers, for the rare day the
hash key itself had to change (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction

from activities import crypto
from activities.models import Participant


@dataclass
class RotationProgress:
    examined: int = 0
    rotated: int = 0
    rehashed: int = 0
    last_pk: int = 0


def rotate_participant_keys(
    *, batch_size: int = 500, rehash: bool = False, after_pk: int = 0
) -> Iterator[RotationProgress]:
    """Rotate batch by batch in primary-key order from ``after_pk``; yields the running totals after each."""
    progress = RotationProgress(last_pk=after_pk)
    while True:
        with transaction.atomic():
            batch = list(
                Participant.objects.select_for_update()
                .filter(pk__gt=progress.last_pk)
                .exclude(cpr_token="")
                .order_by("pk")
                .only("pk", "cpr_token", "cpr_hash")[:batch_size]
            )
            if not batch:
                return
            changed = []
            for participant in batch:
                progress.examined += 1
                dirty = False
                if not crypto.is_under_newest_key(participant.cpr_token):
                    participant.cpr_token = crypto.rotate(participant.cpr_token)
                    progress.rotated += 1
                    dirty = True
                if rehash:
                    digest = crypto.keyed_hash(crypto.decrypt(participant.cpr_token))
                    if digest != participant.cpr_hash:
                        participant.cpr_hash = digest
                        progress.rehashed += 1
                        dirty = True
                if dirty:
                    changed.append(participant)
            # bulk_update writes the tokens only: no history row (it holds no CPR anyway), no auto_now.
            Participant.objects.bulk_update(changed, ["cpr_token", "cpr_hash"], batch_size=batch_size)
            progress.last_pk = batch[-1].pk
        yield progress


def remaining_under_old_keys() -> int:
    """How many stored numbers are not under the newest key (reads them all; for the command's check)."""
    tokens = Participant.objects.exclude(cpr_token="").values_list("cpr_token", flat=True).iterator(chunk_size=2000)
    return sum(1 for token in tokens if not crypto.is_under_newest_key(token))
