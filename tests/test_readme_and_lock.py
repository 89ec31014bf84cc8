"""The README and the lock file work on any machine (issue 8)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_lock_file_names_no_package_index_of_the_machine_it_was_made_on():
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()

    local = [line for line in lines if re.match(r"\s*(--index-url|--extra-index-url|--find-links|-f |-i )", line)]
    assert local == []
    assert any("--hash=sha256:" in line for line in lines)  # still installable with --require-hashes


def test_the_readme_says_how_to_use_another_port_and_links_only_inside_the_repository():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    assert "PORT=8010 make run" in readme
    targets = re.findall(r"\]\(([^)]+)\)", readme) + re.findall(r"`(\.\./[^`]+)`", readme)
    outside = [t for t in targets if t.startswith("../") or t.startswith("/")]
    assert outside == []
    for target in targets:
        if not target.startswith(("http://", "https://", "#")):
            assert (ROOT / target).exists(), target
