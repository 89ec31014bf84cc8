"""``python manage.py export_esf --format xlsx|csv --period 2018 --out FILE``: the ESF participant file.

One row per participant who took part in the period, every ESF field, CPR numbers masked (full numbers
are exported only from the portal, by a person with the permission, a two-factor login and a reason,
and recorded). Written in constant memory: CSV row by row, XLSX in openpyxl's write-only mode.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reporting.exports import check_period, esf_csv_lines, esf_participants, esf_rows, write_esf_xlsx
from reporting.periods import Period, PeriodError


class Command(BaseCommand):
    help = "Skriv ESF-deltagerfilen for en periode (CSV eller XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
        parser.add_argument("--period", required=True, help="Fx 2018, 2018-H1, 2018-K3 eller 2018-01-01..2018-06-30.")
        parser.add_argument("--out", required=True, help="Filen, der skrives.")
        parser.add_argument("--partnership", type=int, default=None, help="Kun ét partnerskabs deltagere (id).")

    def handle(self, *args, format: str, period: str, out: str, partnership: int | None, **options):
        try:
            parsed = Period.parse(period)
            check_period(parsed, today=timezone.localdate())
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        participants = esf_participants(parsed, user=None, partnership=partnership)
        count = 0

        def counted():
            nonlocal count
            for row in esf_rows(participants):
                count += 1
                yield row

        try:
            if format == "csv":
                with open(out, "w", encoding="utf-8", newline="") as handle:
                    for piece in esf_csv_lines(counted()):
                        handle.write(piece)
            else:
                write_esf_xlsx(out, counted(), sheet_title=f"ESF-deltagere {parsed.label}")
        except OSError as exc:
            raise CommandError(f"Kan ikke skrive {out}: {exc.strerror}") from None
        self.stdout.write(f"{count} deltagere for {parsed.label} skrevet til {out}.")
