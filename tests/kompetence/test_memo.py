"""kompetence.memo.Memo: a value is kept until ``changed()``, for at most ``seconds``, and read afresh
on every call while the cache cannot be reached."""

from __future__ import annotations

from unittest import mock

import pytest

from kompetence import memo as memo_module
from kompetence.memo import Memo

pytestmark = pytest.mark.django_db  # changed() also replaces the version after the commit


class Reads:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


@pytest.fixture
def memo():
    return Memo("test", seconds=60)


def test_a_value_is_read_once_and_kept(memo):
    reads = Reads()
    assert [memo.get("a", reads) for _ in range(3)] == [1, 1, 1]
    assert reads.count == 1


def test_keys_are_kept_apart(memo):
    assert memo.get("a", lambda: "A") == "A"
    assert memo.get("b", lambda: "B") == "B"
    assert memo.get("a", lambda: "other") == "A"


def test_a_change_makes_every_key_read_again(memo):
    reads = Reads()
    memo.get("a", reads)
    memo.changed()
    assert memo.get("a", reads) == 2


def test_a_change_seen_through_the_shared_cache_empties_another_process(memo):
    other_process = Memo("test", seconds=60)  # the same name: the same version in the cache
    reads = Reads()
    assert other_process.get("a", reads) == 1
    memo.changed()
    assert other_process.get("a", reads) == 2


def test_a_value_expires_after_its_seconds(memo):
    reads = Reads()
    with mock.patch.object(memo_module.time, "monotonic", return_value=1000.0):
        memo.get("a", reads)
    with mock.patch.object(memo_module.time, "monotonic", return_value=1059.0):
        assert memo.get("a", reads) == 1
    with mock.patch.object(memo_module.time, "monotonic", return_value=1061.0):
        assert memo.get("a", reads) == 2


def test_without_the_cache_every_call_reads_afresh(memo):
    reads = Reads()
    # The fail-soft Redis cache answers like an empty cache that keeps nothing while Redis is away.
    with (
        mock.patch.object(memo_module.cache, "get", return_value=None),
        mock.patch.object(memo_module.cache, "add", return_value=True),
    ):
        assert [memo.get("a", reads) for _ in range(3)] == [1, 2, 3]
