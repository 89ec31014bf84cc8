"""Proposals to put a firm on its partnership's agenda ("Sæt på dagsorden")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models.firms import TEXT_SHORT, Company
from companies.models.visits import Visit
from partnerships.scoping import PartnershipScopedQuerySet


class AgendaProposalQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def pending(self):
        return self.filter(status=AgendaProposal.Status.PENDING)

    def open(self):
        """Proposals still waiting for, or on, an agenda."""
        return self.filter(status__in=AgendaProposal.OPEN_STATUSES)


class AgendaProposal(models.Model):
    """A firm's case put forward for the partnership's next meeting ("Sæt på dagsorden").

    The secretariat builds meeting agendas from the pending proposals; a later meeting module
    marks them treated.
    """

    class Status(models.TextChoices):
        PENDING = "afventer", _("Afventer behandling")
        ON_AGENDA = "dagsorden", _("På dagsorden")
        TREATED = "behandlet", _("Behandlet")
        WITHDRAWN = "trukket", _("Trukket tilbage")

    # Open until treated or withdrawn; at most one open proposal per firm and partnership.
    OPEN_STATUSES = (Status.PENDING, Status.ON_AGENDA)

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="agenda_proposals")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="agenda_proposals"
    )
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("Hvad skal partnerskabet tage stilling til?"), max_length=TEXT_SHORT)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(_("foreslået"), auto_now_add=True)

    objects = AgendaProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("forslag til dagsorden")
        verbose_name_plural = _("forslag til dagsorden")
        constraints = [
            # A firm is on a partnership's list at most once until it has been treated.
            models.UniqueConstraint(
                fields=["company", "partnership"],
                condition=models.Q(status__in=["afventer", "dagsorden"]),
                name="agendaproposal_one_open_per_company",
            )
        ]
        indexes = [models.Index(fields=["partnership", "status"], name="agendaproposal_partnership")]

    def __str__(self) -> str:
        return f"{self.company.name} → {self.partnership.name}"
