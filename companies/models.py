"""Firms, their people, visits, competence needs, and each firm's case (forløb) in the partnership."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.sme import EMPLOYEE_BANDS, assess_sme
from companies.validators import validate_cvr, validate_p_number
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
            models.Index(fields=["municipality", "name"], name="company_municipality"),
            models.Index(fields=["status", "name"], name="company_status"),
            models.Index(fields=["industry_section", "name"], name="company_industry"),
            models.Index(fields=["size_class", "name"], name="company_size"),
            models.Index(fields=["lead_consultant", "next_follow_up_on"], name="company_lead_follow_up"),
            models.Index(fields=["last_visit_on", "id"], name="company_last_visit"),
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

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="production_units")
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

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
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

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="sharing_consents")
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


class VisitQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class Visit(models.Model):
    """A company visit (virksomhedsbesøg), by one or more consultants, possibly from several systems."""

    class Kind(models.TextChoices):
        FIRST = "foerste", _("Opsøgende første besøg")
        FOLLOW_UP = "opfoelgning", _("Opfølgning")
        REMOTE = "telefon", _("Telefon/online")
        JOINT = "faelles", _("Fælles besøg")

    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        COMPLETED = "afsluttet", _("Afsluttet")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="visits", verbose_name=_("Virksomhed"))
    visit_date = models.DateField(_("Besøgsdato"))
    visit_time = models.TimeField(_("Tidspunkt"), null=True, blank=True)
    kind = models.CharField(_("Type besøg"), max_length=20, choices=Kind.choices, default=Kind.FIRST)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="visits", verbose_name=_("Deltagende konsulenter")
    )
    company_participants = models.ManyToManyField(
        ContactPerson, blank=True, related_name="visits", verbose_name=_("Fra virksomheden deltog")
    )
    other_participants = models.CharField(_("Andre deltagere"), max_length=300, blank=True)
    growth_plans = models.TextField(_("Virksomhedens vækstplaner"), blank=True, max_length=TEXT_SHORT)
    summary = models.TextField(_("Resumé"), blank=True, max_length=TEXT_LONG)
    next_step = models.TextField(_("Næste skridt"), blank=True, max_length=TEXT_SHORT)
    follow_up_on = models.DateField(_("Opfølgningsdato"), null=True, blank=True)
    for_partnership = models.BooleanField(
        _("Til behandling i partnerskabet"),
        default=False,
        help_text=_("Sæt virksomheden på partnerskabets næste møde."),
    )
    # Optimistic locking: every save increments it; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)
    completed_at = models.DateTimeField(_("afsluttet"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("besøg")
        verbose_name_plural = _("besøg")
        indexes = [
            models.Index(fields=["company", "-visit_date"], name="visit_company_date"),
            models.Index(fields=["visit_date"], name="visit_date"),
            models.Index(fields=["follow_up_on"], name="visit_follow_up"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visit_date:%d.%m.%Y} – {self.company.name}"

    def get_absolute_url(self) -> str:
        return reverse("companies:visit_detail", args=[self.pk])


class CompetenceNeedQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"

    def open(self):
        return self.filter(status__in=[CompetenceNeed.Status.IDENTIFIED, CompetenceNeed.Status.IN_PROGRESS])


class CompetenceNeed(models.Model):
    """A competence need (kompetencebehov) found at a firm, usually during a visit."""

    class Area(models.TextChoices):
        DIGITAL = "digitalisering", _("Digitalisering og automatisering")
        LEADERSHIP = "ledelse", _("Ledelse")
        PRODUCTION = "produktion", _("Produktion")
        SALES = "salg", _("Salg og service")
        LANGUAGE = "sprog", _("Sprog")
        IT = "it", _("IT")
        HR = "hr", _("HR")
        GREEN = "groen", _("Grøn omstilling")
        OTHER = "andet", _("Andet")

    class Urgency(models.TextChoices):
        HIGH = "hoej", _("Haster (inden for 3 måneder)")
        MEDIUM = "middel", _("Inden for et år")
        LOW = "lav", _("På længere sigt")

    class Status(models.TextChoices):
        IDENTIFIED = "identificeret", _("Identificeret")
        IN_PROGRESS = "i_gang", _("I gang")
        COVERED = "daekket", _("Dækket")
        DROPPED = "droppet", _("Droppet")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="needs", verbose_name=_("Virksomhed"))
    visit = models.ForeignKey(
        Visit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("Fra besøg"),
    )
    area = models.CharField(_("Område"), max_length=20, choices=Area.choices)
    description = models.TextField(_("Beskrivelse"), max_length=TEXT_SHORT)
    employees_affected = models.PositiveIntegerField(
        _("Antal medarbejdere"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    staff_unskilled = models.BooleanField(_("Ufaglærte"), default=False)
    staff_skilled = models.BooleanField(_("Faglærte"), default=False)
    staff_salaried = models.BooleanField(_("Funktionærer"), default=False)
    staff_managers = models.BooleanField(_("Ledere"), default=False)
    urgency = models.CharField(_("Hastighed"), max_length=10, choices=Urgency.choices, default=Urgency.MEDIUM)
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.IDENTIFIED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = CompetenceNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("kompetencebehov")
        verbose_name_plural = _("kompetencebehov")
        indexes = [models.Index(fields=["company", "status"], name="need_company_status")]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description[:60]}"

    @property
    def staff_groups(self) -> list[str]:
        labels = [
            (self.staff_unskilled, _("Ufaglærte")),
            (self.staff_skilled, _("Faglærte")),
            (self.staff_salaried, _("Funktionærer")),
            (self.staff_managers, _("Ledere")),
        ]
        return [str(label) for flag, label in labels if flag]


class StatusChangeQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"


class StatusChange(models.Model):
    """One step of a firm's case through the pipeline; the firm's timeline shows them."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("fra"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("til"), max_length=20, choices=CaseStatus.choices)
    note = models.CharField(_("Bemærkning"), max_length=500, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")
        indexes = [models.Index(fields=["company", "-changed_at"], name="statuschange_company")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.from_status} → {self.to_status}"


class AgendaProposalQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def pending(self):
        return self.filter(status=AgendaProposal.Status.PENDING)


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
