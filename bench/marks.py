"""Timing marks put between the portal's middleware by ``bench/profile_request.py`` (never in real settings).

``Mark0`` wraps the whole chain, ``Mark1`` everything below the first middleware, and so on; the
last mark wraps only the view (with its ``process_view`` hooks, template rendering and context
processors). A middleware's own cost is the difference of the marks on either side of it. Lazy
work shows where it is first forced: the session and the user are loaded by whatever first asks
for ``request.user`` (``LoginRequiredMiddleware.process_view``, run next to the view).
"""

from __future__ import annotations

import time
from collections import defaultdict

# Mark index -> total seconds spent inside it, over all requests since the last reset.
TOTALS: defaultdict[int, float] = defaultdict(float)
COUNT = 40  # more marks than the portal has middleware


def reset() -> None:
    TOTALS.clear()


def _make(index: int) -> type:
    class Mark:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            start = time.perf_counter()
            try:
                return self.get_response(request)
            finally:
                TOTALS[index] += time.perf_counter() - start

    Mark.__name__ = Mark.__qualname__ = f"Mark{index}"
    return Mark


for _i in range(COUNT):
    globals()[f"Mark{_i}"] = _make(_i)
