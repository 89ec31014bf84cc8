"""Public requests (én indgang): a firm asks for help through the public form and lands as a case in
the partnership of its municipality."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models.firms import Company
from partnerships.scoping import PartnershipScopedQuerySet

# The privacy notice shown beside the consent box (templates/companies/_request_privacy_notice.html).
# Change it whenever the text changes: every request stores the version its sender was shown.
PRIVACY_NOTICE_VERSION = "2026-12-01"

# The longest "in your own words" the form accepts.
REQUEST_TEXT_MAX = 4000


class PublicRequestQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def new(self):
        return self.filter(status=PublicRequest.Status.NEW)


class PublicRequest(models.Model):
    """A firm's request through the public form, routed to the partnership that holds its case.

    The firm is found by CVR number, or registered from the request (``created_company``). The
    requester is never told which of the two happened.
    """

    class Status(models.TextChoices):
        NEW = "ny", _("Ny")
        TAKEN = "taget", _("Taget")

    # What the firm may ask for; one flag each so lists and counts need no parsing.
    NEEDS = (
        ("need_upskilling", _("Opkvalificering af medarbejdere")),
        ("need_recruitment", _("Rekruttering")),
        ("need_hr_strategy", _("HR og strategi")),
        ("need_other", _("Andet")),
    )

    cvr = models.CharField(_("CVR-nummer"), max_length=8)
    company_name = models.CharField(_("Virksomhedens navn"), max_length=200)
    postcode = models.CharField(_("Postnummer"), max_length=4)
    # The municipality the firm said it is in (a known firm's registered municipality decides the route).
    municipality = models.ForeignKey(
        "partnerships.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("Kommune")
    )
    contact_name = models.CharField(_("Kontaktperson"), max_length=150)
    contact_email = models.EmailField(_("E-mail"))
    contact_phone = models.CharField(_("Telefon"), max_length=20)
    need_upskilling = models.BooleanField(_("Opkvalificering af medarbejdere"), default=False)
    need_recruitment = models.BooleanField(_("Rekruttering"), default=False)
    need_hr_strategy = models.BooleanField(_("HR og strategi"), default=False)
    need_other = models.BooleanField(_("Andet"), default=False)
    description = models.TextField(_("Hvad har I brug for?"), max_length=REQUEST_TEXT_MAX)
    consent = models.BooleanField(_("Samtykke til at blive kontaktet"), default=False)
    privacy_notice_version = models.CharField(_("Privatlivserklæring (version)"), max_length=20)

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        related_name="public_requests",
        verbose_name=_("Partnerskab"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="public_requests", verbose_name=_("Virksomhed")
    )
    # True when the firm was registered from this request (it was not in the portal before).
    created_company = models.BooleanField(_("virksomheden oprettet fra henvendelsen"), default=False, editable=False)
    # A digest of what was sent, to recognise the same request sent twice within a minute.
    fingerprint = models.CharField(max_length=64, editable=False)

    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.NEW)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Taget af"),
    )
    taken_at = models.DateTimeField(_("Taget"), null=True, blank=True)
    # The lead consultant chosen when the request was taken (the firm's lead may change later).
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tovholder valgt ved modtagelsen"),
    )
    forwarded_from = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Sendt videre fra"),
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("Sendt videre"), null=True, blank=True)
    forward_note = models.CharField(_("Besked til det andet partnerskab"), max_length=500, blank=True)

    receipt_sent_at = models.DateTimeField(_("kvittering sendt"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("modtaget"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = PublicRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("henvendelse")
        verbose_name_plural = _("henvendelser")
        indexes = [
            models.Index(fields=["partnership", "status", "-created_at", "-id"], name="request_partnership_status"),
            models.Index(fields=["status", "-created_at", "-id"], name="request_status"),
            models.Index(fields=["company", "-created_at"], name="request_company"),
            models.Index(fields=["fingerprint", "created_at"], name="request_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} (CVR {self.cvr}), {self.created_at:%d.%m.%Y}"

    @property
    def need_labels(self) -> list[str]:
        return [str(label) for name, label in self.NEEDS if getattr(self, name)]
