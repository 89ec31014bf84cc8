"""ESF participants: the person (CPR encrypted at rest), the ESF facts at entry and the results, the
enrolments in activities with their training lines and RKV results, and the record of every reveal.

CPR numbers are stored only as a Fernet token (``cpr_token``) and a keyed hash (``cpr_hash``, for
finding a person registered twice) — see ``activities.crypto``. Neither is ever shown, logged or put
in a history table (``HistoricalRecords(excluded_fields=...)`` below leaves out the CPR and the
person's name and contact details, so anonymisation leaves no copy behind). The masked form shown on
pages (``010190-****``) comes from the birth date, so lists decrypt nothing.

The ESF facts are stored as facts (dates, statuses, levels); indicators are computed from them by
the reporting work, never stored.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from activities import cpr
from activities.models.catalogue import Course
from activities.models.plans import HOURS, ActivityPlan
from companies.models import TEXT_SHORT
from partnerships.scoping import PartnershipScopedQuerySet


class YesNoDeclined(models.TextChoices):
    """Special-category data (ESF Annex I): the person may decline to answer."""

    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    DECLINED = "oensker_ikke", _("Ønsker ikke at svare")


class YesNoUnknown(models.TextChoices):
    YES = "ja", _("Ja")
    NO = "nej", _("Nej")
    UNKNOWN = "ukendt", _("Ikke oplyst")


class ParticipantQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def active(self):
        return self.filter(anonymised_at__isnull=True)


# The person's identifiers: never in the history table, emptied by anonymisation.
IDENTIFYING_FIELDS = ("cpr_token", "cpr_hash", "first_name", "last_name", "email", "phone")


class Participant(models.Model):
    """A person taking part in the programme's activities (an ESF participant), recorded once."""

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Kvinde")
        MAN = "man", _("Mand")
        NON_BINARY = "non_binary", _("Nonbinær")

    class EmploymentStatus(models.TextChoices):
        EMPLOYED = "employed", _("Beskæftiget (også selvstændig)")
        UNEMPLOYED = "unemployed", _("Ledig")
        INACTIVE = "inactive", _("Uden for arbejdsstyrken")

    class Isced(models.IntegerChoices):
        ISCED_0 = 0, _("ISCED 0: Ingen eller førskole")
        ISCED_1 = 1, _("ISCED 1: Grundskole til og med 6. klasse")
        ISCED_2 = 2, _("ISCED 2: Grundskole 7.-10. klasse")
        ISCED_3 = 3, _("ISCED 3: Gymnasial eller erhvervsfaglig uddannelse")
        ISCED_4 = 4, _("ISCED 4: Erhvervsfaglig overbygning (fx EUX, adgangskursus)")
        ISCED_5 = 5, _("ISCED 5: Kort videregående uddannelse")
        ISCED_6 = 6, _("ISCED 6: Mellemlang videregående uddannelse (bachelor)")
        ISCED_7 = 7, _("ISCED 7: Lang videregående uddannelse (kandidat)")
        ISCED_8 = 8, _("ISCED 8: Ph.d.")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="+", verbose_name=_("partnerskab")
    )
    employer = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("arbejdsgiver"),
        help_text=_("Tom for ledige (fx vikarer i jobrotation)."),
    )
    # Identity: encrypted CPR, keyed hash, name and contact (removed by anonymisation).
    cpr_token = models.TextField(editable=False, blank=True)
    # NULL, not "", once anonymised: a unique column may hold many NULLs but only one "".
    cpr_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)  # noqa: DJ001
    first_name = models.CharField(_("fornavn"), max_length=100, blank=True)
    last_name = models.CharField(_("efternavn"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=20, blank=True)
    # Derived from the CPR number; the gender may be corrected.
    birth_date = models.DateField(_("fødselsdato"), editable=False)
    gender = models.CharField(_("køn"), max_length=12, choices=Gender.choices)
    # ESF facts at entry.
    entry_date = models.DateField(_("startdato"))
    exit_date = models.DateField(_("ophørsdato"), null=True, blank=True)
    employment_status = models.CharField(
        _("beskæftigelsesstatus ved start"), max_length=12, choices=EmploymentStatus.choices
    )
    unemployed_months = models.PositiveSmallIntegerField(
        _("ledig i antal måneder"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    in_education_at_entry = models.BooleanField(_("i uddannelse ved start"), default=False)
    isced = models.PositiveSmallIntegerField(
        _("højeste fuldførte uddannelse"), choices=Isced.choices, null=True, blank=True
    )
    migrant = models.CharField(
        _("migrant, udenlandsk baggrund eller minoritet"),
        max_length=12,
        choices=YesNoDeclined.choices,
        blank=True,
    )
    disability = models.CharField(_("handicap"), max_length=12, choices=YesNoDeclined.choices, blank=True)
    other_disadvantage = models.CharField(
        _("anden form for ugunstig stilling"), max_length=12, choices=YesNoDeclined.choices, blank=True
    )
    homeless = models.CharField(
        _("hjemløs eller udelukket fra boligmarkedet"),
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
    )
    rural = models.CharField(
        _("bor i landdistrikt"), max_length=8, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    consent_on = models.DateField(_("samtykke til registrering givet den"), null=True, blank=True)
    privacy_notice_given = models.BooleanField(_("oplysning om databeskyttelse givet"), default=False)
    # Result at exit (within four weeks): several may hold. None: not registered yet.
    exit_result_on = models.DateField(_("resultat ved ophør registreret den"), null=True, blank=True)
    result_in_education = models.BooleanField(_("i uddannelse eller oplæring"), null=True, blank=True)
    result_qualification = models.BooleanField(_("har opnået kvalifikationer"), null=True, blank=True)
    result_employed = models.BooleanField(_("i beskæftigelse"), null=True, blank=True)
    result_job_searching = models.BooleanField(_("jobsøgende"), null=True, blank=True)
    # Result six months after exit.
    result6_on = models.DateField(_("resultat efter seks måneder registreret den"), null=True, blank=True)
    result6_employed = models.BooleanField(_("i beskæftigelse efter seks måneder"), null=True, blank=True)
    result6_improved = models.BooleanField(
        _("forbedret situation på arbejdsmarkedet"),
        null=True,
        blank=True,
        help_text=_(
            "Fra usikker til fast job, fra under- til fuld beskæftigelse, et job med højere krav eller en "
            "forfremmelse. En lønstigning alene tæller ikke."
        ),
    )
    is_demo = models.BooleanField(default=False, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=list(IDENTIFYING_FIELDS))

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        permissions = [
            ("reveal_cpr", _("Kan se deltageres fulde CPR-nummer (kræver begrundelse og totrinslogin)")),
            ("export_participant", _("Kan eksportere deltagerlister")),
        ]
        indexes = [
            models.Index(fields=["partnership", "last_name", "first_name", "id"], name="participant_name"),
            models.Index(fields=["last_name", "first_name", "id"], name="participant_name_all"),
            models.Index(fields=["exit_date"], name="participant_exit"),
            # The dashboards' participants who entered in a period (reporting.indicators.participants).
            models.Index(fields=["entry_date"], name="participant_entry"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_date__isnull=True) | models.Q(exit_date__gte=models.F("entry_date")),
                name="participant_exit_after_entry",
                violation_error_message=_("Ophørsdatoen kan ikke ligge før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        if self.anonymised_at:
            return _("Anonymiseret deltager %(pk)s") % {"pk": self.pk}
        return self.full_name or self.cpr_masked

    def get_absolute_url(self) -> str:
        return reverse("activities:participant_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def cpr_masked(self) -> str:
        if self.anonymised_at:
            return ""
        return cpr.masked(self.birth_date)

    def age_on(self, day: dt.date) -> int:
        birth = self.birth_date
        return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))

    @property
    def age_at_entry(self) -> int:
        return self.age_on(self.entry_date)

    @property
    def exit_result_due(self) -> dt.date | None:
        """Four weeks after exit: the ESF's immediate result."""
        return self.exit_date + dt.timedelta(weeks=4) if self.exit_date else None

    @property
    def result6_due(self) -> dt.date | None:
        """Six months after exit (the same day six months later; the month's last day when it has none)."""
        if not self.exit_date:
            return None
        return add_months(self.exit_date, 6)


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class EnrollmentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "plan__company__partnership"


class Enrollment(models.Model):
    """A participant taking part in one activity, with the dates and hours of that part."""

    class Role(models.TextChoices):
        EMPLOYEE = "medarbejder", _("Medarbejder")
        SUBSTITUTE = "vikar", _("Ledig vikar (jobrotation)")
        PLACED = "placeret", _("Tilknyttet person")

    plan = models.ForeignKey(ActivityPlan, on_delete=models.CASCADE, related_name="enrollments")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="enrollments")
    role = models.CharField(_("rolle"), max_length=12, choices=Role.choices, default=Role.EMPLOYEE)
    start_date = models.DateField(_("deltager fra"))
    end_date = models.DateField(_("deltager til og med"), null=True, blank=True)
    hours = models.DecimalField(_("deltagertimer"), default=0, **HOURS)
    hired_afterwards = models.BooleanField(
        _("ansat bagefter"), null=True, blank=True, help_text=_("For vikarer i jobrotation.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "start_date", "pk"]
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "participant"],
                name="enrollment_once_per_plan",
                violation_error_message=_("Deltageren er allerede tilmeldt aktiviteten."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.plan_id}"

    def get_absolute_url(self) -> str:
        return reverse("activities:enrollment_detail", args=[self.pk])


class TrainingLineQuerySet(PartnershipScopedQuerySet):
    partnership_path = "enrollment__plan__company__partnership"


class TrainingLine(models.Model):
    """A line of a participant's training plan: an AMU course of the catalogue, or another education."""

    class Status(models.TextChoices):
        PLANNED = "planlagt", _("Planlagt")
        ENROLLED = "tilmeldt", _("Tilmeldt")
        COMPLETED = "gennemfoert", _("Gennemført")
        DROPPED = "afbrudt", _("Afbrudt")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="training_lines")
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("AMU-kursus")
    )
    other_education = models.CharField(
        _("anden uddannelse"), max_length=200, blank=True, help_text=_("Når linjen ikke er et AMU-kursus.")
    )
    provider = models.CharField(_("udbyder"), max_length=200, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("slut"))
    days = models.DecimalField(_("dage"), max_digits=5, decimal_places=1, validators=[MinValueValidator(0)])
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    qualifying = models.BooleanField(
        _("erhvervskompetencegivende"), default=True, help_text=_("Kræves for akse 4-aktiviteter.")
    )

    objects = TrainingLineQuerySet.as_manager()

    class Meta:
        ordering = ["enrollment", "start_date", "pk"]
        verbose_name = _("uddannelseslinje")
        verbose_name_plural = _("uddannelseslinjer")

    def __str__(self) -> str:
        return str(self.course) if self.course_id else self.other_education


class RKVResultQuerySet(PartnershipScopedQuerySet):
    partnership_path = "enrollment__plan__company__partnership"


class RKVResult(models.Model):
    """The result of one participant's RKV (realkompetencevurdering)."""

    class Certificate(models.TextChoices):
        NONE = "", _("Intet bevis")
        COMPETENCE = "kompetencebevis", _("Kompetencebevis")
        EDUCATION = "uddannelsesbevis", _("Uddannelsesbevis")

    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="rkv_result")
    assessor = models.CharField(_("bedømmer"), max_length=200)
    assessed_on = models.DateField(_("vurderet den"))
    recognised = models.TextField(_("anerkendte kompetencer"), blank=True, max_length=TEXT_SHORT)
    recommended_courses = models.ManyToManyField(
        Course, blank=True, related_name="+", verbose_name=_("anbefalede AMU-kurser")
    )
    recommended_other = models.TextField(_("andre anbefalinger"), blank=True, max_length=TEXT_SHORT)
    certificate = models.CharField(_("bevis"), max_length=20, choices=Certificate.choices, blank=True, default="")

    objects = RKVResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("RKV-resultat")
        verbose_name_plural = _("RKV-resultater")

    def __str__(self) -> str:
        return f"RKV {self.enrollment_id}"


class CprRevealQuerySet(PartnershipScopedQuerySet):
    partnership_path = "participant__partnership"


class CprReveal(models.Model):
    """Someone saw or exported a participant's full CPR number: who, when, why (the person may ask)."""

    class Kind(models.TextChoices):
        REVEAL = "vist", _("Vist på skærmen")
        EXPORT = "eksport", _("Eksporteret")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="cpr_reveals")
    kind = models.CharField(_("art"), max_length=8, choices=Kind.choices)
    reason = models.CharField(_("begrundelse"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("tidspunkt"))

    objects = CprRevealQuerySet.as_manager()

    class Meta:
        ordering = ["participant", "-at", "-pk"]
        verbose_name = _("visning af CPR-nummer")
        verbose_name_plural = _("visninger af CPR-numre")
        indexes = [models.Index(fields=["participant", "at"], name="cprreveal_participant")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class DocumentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "participant__partnership"


class ParticipantDocument(models.Model):
    """A signed start or exit form (or other evidence for the audit), uploaded as a scan."""

    class Kind(models.TextChoices):
        START_FORM = "startskema", _("Underskrevet deltagerstartskema")
        EXIT_FORM = "ophoersskema", _("Underskrevet ophørsskema")
        OTHER = "andet", _("Anden dokumentation")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("dokument"), max_length=14, choices=Kind.choices)
    file = models.FileField(_("fil"), upload_to="deltagere/%Y/", max_length=200)
    name = models.CharField(max_length=200, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["participant", "-uploaded_at"]
        verbose_name = _("deltagerdokument")
        verbose_name_plural = _("deltagerdokumenter")

    def __str__(self) -> str:
        return self.name


class AnonymisationRun(models.Model):
    """What one run of the retention task did (shown in the admin; the task returns the same counts)."""

    ran_at = models.DateTimeField(_("kørt"))
    cutoff = models.DateField(_("skæringsdato"), help_text=_("Deltagere anonymiseres fra denne dato."))
    participants = models.PositiveIntegerField(_("anonymiserede deltagere"), default=0)
    documents = models.PositiveIntegerField(_("slettede dokumenter"), default=0)

    class Meta:
        ordering = ["-ran_at"]
        verbose_name = _("anonymiseringskørsel")
        verbose_name_plural = _("anonymiseringskørsler")

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d}: {self.participants}"


class FormPrintQuerySet(PartnershipScopedQuerySet):
    partnership_path = "participant__partnership"


class ParticipantFormPrint(models.Model):
    """A pre-filled start or exit form (deltagerstart-/ophørsskema) for the participant to sign, as PDF.

    Rendered in Celery on the ``pdf`` queue. The form shows the CPR number masked with a blank for the
    last four digits, which the participant writes by hand: no CPR number is ever in a generated file.
    """

    class Kind(models.TextChoices):
        START = "start", _("Deltagerstartskema")
        EXIT = "ophoer", _("Ophørsskema")

    class Status(models.TextChoices):
        PENDING = "afventer", _("Dannes")
        READY = "klar", _("Klar")
        FAILED = "fejlet", _("Fejlede")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="form_prints")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to="deltagerskemaer/%Y/", max_length=200, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=500, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)

    objects = FormPrintQuerySet.as_manager()

    class Meta:
        verbose_name = _("udskrift af deltagerskema")
        verbose_name_plural = _("udskrifter af deltagerskemaer")
        constraints = [models.UniqueConstraint(fields=["participant", "kind"], name="formprint_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.kind}"
