"""ESF participants: registering a person (CPR validated, encrypted, hashed), their ESF facts and results,
enrolments with training lines and RKV results, revealing and exporting a CPR number, and documents.

A CPR number passes through here as a local variable only: it is validated, hashed, encrypted and
forgotten. It is never put in an exception's message, a log line, a task's arguments or a return
value except ``participant_reveal_cpr``'s, whose caller shows it once and records nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities import cpr, crypto
from activities.models import (
    ActivityPlan,
    Course,
    CprReveal,
    Enrollment,
    Participant,
    ParticipantDocument,
    RKVResult,
    TrainingLine,
)
from activities.services.common import PROGRAMME_START, clean_note, day, period, raise_if
from activities.uploads import check_scan
from companies.models import Company
from kompetence.validation import validate
from partnerships.models import ActivityType, Partnership, User

REVEAL_PERMISSION = "activities.reveal_cpr"

# The ESF facts a form edits (CPR, birth date and the identity are handled apart).
PARTICIPANT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "gender",
    "entry_date",
    "exit_date",
    "employment_status",
    "unemployed_months",
    "in_education_at_entry",
    "isced",
    "migrant",
    "disability",
    "other_disadvantage",
    "homeless",
    "rural",
    "consent_on",
    "privacy_notice_given",
)


class DuplicateParticipant(ValidationError):
    """The CPR number is registered already. ``existing`` is the person when the user may open them,
    else None (the message names the partnership holding the registration, nothing about the person)."""

    def __init__(self, message: str, *, existing: Participant | None):
        super().__init__({"cpr": [ValidationError(message, code="duplicate")]})
        self.existing = existing


class TwoFactorRequired(PermissionDenied):
    """Revealing a CPR number needs a login with two-factor authentication."""


def participant_check_cpr(*, value: str, by: User, participant: Participant | None = None) -> tuple[str, str]:
    """``(number, keyed hash)`` of a valid CPR number not registered to anyone else; else a keyed error."""
    try:
        number = cpr.validate_cpr(value)
    except ValidationError as exc:
        raise ValidationError({"cpr": exc.error_list}) from None
    digest = crypto.keyed_hash(number)
    duplicate = Participant.objects.filter(cpr_hash=digest).exclude(pk=getattr(participant, "pk", None)).first()
    if duplicate is not None:
        raise _duplicate(duplicate, by=by)
    return number, digest


def _duplicate(duplicate: Participant, *, by: User) -> DuplicateParticipant:
    if Participant.objects.for_user(by).filter(pk=duplicate.pk).exists():
        return DuplicateParticipant(_("Personen er allerede registreret som deltager."), existing=duplicate)
    name = Partnership.objects.filter(pk=duplicate.partnership_id).values_list("name", flat=True).first()
    return DuplicateParticipant(
        _(
            "Personen er allerede registreret som deltager i %(partnership)s. En person registreres kun én gang "
            "i programmet: kontakt partnerskabets sekretariat."
        )
        % {"partnership": name},
        existing=None,
    )


def participant_validate(*, fields: dict[str, Any], birth_date: dt.date | None) -> None:
    """The rules of the ESF facts, all messages at once."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    entry, exit_ = fields.get("entry_date"), fields.get("exit_date")
    if entry is None:
        errors["entry_date"] = _("Skriv startdatoen (den dag personen startede i projektet).")
    elif entry < PROGRAMME_START:
        errors["entry_date"] = _("Startdatoen kan ikke ligge før programmets start (1. januar 2017).")
    elif entry > today + dt.timedelta(days=366):
        errors["entry_date"] = _("Startdatoen ligger mere end et år ude i fremtiden.")
    elif birth_date is not None and entry < birth_date:
        errors["entry_date"] = _("Startdatoen ligger før fødselsdatoen.")
    if exit_ is not None and entry is not None and exit_ < entry:
        errors["exit_date"] = _("Ophørsdatoen kan ikke ligge før startdatoen.")
    status = fields.get("employment_status")
    if status not in Participant.EmploymentStatus.values:
        errors["employment_status"] = _("Vælg beskæftigelsesstatus ved start.")
    elif status == Participant.EmploymentStatus.UNEMPLOYED and fields.get("unemployed_months") is None:
        errors["unemployed_months"] = _("Skriv hvor mange måneder personen har været ledig (langtidsledighed).")
    elif status != Participant.EmploymentStatus.UNEMPLOYED and fields.get("unemployed_months") is not None:
        errors["unemployed_months"] = _("Ledighedens varighed udfyldes kun for ledige.")
    consent = fields.get("consent_on")
    if consent is not None and consent > today:
        errors["consent_on"] = _("Datoen for samtykket kan ikke ligge i fremtiden.")
    if fields.get("gender") and fields["gender"] not in Participant.Gender.values:
        errors["gender"] = _("Vælg køn.")
    raise_if(errors)


