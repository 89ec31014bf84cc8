"""Encryption keys: rotation re-encrypts every CPR number under the newest key, in batches, resumably;
the keyed hash has its own key and survives rotation."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from activities import crypto
from activities.models import Participant
from activities.services.keys import rotate_participant_keys
from tests.activities.factories import make_participant, synthetic_cpr

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()

pytestmark = pytest.mark.django_db


def tokens() -> list[str]:
    return list(Participant.objects.order_by("pk").values_list("cpr_token", flat=True))


def test_rotation_re_encrypts_every_number_under_the_newest_key(settings, partnership_a):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    people = [make_participant(partnership_a, n=n) for n in range(7)]
    hashes = list(Participant.objects.order_by("pk").values_list("cpr_hash", flat=True))

    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    out = io.StringIO()
    call_command("rotate_encryption_key", "--batch-size", "3", stdout=out)

    assert "7 CPR-numre gennemgået" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key removed: everything still decrypts
    assert [crypto.decrypt(t) for t in tokens()] == [synthetic_cpr(n) for n in range(7)]
    # The hash key is not rotated: duplicates are still found.
    assert list(Participant.objects.order_by("pk").values_list("cpr_hash", flat=True)) == hashes
    assert synthetic_cpr(3) not in out.getvalue()
    assert len(people) == 7


def test_an_interrupted_rotation_continues_where_it_stopped(settings, partnership_a):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    for n in range(5):
        make_participant(partnership_a, n=n)
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]

    run = rotate_participant_keys(batch_size=2)
    first = next(run)  # the first batch committed, then the process "dies"
    run.close()
    assert first.rotated == 2
    done = tokens()[:2]

    second = list(rotate_participant_keys(batch_size=2))[-1]

    assert second.examined == 5 and second.rotated == 3  # the first two are skipped
    assert tokens()[:2] == done
    assert all(crypto.is_under_newest_key(t) for t in tokens())


def test_rotation_stops_with_a_clear_message_when_a_key_was_removed_too_early(settings, partnership_a):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    make_participant(partnership_a, n=1)
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(CommandError, match="fjernet for tidligt"):
        call_command("rotate_encryption_key", stdout=io.StringIO())


def test_rehash_recomputes_the_hashes_under_a_new_hash_key(settings, partnership_a):
    participant = make_participant(partnership_a, n=4)
    settings.FIELD_HASH_KEY = "a-completely-different-hash-key-of-enough-length"

    call_command("rotate_encryption_key", "--rehash", stdout=io.StringIO())

    participant.refresh_from_db()
    assert participant.cpr_hash == crypto.keyed_hash(synthetic_cpr(4))
