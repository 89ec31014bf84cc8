"""Recruiting a firm into an ESF project, with its three signed declarations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Declaration, Recruitment, recruitment_complete_on
from activities.services.common import PROGRAMME_START, day
from activities.uploads import check_scan
from companies.models import Company
from kompetence.validation import validate
from partnerships.models import ESFProject, User


@transaction.atomic
def recruitment_create(
    *,
    company: Company,
    project: ESFProject,
    by: User,
    sme_staff: int,
    sme_turnover_eur_m: Decimal | None = None,
    sme_balance_eur_m: Decimal | None = None,
    linked_enterprises: str = "",
    other_de_minimis_eur: Decimal = Decimal(0),
    fiscal_year_start_month: int = 1,
) -> Recruitment:
    """Recruit ``company`` into ``project`` (once per project; a second project is a second recruitment)."""
    if Recruitment.objects.filter(company=company, project=project).exists():
        raise ValidationError({"project": _("Virksomheden er allerede rekrutteret til %(p)s.") % {"p": project.name}})
    recruitment = Recruitment(
        company=company,
        project=project,
        recruited_by=by,
        sme_staff=sme_staff,
        sme_turnover_eur_m=sme_turnover_eur_m,
        sme_balance_eur_m=sme_balance_eur_m,
        linked_enterprises=(linked_enterprises or "").strip(),
        other_de_minimis_eur=other_de_minimis_eur if other_de_minimis_eur is not None else Decimal(0),
        fiscal_year_start_month=fiscal_year_start_month,
    )
    validate(recruitment, exclude=["company", "project"])
    try:
        with transaction.atomic():
            recruitment.save()
    except IntegrityError:
        raise ValidationError(
            {"project": _("Virksomheden er allerede rekrutteret til %(p)s.") % {"p": project.name}}
        ) from None
    return recruitment


@transaction.atomic
def declaration_add(
    *,
    recruitment: Recruitment,
    kind: str,
    signed_on: dt.date,
    signed_by: str,
    scan: UploadedFile | None,
    by: User,
) -> Declaration:
    """Record one signed declaration with its scan (checked by content and size)."""
    errors = {}
    if kind not in Declaration.Kind.values:
        errors["kind"] = _("Vælg en erklæring.")
    elif recruitment.declarations.filter(kind=kind).exists():
        errors["kind"] = _("%(kind)s er allerede registreret.") % {"kind": Declaration.Kind(kind).label}
    if signed_on is None:
        errors["signed_on"] = _("Skriv datoen for underskriften.")
    elif signed_on > timezone.localdate():
        errors["signed_on"] = _("Underskriftsdatoen kan ikke ligge i fremtiden.")
    elif signed_on < PROGRAMME_START:
        errors["signed_on"] = _("Underskriftsdatoen kan ikke ligge før programmets start (1. januar 2017).")
    if not (signed_by or "").strip():
        errors["signed_by"] = _("Skriv hvem der underskrev for virksomheden.")
    if errors:
        raise ValidationError(errors)
    stored, display = check_scan(scan)
    declaration = Declaration(
        recruitment=recruitment,
        kind=kind,
        signed_on=signed_on,
        signed_by=signed_by.strip(),
        scan_name=display,
        uploaded_by=by,
    )
    validate(declaration, exclude=["recruitment", "scan"])
    declaration.scan.save(stored, scan, save=False)
    declaration.save()
    return declaration


def recruitment_for(*, company: Company, project: ESFProject) -> Recruitment | None:
    return Recruitment.objects.filter(company=company, project=project).prefetch_related("declarations").first()


def recruitment_check(*, company: Company, project: ESFProject, on: dt.date) -> None:
    """Refuse (keyed ``status``) when the firm is not recruited into ``project`` by the day ``on``."""
    recruitment = recruitment_for(company=company, project=project)
    complete = recruitment_complete_on(list(recruitment.declarations.all())) if recruitment else None
    if complete is None:
        raise ValidationError(
            {
                "status": _(
                    "Virksomheden er ikke rekrutteret til ESF-projektet »%(project)s«: SMV-erklæring, de "
                    "minimis-erklæring og hensigtserklæring skal være underskrevet og registreret, før "
                    "aktiviteten kan starte."
                )
                % {"project": project.name}
            }
        )
    if complete > on:
        raise ValidationError(
            {
                "status": _(
                    "Virksomheden blev først rekrutteret til »%(project)s« den %(day)s; aktiviteten kan ikke "
                    "starte før."
                )
                % {"project": project.name, "day": day(complete)}
            }
        )
