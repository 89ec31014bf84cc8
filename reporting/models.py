"""Reporting's own rows: generated reports, the programme's targets, partnerships' own goals and the
financial partners' signed partnership declarations.

Indicators are never stored: they are computed from the facts (``reporting.indicators``). What is
stored here is what people decide (a target, a goal, a narrative) and what the background work
produced (a report's file and checksum).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.scoping import PartnershipScopedQuerySet, member_partnership_ids, user_sees_everything

NARRATIVE_MAX = 4000


def indicator_choices() -> list[tuple[str, str]]:
    """The indicators a target or a goal may name (read when a form or a check needs them)."""
    from reporting.indicators.catalogue import target_choices

    return target_choices()


# The files with people in them, and the permission it takes to see one (``reporting.reports.files``).
FILE_PERMISSIONS = {
    "esf_deltagere": "activities.export_participant",
    "aktiviteter": "activities.export_activityplan",
}


class ReportQuerySet(PartnershipScopedQuerySet):
    """Who sees which report, decided here (the report pages ask nothing else):

    * with ``reporting.view_report``: a partnership's reports are seen by its members, programme-wide
      ones (no partnership) by those who see everything;
    * a file of participants or activities (``FILE_PERMISSIONS``) only by those whose role may export
      it; one's own such files always, also without ``view_report`` (a consultant's big activity list);
    * a file with full CPR numbers only by the person who asked for it.
    """

    partnership_path = "partnership"

    def for_user(self, user):
        if not (user.is_authenticated and user.is_active):
            return self.none()
        exportable = [kind for kind, perm in FILE_PERMISSIONS.items() if user.has_perm(perm)]
        visible = models.Q(requested_by=user.pk, kind__in=exportable)
        if user.has_perm("reporting.view_report"):
            # (An empty Q() would be dropped from the OR, not read as "every row": say so plainly.)
            scope = (
                models.Q(pk__isnull=False)
                if user_sees_everything(user)
                else models.Q(partnership__in=member_partnership_ids(user))
            )
            hidden = [kind for kind in FILE_PERMISSIONS if kind not in exportable]
            visible |= scope & ~models.Q(kind__in=hidden) if hidden else scope
        return self.filter(visible).exclude(models.Q(cpr=True) & ~models.Q(requested_by=user.pk))

    def unfinished(self):
        return self.filter(status__in=Report.UNFINISHED)


class Report(models.Model):
    """One generation of a report (a PDF, or a big spreadsheet built in the background).

    Created by ``reporting.reports.services.report_request`` in status *queued*; the Celery task
    claims it (*running*), renders it and stores the file through Django's storage API (*done*),
    or records why it could not (*failed*). A retried or duplicated task finds the row done and does
    nothing, so one request is one file.
    """

    class Kind(models.TextChoices):
        PROGRESS = "fremdrift", _("Fremdriftsrapport til Vækstforum")
        ESF_STATUS = "esf_status", _("Halvårlig ESF-status")
        ESF_PARTICIPANTS = "esf_deltagere", _("ESF-deltagerfil")
        ACTIVITIES = "aktiviteter", _("Aktivitetsliste")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("I gang")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlet")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("rapport"), max_length=20, choices=Kind.choices, default=Kind.PROGRESS)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices, default=Format.PDF)
    period_start = models.DateField(_("periode fra"))
    period_end = models.DateField(_("periode til og med"))
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partnerskab"),
        help_text=_("Tom: hele programmet."),
    )
    project = models.ForeignKey(
        "partnerships.ESFProject",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ESF-projekt"),
    )
    parameters = models.JSONField(_("parametre"), default=dict, blank=True)
    # Narrative fields project management writes before generating (the progress report prints them).
    summary = models.TextField(_("sammenfatning"), blank=True, max_length=NARRATIVE_MAX)
    highlights = models.TextField(_("resultater og gode eksempler"), blank=True, max_length=NARRATIVE_MAX)
    challenges = models.TextField(_("udfordringer"), blank=True, max_length=NARRATIVE_MAX)
    outlook = models.TextField(_("næste skridt"), blank=True, max_length=NARRATIVE_MAX)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestilt af"),
        help_text=_("Tom: bestilt af tidsplanen."),
    )
    requested_at = models.DateTimeField(_("bestilt"))
    scheduled = models.BooleanField(_("fra tidsplanen"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField(_("trin"), max_length=100, blank=True)
    error = models.CharField(_("fejl"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    # The claim of the render that holds the row; only its holder may finish it (services.reports).
    claim = models.CharField(max_length=32, blank=True, editable=False)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    render_seconds = models.FloatField(_("tid (sekunder)"), null=True, blank=True)
    file = models.FileField(_("fil"), upload_to="rapporter/%Y/", max_length=200, blank=True)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("størrelse (bytes)"), null=True, blank=True)
    notified_at = models.DateTimeField(_("ledelsen underrettet"), null=True, blank=True)
    # A file with full CPR numbers: only its requester sees it, it is stored encrypted and deleted
    # ``REPORT_CPR_FILE_HOURS`` after it was made (``reporting.reports.files``).
    cpr = models.BooleanField(_("med fulde CPR-numre"), default=False)
    file_deleted_at = models.DateTimeField(_("filen slettet"), null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")
        permissions = [
            ("view_programme_dashboard", _("Kan se programmets overblik med indikatorer og budget")),
            ("view_partnership_dashboard", _("Kan se partnerskabets overblik med indikatorer")),
            ("view_budget", _("Kan se budget og forbrug")),
            ("export_indicators", _("Kan eksportere indikatorer og budget")),
        ]
        indexes = [
            models.Index(fields=["status", "started_at"], name="report_status_started"),
            models.Index(fields=["kind", "-requested_at"], name="report_kind_requested"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_order",
                violation_error_message=_("Periodens slutdato må ikke ligge før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        from reporting.periods import Period

        return Period(self.period_start, self.period_end).label

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        """The name a download gets: ``fremdriftsrapport-2018.pdf``."""
        from django.utils.text import slugify

        def slug(text: str) -> str:
            danish = str(text).translate(
                str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
            )
            return slugify(danish)

        parts = [slug(self.get_kind_display())[:40], "med-cpr" if self.cpr else "", slug(self.period_label)]
        if self.partnership_id:
            parts.append(slug(self.partnership.name)[:40])
        return "-".join(p for p in parts if p) + f".{self.format}"


class Target(models.Model):
    """A programme target for one indicator and one calendar year, set by project management."""

    indicator = models.CharField(_("indikator"), max_length=40, choices=indicator_choices)
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2014), MaxValueValidator(2100)])
    value = models.DecimalField(_("mål"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "indicator"]
        verbose_name = _("programmål")
        verbose_name_plural = _("programmål")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="target_one_per_indicator_year",
                violation_error_message=_("Der er allerede et mål for denne indikator i dette år."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.year}: {self.value}"


class PartnershipGoalQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class PartnershipGoal(models.Model):
    """A partnership's own development goal (CARMA: the partnerships had none, only activity targets).

    A goal in words, optionally tied to an indicator with a target value and a date; reviewed at the
    partnership's self-evaluation (``GoalReview``).
    """

    class Status(models.TextChoices):
        ACTIVE = "aktiv", _("Aktivt")
        ACHIEVED = "naaet", _("Nået")
        DROPPED = "opgivet", _("Opgivet")

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+", verbose_name=_("partnerskab")
    )
    title = models.CharField(_("mål"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True, max_length=2000)
    indicator = models.CharField(_("indikator"), max_length=40, blank=True, choices=indicator_choices)
    target_value = models.DecimalField(
        _("målværdi"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    start_on = models.DateField(_("gælder fra"))
    due_on = models.DateField(_("skal være nået"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = PartnershipGoalQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "status", "due_on", "pk"]
        verbose_name = _("partnerskabets mål")
        verbose_name_plural = _("partnerskabernes mål")
        indexes = [models.Index(fields=["partnership", "status"], name="goal_partnership_status")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reporting:goal_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.indicator and self.target_value is None:
            errors["target_value"] = _("Angiv en målværdi, når målet er knyttet til en indikator.")
        if self.target_value is not None and not self.indicator:
            errors["indicator"] = _("Vælg den indikator, målværdien gælder.")
        if self.indicator and not self.due_on:
            errors["due_on"] = _("Angiv, hvornår målværdien skal være nået.")
        if self.due_on and self.start_on and self.due_on < self.start_on:
            errors["due_on"] = _("Datoen må ikke ligge før målets startdato.")
        if errors:
            raise ValidationError(errors)


class GoalReviewQuerySet(PartnershipScopedQuerySet):
    partnership_path = "goal__partnership"


class GoalReview(models.Model):
    """The partnership's review of one of its goals, usually at a self-evaluation round."""

    class Assessment(models.TextChoices):
        ON_TRACK = "paa_vej", _("På vej")
        BEHIND = "bagud", _("Bagud")
        ACHIEVED = "naaet", _("Nået")
        DROPPED = "opgivet", _("Opgivet")

    goal = models.ForeignKey(PartnershipGoal, on_delete=models.CASCADE, related_name="reviews")
    evaluation = models.ForeignKey(
        "partnerships.SelfEvaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("selvevaluering"),
    )
    reviewed_on = models.DateField(_("gennemgået den"))
    assessment = models.CharField(_("vurdering"), max_length=10, choices=Assessment.choices)
    note = models.TextField(_("begrundelse"), max_length=2000)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["goal", "-reviewed_on", "-pk"]
        verbose_name = _("gennemgang af mål")
        verbose_name_plural = _("gennemgange af mål")

    def __str__(self) -> str:
        return f"{self.goal_id} {self.reviewed_on}: {self.assessment}"


class PartnershipDeclaration(models.Model):
    """A financial partner's signed partnership declaration (partnerskabserklæring) for an ESF project.

    The partners' approved hours are project costs only with a signed declaration; the budget page
    lists the organisations whose hours count without one.
    """

    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    project = models.ForeignKey(
        "partnerships.ESFProject", on_delete=models.PROTECT, related_name="+", verbose_name=_("ESF-projekt")
    )
    signed_on = models.DateField(_("underskrevet den"))
    signed_by = models.CharField(_("underskrevet af"), max_length=150)
    note = models.CharField(_("bemærkning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "organisation__name"]
        verbose_name = _("partnerskabserklæring")
        verbose_name_plural = _("partnerskabserklæringer")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "project"],
                name="declaration_one_per_partner_project",
                violation_error_message=_("Organisationen har allerede en erklæring for dette projekt."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.project}"
