"""Company visits and the competence needs found at them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models.firms import TEXT_LONG, TEXT_SHORT, Company, ContactPerson
from partnerships.scoping import PartnershipScopedQuerySet


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
            # "Firms I took part in a visit of" (Mine virksomheder, the follow-up panel) goes from the
            # user's rows in the consultants table to each visit's firm: with the firm in the index
            # that is an index-only look-up per visit instead of a scan of every visit.
            models.Index(fields=["id", "company"], name="visit_id_company"),
            # Draft visits (a few percent of all), newest first: the dashboard's "Dine kladder".
            models.Index(fields=["-visit_date", "-id"], condition=models.Q(status="kladde"), name="visit_drafts"),
            # The dashboards' completed visits of a period (visits, joint visits, firms reached): read
            # from the index alone, not from the wide rows (reporting.indicators.firms).
            models.Index(fields=["status", "visit_date"], include=["id", "company", "kind"], name="visit_status_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.visit_date:%d.%m.%Y} – {self.company.name}"

    def get_absolute_url(self) -> str:
        return reverse("companies:visit_detail", args=[self.pk])


class CompetenceNeedQuerySet(PartnershipScopedQuerySet):
    partnership_path = "company__partnership"

    def open(self):
        return self.filter(status__in=CompetenceNeed.OPEN_STATUSES)

    def training(self):
        return self.filter(kind=CompetenceNeed.Kind.TRAINING)

    def recruitment(self):
        return self.filter(kind=CompetenceNeed.Kind.RECRUITMENT)


class CompetenceNeed(models.Model):
    """A competence need (kompetencebehov) found at a firm, usually during a visit."""

    class Kind(models.TextChoices):
        TRAINING = "kompetence", _("Kompetenceudvikling")
        # The details of a recruitment need are in ``companies.models.recruitment.RecruitmentNeed``.
        RECRUITMENT = "rekruttering", _("Rekruttering")

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
    kind = models.CharField(_("Slags behov"), max_length=20, choices=Kind.choices, default=Kind.TRAINING)
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
    # A need is open until it is covered or dropped.
    OPEN_STATUSES = (Status.IDENTIFIED, Status.IN_PROGRESS)

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
        indexes = [
            models.Index(fields=["company", "status"], name="need_company_status"),
            # The firm list's "Har åbne behov" filter: the open needs' firms, half the rows to read.
            models.Index(
                fields=["company"],
                name="need_open_company",
                condition=models.Q(status__in=["identificeret", "i_gang"]),
            ),
            models.Index(fields=["kind", "status", "-created_at", "-id"], name="need_kind_status"),
            # "Rekrutteringsbehov": PostgreSQL merge-joins the needs with their recruitment rows on id; the
            # recruitment needs' own ids let that join end with the last of them instead of reading every
            # other need in the table looking for one more (see bench/notes/recr.md).
            models.Index(
                fields=["id"],
                name="need_recruitment_id",
                condition=models.Q(kind="rekruttering"),
            ),
        ]

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
