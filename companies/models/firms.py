"""Firms: the register (CVR, P-numbers, contacts, consent), the case status and its history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from companies.sme import EMPLOYEE_BANDS, assess_sme
from companies.validators import validate_cvr, validate_p_number
from kompetence.indexes import SortIndex
from partnerships.scoping import PartnershipScopedQuerySet

TEXT_SHORT = 2000


TEXT_LONG = 10000


class CaseStatus(models.TextChoices):
    """Where a firm's case stands in the partnership's pipeline."""

    IDENTIFIED = "identificeret", _("Identificeret")
    CONTACTED = "kontaktet", _("Kontaktet")
    VISITED = "besoegt", _("Besøgt")
    TREATED = "behandlet", _("Behandlet i partnerskab")
    AGREED = "aftale", _("Aftale om indsats")
    IN_PROGRESS = "indsats", _("Indsats i gang")
    CLOSED = "afsluttet", _("Afsluttet")
    NOT_RELEVANT = "ikke_relevant", _("Ikke relevant")


class CompanySource(models.TextChoices):
    """How the firm came into the portal."""

    CONSULTANT = "konsulent", _("Registreret af en konsulent")
    IMPORT = "import", _("Importeret fra CVR-udtræk")
    REQUEST = "henvendelse", _("Henvendelse (én indgang)")


class SizeClass(models.TextChoices):
    MICRO = "micro", _("Mikrovirksomhed")
    SMALL = "small", _("Lille virksomhed")
    MEDIUM = "medium", _("Mellemstor virksomhed")
    LARGE = "large", _("Stor virksomhed (ikke SMV)")
    UNKNOWN = "unknown", _("Ukendt")


SME_CLASSES = (SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM)


class CompanyQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class Company(models.Model):
    """A firm, identified by its CVR number, held by the partnership of its municipality."""

    cvr = models.CharField(_("CVR-nummer"), max_length=8, unique=True, validators=[validate_cvr])
    name = models.CharField(_("Virksomhedsnavn"), max_length=200)
    address = models.CharField(_("Adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("Postnummer"), max_length=4, blank=True)
    city = models.CharField(_("By"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "partnerships.Municipality",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("Kommune"),
    )
    # Set from the municipality's partnership when the firm is registered; may be overridden.
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("Partnerskab"),
    )
    partnership_overridden = models.BooleanField(_("partnerskab valgt manuelt"), default=False)
    industry_section = models.ForeignKey(
        "partnerships.IndustrySection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="companies",
        verbose_name=_("Branche"),
    )
    industry_code = models.CharField(
        _("Branchekode (DB07)"), max_length=6, blank=True, help_text=_("Seks cifre, fx 251100.")
    )
    employees = models.PositiveIntegerField(_("Antal ansatte"), null=True, blank=True)
    employee_band = models.CharField(
        _("Antal ansatte (interval)"),
        max_length=10,
        blank=True,
        choices=[(band, band) for band in EMPLOYEE_BANDS],
        help_text=_("Bruges når det præcise antal ikke kendes (CVR-registrets intervaller)."),
    )
    turnover_eur_m = models.DecimalField(
        _("Omsætning (mio. EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    balance_eur_m = models.DecimalField(
        _("Balance (mio. EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    part_of_group = models.BooleanField(_("Indgår i koncern"), default=False)
    # Derived from the fields above by services.company_refresh_size(); stored so lists can filter on it.
    size_class = models.CharField(
        _("Størrelse (EU)"),
        max_length=10,
        choices=SizeClass.choices,
        default=SizeClass.UNKNOWN,
        editable=False,
    )
    website = models.URLField(_("Hjemmeside"), blank=True, max_length=200)
    notes = models.TextField(_("Noter"), blank=True, max_length=TEXT_SHORT)

    status = models.CharField(_("Status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED)
    source = models.CharField(
        _("Kilde"), max_length=20, choices=CompanySource.choices, default=CompanySource.CONSULTANT, editable=False
    )
    lead_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_companies",
        verbose_name=_("Tovholder (konsulent)"),
    )
    # Kept up to date by the visit services, so lists can sort and filter without aggregating.
    last_visit_on = models.DateField(_("Seneste besøg"), null=True, blank=True, editable=False)
    next_follow_up_on = models.DateField(_("Næste opfølgning"), null=True, blank=True, editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        permissions = [
            ("export_company", _("Kan eksportere virksomhedslister")),
            ("import_company", _("Kan importere virksomheder fra CVR-udtræk")),
        ]
        indexes = [
            models.Index(fields=["partnership", "name", "id"], name="company_partnership_name"),
            models.Index(fields=["name", "id"], name="company_name"),
            # CVR prefix search (LIKE '3040%'); the unique index's default operator class cannot
            # answer LIKE outside the C collation. PostgreSQL only; elsewhere a plain index.
            models.Index(fields=["cvr"], name="company_cvr_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["municipality", "name"], name="company_municipality"),
            models.Index(fields=["status", "name"], name="company_status"),
            models.Index(fields=["industry_section", "name"], name="company_industry"),
            models.Index(fields=["size_class", "name"], name="company_size"),
            models.Index(fields=["lead_consultant", "next_follow_up_on"], name="company_lead_follow_up"),
            models.Index(fields=["last_visit_on", "id"], name="company_last_visit"),
            # "Seneste besøg (nyeste først)" sorts DESC NULLS LAST, which the index above cannot give
            # (read backwards it puts the never-visited first): without this, a sort of every firm.
            SortIndex(
                models.F("last_visit_on").desc(nulls_last=True), models.F("id").desc(), name="company_last_visit_desc"
            ),
            models.Index(fields=["next_follow_up_on", "id"], name="company_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (CVR {self.cvr})"

    def get_absolute_url(self) -> str:
        return reverse("companies:detail", args=[self.pk])

    @property
    def sme(self):
        """The EU SME assessment with the reasons, for display."""
        return assess_sme(
            employees=self.employees,
            employee_band=self.employee_band,
            turnover_eur_m=self.turnover_eur_m,
            balance_eur_m=self.balance_eur_m,
            part_of_group=self.part_of_group,
        )

    @property
    def is_sme(self) -> bool | None:
        if self.size_class == SizeClass.UNKNOWN:
            return None
        return self.size_class in SME_CLASSES

    @property
    def employees_display(self) -> str:
        if self.employees is not None:
            return str(self.employees)
        return self.employee_band or "–"


class ProductionUnit(models.Model):
    """A P-number: one of the firm's production units (sites)."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="production_units", verbose_name=_("Virksomhed")
    )
    p_number = models.CharField(_("P-nummer"), max_length=10, unique=True, validators=[validate_p_number])
    name = models.CharField(_("Navn"), max_length=200, blank=True)
    address = models.CharField(_("Adresse"), max_length=200, blank=True)
    postcode = models.CharField(_("Postnummer"), max_length=4, blank=True)
    city = models.CharField(_("By"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        "partnerships.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kommune"),
    )

    class Meta:
        ordering = ["p_number"]
        verbose_name = _("produktionsenhed (P-nummer)")
        verbose_name_plural = _("produktionsenheder (P-numre)")

    def __str__(self) -> str:
        return f"P {self.p_number} {self.name}".strip()


class ContactPersonQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class ContactPerson(models.Model):
    """A person at the firm the consultants talk to."""

    class Role(models.TextChoices):
        OWNER = "ejer", _("Ejer")
        MANAGER = "leder", _("Direktør/leder")
        HR = "hr", _("HR")
        SHOP_STEWARD = "tr", _("Tillidsrepræsentant")
        EMPLOYEE = "medarbejder", _("Medarbejder")
        OTHER = "andet", _("Andet")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Virksomhed")
    )
    name = models.CharField(_("Navn"), max_length=150)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.MANAGER)
    title = models.CharField(_("Stilling"), max_length=100, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=20, blank=True)
    consent_to_contact = models.BooleanField(
        _("Må kontaktes"),
        default=False,
        help_text=_("Personen har sagt ja til at blive kontaktet af konsulenterne."),
    )
    is_active = models.BooleanField(_("Aktiv"), default=True)

    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("kontaktperson")
        verbose_name_plural = _("kontaktpersoner")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class SharingConsentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class SharingConsent(models.Model):
    """The firm's consent to share its data across the three systems: when, recorded by whom, given to whom."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="sharing_consents", verbose_name=_("Virksomhed")
    )
    given_on = models.DateField(_("Givet den"))
    given_by = models.CharField(_("Givet af (virksomhedens repræsentant)"), max_length=150)
    given_to = models.CharField(
        _("Givet til"),
        max_length=300,
        help_text=_("Fx »Jobcenter, erhvervsservice og uddannelsesinstitutioner i LKS Aarhus«."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Registreret af")
    )
    recorded_at = models.DateTimeField(_("Registreret"), auto_now_add=True)
    withdrawn_on = models.DateField(_("Trukket tilbage den"), null=True, blank=True)

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-pk"]
        verbose_name = _("samtykke til datadeling")
        verbose_name_plural = _("samtykker til datadeling")

    def __str__(self) -> str:
        return f"{self.company.name}: {self.given_on}"


class StatusChangeQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class StatusChange(models.Model):
    """One step of a firm's case through the pipeline; the firm's timeline shows them."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("Virksomhed")
    )
    from_status = models.CharField(_("fra"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("til"), max_length=20, choices=CaseStatus.choices)
    note = models.CharField(_("Bemærkning"), max_length=500, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("ændret af")
    )
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")
        indexes = [models.Index(fields=["company", "-changed_at"], name="statuschange_company")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.from_status} → {self.to_status}"
