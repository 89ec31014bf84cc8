"""The shape of the house (docs/architecture.md): dependencies run one way.

partnerships → companies → activities → reporting: an app imports only itself and the apps before it,
never one after it (so there is no circle between apps either). ``kompetence``'s helpers are below
every app and import none; only its wiring (settings, urls, celery, wsgi, asgi) sees every app.
Lower apps do not name higher ones in strings either (lazy model references, URL names in templates):
a higher app registers what it contributes instead (``kompetence.registry``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ORDER = ["partnerships", "companies", "activities", "reporting"]
WIRING = {"settings", "settings_test", "urls", "celery", "wsgi", "asgi"}


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


def imported_apps(path: Path) -> set[tuple[str, int]]:
    """The top-level packages of ours that a module imports, with the line of each import."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ORDER or top == "kompetence":
                found.add((top, node.lineno))
    return found


def test_apps_import_only_themselves_and_the_apps_below_them():
    wrong = []
    for rank, app in enumerate(ORDER):
        allowed = {"kompetence", *ORDER[: rank + 1]}
        for path in modules(app):
            for top, line in imported_apps(path):
                if top not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {top}")

    assert wrong == []


def test_kompetence_helpers_import_no_app():
    wrong = []
    for path in modules("kompetence"):
        if path.stem in WIRING:
            continue
        for top, line in imported_apps(path):
            if top != "kompetence":
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {top}")

    assert wrong == []


def test_lower_apps_do_not_name_higher_ones_in_code_or_templates():
    wrong = []
    for rank, app in enumerate(ORDER):
        higher = ORDER[rank + 1 :]
        if not higher:
            continue
        pattern = re.compile(r"""["'](?:{})[.:][A-Za-z_]""".format("|".join(higher)))
        files = [*modules(app), *sorted((ROOT / "templates" / app).rglob("*.html"))]
        if app == ORDER[0]:
            files += sorted((ROOT / "templates" / "_partials").rglob("*.html"))
            files.append(ROOT / "templates" / "base.html")
        for path in files:
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if pattern.search(line):
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert wrong == []


def test_the_check_finds_an_upward_import(tmp_path):
    # The checks above are only worth something if they see an import at all.
    module = tmp_path / "example.py"
    module.write_text("from companies.models import Company\nimport reporting.views\n", encoding="utf-8")

    assert imported_apps(module) == {("companies", 1), ("reporting", 2)}
