"""manage.py progress_report --period 2018 --out FILE: ask for a progress report through Celery
(the same request, outbox and task as the report page), wait for it, and copy the file to FILE.

``--partnership NAME`` for one partnership's report; ``--kind esf_status`` (with ``--format xlsx``)
for the semi-annual ESF status. Without REDIS_URL the task runs inline; with it a worker on the
``pdf`` queue must be running. When the broker does not answer the request is kept and runs when
the queue is back; the command says so and keeps waiting until ``--timeout``.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kompetence import outbox
from partnerships.models import Partnership
from reporting.models import Report
from reporting.periods import Period, PeriodError
from reporting.reports import services


class Command(BaseCommand):
    help = "Dan en fremdriftsrapport gennem Celery, vent på den og gem den i en fil."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Fx 2018, 2018-K3, 2018-H1 eller 2018-01-01..2018-06-30.")
        parser.add_argument("--out", required=True, help="Filen, rapporten gemmes i.")
        parser.add_argument("--partnership", default="", help="Et partnerskabs navn (tom: hele programmet).")
        parser.add_argument(
            "--kind", default=Report.Kind.PROGRESS, choices=[Report.Kind.PROGRESS, Report.Kind.ESF_STATUS]
        )
        parser.add_argument("--format", default=Report.Format.PDF, choices=[Report.Format.PDF, Report.Format.XLSX])
        parser.add_argument("--timeout", type=float, default=600.0, help="Sekunder, der højst ventes (standard 600).")

    def handle(self, *args, period: str, out: str, partnership: str, kind: str, format: str, timeout: float, **options):
        try:
            span = Period.parse(period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        target = None
        if partnership:
            target = Partnership.objects.filter(name=partnership).first()
            if target is None:
                raise CommandError(f"Der er intet partnerskab ved navn »{partnership}«.")
        out_path = Path(out)
        if not out_path.parent.exists():
            raise CommandError(f"Mappen {out_path.parent} findes ikke.")
        try:
            report, sent = services.report_request(
                kind=kind, period=span, requested_by=None, partnership=target, format=format
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Rapport {report.pk} bestilt ({report}).")
        if not sent:
            self.stdout.write(self.style.WARNING("Køen svarer ikke; rapporten dannes, når køen er tilbage. Venter …"))
        deadline = time.monotonic() + timeout
        last = None
        pause = 0.2
        while True:
            report.refresh_from_db()
            if report.is_finished:
                break
            if (report.status, report.progress) != last:
                last = (report.status, report.progress)
                self.stdout.write(f"  {report.get_status_display()} {report.progress} % {report.stage}")
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Rapport {report.pk} var ikke færdig efter {timeout:g} sekunder (status: {report.status})."
                )
            if not sent and outbox.pending_count():
                outbox.flush(limit=5)
            time.sleep(pause)
            pause = min(pause * 1.5, 2.0)
        if report.status == Report.Status.FAILED:
            raise CommandError(f"Rapporten kunne ikke dannes: {report.error}")
        with report.file.open("rb") as source:
            out_path.write_bytes(source.read())
        self.stdout.write(
            self.style.SUCCESS(
                f"Gemt i {out_path} ({report.size} bytes, {report.render_seconds} s, SHA-256 {report.checksum})."
            )
        )
