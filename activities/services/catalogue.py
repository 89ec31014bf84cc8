"""The AMU course catalogue: importing it from CSV (``manage.py import_courses``).

The file is read as a whole and refused as a whole when a row is wrong (with the line numbers), so the
catalogue never holds half an import. Columns (a header row, ``;`` or ``,``): ``nummer``, ``titel``,
``dage`` (Danish or English decimals), optionally ``hovedomraade`` and ``demo`` (``ja`` marks a row
whose number and title are not checked against the national catalogue). Existing numbers are updated.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from activities.models import Course
from kompetence.inputs import ascii_digits


class CourseImportError(ValueError):
    """The file cannot be imported; ``problems`` says where and why (Danish)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class CourseImport:
    created: int = 0
    updated: int = 0


def _days(text: str) -> Decimal:
    cleaned = text.strip().replace(".", "").replace(",", ".") if "," in text else text.strip()
    return Decimal(cleaned)


def read_courses(content: str) -> list[dict]:
    """The rows of a course CSV, checked; raises CourseImportError naming every bad line."""
    if "\x00" in content:
        raise CourseImportError(["Filen indeholder binære data og kan ikke læses som CSV."])
    content = content.lstrip("\ufeff")
    sample = content[:2000]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(content), delimiter=delimiter)
    missing = {"nummer", "titel", "dage"} - set(reader.fieldnames or [])
    if missing:
        raise CourseImportError([f"Kolonnen/kolonnerne {', '.join(sorted(missing))} mangler i første linje."])
    rows, problems, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        number = (row.get("nummer") or "").strip()
        title = (row.get("titel") or "").strip()
        if not (ascii_digits(number) and len(number) == 5):
            problems.append(f"Linje {line}: AMU-nummeret skal være 5 cifre.")
            continue
        if number in seen:
            problems.append(f"Linje {line}: AMU-nummeret {number} står to gange.")
            continue
        seen.add(number)
        if not title or len(title) > 250:
            problems.append(f"Linje {line}: titlen mangler eller er over 250 tegn.")
            continue
        try:
            days = _days(row.get("dage") or "")
        except InvalidOperation:
            problems.append(f"Linje {line}: antal dage skal være et tal, fx 5 eller 2,5.")
            continue
        if not Decimal(0) < days <= Decimal(200):
            problems.append(f"Linje {line}: antal dage skal være mellem 0 og 200.")
            continue
        rows.append(
            {
                "number": number,
                "title": title,
                "days": days,
                "main_area": (row.get("hovedomraade") or "").strip()[:200],
                "is_demo": (row.get("demo") or "").strip().lower() in ("ja", "yes", "1", "x"),
            }
        )
    if problems:
        raise CourseImportError(problems)
    return rows


@transaction.atomic
def courses_import(content: str) -> CourseImport:
    rows = read_courses(content)
    existing = {c.number: c for c in Course.objects.filter(number__in=[r["number"] for r in rows])}
    result = CourseImport()
    new, changed = [], []
    for row in rows:
        course = existing.get(row["number"])
        if course is None:
            new.append(Course(**row))
            continue
        for name, value in row.items():
            setattr(course, name, value)
        changed.append(course)
    Course.objects.bulk_create(new)
    Course.objects.bulk_update(changed, ["title", "days", "main_area", "is_demo"])
    result.created, result.updated = len(new), len(changed)
    return result
