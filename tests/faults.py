"""Stand-ins for a Redis that is down or hangs, for fault tests. They stop nothing shared.

``unused_port()`` is a local port nothing listens on (connections are refused at once).
``HangingServer`` is a socket of the test's own that accepts connections and never answers, as a
Redis stuck in a long command or behind a dead network path looks to a client.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from kompetence import cache as fail_soft_cache
from tests.celery_helpers import celery_broker


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HangingServer:
    """Accepts every connection, reads what is sent, and never writes a byte back."""

    def __init__(self) -> None:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._connections: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="hanging-redis", daemon=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            connection.setblocking(False)
            self._connections.append(connection)  # kept open, never answered

    def start(self) -> HangingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for connection in self._connections:
            with contextlib.suppress(OSError):
                connection.close()
        self._listener.close()


@contextlib.contextmanager
def hanging_redis() -> Iterator[HangingServer]:
    server = HangingServer().start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def redis_failing(kind: str, settings) -> Iterator[str]:
    """Point the cache and the Celery broker at a Redis that is ``"unreachable"`` or ``"hanging"``.

    ``settings`` is pytest-django's fixture; the real settings come back afterwards. Used by the
    ``redis_fault`` fixture of tests/conftest.py (the walk's faults and the security tests).
    """

    def point_at(url: str):
        settings.CACHES = {
            "default": {
                "BACKEND": "kompetence.cache.FailSoftRedisCache",
                "LOCATION": url,
                "OPTIONS": {
                    "socket_connect_timeout": settings.REDIS_TIMEOUT_SECONDS,
                    "socket_timeout": settings.REDIS_TIMEOUT_SECONDS,
                },
            }
        }
        fail_soft_cache.reset_state()
        return celery_broker(settings, url)

    try:
        if kind == "unreachable":
            with point_at(f"redis://127.0.0.1:{unused_port()}/0"):
                yield kind
        elif kind == "hanging":
            with hanging_redis() as server, point_at(server.url):
                yield kind
        else:
            raise ValueError(kind)
    finally:
        fail_soft_cache.reset_state()
