"""Pages of ESF participants: the list and its export, registration (alone or into an activity), the
participant page with the masked CPR and the reveal, ESF facts, results, documents, the reveal log, the
start and exit forms, enrolments with their training lines and RKV results, and the follow-up list.

A CPR number reaches a page in two places only: the registration form (what the user typed) and the
answer to a recorded reveal, which is rendered once and never cached. It is never in a URL, a message
or a redirect.
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import services
from activities.access import access_document, access_enrollment, access_participant, access_plan
from activities.filters import ParticipantFilter
from activities.forms.participants import (
    CprExportForm,
    DocumentForm,
    EnrollExistingForm,
    EnrollmentForm,
    ExitResultForm,
    ParticipantForm,
    RevealForm,
    RKVResultForm,
    SixMonthResultForm,
    TrainingLineForm,
)
from activities.models import Course, CprReveal, Participant, ParticipantFormPrint, TrainingLine
from activities.selectors.counts import list_total
from activities.selectors.participants import follow_up_list, participant_page, participant_rows, participants_for_list
from activities.selectors.plans import partnership_options
from activities.services import forms as form_forms
from activities.uploads import content_type_of, open_stored
from activities.views.common import error_messages, form_page, query_without_cursor
from kompetence.exports import Column, Kind, csv_response
from kompetence.forms import apply_service_errors
from kompetence.pagination import keyset_ordering, keyset_paginate
from kompetence.rules import rule
from partnerships.models import ActivityType

PAGE_SIZE = 50


def logged_in_with_two_factors(request: HttpRequest) -> bool:
    """Whether this session's login included a second factor (allauth records each step of a login)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response


# ---------------------------------------------------------------------------
# The list and the export
# ---------------------------------------------------------------------------
@rule(perm="activities.view_participant")
def participant_list(request: HttpRequest) -> HttpResponse:
    """The participants of the user's partnerships; masked CPR numbers from the birth date (nothing decrypted)."""
    filterset = ParticipantFilter(request.GET or None, queryset=participants_for_list(request.user), user=request.user)
    queryset = filterset.qs
    page = keyset_paginate(queryset, keys=filterset.sort_keys, cursor=request.GET.get("cursor"), page_size=PAGE_SIZE)
    context = {
        "filter": filterset,
        "page": page,
        "rows": participant_rows(
            page,
            today=timezone.localdate(),
            partnerships={int(pk): name for pk, name in partnership_options(request.user)},
        ),
        "total": list_total(queryset, filterset=filterset, user=request.user, name="participants"),
        "query_string": query_without_cursor(request),
        "export_form": CprExportForm(auto_id="eksport_%s") if request.user.has_perm("activities.reveal_cpr") else None,
    }
    return render(request, "activities/participant_list.html", context)


def _export_columns(with_cpr: bool) -> list[Column]:
    columns = [Column("CPR-nummer", Kind.CODE, value=lambda r: r[1])]
    columns += [
        Column("Fornavn", value=lambda r: r[0].first_name),
        Column("Efternavn", value=lambda r: r[0].last_name),
        Column("Køn", value=lambda r: r[0].get_gender_display()),
        Column("Fødselsdato", Kind.DATE, value=lambda r: r[0].birth_date),
        Column("Arbejdsgiver", value=lambda r: r[0].employer.name if r[0].employer_id else ""),
        Column("Startdato", Kind.DATE, value=lambda r: r[0].entry_date),
        Column("Ophørsdato", Kind.DATE, value=lambda r: r[0].exit_date),
        Column("Beskæftigelse ved start", value=lambda r: r[0].get_employment_status_display()),
        Column("ISCED", Kind.INTEGER, value=lambda r: r[0].isced),
    ]
    return columns


