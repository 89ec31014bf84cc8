"""Demo reports: one progress report for the demo consultant's first partnership (LKS Aarhus), last
quarter, and the activity list of that quarter as a file built in the background, asked for by the
demo consultant (who sees no other report), both rendered for real, so the report pages have
something to show and the walker an object for each role.

Marked with ``parameters["demo"]``; ``reset`` removes them and their files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import timezone

from partnerships.models import Partnership, User
from reporting.models import Report
from reporting.periods import Period

DEMO_PARTNERSHIP = "LKS Aarhus"


@dataclass(frozen=True)
class Seeded:
    reports: int
    created: bool


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    from reporting.reports import services

    existing = Report.objects.filter(parameters__demo=True)
    if existing.exists():
        return Seeded(existing.count(), False)
    partnership = Partnership.objects.filter(name=DEMO_PARTNERSHIP).first()
    if partnership is None:
        return Seeded(0, False)
    period = Period.previous_quarter(timezone.localdate())

    def rendered(requested_by: User | None, **fields) -> None:
        report = Report.objects.create(
            period_start=period.start,
            period_end=period.end,
            partnership=partnership,
            parameters={"period": period.code, "demo": True},
            requested_by=requested_by,
            requested_at=timezone.now(),
            **fields,
        )
        services.report_render(report_id=report.pk)

    rendered(
        User.objects.filter(email="sekretariat@demo.dk").first(),
        kind=Report.Kind.PROGRESS,
        summary="Partnerskabet har i kvartalet haft fokus på fælles besøg hos små virksomheder i Aarhus.",
    )
    consultant = User.objects.filter(email="konsulent@demo.dk").first()
    if consultant is None:
        return Seeded(1, True)
    rendered(consultant, kind=Report.Kind.ACTIVITIES, format=Report.Format.XLSX)
    return Seeded(2, True)


def reset() -> None:
    for report in Report.objects.filter(parameters__demo=True):
        if report.file:
            report.file.storage.delete(report.file.name)
        report.delete()


def summary(result: Seeded) -> str:
    text = f"{result.reports} demorapport" + ("er" if result.reports != 1 else "")
    return text if result.created else f"{text} (fandtes allerede)"
