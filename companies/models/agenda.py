"""A firm's case at its partnership's meetings: the proposal to put the firm on the agenda ("Sæt på
dagsorden"), the firm's items on a meeting's agenda, and the partnership's decisions about the firm.

These point down at ``partnerships.Meeting`` and ``partnerships.AgendaItem``; the partnerships app
never names them (it shows them through ``kompetence.registry``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models.firms import TEXT_SHORT, CaseStatus, Company
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

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="agenda_proposals", verbose_name=_("Virksomhed")
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        related_name="agenda_proposals",
        verbose_name=_("Partnerskab"),
    )
    visit = models.ForeignKey(Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reason = models.TextField(_("Hvad skal partnerskabet tage stilling til?"), max_length=TEXT_SHORT)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foreslået af"),
    )
    proposed_at = models.DateTimeField(_("foreslået"), auto_now_add=True)
    # The meeting whose agenda the proposal is on, or was treated at.
    meeting = models.ForeignKey(
        "partnerships.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # How the proposal ended (treated, withdrawn): when, by whom, and the reason given when withdrawn.
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    close_reason = models.CharField(_("Begrundelse"), max_length=500, blank=True)

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


class CaseAgendaItemQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class CaseAgendaItem(models.Model):
    """The firm behind an agenda item of kind "Virksomhedssag" (a proposal being treated) or
    "Opfølgning på beslutning" (an open decision coming back). Every item ends with an outcome
    before the minutes can be approved: treated with a decision, withdrawn with a reason, moved to a
    later meeting, or (for a follow-up) followed up."""

    class Outcome(models.TextChoices):
        PENDING = "afventer", _("Ikke afsluttet")
        TREATED = "behandlet", _("Behandlet med beslutning")
        WITHDRAWN = "trukket", _("Trukket tilbage")
        MOVED = "flyttet", _("Flyttet til senere møde")
        FOLLOWED_UP = "fulgt_op", _("Fulgt op")

    agenda_item = models.OneToOneField("partnerships.AgendaItem", on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey("partnerships.Meeting", on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="agenda_items")
    proposal = models.ForeignKey(
        AgendaProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    decision = models.ForeignKey(
        "Decision", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_up_items"
    )
    outcome = models.CharField(_("Udfald"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.CharField(_("Bemærkning"), max_length=500, blank=True)
    moved_to = models.ForeignKey(
        "partnerships.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CaseAgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("virksomhedssag på dagsorden")
        verbose_name_plural = _("virksomhedssager på dagsorden")
        indexes = [models.Index(fields=["meeting", "outcome"], name="caseagendaitem_meeting")]

    def __str__(self) -> str:
        return f"{self.company_id} @ {self.meeting_id}"


class DecisionQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"

    def open(self):
        return self.filter(status=Decision.Status.OPEN)


class Decision(models.Model):
    """What the partnership decided about a firm at a meeting: who goes in (a lead consultant and
    consultants from the systems needed), what to offer, and by when. Open decisions come back on
    the partnership's agenda until they are done."""

    class Status(models.TextChoices):
        OPEN = "aaben", _("Åben")
        DONE = "udfoert", _("Udført")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("Virksomhed")
    )
    meeting = models.ForeignKey("partnerships.Meeting", on_delete=models.PROTECT, related_name="+")
    case_item = models.ForeignKey(
        CaseAgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    proposal = models.ForeignKey(
        AgendaProposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    text = models.TextField(_("Beslutning"), max_length=TEXT_SHORT)
    lead_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lead_decisions",
        verbose_name=_("Tovholder for indsatsen"),
    )
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="DecisionConsultant",
        related_name="decisions",
        verbose_name=_("Konsulenter, der går ind"),
    )
    # What to offer, from the programme's catalogue; each becomes a draft activity plan (the
    # ``decision_recorded`` hook, which the activities app registers).
    activity_types = models.ManyToManyField(
        "partnerships.ActivityType",
        blank=True,
        related_name="+",
        verbose_name=_("Aktiviteter, der tilbydes"),
    )
    deadline = models.DateField(_("Frist"))
    case_status = models.CharField(_("Virksomhedens status bliver"), max_length=20, choices=CaseStatus.choices)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    done_note = models.CharField(_("Bemærkning"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        indexes = [
            models.Index(fields=["company", "status"], name="decision_company"),
            models.Index(fields=["meeting"], name="decision_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.text[:40]}"


class DecisionConsultant(models.Model):
    """A consultant a decision sends in, with the system the consultant came from at the time."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decision_assignments")
    system = models.ForeignKey("partnerships.System", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    is_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["decision", "-is_lead", "system__sort_order", "pk"]
        verbose_name = _("konsulent på beslutning")
        verbose_name_plural = _("konsulenter på beslutninger")
        constraints = [models.UniqueConstraint(fields=["decision", "user"], name="decisionconsultant_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.decision_id}"
