"""The figures of the standing security tests (issue 7, item 9), collected as they run and printed at
the end of the pytest run (``pytest_terminal_summary`` in ``tests/walk/conftest.py``); written as
Markdown to ``$SECURITY_REPORT`` when that is set (``make test-security`` writes
``bench/security/full.md``).

``FULL`` (``SECURITY_FULL=1``) selects the full cross product; without it the tests sample within
each form and string class, so every run still covers every URL pattern, every role, every form and
every class of hostile string.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

FULL = os.environ.get("SECURITY_FULL", "") not in ("", "0")

# section -> Counter of figure -> number
FIGURES: dict[str, Counter] = {}
# section -> list of notes (findings worth reading, not failures)
NOTES: dict[str, list[str]] = {}
STARTED = time.monotonic()
SECONDS: dict[str, float] = {}


def count(section: str, **figures: int) -> None:
    FIGURES.setdefault(section, Counter()).update(figures)


def note(section: str, text: str) -> None:
    NOTES.setdefault(section, []).append(text)


def timed(section: str, seconds: float) -> None:
    SECONDS[section] = SECONDS.get(section, 0.0) + seconds


def summary_lines() -> list[str]:
    if not FIGURES:
        return []
    lines = [f"Standing security tests ({'full cross product' if FULL else 'CI sample'})", ""]
    for section, figures in FIGURES.items():
        spent = f" ({SECONDS[section]:.0f} s)" if section in SECONDS else ""
        lines.append(f"- {section}{spent}: " + ", ".join(f"{name} {value:,}" for name, value in figures.items()))
        for text in NOTES.get(section, [])[:40]:
            lines.append(f"    - {text}")
    return lines


def write_report() -> Path | None:
    target = os.environ.get("SECURITY_REPORT")
    lines = summary_lines()
    if not target or not lines:
        return None
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    path.write_text(f"# {lines[0]}\n\nRun {stamp}.\n\n" + "\n".join(lines[2:]) + "\n", encoding="utf-8")
    return path