@rule(perm="activities.export_participant")
def participant_export(request: HttpRequest) -> HttpResponse:
    """The filtered participants as CSV. GET: CPR numbers masked. POST (reveal permission, two-factor login
    and a reason): full CPR numbers, each one recorded as exported."""
    data = request.GET if request.method == "GET" else request.POST
    filterset = ParticipantFilter(data or None, queryset=participants_for_list(request.user), user=request.user)
    if filterset.invalid:
        messages.error(request, _("Filteret er ugyldigt, så intet er eksporteret."))
        return redirect("activities:participant_list")
    people = filterset.qs.order_by(*keyset_ordering(Participant, filterset.sort_keys))
    filename = f"deltagere-{timezone.localdate():%Y-%m-%d}.csv"
    if request.method != "POST":
        rows = ((p, p.cpr_masked) for p in people.iterator(chunk_size=2000))
        return csv_response(filename, _export_columns(False), rows)
    form = CprExportForm(request.POST)
    form.is_valid()
    try:
        rows = services.participant_cpr_export(
            participants=list(people.only(*PARTICIPANT_EXPORT_FIELDS)),
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
            two_factor=logged_in_with_two_factors(request),
        )
        first = list(rows)
    except ValidationError as exc:
        error_messages(request, exc)
        return redirect("activities:participant_list")
    except services.TwoFactorRequired as exc:
        messages.error(request, str(exc))
        return redirect("activities:participant_list")
    return _no_store(csv_response(filename, _export_columns(True), first))


PARTICIPANT_EXPORT_FIELDS = (
    "cpr_token",
    "anonymised_at",
    "first_name",
    "last_name",
    "gender",
    "birth_date",
    "employer__name",
    "entry_date",
    "exit_date",
    "employment_status",
    "isced",
)


# ---------------------------------------------------------------------------
# Registering a participant
# ---------------------------------------------------------------------------
def _register(request: HttpRequest, *, plan=None) -> HttpResponse:
    user = request.user
    partnership = plan.company.partnership if plan else None
    form = ParticipantForm(
        request.POST or None,
        user=user,
        with_cpr=True,
        partnership=partnership,
        employer=plan.company if plan else None,
        prefix="deltager",
    )
    enrollment_form = EnrollmentForm(request.POST or None, prefix="tilmelding") if plan else None
    forms = [f for f in (form, enrollment_form) if f is not None]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        data = dict(form.cleaned_data)
        number = data.pop("cpr", "")
        try:
            participant = services.participant_register(
                by=user,
                cpr_number=number,
                partnership=partnership or data.pop("partnership"),
                employer=data.pop("employer"),
                enroll_in=plan,
                enrollment=dict(enrollment_form.cleaned_data) if enrollment_form else None,
                **{k: v for k, v in data.items() if k != "partnership"},
            )
        except services.DuplicateParticipant as exc:
            if exc.existing is not None:
                form.add_error("cpr", exc.error_dict["cpr"])
                form.existing = exc.existing
            else:
                apply_service_errors(form, exc)
        except ValidationError as exc:
            for target in forms:
                names = set(target.fields)
                apply_service_errors(target, ValidationError({k: v for k, v in exc.error_dict.items() if k in names}))
            rest = {k: v for k, v in exc.error_dict.items() if not any(k in f.fields for f in forms)}
            if rest:
                apply_service_errors(form, ValidationError(rest))
        else:
            messages.success(request, _("%(name)s er registreret som deltager.") % {"name": participant})
            return redirect(plan if plan else participant)
    title = _("Registrér deltager") if plan is None else _("Registrér og tilmeld deltager")
    response = render(
        request,
        "activities/participant_register.html",
        {"forms": forms, "form": form, "enrollment_form": enrollment_form, "plan": plan, "title": title},
    )
    return _no_store(response)


@rule(perm="activities.add_participant")
def participant_create(request: HttpRequest) -> HttpResponse:
    return _register(request)


