"""Background work of the partnerships app (meetings, invitations). Each task takes ids, returns quietly
when the row has gone, and calls one service; the services are idempotent, so a retry never sends a mail
twice or stores a second PDF."""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from partnerships import services
from partnerships.models import User
from partnerships.services import mail, minutes
from partnerships.services.background import queue_after_commit

# Mail servers and storage fail for a while and come back: retry with growing pauses.
RETRY = {"autoretry_for": (SMTPException, OSError), "retry_backoff": 30, "retry_backoff_max": 1800, "max_retries": 8}


@shared_task(name="partnerships.send_meeting_calendar_mail", **RETRY)
def send_meeting_calendar_mail(meeting_id: int) -> int:
    """The invitation (or cancellation) with its .ics, to everyone who has not had this version."""
    return mail.send_calendar_mail(meeting_id=meeting_id)


@shared_task(name="partnerships.send_draft_agenda", **RETRY)
def send_draft_agenda(meeting_id: int) -> int:
    return mail.send_draft_agenda(meeting_id=meeting_id)


@shared_task(name="partnerships.send_approved_minutes", **RETRY)
def send_approved_minutes(minutes_id: int) -> int:
    return mail.send_approved_minutes(minutes_id=minutes_id)


@shared_task(
    name="partnerships.render_minutes_pdf",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(OSError,),
    retry_backoff=10,
    max_retries=3,
)
def render_minutes_pdf(minutes_id: int, send_after: bool = False) -> bool:
    """Render the approved minutes to PDF (routed to the pdf queue by CELERY_TASK_ROUTES); then, when
    asked, mail them to the members."""
    rendered = minutes.minutes_render_pdf(minutes_id=minutes_id)
    if send_after:
        queue_after_commit(send_approved_minutes, minutes_id)
    return rendered


@shared_task(
    name="partnerships.send_invitation",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=10,
    ignore_result=True,
)
def send_invitation(user_id: int, invited_by_id: int | None = None) -> None:
    """E-mail the invitation. Does nothing when the user has gone, was deactivated or has already
    chosen a password (the invitation was accepted while the mail waited)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.is_active or user.has_usable_password():
        return
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    services.invitation_mail_send(user=user, invited_by=invited_by)
