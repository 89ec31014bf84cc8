"""Values read from small, slowly changing tables, kept in each process until one of them changes.

A list page's filter choices and reference names (municipalities, partnerships, DB07 sections, the
people who may lead a firm) come from tables that change a few times a year, yet reading them cost
the firm list seven queries and more CPU than its 50 rows (bench/notes/list.md). A :class:`Memo`
keeps such values in the process, under a **version** held in the shared cache:

- every save or delete of a row they come from calls :meth:`Memo.changed` (connected to the models'
  signals by the app that owns the memo), which replaces the version now and again after the commit,
  so no process serves values older than the last change it could see (the rule of the dashboard
  figures, docs/architecture.md);
- each entry also expires after ``seconds``, which bounds what a change the signals cannot see leaves
  behind (a raw SQL or ``QuerySet.update()`` change, or a change made while Redis was unreachable;
  and, with the per-process local-memory cache of a set-up without Redis, a change made in another
  process);
- when the cache cannot be reached (the fail-soft Redis cache answers like an empty one) the values
  are read from the database on every request, as without the memo.

Reading the version is one cache round trip per request (none with the local-memory cache). This
module imports no app.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

from kompetence.cache import new_version, shared_version

T = TypeVar("T")

# A memo holds one entry per key (e.g. per set of partnerships); past this many it starts afresh.
MAX_ENTRIES = 2000


class Memo:
    """Per-process values under a shared version. ``memo.get(key, compute)``; ``memo.changed()``."""

    def __init__(self, name: str, *, seconds: float) -> None:
        self.name = name
        self.seconds = seconds
        self._version_key = f"memo:{name}:version"
        self._lock = threading.Lock()
        self._version: str | None = None
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def _shared_version(self) -> str | None:
        return shared_version(self._version_key)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key``: kept, or computed by ``compute()`` and kept."""
        version = self._shared_version()
        if version is None:  # The cache is unreachable: nothing says whether a kept value is current.
            return compute()
        now = time.monotonic()
        with self._lock:
            if version != self._version:
                self._version, self._entries = version, {}
            kept = self._entries.get(key)
        if kept is not None and kept[0] > now:
            return kept[1]
        value = compute()
        with self._lock:
            # Kept only under the version it was read under: a change since then has emptied the memo.
            if self._version == version:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries = {}
                self._entries[key] = (now + self.seconds, value)
        return value

    def changed(self, **_signal_kwargs: Any) -> None:
        """A row the values come from was saved or deleted: every process reads them again.

        Now, and again after the commit: values another request reads in between (from the data
        before the commit) are left behind under the version in between."""
        cache.set(self._version_key, new_version(), None)
        transaction.on_commit(lambda: cache.set(self._version_key, new_version(), None))

    def clear(self) -> None:
        """Forget the values kept in this process (tests)."""
        with self._lock:
            self._version, self._entries = None, {}