@transaction.atomic
def participant_register(
    *,
    by: User,
    cpr_number: str,
    partnership: Partnership,
    employer: Company | None = None,
    enroll_in: ActivityPlan | None = None,
    enrollment: dict[str, Any] | None = None,
    **fields: Any,
) -> Participant:
    """Register a person as an ESF participant, and (``enroll_in``) enrol them in an activity, in one step.

    The CPR number must be valid (date part) and not registered to anyone (``DuplicateParticipant``,
    pointing at the existing person when the user may see them); birth date and gender follow from
    it (the gender may be given to correct it). The employer must be a firm of the partnership.
    """
    number, digest = participant_check_cpr(value=cpr_number, by=by)
    birth = cpr.birth_date(number)
    fields.setdefault("gender", cpr.gender(number))
    fields["gender"] = fields["gender"] or cpr.gender(number)
    participant_validate(fields=fields, birth_date=birth)
    if employer is not None and employer.partnership_id != partnership.pk:
        raise ValidationError({"employer": _("Arbejdsgiveren skal være en virksomhed i partnerskabet.")})
    participant = Participant(
        partnership=partnership,
        employer=employer,
        cpr_token=crypto.encrypt(number),
        cpr_hash=digest,
        birth_date=birth,
        created_by=by,
        **{name: value for name, value in fields.items() if name in PARTICIPANT_FIELDS},
    )
    participant._history_user = by
    validate(participant, exclude=["partnership", "employer", "cpr_hash", "cpr_token"])
    try:
        # Two people registering the same person at once: the unique hash lets one in.
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        existing = Participant.objects.filter(cpr_hash=digest).first()
        if existing is None:
            raise
        raise _duplicate(existing, by=by) from None
    if enroll_in is not None:
        enroll(plan=enroll_in, participant=participant, by=by, **(enrollment or {}))
    return participant


@transaction.atomic
def participant_update(
    *, participant: Participant, by: User, employer: Company | None = None, cpr_number: str | None = None, **fields: Any
) -> Participant:
    """Change a participant's ESF facts (and, with ``cpr_number``, correct the CPR number)."""
    if participant.anonymised_at:
        raise ValidationError({"__all__": _("Deltageren er anonymiseret og kan ikke ændres.")})
    birth = participant.birth_date
    if cpr_number:
        number, digest = participant_check_cpr(value=cpr_number, by=by, participant=participant)
        birth = cpr.birth_date(number)
        participant.cpr_token, participant.cpr_hash, participant.birth_date = crypto.encrypt(number), digest, birth
    merged = {name: fields.get(name, getattr(participant, name)) for name in PARTICIPANT_FIELDS}
    participant_validate(fields=merged, birth_date=birth)
    if employer is not None and employer.partnership_id != participant.partnership_id:
        raise ValidationError({"employer": _("Arbejdsgiveren skal være en virksomhed i partnerskabet.")})
    for name, value in merged.items():
        setattr(participant, name, value)
    participant.employer = employer
    if participant.exit_date:
        latest = (
            participant.enrollments.exclude(end_date__isnull=True)
            .order_by("-end_date")
            .values_list("end_date", flat=True)
            .first()
        )
        if latest and latest > participant.exit_date:
            raise ValidationError(
                {
                    "exit_date": _("Personen deltager i en aktivitet til %(day)s; ophørsdatoen kan ikke ligge før.")
                    % {"day": day(latest)}
                }
            )
    participant._history_user = by
    validate(participant, exclude=["partnership", "employer", "cpr_hash", "cpr_token"])
    participant.save()
    return participant


