"""Værktøjskassen (the programme's forms, guides and templates, with version history) and the
common introduction checklist each new member of a partnership works through.

A document is either programme-wide (``partnership`` empty: every user sees it) or belongs to one
partnership (its members see it). Files are stored through Django's storage API under names that
say nothing about their content, and are only ever served by an access-checked view.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models.people import Membership, Partnership
from partnerships.scoping import PartnershipScopedQuerySet, member_partnership_ids, user_sees_everything

if TYPE_CHECKING:
    from partnerships.models import User


class ProgrammeWideQuerySet(PartnershipScopedQuerySet):
    """Rows of one partnership, or of the whole programme when ``partnership`` is empty."""

    partnership_path = "partnership"

    def for_user(self, user: User) -> Self:
        if not (user.is_authenticated and user.is_active):
            return self.none()
        if user_sees_everything(user):
            return self.all()
        return self.filter(Q(partnership__isnull=True) | Q(partnership__in=member_partnership_ids(user)))


class ToolboxDocument(models.Model):
    """A document in Værktøjskassen; its file is the newest of its versions."""

    class Category(models.TextChoices):
        PARTICIPANT_FORMS = "deltagerskemaer", _("Start- og slutskemaer for deltagere")
        TIMESHEETS = "timeregistrering", _("Timeregistrering")
        PROGRAMME = "program", _("Programbeskrivelse")
        AGREEMENTS = "aftaler", _("Partnerskabets aftaler")
        GUIDES = "vejledninger", _("Vejledninger")
        TEMPLATES = "skabeloner", _("Skabeloner")

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="toolbox_documents",
        verbose_name=_("Partnerskab"),
        help_text=_("Tom: dokumentet gælder hele programmet."),
    )
    category = models.CharField(_("Kategori"), max_length=20, choices=Category.choices)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beskrivelse"), max_length=2000, blank=True)
    is_archived = models.BooleanField(_("Arkiveret"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeWideQuerySet.as_manager()

    class Meta:
        ordering = ["category", "title", "pk"]
        verbose_name = _("dokument i værktøjskassen")
        verbose_name_plural = _("dokumenter i værktøjskassen")

    def __str__(self) -> str:
        return self.title


def _version_path(instance: ToolboxVersion, filename: str) -> str:
    # A random name: nothing about the content (or the uploader's file name) shows in storage.
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"vaerktoejskassen/{uuid.uuid4().hex}{suffix}"


class ToolboxVersion(models.Model):
    """One uploaded version of a toolbox document."""

    document = models.ForeignKey(ToolboxDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("Version"))
    file = models.FileField(upload_to=_version_path, max_length=300)
    original_name = models.CharField(_("Filnavn"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("Størrelse"))
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("Hvad er ændret?"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("version af dokument")
        verbose_name_plural = _("versioner af dokumenter")
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="toolboxversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class IntroductionStep(models.Model):
    """A step of the common introduction for new consultants (CARMA: a shared introduction and
    reference level). Programme-wide steps apply to every partnership; a partnership may add its own."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="introduction_steps",
        verbose_name=_("Partnerskab"),
    )
    position = models.PositiveSmallIntegerField(_("Rækkefølge"), default=0)
    title = models.CharField(_("Trin"), max_length=200)
    description = models.TextField(_("Beskrivelse"), max_length=2000, blank=True)
    document = models.ForeignKey(
        ToolboxDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Dokument i værktøjskassen"),
    )
    is_active = models.BooleanField(_("Aktiv"), default=True)

    objects = ProgrammeWideQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("introduktionstrin")
        verbose_name_plural = _("introduktionstrin")

    def __str__(self) -> str:
        return self.title


class IntroductionProgress(models.Model):
    """A member's step done, in one partnership."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="introduction_progress")
    step = models.ForeignKey(IntroductionStep, on_delete=models.CASCADE, related_name="progress")
    done_on = models.DateField(_("Udført"))
    note = models.CharField(_("Bemærkning"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["membership", "step__position"]
        verbose_name = _("udført introduktionstrin")
        verbose_name_plural = _("udførte introduktionstrin")
        constraints = [models.UniqueConstraint(fields=["membership", "step"], name="introductionprogress_unique")]

    def __str__(self) -> str:
        return f"{self.membership}: {self.step}"
