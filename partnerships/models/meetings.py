"""Partnership meetings: series, meetings, invitations and attendance, the agenda, minutes with
amendments, action items, learning and hand-over notes, and the private calendar feed.

Everything here belongs to a partnership. Agenda items about a firm and decisions about a firm are
part of the firm's case and live in ``companies.models.agenda``; they point down at ``Meeting`` and
``AgendaItem``. This module never names them.

Times are stored as aware datetimes (UTC in the database) and shown in Europe/Copenhagen; a series
is planned in local wall-clock time (every second Tuesday at 9:00), so its meetings stay at 9:00 on
both sides of a daylight-saving change.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models.people import Partnership
from partnerships.models.reference import System
from partnerships.scoping import PartnershipScopedQuerySet

TEXT_SHORT = 2000
TEXT_LONG = 10000


class MeetingKind(models.TextChoices):
    STEERING = "styregruppe", _("Styregruppemøde")
    CONSULTANTS = "konsulentgruppe", _("Konsulentgruppemøde")
    JOINT_VISIT_PLANNING = "besoegsplanlaegning", _("Planlægning af fælles virksomhedsbesøg")


class MeetingSeriesQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class MeetingSeries(models.Model):
    """A recurring plan (e.g. every second Tuesday at 9:00 from January to June) that was expanded
    into one ``Meeting`` per date, minus the exception dates. The meetings are then ordinary
    meetings: each can be moved, cancelled or given its own agenda."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="meeting_series", verbose_name=_("Partnerskab")
    )
    kind = models.CharField(_("Mødetype"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("Titel"), max_length=200, blank=True)
    starts_on = models.DateField(_("Første møde"))
    ends_on = models.DateField(_("Sidste mulige dato"))
    interval_weeks = models.PositiveSmallIntegerField(
        _("Hver ... uge"), default=2, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    start_time = models.TimeField(_("Starttid"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("Varighed (minutter)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    location = models.CharField(_("Mødested/lokale"), max_length=200, blank=True)
    video_url = models.URLField(_("Videolink"), max_length=500, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tovholder"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    objects = MeetingSeriesQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("mødeserie")
        verbose_name_plural = _("mødeserier")

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class MeetingSeriesException(models.Model):
    """A date the series skips (a holiday, a week with a conference)."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="exceptions")
    on_date = models.DateField(_("Dato"))
    reason = models.CharField(_("Begrundelse"), max_length=200, blank=True)

    class Meta:
        ordering = ["on_date"]
        verbose_name = _("undtagelse i mødeserie")
        verbose_name_plural = _("undtagelser i mødeserie")
        constraints = [models.UniqueConstraint(fields=["series", "on_date"], name="seriesexception_unique_date")]

    def __str__(self) -> str:
        return f"{self.series}: {self.on_date}"


class MeetingQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def active(self):
        """Meetings that take (or took) place: not cancelled."""
        return self.exclude(status=Meeting.Status.CANCELLED)

    def overlapping(self, start, end):
        """Active meetings whose time overlaps [start, end)."""
        return self.active().filter(start__lt=end, end__gt=start)


class Meeting(models.Model):
    """A meeting of a partnership's steering group or consultant group, run by its secretariat."""

    class Status(models.TextChoices):
        PLANNED = "planlagt", _("Planlagt")
        INVITED = "indkaldt", _("Indkaldt")
        HELD = "afholdt", _("Afholdt")
        APPROVED = "godkendt", _("Referat godkendt")
        CANCELLED = "aflyst", _("Aflyst")

    # Statuses in which the meeting's time, place and agenda may still change.
    OPEN_STATUSES = (Status.PLANNED, Status.INVITED, Status.HELD)

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("Partnerskab")
    )
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings", editable=False
    )
    # The date the series planned this meeting for; stays when the meeting is moved.
    series_date = models.DateField(null=True, blank=True, editable=False)
    kind = models.CharField(_("Mødetype"), max_length=30, choices=MeetingKind.choices)
    title = models.CharField(_("Titel"), max_length=200, blank=True)
    start = models.DateTimeField(_("Start"))
    end = models.DateTimeField(_("Slut"))
    location = models.CharField(
        _("Mødested/lokale"), max_length=200, blank=True, help_text=_("Fx »Mødelokale 2, VEU-center Aarhus«.")
    )
    video_url = models.URLField(_("Videolink"), max_length=500, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_meetings",
        verbose_name=_("Tovholder"),
        help_text=_("Leder mødet og godkender referatet."),
    )
    status = models.CharField(_("Status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # The calendar identity of the meeting: the UID never changes, SEQUENCE grows with every change
    # that calendar clients must pick up (RFC 5545, 3.8.7.4).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # What the last invitation showed (see services.meetings.invitation_digest).
    invitation_digest = models.CharField(max_length=64, blank=True, editable=False)
    invited_at = models.DateTimeField(_("indkaldt"), null=True, blank=True, editable=False)
    draft_sent_at = models.DateTimeField(_("udkast sendt"), null=True, blank=True, editable=False)
    cancelled_reason = models.CharField(_("Begrundelse for aflysning"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        indexes = [
            models.Index(fields=["partnership", "start"], name="meeting_partnership_start"),
            models.Index(fields=["start", "id"], name="meeting_start"),
            models.Index(fields=["lead", "start"], name="meeting_lead_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"),
            models.UniqueConstraint(
                fields=["series", "series_date"],
                condition=models.Q(series__isnull=False),
                name="meeting_one_per_series_date",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.display_title} {local:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("partnerships:meeting_detail", args=[self.pk])

    @property
    def display_title(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def is_locked(self) -> bool:
        """Approved minutes and cancelled meetings are not edited any more."""
        return self.status in (self.Status.APPROVED, self.Status.CANCELLED)


class Attendance(models.Model):
    """One person's invitation to a meeting: the answer given in the portal, and whether the person
    actually came (recorded with the minutes)."""

    class Response(models.TextChoices):
        PENDING = "afventer", _("Har ikke svaret")
        ACCEPTED = "deltager", _("Deltager")
        DECLINED = "afbud", _("Afbud")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_attendances")
    # The person's system when invited, so an old attendance list keeps its systems when people move.
    system = models.ForeignKey(System, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation_name = models.CharField(max_length=200, blank=True)
    response = models.CharField(_("Svar"), max_length=10, choices=Response.choices, default=Response.PENDING)
    comment = models.CharField(_("Bemærkning"), max_length=300, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("Deltog"), null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    # The SEQUENCE of the last invitation (or cancellation) e-mailed to this person: a retried task
    # sends nothing twice.
    sent_sequence = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["meeting", "system__sort_order", "user__first_name", "user__last_name", "pk"]
        verbose_name = _("deltager")
        verbose_name_plural = _("deltagere")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} – {self.meeting}"


class ActionItemQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"

    def open(self):
        return self.filter(status=ActionItem.Status.OPEN)


class ActionItem(models.Model):
    """A task agreed at a meeting ("handlingspunkt"), with an owner and a due date. Open items come
    back on the partnership's next agenda until they are closed."""

    class Status(models.TextChoices):
        OPEN = "aaben", _("Åben")
        DONE = "udfoert", _("Udført")
        CANCELLED = "annulleret", _("Annulleret")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="action_items")
    meeting = models.ForeignKey(Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items")
    agenda_item = models.ForeignKey(
        "AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(_("Handlingspunkt"), max_length=300)
    description = models.TextField(_("Beskrivelse"), max_length=TEXT_SHORT, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="action_items", verbose_name=_("Ansvarlig")
    )
    due_on = models.DateField(_("Frist"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closing_note = models.CharField(_("Bemærkning ved afslutning"), max_length=500, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("handlingspunkt")
        verbose_name_plural = _("handlingspunkter")
        indexes = [
            models.Index(fields=["partnership", "status"], name="actionitem_partnership"),
            models.Index(fields=["owner", "status"], name="actionitem_owner"),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    """One point of a meeting's agenda, with its presenter, time and (in the minutes) its note.

    Items about a firm's case are ordinary agenda items of kind ``FIRM_CASE`` (or
    ``DECISION_FOLLOW_UP``); the firm they are about is recorded by the companies app, which points
    at the item. Reordering, presenters, times and notes are therefore the same for every item.
    """

    class Kind(models.TextChoices):
        STANDING = "fast", _("Fast punkt")
        FIRM_CASE = "virksomhed", _("Virksomhedssag")
        DECISION_FOLLOW_UP = "beslutning", _("Opfølgning på beslutning")
        ACTION_FOLLOW_UP = "handling", _("Opfølgning på handlingspunkt")
        OTHER = "andet", _("Punkt")

    class Status(models.TextChoices):
        PROPOSED = "foreslaaet", _("Foreslået af medlem")
        ON_AGENDA = "dagsorden", _("På dagsordenen")
        DECLINED = "afvist", _("Ikke taget med")

    class Standing(models.TextChoices):
        EXPERIENCE_EXCHANGE = "erfaringsudveksling", _("Erfaringsudveksling")
        NEWS = "nyt", _("Nyt fra organisationerne")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("Type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.ON_AGENDA)
    standing = models.CharField(max_length=30, choices=Standing.choices, blank=True)
    title = models.CharField(_("Punkt"), max_length=200)
    description = models.TextField(_("Beskrivelse"), max_length=TEXT_SHORT, blank=True)
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Oplægsholder"),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("Tid (minutter)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    # The minutes' note for this item.
    note = models.TextField(_("Referat"), max_length=TEXT_LONG, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsordenspunkter")
        indexes = [models.Index(fields=["meeting", "status", "position"], name="agendaitem_meeting")]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action_item"],
                condition=models.Q(action_item__isnull=False),
                name="agendaitem_action_once_per_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "standing"],
                condition=~models.Q(standing=""),
                name="agendaitem_standing_once_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaCommentQuerySet(PartnershipScopedQuerySet):
    partnership_path = "meeting__partnership"


class AgendaComment(models.Model):
    """A member's comment on a draft agenda (as a whole, or on one of its points), written after the
    secretariat sent the draft for comments and before the meeting begins."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_comments")
    agenda_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("Punkt"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("Kommentar"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AgendaCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentar til dagsorden")
        verbose_name_plural = _("kommentarer til dagsorden")
        indexes = [models.Index(fields=["meeting", "created_at"], name="agendacomment_meeting")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.text[:40]}"


class Minutes(models.Model):
    """The minutes (referat) of a meeting: a draft the secretariat writes, which the meeting's lead
    approves. Approved minutes are locked; corrections are amendments with author and time."""

    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        APPROVED = "godkendt", _("Godkendt")

    class PdfStatus(models.TextChoices):
        NONE = "", _("Ikke lavet")
        PENDING = "venter", _("Bliver lavet")
        READY = "klar", _("Klar")
        FAILED = "fejl", _("Fejlet")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("Generelle bemærkninger"), max_length=TEXT_LONG, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The PDF of the approved minutes (with amendments), stored through Django's storage API and
    # served only through an access-checked view.
    pdf = models.FileField(upload_to="referater/", max_length=300, blank=True)
    pdf_status = models.CharField(max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE, blank=True)
    pdf_source_hash = models.CharField(max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)
    pdf_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("referat")
        verbose_name_plural = _("referater")

    def __str__(self) -> str:
        return f"{_('Referat')}: {self.meeting}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class MinutesAmendment(models.Model):
    """A correction to approved minutes: never a silent edit, always with author and time."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("Dagsordenspunkt"),
    )
    text = models.TextField(_("Rettelse"), max_length=TEXT_SHORT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("rettelse til referat")
        verbose_name_plural = _("rettelser til referat")

    def __str__(self) -> str:
        return f"{self.minutes}: {self.text[:40]}"


class LearningNoteQuerySet(PartnershipScopedQuerySet):
    partnership_path = "partnership"


class LearningNote(models.Model):
    """What the partnership learned at a meeting ("erfaringer"), or what the members take back to
    their home organisations ("overlevering"): CARMA found neither was written down."""

    class Kind(models.TextChoices):
        LEARNING = "erfaring", _("Erfaring")
        HANDOVER = "overlevering", _("Overlevering til organisationerne")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="learning_notes")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="notes")
    kind = models.CharField(_("Type"), max_length=15, choices=Kind.choices, default=Kind.LEARNING)
    text = models.TextField(_("Tekst"), max_length=TEXT_SHORT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LearningNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("erfaring eller overlevering")
        verbose_name_plural = _("erfaringer og overleveringer")
        indexes = [models.Index(fields=["partnership", "-created_at"], name="learningnote_partnership")]

    def __str__(self) -> str:
        return self.text[:60]


class CalendarFeedToken(models.Model):
    """A user's private calendar feed address. Only a hash of the secret is stored; the address is
    shown once, when it is made. Revoking it makes the address answer 404."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kalenderabonnement")
        verbose_name_plural = _("kalenderabonnementer")
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(revoked_at__isnull=True), name="calendartoken_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({'tilbagekaldt' if self.revoked_at else 'aktiv'})"
