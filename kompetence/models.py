"""Infrastructure models every app uses: the security audit log and the task outbox.

They point at the user through ``settings.AUTH_USER_MODEL`` and at nothing else of ours, so
``kompetence`` stays below every app (see docs/architecture.md).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """A security-relevant event: who (the account, or the login name typed), when, from where.

    Written by ``kompetence.audit.record`` only. Never holds a password, a token or what a user
    typed into a form; ``detail`` carries a few plain facts (a count, a reason code).
    The throttles that must work without Redis count in this table (failed logins per address,
    held-elsewhere look-ups per user), which the indexes serve.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logget ind")
        LOGIN_FAILED = "login_failed", _("Mislykket login")
        LOCKED_OUT = "locked_out", _("Spærret efter mislykkede logins")
        LOGOUT = "logout", _("Logget ud")
        PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Nulstilling af adgangskode bestilt")
        PASSWORD_RESET = "password_reset", _("Adgangskode nulstillet")
        PASSWORD_CHANGED = "password_changed", _("Adgangskode ændret")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation modtaget og adgangskode valgt")
        EMAIL_CHANGED = "email_changed", _("Login-e-mail ændret")
        MFA_ENABLED = "mfa_enabled", _("Totrinsbekræftelse slået til")
        MFA_DISABLED = "mfa_disabled", _("Totrinsbekræftelse slået fra")
        HELD_ELSEWHERE_LOOKUP = "held_elsewhere_lookup", _("Opslag i andre partnerskabers virksomheder")

    kind = models.CharField(_("hændelse"), max_length=40, choices=Kind.choices)
    at = models.DateTimeField(_("tidspunkt"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bruger"),
    )
    identifier = models.CharField(
        _("login-navn"), max_length=254, blank=True, help_text=_("Den e-mail, der blev skrevet ved login.")
    )
    ip_address = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    detail = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("sikkerhedshændelse")
        verbose_name_plural = _("sikkerhedslog")
        indexes = [
            models.Index(fields=["kind", "ip_address", "at"], name="audit_kind_ip_at"),
            models.Index(fields=["kind", "user", "at"], name="audit_kind_user_at"),
            models.Index(fields=["at"], name="audit_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier or self.user_id or ''} {self.at:%Y-%m-%d %H:%M}"


def _new_task_id() -> str:
    return f"outbox-{uuid.uuid4().hex}"


class OutboxEntry(models.Model):
    """A request for a Celery task, stored in the same transaction as the business write.

    ``kompetence.outbox.enqueue`` creates it; after commit it is claimed and sent to the broker.
    While the broker is down it stays ``pending`` and is sent later (the next enqueue, or the
    periodic ``kompetence.outbox_flush``). ``args`` holds primary keys only.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter")
        SENDING = "sending", _("Sendes")
        SENT = "sent", _("Sendt")
        FAILED = "failed", _("Fejlet")

    task_id = models.CharField(_("opgave-id"), max_length=64, default=_new_task_id, editable=False)
    task_name = models.CharField(_("opgave"), max_length=200)
    args = models.JSONField(_("argumenter"), default=list, blank=True)
    queue = models.CharField(_("kø"), max_length=50, blank=True)
    dedupe_key = models.CharField(_("nøgle"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    claimed_at = models.DateTimeField(_("taget"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("forsøg"), default=0)
    last_error = models.CharField(_("seneste fejl"), max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("opgave i udbakken")
        verbose_name_plural = _("udbakke (opgaver til Celery)")
        indexes = [models.Index(fields=["status", "created_at"], name="outbox_status_created")]
        constraints = [
            # One unsent request per key: asking twice for the same work before it went out is one task.
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status__in=["pending", "sending"]) & ~models.Q(dedupe_key=""),
                name="outbox_one_unsent_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)} ({self.get_status_display()})"
