"""manage.py import_courses FILE: import (or update) AMU courses from a CSV file (see
``activities.services.catalogue``). Without a file, the sample shipped in activities/data/."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.services.catalogue import CourseImportError, courses_import

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "amu_sample.csv"


class Command(BaseCommand):
    help = "Importér AMU-kurser fra en CSV-fil (nummer;titel;dage;hovedomraade;demo)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(SAMPLE), help="CSV-fil (standard: prøvefilen).")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            content = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            raise CommandError(f"{path} kan ikke læses som en UTF-8-tekstfil.") from None
        try:
            result = courses_import(content)
        except CourseImportError as exc:
            raise CommandError("Intet er importeret:\n" + "\n".join(exc.problems)) from None
        self.stdout.write(self.style.SUCCESS(f"{result.created} kurser oprettet, {result.updated} opdateret."))