@transaction.atomic
def participant_exit_result(
    *,
    participant: Participant,
    by: User,
    on: dt.date,
    in_education: bool,
    qualification: bool,
    employed: bool,
    job_searching: bool,
) -> Participant:
    """The result at exit (within four weeks of it): several may hold."""
    _check_result_date(participant, on)
    participant.exit_result_on = on
    participant.result_in_education, participant.result_qualification = in_education, qualification
    participant.result_employed, participant.result_job_searching = employed, job_searching
    participant._history_user = by
    participant.save()
    return participant


@transaction.atomic
def participant_six_month_result(
    *, participant: Participant, by: User, on: dt.date, employed: bool, improved: bool
) -> Participant:
    """The result six months after exit. "Improved" applies to those employed at entry."""
    _check_result_date(participant, on)
    if improved and participant.employment_status != Participant.EmploymentStatus.EMPLOYED:
        raise ValidationError(
            {"improved": _("»Forbedret situation« gælder kun deltagere, der var i beskæftigelse ved start.")}
        )
    participant.result6_on, participant.result6_employed, participant.result6_improved = on, employed, improved
    participant._history_user = by
    participant.save()
    return participant


def _check_result_date(participant: Participant, on: dt.date) -> None:
    if participant.anonymised_at:
        raise ValidationError({"__all__": _("Deltageren er anonymiseret.")})
    if participant.exit_date is None:
        raise ValidationError({"on": _("Registrér ophørsdatoen, før resultatet registreres.")})
    if on is None:
        raise ValidationError({"on": _("Skriv datoen for resultatet.")})
    if on < participant.exit_date:
        raise ValidationError(
            {"on": _("Resultatet kan ikke ligge før ophørsdatoen %(day)s.") % {"day": day(participant.exit_date)}}
        )
    if on > timezone.localdate():
        raise ValidationError({"on": _("Datoen kan ikke ligge i fremtiden.")})


# ---------------------------------------------------------------------------
# Enrolments, training lines, RKV results
# ---------------------------------------------------------------------------
@transaction.atomic
def enroll(
    *,
    plan: ActivityPlan,
    participant: Participant,
    by: User,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    role: str = Enrollment.Role.EMPLOYEE,
    hours: Decimal = Decimal(0),
) -> Enrollment:
    """Enrol a participant in an activity, within the activity's dates and the person's time in the project."""
    start_date = start_date or max(plan.start, participant.entry_date)
    errors: dict[str, str] = {}
    if plan.status in (ActivityPlan.Status.COMPLETED, ActivityPlan.Status.CANCELLED):
        errors["__all__"] = _("Der kan ikke tilmeldes deltagere til en afsluttet eller annulleret aktivitet.")
    if participant.anonymised_at:
        errors["participant"] = _("Deltageren er anonymiseret.")
    if participant.partnership_id != plan.company.partnership_id:
        errors["participant"] = _("Deltageren er registreret i et andet partnerskab.")
    if plan.enrollments.filter(participant=participant).exists():
        errors["participant"] = _("Deltageren er allerede tilmeldt aktiviteten.")
    within = period(plan.start, plan.end)
    if start_date < plan.start or start_date > plan.end:
        errors["start_date"] = _("Tilmeldingen skal ligge inden for aktivitetens periode (%(period)s).") % {
            "period": within
        }
    elif start_date < participant.entry_date:
        errors["start_date"] = _("Deltageren startede i projektet den %(day)s; tilmeldingen kan ikke begynde før.") % {
            "day": day(participant.entry_date)
        }
    if end_date is not None:
        if end_date < start_date:
            errors["end_date"] = _("Slutdatoen kan ikke ligge før startdatoen.")
        elif end_date > plan.end:
            errors["end_date"] = _("Tilmeldingen skal ligge inden for aktivitetens periode (%(period)s).") % {
                "period": within
            }
        elif participant.exit_date and end_date > participant.exit_date:
            errors["end_date"] = _("Deltageren ophørte i projektet den %(day)s.") % {"day": day(participant.exit_date)}
    if hours is not None and hours < 0:
        errors["hours"] = _("Timer kan ikke være negative.")
    if role not in Enrollment.Role.values:
        errors["role"] = _("Vælg en rolle.")
    elif role == Enrollment.Role.SUBSTITUTE and plan.activity_type.kind != ActivityType.Kind.JOBROTATION:
        errors["role"] = _("Ledige vikarer hører til jobrotation.")
    raise_if(errors)
    enrollment = Enrollment(
        plan=plan,
        participant=participant,
        role=role,
        start_date=start_date,
        end_date=end_date,
        hours=hours or 0,
        created_by=by,
    )
    validate(enrollment, exclude=["plan", "participant"])
    enrollment.save()
    return enrollment


