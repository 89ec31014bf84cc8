"""manage.py import_companies extract.csv [--dry-run] [--user e-mail]: import firms from a CVR extract."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from companies.importing import ImportRefused, Outcome, import_companies
from partnerships.models import User


class Command(BaseCommand):
    help = "Importér virksomheder fra et CSV-udtræk fra CVR-registret og skriv en rapport pr. række."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV-filen (semikolon eller komma, UTF-8 eller Windows-1252).")
        parser.add_argument("--dry-run", action="store_true", help="Vis hvad der ville ske, men gem intet.")
        parser.add_argument("--user", help="E-mail på den bruger, importen registreres som.")

    def handle(self, *args, path: str, dry_run: bool, user: str | None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"Filen {path} findes ikke.")
        by = None
        if user:
            by = User.objects.filter(email=user.lower()).first()
            if by is None:
                raise CommandError(f"Ingen bruger med e-mailen {user}.")
        try:
            report = import_companies(file.read_bytes(), by=by, dry_run=dry_run)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        for row in report.rows:
            line = f"linje {row.line:>5}  {row.cvr:<8}  {row.outcome_label:<9}  {row.name}"
            if row.reasons:
                line += "  – " + " ".join(row.reasons)
            style = self.style.ERROR if row.outcome == Outcome.REJECTED else (lambda text: text)
            self.stdout.write(style(line))
        self.stdout.write(self.style.SUCCESS(report.summary()))