@rule(perm="activities.add_participant", objects={"pk": "activities.ActivityPlan"})
def plan_register_participant(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(request.user, pk, perm="activities.add_enrollment")
    if not plan.is_open:
        messages.info(request, _("Der kan ikke tilmeldes deltagere til en afsluttet eller annulleret aktivitet."))
        return redirect(plan)
    return _register(request, plan=plan)


@rule(perm="activities.add_enrollment", objects={"pk": "activities.ActivityPlan"})
def plan_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    """Enrol a participant already registered in the partnership."""
    plan = access_plan(request.user, pk)
    form = EnrollExistingForm(request.POST or None, user=request.user, partnership=plan.company.partnership)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.enroll(plan=plan, by=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s er tilmeldt.") % {"name": data["participant"]})
            return redirect(plan)
    return form_page(
        request, title=_("Tilmeld deltager"), forms=[form], back_url=plan.get_absolute_url(), back_label=plan.title
    )


# ---------------------------------------------------------------------------
# The participant page, the reveal, the reveal log
# ---------------------------------------------------------------------------
def _participant_page(request: HttpRequest, participant: Participant, **extra) -> HttpResponse:
    user = request.user
    context = {
        "participant": participant,
        "page": participant_page(participant, user=user, today=timezone.localdate()),
        "can_change": user.has_perm("activities.change_participant") and not participant.anonymised_at,
        "can_reveal": user.has_perm("activities.reveal_cpr") and not participant.anonymised_at,
        "can_upload": user.has_perm("activities.add_participantdocument") and not participant.anonymised_at,
        "two_factor": logged_in_with_two_factors(request),
        "reveal_form": extra.pop("reveal_form", None) or RevealForm(auto_id="vis_%s"),
        "document_form": DocumentForm(auto_id="dok_%s"),
        **extra,
    }
    return _no_store(render(request, "activities/participant_detail.html", context))


@rule(perm="activities.view_participant", objects={"pk": "activities.Participant"})
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _participant_page(request, access_participant(request.user, pk))


@rule(perm="activities.reveal_cpr", objects={"pk": "activities.Participant"})
@require_POST
def participant_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full CPR number once, after recording who, when and why. The answer is the page itself
    (never a redirect, a message or a URL with the number), and it is not cached."""
    participant = access_participant(request.user, pk)
    form = RevealForm(request.POST, auto_id="vis_%s")
    shown = None
    if form.is_valid():
        try:
            shown = services.participant_reveal_cpr(
                participant=participant,
                by=request.user,
                reason=form.cleaned_data["reason"],
                two_factor=logged_in_with_two_factors(request),
            )
        except services.TwoFactorRequired as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
    return _participant_page(request, participant, reveal_form=form, revealed_cpr=shown)


@rule(perm="activities.view_cprreveal", objects={"pk": "activities.Participant"})
def participant_reveal_log(request: HttpRequest, pk: int) -> HttpResponse:
    """For the person who asks who has seen their data: every reveal and export of their CPR number."""
    participant = access_participant(request.user, pk)
    reveals = (
        CprReveal.objects.for_user(request.user).filter(participant=participant).select_related("by__organisation")
    )
    columns = [
        Column("Tidspunkt", Kind.DATETIME, value=lambda r: r.at),
        Column("Art", value=lambda r: r.get_kind_display()),
        Column("Bruger", value=lambda r: r.by.get_full_name() or r.by.email),
        Column("Organisation", value=lambda r: r.by.organisation.name if r.by.organisation_id else ""),
        Column("Begrundelse", value=lambda r: r.reason),
    ]
    return csv_response(f"cpr-visninger-deltager-{participant.pk}.csv", columns, reveals.order_by("at", "pk"))


# ---------------------------------------------------------------------------
# ESF facts, results, documents
# ---------------------------------------------------------------------------
@rule(perm="activities.change_participant", objects={"pk": "activities.Participant"})
def participant_update(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    if participant.anonymised_at:
        messages.info(request, _("Deltageren er anonymiseret og kan ikke ændres."))
        return redirect(participant)
    initial = {name: getattr(participant, name) for name in services.participants.PARTICIPANT_FIELDS}
    initial["employer"] = participant.employer_id
    form = ParticipantForm(
        request.POST or None, initial=initial, user=request.user, with_cpr=False, partnership=participant.partnership
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["gender"] = data.get("gender") or participant.gender
        try:
            services.participant_update(participant=participant, by=request.user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Oplysningerne er gemt."))
            return redirect(participant)
    return form_page(
        request,
        title=_("Ret ESF-oplysninger"),
        forms=[form],
        back_url=participant.get_absolute_url(),
        back_label=str(participant),
    )


@rule(perm="activities.change_participant", objects={"pk": "activities.Participant"})
def participant_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the result at exit (within four weeks) or six months after it."""
    participant = access_participant(request.user, pk)
    today = timezone.localdate()
    exit_form = ExitResultForm(
        request.POST if request.POST.get("which") == "exit" else None,
        prefix="exit",
        initial={
            "on": participant.exit_result_on or today,
            "in_education": participant.result_in_education,
            "qualification": participant.result_qualification,
            "employed": participant.result_employed,
            "job_searching": participant.result_job_searching,
        },
    )
    six_form = SixMonthResultForm(
        request.POST if request.POST.get("which") == "six" else None,
        prefix="six",
        initial={
            "on": participant.result6_on or today,
            "employed": participant.result6_employed,
            "improved": participant.result6_improved,
        },
    )
    if request.method == "POST":
        form = exit_form if exit_form.is_bound else six_form
        if form.is_bound and form.is_valid():
            try:
                if form is exit_form:
                    services.participant_exit_result(participant=participant, by=request.user, **form.cleaned_data)
                else:
                    services.participant_six_month_result(participant=participant, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Resultatet er registreret."))
                return redirect(participant)
    return render(
        request,
        "activities/participant_result.html",
        {"participant": participant, "exit_form": exit_form, "six_form": six_form, "forms": [exit_form, six_form]},
    )


@rule(perm="activities.add_participantdocument", objects={"pk": "activities.Participant"})
@require_POST
def document_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = access_participant(request.user, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.participant_document_add(
                participant=participant, by=request.user, kind=form.cleaned_data["kind"], file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            error_messages(request, exc)
        else:
            messages.success(request, _("Dokumentet er gemt."))
    else:
        messages.error(request, _("Vælg hvilket dokument det er, og vælg filen."))
    return redirect(participant)


@rule(perm="activities.view_participantdocument", objects={"pk": "activities.ParticipantDocument"})
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A signed form, served only through this access-checked view (never from MEDIA_URL)."""
    document = access_document(request.user, pk)
    response = FileResponse(open_stored(document.file), as_attachment=True, filename=document.name)
    response["Content-Type"] = content_type_of(document.file.name)
    return _no_store(response)


# ---------------------------------------------------------------------------
# Enrolments: training lines and RKV results
# ---------------------------------------------------------------------------
@rule(perm="activities.view_enrollment", objects={"pk": "activities.Enrollment"})
def enrollment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, pk)
    plan = enrollment.plan
    user = request.user
    kind = plan.activity_type.kind
    context = {
        "enrollment": enrollment,
        "plan": plan,
        "lines": list(TrainingLine.objects.for_user(user).filter(enrollment=enrollment).select_related("course")),
        "rkv_result": getattr(enrollment, "rkv_result", None) if kind == ActivityType.Kind.RKV else None,
        "is_training_plan": kind == ActivityType.Kind.TRAINING_PLAN,
        "is_rkv": kind == ActivityType.Kind.RKV,
        "line_statuses": TrainingLine.Status.choices,
    }
    if context["is_training_plan"] and user.has_perm("activities.add_trainingline") and plan.is_open:
        context["line_form"] = TrainingLineForm(auto_id="linje_%s")
        context["courses"] = list(
            Course.objects.filter(is_active=True).only("number", "title").order_by("number")[:500]
        )
    return render(request, "activities/enrollment_detail.html", context)


@rule(perm="activities.add_trainingline", objects={"pk": "activities.Enrollment"})
def training_line_create(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, pk)
    form = TrainingLineForm(request.POST or None, auto_id="linje_%s")
    if request.method == "POST" and form.is_valid():
        try:
            line = services.training_line_add(enrollment=enrollment, by=request.user, **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("»%(line)s« er føjet til uddannelsesplanen.") % {"line": line})
            return redirect(enrollment)
    return form_page(
        request,
        title=_("Tilføj uddannelseslinje"),
        forms=[form],
        back_url=enrollment.get_absolute_url(),
        back_label=str(enrollment.participant),
        courses=list(Course.objects.filter(is_active=True).only("number", "title").order_by("number")[:500]),
    )


@rule(perm="activities.add_rkvresult", objects={"pk": "activities.Enrollment"})
def rkv_result(request: HttpRequest, pk: int) -> HttpResponse:
    enrollment = access_enrollment(request.user, pk)
    existing = getattr(enrollment, "rkv_result", None)
    initial = {}
    if existing is not None:
        initial = {
            "assessor": existing.assessor,
            "assessed_on": existing.assessed_on,
            "recognised": existing.recognised,
            "certificate": existing.certificate,
            "recommended_other": existing.recommended_other,
            "recommended_numbers": ", ".join(existing.recommended_courses.values_list("number", flat=True)),
        }
    form = RKVResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("recommended_numbers")
        try:
            courses = [services.participants.course_by_number(n) for n in form.numbers()]
            services.rkv_result_save(enrollment=enrollment, by=request.user, recommended_courses=courses, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"course_number": "recommended_numbers"})
        else:
            messages.success(request, _("RKV-resultatet er gemt."))
            return redirect(enrollment)
    note = None
    if not enrollment.plan.type_mapping.charged_to_project:
        note = _(
            "RKV i forhold til uddannelse betales af det ordinære system: den registreres, men konteres ikke projektet."
        )
    return form_page(
        request,
        title=_("RKV-resultat"),
        forms=[form],
        back_url=enrollment.get_absolute_url(),
        back_label=str(enrollment.participant),
        intro=note,
    )


def _form_print(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    participant = access_participant(request.user, pk)
    row = ParticipantFormPrint.objects.for_user(request.user).filter(participant=participant, kind=kind).first()
    if request.method == "POST":
        if not request.user.has_perm("activities.change_participant") or participant.anonymised_at:
            messages.error(request, _("Du kan ikke danne skemaet for denne deltager."))
            return redirect(participant)
        row = form_forms.form_print_request(participant=participant, kind=kind, by=request.user)
        messages.info(request, _("Skemaet dannes; hent det her, når det er klar."))
        return redirect(request.path)
    if row is not None and row.status == ParticipantFormPrint.Status.READY and request.GET.get("hent"):
        response = FileResponse(open_stored(row.pdf), as_attachment=True, filename=f"{row.get_kind_display()}.pdf")
        response["Content-Type"] = "application/pdf"
        return _no_store(response)
    title = ParticipantFormPrint.Kind(kind).label
    return render(
        request, "activities/participant_form_print.html", {"participant": participant, "row": row, "title": title}
    )


@rule(perm="activities.view_participant", objects={"pk": "activities.Participant"})
def start_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-filled start form (deltagerstartskema) as PDF: GET shows it (or its status), POST makes it."""
    return _form_print(request, pk, ParticipantFormPrint.Kind.START)


@rule(perm="activities.view_participant", objects={"pk": "activities.Participant"})
def exit_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-filled exit form (ophørsskema) as PDF."""
    return _form_print(request, pk, ParticipantFormPrint.Kind.EXIT)


@rule(perm="activities.view_participant")
def follow_up(request: HttpRequest) -> HttpResponse:
    """Result registrations due (4 weeks and 6 months after exit), and missing data before the ESF deadline."""
    today = timezone.localdate()
    return render(
        request, "activities/follow_up.html", {"follow": follow_up_list(request.user, today=today), "today": today}
    )