def course_by_number(number: str) -> Course:
    text = (number or "").strip()
    course = Course.objects.filter(number=text).first()
    if course is None:
        raise ValidationError(
            {"course_number": _("AMU-nummeret %(number)s findes ikke i kursuskataloget.") % {"number": text[:10]}}
        )
    return course


@transaction.atomic
def training_line_add(
    *,
    enrollment: Enrollment,
    by: User,
    start_date: dt.date,
    end_date: dt.date,
    course_number: str = "",
    other_education: str = "",
    provider: str = "",
    status: str = TrainingLine.Status.PLANNED,
    qualifying: bool | None = None,
    days: Decimal | None = None,
) -> TrainingLine:
    """A line of a training plan: an AMU course by its number in the catalogue, or another education."""
    plan = enrollment.plan
    errors: dict[str, str] = {}
    if plan.activity_type.kind != ActivityType.Kind.TRAINING_PLAN:
        raise ValidationError({"__all__": _("Uddannelseslinjer hører til uddannelsesplaner.")})
    course = None
    if (course_number or "").strip():
        course = course_by_number(course_number)
    elif not (other_education or "").strip():
        errors["course_number"] = _("Skriv et AMU-nummer, eller beskriv den anden uddannelse.")
    if start_date is None:
        errors["start_date"] = _("Skriv startdatoen.")
    if end_date is None:
        errors["end_date"] = _("Skriv slutdatoen.")
    if start_date and end_date:
        if end_date < start_date:
            errors["end_date"] = _("Slutdatoen kan ikke ligge før startdatoen.")
        elif start_date < enrollment.start_date or end_date > (enrollment.end_date or plan.end):
            errors["start_date"] = _("Linjen skal ligge inden for deltagerens tilmelding (%(period)s).") % {
                "period": period(enrollment.start_date, enrollment.end_date or plan.end)
            }
    qualifying = course.qualifying if qualifying is None and course else bool(qualifying)
    if plan.type_mapping.requires_qualifying_education and not qualifying:
        errors["qualifying"] = _(
            "En akse 4-aktivitet skal føre til en erhvervskompetencegivende uddannelse (socialfondens krav)."
        )
    if days is None:
        days = course.days if course else None
    if days is None:
        errors["days"] = _("Skriv antal dage.")
    elif days < 0:
        errors["days"] = _("Antal dage kan ikke være negativt.")
    raise_if(errors)
    line = TrainingLine(
        enrollment=enrollment,
        course=course,
        other_education="" if course else other_education.strip(),
        provider=(provider or "").strip(),
        start_date=start_date,
        end_date=end_date,
        days=days,
        status=status,
        qualifying=qualifying,
    )
    validate(line, exclude=["enrollment", "course"])
    line.save()
    return line


@transaction.atomic
def training_line_set_status(*, line: TrainingLine, status: str, by: User) -> TrainingLine:
    if status not in TrainingLine.Status.values:
        raise ValidationError({"status": _("Vælg en gyldig status.")})
    line.status = status
    line.save(update_fields=["status"])
    return line


