"""Background work of the activities app. Each task takes ids (or nothing), calls one service and
returns counts only: never a CPR number, a name or any other personal data (Celery keeps results)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="activities.anonymise_participants")
def anonymise_participants() -> dict[str, int | str]:
    """Daily: anonymise the participants past the retention period, and say how many."""
    from activities.services.retention import anonymise_participants as run

    result = run()
    return {"participants": result.participants, "documents": result.documents, "cutoff": result.cutoff.isoformat()}
