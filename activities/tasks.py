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


@shared_task(
    name="activities.render_participant_form",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=3,
)
def render_participant_form(print_id: int) -> bool:
    """Render a participant's start or exit form to PDF (routed to the ``pdf`` queue)."""
    from activities.services.forms import form_print_render

    return form_print_render(print_id=print_id)
