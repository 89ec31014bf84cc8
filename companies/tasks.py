"""The companies app's background work: the e-mails of public requests.

Thin, as every task: take ids, load the rows (return quietly when they have gone), call the service.
"""

from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from companies.models import PublicRequest
from companies.services import requests as request_services
from partnerships.models import Partnership

_MAIL_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "max_retries": 10,
    "ignore_result": True,
}


@shared_task(name="companies.send_request_receipt", **_MAIL_RETRY)
def send_request_receipt(request_id: int) -> None:
    """The receipt to the person who sent the request (once, however often the task runs)."""
    request = PublicRequest.objects.filter(pk=request_id).first()
    if request is None:
        return
    request_services.request_receipt_send(request=request)


@shared_task(name="companies.notify_request", **_MAIL_RETRY)
def notify_request(request_id: int, partnership_id: int) -> None:
    """The notice to a partnership's members that a request waits for them (skipped once it is taken
    or has moved on)."""
    request = PublicRequest.objects.filter(pk=request_id).select_related("company").first()
    partnership = Partnership.objects.filter(pk=partnership_id).first()
    if request is None or partnership is None:
        return
    request_services.request_notice_send(request=request, partnership=partnership)