@transaction.atomic
def rkv_result_save(
    *,
    enrollment: Enrollment,
    by: User,
    assessor: str,
    assessed_on: dt.date,
    recognised: str = "",
    recommended_courses: Iterable[Course] = (),
    recommended_other: str = "",
    certificate: str = "",
) -> RKVResult:
    """The RKV's result for one participant (one per enrolment; saving again replaces it)."""
    if enrollment.plan.activity_type.kind != ActivityType.Kind.RKV:
        raise ValidationError({"__all__": _("RKV-resultater hører til RKV-aktiviteter.")})
    errors = {}
    if not (assessor or "").strip():
        errors["assessor"] = _("Skriv hvem der foretog vurderingen.")
    if assessed_on is None:
        errors["assessed_on"] = _("Skriv datoen for vurderingen.")
    elif assessed_on > timezone.localdate():
        errors["assessed_on"] = _("Datoen kan ikke ligge i fremtiden.")
    elif assessed_on < enrollment.start_date:
        errors["assessed_on"] = _("Vurderingen kan ikke ligge før tilmeldingen (%(day)s).") % {
            "day": day(enrollment.start_date)
        }
    raise_if(errors)
    result = RKVResult.objects.filter(enrollment=enrollment).first() or RKVResult(enrollment=enrollment)
    result.assessor, result.assessed_on = assessor.strip(), assessed_on
    result.recognised, result.recommended_other = (recognised or "").strip(), (recommended_other or "").strip()
    result.certificate = certificate or ""
    validate(result, exclude=["enrollment"])
    result.save()
    result.recommended_courses.set(list(recommended_courses))
    return result


# ---------------------------------------------------------------------------
# Revealing and exporting CPR numbers
# ---------------------------------------------------------------------------
def _check_reveal(*, by: User, reason: str, two_factor: bool) -> str:
    if not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied
    if not two_factor:
        raise TwoFactorRequired(
            _("Du skal være logget ind med totrinsbekræftelse for at se CPR-numre. Log ud, og log ind med din kode.")
        )
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": _("Skriv hvorfor du skal se CPR-nummeret (mindst 5 tegn).")})
    return clean_note(reason, field="reason")


@transaction.atomic
def participant_reveal_cpr(*, participant: Participant, by: User, reason: str, two_factor: bool) -> str:
    """The participant's full CPR number (``010190-1234``), for a user with ``activities.reveal_cpr`` who
    logged in with two factors and gives a reason. The reveal is recorded (who, when, why) first."""
    reason = _check_reveal(by=by, reason=reason, two_factor=two_factor)
    if participant.anonymised_at or not participant.cpr_token:
        raise ValidationError({"reason": _("Deltageren er anonymiseret; CPR-nummeret er slettet.")})
    CprReveal.objects.create(
        participant=participant, kind=CprReveal.Kind.REVEAL, reason=reason, by=by, at=timezone.now()
    )
    return cpr.formatted(crypto.decrypt(participant.cpr_token))


def participant_cpr_export(
    *, participants: Iterable[Participant], by: User, reason: str, two_factor: bool, at: dt.datetime | None = None
) -> Iterator[tuple[Participant, str]]:
    """``(participant, CPR)`` for an export with full CPR numbers; each exported number is recorded as an
    export (who, when, why) before any is returned. Without the permission: PermissionDenied.

    ``at``: the moment the export was asked for, when it is written later (a file built in the
    background): a number already recorded as exported by ``by`` at that moment is not recorded
    again, so a retried build records each number once."""
    reason = _check_reveal(by=by, reason=reason, two_factor=two_factor)
    rows = [p for p in participants if p.cpr_token and not p.anonymised_at]
    now = at or timezone.now()
    with transaction.atomic():
        recorded: set[int] = set()
        if at is not None and rows:
            recorded = set(
                CprReveal.objects.filter(
                    participant__in=[p.pk for p in rows], by=by, kind=CprReveal.Kind.EXPORT, at=at
                ).values_list("participant_id", flat=True)
            )
        CprReveal.objects.bulk_create(
            [
                CprReveal(participant=p, kind=CprReveal.Kind.EXPORT, reason=reason, by=by, at=now)
                for p in rows
                if p.pk not in recorded
            ]
        )
    for participant in rows:
        yield participant, cpr.formatted(crypto.decrypt(participant.cpr_token))


# ---------------------------------------------------------------------------
# Documents (signed start and exit forms)
# ---------------------------------------------------------------------------
@transaction.atomic
def participant_document_add(
    *, participant: Participant, by: User, kind: str, file: UploadedFile | None
) -> ParticipantDocument:
    if kind not in ParticipantDocument.Kind.values:
        raise ValidationError({"kind": _("Vælg hvilket dokument det er.")})
    stored, display = check_scan(file, field="file")
    document = ParticipantDocument(participant=participant, kind=kind, name=display, uploaded_by=by)
    document.file.save(stored, file, save=False)
    document.save()
    return document
