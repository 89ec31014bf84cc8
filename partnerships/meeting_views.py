"""Pages of partnership meetings: the list, planning, the meeting page (agenda, invitations and answers,
attendance, minutes, approval, amendments, the PDF), and the private calendar feed.

Parse, call one service, render. Every object comes through ``partnerships.meeting_access``: a
meeting outside the user's partnerships is 404; managing needs the secretariat's permission and a
seat in the partnership (403 otherwise). The firm cases on a meeting are sections registered by the
companies app (``kompetence.registry.MEETING_PAGE``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetence import registry
from kompetence.forms import apply_service_errors
from kompetence.pagination import keyset_paginate
from kompetence.rules import rule
from partnerships import feed_cache
from partnerships import meeting_forms as forms
from partnerships.meeting_access import access_action_item, access_meeting, access_meeting_to_manage
from partnerships.meeting_filters import MeetingFilter
from partnerships.meeting_selectors import (
    attendance_summary,
    can_plan,
    meeting_rows,
    meetings_for_list,
    partnership_choices,
    with_total,
)
from partnerships.models import AgendaComment, AgendaItem, Attendance, Meeting, Membership, Minutes
from partnerships.services import calendar_feed
from partnerships.services import meetings as services
from partnerships.services import minutes as minutes_services
from partnerships.services.meetings import active_members, can_manage_meetings, is_meeting_lead

MANAGE = "partnerships.change_meeting"
LIST_PAGE = 50


# Said when the outbox keeps the e-mails because the broker does not answer (kompetence.outbox).
def _waiting(request: HttpRequest, what: str) -> None:
    messages.warning(request, what + " " + _("Invitationerne sendes, når køen er tilbage."))


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ---------------------------------------------------------------------------
# The list and planning
# ---------------------------------------------------------------------------
@rule(perm="partnerships.view_meeting")
def meeting_list(request: HttpRequest) -> HttpResponse:
    """The meetings of the user's partnerships: coming or held, filtered, in keyset pages."""
    user = request.user
    filterset = MeetingFilter(
        request.GET, queryset=meetings_for_list(user), user=user, partnerships=partnership_choices(user)
    )
    queryset = filterset.qs
    cursor = request.GET.get("cursor")
    # The first page brings the number of all rows with it (``with_total``); a later one asks.
    listed = queryset if cursor else with_total(queryset)
    page = keyset_paginate(listed, keys=filterset.sort_keys, cursor=cursor, page_size=LIST_PAGE)
    # The partnership choices are the one small look-up of names (the filter renders the same list).
    names = filterset.partnership_names
    query = request.GET.copy()
    query.pop("cursor", None)
    rows = meeting_rows(page.object_list, partnership_names=names)
    if not cursor:
        total = page.object_list[0].total if page.object_list else 0
    else:
        # A list that fits on one page counts itself; only a longer one asks the database.
        total = len(rows) if not (page.has_next or page.has_previous) else queryset.count()
    return render(
        request,
        "partnerships/meeting_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "total": total,
            "query_string": query.urlencode(),
            "can_plan": can_plan(user),
        },
    )


@rule(perm="partnerships.add_meeting")
def meeting_create(request: HttpRequest) -> HttpResponse:
    partnerships = services.manageable_partnerships(request.user)
    form = forms.MeetingForm(
        request.POST or None,
        partnerships=partnerships,
        initial={"day": forms.default_day(), "start_time": "09:00", "end_time": "11:00"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                partnership=data["partnership"],
                kind=data["kind"],
                start=data["start"],
                end=data["end"],
                title=data["title"],
                location=data["location"],
                video_url=data["video_url"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error, fields={"start": "start_time", "end": "end_time", "lead": "__all__"})
        else:
            messages.success(request, _("Mødet er planlagt. Byg dagsordenen, og send indkaldelsen."))
            return redirect(meeting)
    return render(request, "partnerships/meeting_form.html", {"form": form})


# ---------------------------------------------------------------------------
# The meeting page
# ---------------------------------------------------------------------------
@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    user = request.user
    manage = user.has_perm(MANAGE) and can_manage_meetings(user, meeting.partnership)
    members = active_members(meeting.partnership_id).select_related("organisation").order_by("first_name", "pk")
    items = list(
        AgendaItem.objects.filter(meeting=meeting).select_related("presenter", "proposed_by").order_by("position", "pk")
    )
    agenda = [i for i in items if i.status == AgendaItem.Status.ON_AGENDA]
    proposed = [i for i in items if i.status == AgendaItem.Status.PROPOSED]
    minutes = Minutes.objects.filter(meeting=meeting).first()
    own = Attendance.objects.filter(meeting=meeting, user=user).first()
    now = timezone.now()
    started, ended = meeting.start <= now, meeting.end <= now
    attendance = attendance_summary(meeting)
    invited_ids = [p.user_id for g in attendance.groups for p in g.people]
    present_ids = [p.user_id for g in attendance.groups for p in g.people if p.attended]
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "proposed": proposed,
        "minutes": minutes,
        "attendance": attendance,
        "own": own,
        "manage": manage,
        "started": started,
        "ended": ended,
        "is_lead": is_meeting_lead(user, meeting),
        "total_minutes": sum(i.duration_minutes or 0 for i in agenda),
        "sections": registry.render_sections(registry.MEETING_PAGE, meeting=meeting, user=user),
        "is_member": Membership.objects.filter(user=user, partnership_id=meeting.partnership_id).exists(),
        "answer_form": forms.AnswerForm(
            initial={"response": own.response if own else None, "comment": own.comment if own else ""}
        ),
        "propose_form": forms.ProposeItemForm(),
        "comment_form": forms.AgendaCommentForm(
            items=AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA).order_by(
                "position", "pk"
            )
        ),
        "comments": list(
            AgendaComment.objects.filter(meeting=meeting)
            .select_related("author", "agenda_item")
            .order_by("created_at", "pk")
        ),
        "amendments": minutes.amendments.select_related("author").order_by("created_at") if minutes else [],
    }
    if manage and not meeting.is_locked:
        context.update(
            item_form=forms.AgendaItemForm(members=members),
            invite_form=forms.InviteForm(members=members, initial={"invitees": invited_ids or [m.pk for m in members]}),
            attendance_form=forms.AttendanceForm(members=members, initial={"present": present_ids or invited_ids}),
            minutes_form=forms.MinutesForm(items=agenda, initial={"summary": minutes.summary if minutes else ""}),
            action_form=forms.ActionItemForm(members=members),
            note_form=forms.LearningNoteForm(),
            cancel_form=forms.CancelForm(),
        )
    if manage and meeting.status == Meeting.Status.APPROVED:
        context["amend_form"] = forms.AmendmentForm()
    return render(request, "partnerships/meeting_detail.html", context)


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(meeting.get_absolute_url() + (f"#{anchor}" if anchor else ""))


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a point, the standing points or the open action items; move or remove a point."""
    meeting = access_meeting_to_manage(request.user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "standing":
            services.agenda_add_standing_items(meeting=meeting, by=request.user)
        elif action == "actions":
            added = services.agenda_add_action_follow_ups(meeting=meeting, by=request.user)
            messages.info(request, _("%(n)s åbne handlingspunkter er sat på dagsordenen.") % {"n": len(added)})
        elif action in ("up", "down", "remove", "accept", "decline"):
            item = AgendaItem.objects.filter(meeting=meeting, pk=request.POST.get("item") or 0).first()
            if item is None:
                messages.error(request, _("Punktet findes ikke længere på dagsordenen."))
            elif action == "remove":
                services.agenda_item_remove(item=item, by=request.user)
            elif action in ("accept", "decline"):
                services.agenda_item_decide(item=item, by=request.user, accept=action == "accept")
            else:
                services.agenda_item_move(item=item, by=request.user, offset=-1 if action == "up" else 1)
        else:
            form = forms.AgendaItemForm(request.POST, members=active_members(meeting.partnership_id))
            if not form.is_valid():
                for field, errors in form.errors.items():
                    for error in errors:
                        messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {error}")
                return _back(meeting, "dagsorden")
            services.agenda_item_add(meeting=meeting, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting, "dagsorden")


@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """A member proposes a point (or comments on the draft agenda)."""
    meeting = access_meeting(request.user, pk)
    form = forms.ProposeItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_propose(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("Dit forslag er sendt til sekretariatet."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Skriv et forslag til punkt (højst 200 tegn)."))
    return _back(meeting, "dagsorden")


@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A member comments on the draft agenda sent for comments (as a whole or on one point)."""
    meeting = access_meeting(request.user, pk)
    items = AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
    form = forms.AgendaCommentForm(request.POST, items=items)
    if form.is_valid():
        try:
            services.agenda_comment_add(meeting=meeting, by=request.user, **form.cleaned_data)
            messages.success(request, _("Din kommentar til dagsordenen er gemt."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Skriv en kommentar (højst 1.000 tegn) og vælg et punkt på dagsordenen."))
    return _back(meeting, "dagsorden")


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting_to_manage(request.user, pk)
    form = forms.InviteForm(request.POST, members=active_members(meeting.partnership_id))
    if not form.is_valid():
        messages.error(request, _("Vælg deltagere blandt partnerskabets medlemmer."))
        return _back(meeting, "indkaldelse")
    try:
        if request.POST.get("action") == "draft":
            if services.agenda_send_draft(meeting=meeting, by=request.user):
                messages.success(request, _("Udkastet til dagsorden er sendt til medlemmerne til kommentarer."))
            else:
                messages.warning(
                    request, _("Udkastet til dagsorden er gemt. Det sendes til medlemmerne, når køen er tilbage.")
                )
        else:
            invited = services.meeting_invite(meeting=meeting, invitees=form.cleaned_data["invitees"], by=request.user)
            if invited.queued:
                messages.success(
                    request,
                    _("Indkaldelsen med kalenderfil sendes nu (%(n)s nye deltagere).") % {"n": invited.added},
                )
            else:
                _waiting(request, _("Mødet og deltagerne er gemt (%(n)s nye).") % {"n": invited.added})
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting, "indkaldelse")


@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_answer(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_answer(meeting=meeting, user=request.user, **form.cleaned_data)
            messages.success(request, _("Tak for dit svar."))
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Vælg om du deltager eller melder afbud."))
    return _back(meeting, "svar")


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the attendance, the notes per item, a new action item or learning note."""
    meeting = access_meeting_to_manage(request.user, pk)
    members = active_members(meeting.partnership_id)
    part = request.POST.get("part", "")
    try:
        if part == "attendance":
            form = forms.AttendanceForm(request.POST, members=members)
            if form.is_valid():
                services.attendance_record(meeting=meeting, present=form.cleaned_data["present"], by=request.user)
                messages.success(request, _("Fremmødet er gemt."))
        elif part == "action":
            form = forms.ActionItemForm(request.POST, members=members)
            if form.is_valid():
                minutes_services.action_item_create(meeting=meeting, by=request.user, **form.cleaned_data)
                messages.success(request, _("Handlingspunktet er gemt."))
        elif part == "note":
            form = forms.LearningNoteForm(request.POST)
            if form.is_valid():
                minutes_services.learning_note_add(meeting=meeting, by=request.user, **form.cleaned_data)
                messages.success(request, _("Gemt."))
        else:
            items = AgendaItem.objects.filter(meeting=meeting, status=AgendaItem.Status.ON_AGENDA)
            form = forms.MinutesForm(request.POST, items=items)
            if form.is_valid():
                minutes_services.minutes_save(
                    meeting=meeting, by=request.user, summary=form.cleaned_data["summary"], notes=form.notes()
                )
                messages.success(request, _("Referatet er gemt."))
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting, "referat")


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting_to_manage(request.user, pk)
    try:
        minutes = minutes_services.minutes_approve(meeting=meeting, by=request.user)
        if minutes.queued:
            messages.success(request, _("Referatet er godkendt og låst. Det sendes til medlemmerne som PDF."))
        else:
            messages.warning(
                request,
                _("Referatet er godkendt og låst. PDF'en og e-mailen til medlemmerne sendes, når køen er tilbage."),
            )
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting, "referat")


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_amend(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting_to_manage(request.user, pk)
    form = forms.AmendmentForm(request.POST)
    if form.is_valid():
        try:
            amendment = minutes_services.minutes_amend(meeting=meeting, by=request.user, text=form.cleaned_data["text"])
            # The PDF is made again in the background: say so only when the queue took the request.
            if amendment.queued:
                messages.success(request, _("Rettelsen er tilføjet referatet. En ny PDF med rettelsen bliver lavet."))
            else:
                messages.warning(
                    request,
                    _("Rettelsen er tilføjet referatet. Den nye PDF med rettelsen laves, når køen er tilbage."),
                )
        except ValidationError as error:
            _errors(request, error)
    else:
        messages.error(request, _("Skriv rettelsen (højst 2.000 tegn)."))
    return _back(meeting, "referat")


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting_to_manage(request.user, pk)
    form = forms.CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        cancelled = services.meeting_cancel(meeting=meeting, by=request.user, reason=reason)
        if cancelled.queued:
            messages.success(request, _("Mødet er aflyst. De indkaldte får besked med kalenderfil."))
        else:
            messages.warning(request, _("Mødet er aflyst. Aflysningerne sendes, når køen er tilbage."))
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting)


@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
def meeting_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The approved minutes as PDF, served through this access-checked view only."""
    meeting = access_meeting(request.user, pk)
    minutes = Minutes.objects.filter(meeting=meeting, status=Minutes.Status.APPROVED).first()
    if minutes is None:
        messages.info(request, _("Referatet er ikke godkendt endnu."))
        return _back(meeting, "referat")
    if minutes.pdf_status != Minutes.PdfStatus.READY or not minutes.pdf:
        from partnerships import tasks
        from partnerships.services.background import queue_after_commit

        if queue_after_commit(tasks.render_minutes_pdf, minutes.pk, False):
            messages.info(request, _("PDF'en bliver lavet. Prøv igen om lidt."))
        else:
            messages.warning(request, _("PDF'en laves, når køen er tilbage. Prøv igen senere."))
        return _back(meeting, "referat")
    try:
        handle = minutes.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    day = timezone.localtime(meeting.start).strftime("%Y-%m-%d")
    return FileResponse(handle, as_attachment=True, filename=f"referat-{day}.pdf", content_type="application/pdf")


@rule(perm="partnerships.view_actionitem", objects={"pk": "partnerships.ActionItem"})
@require_POST
def action_item_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner (or those who run the partnership's meetings) marks an action item done."""
    item = access_action_item(request.user, pk)
    try:
        minutes_services.action_item_close(item=item, by=request.user, note=request.POST.get("note", "")[:500])
        messages.success(request, _("Handlingspunktet er markeret som udført."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("dashboard")


# ---------------------------------------------------------------------------
# The private calendar feed
# ---------------------------------------------------------------------------
@rule()
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Where a user makes (or revokes) the private feed address, with the "one or the other" advice."""
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar_feed.feed_token_revoke(user=request.user)
            messages.success(request, _("Kalenderadressen er slettet; den virker ikke længere."))
            return redirect("partnerships:calendar")
        secret = calendar_feed.feed_token_create(user=request.user)
    feed_url = request.build_absolute_uri(f"/partnerskaber/kalender/{secret}.ics") if secret else ""
    return render(
        request,
        "partnerships/calendar_feed.html",
        {"token": calendar_feed.feed_token_active(request.user), "feed_url": feed_url},
    )


@rule(public=True, tokens=("token",))
def calendar_feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself (no login: calendar programs cannot log in); a revoked or unknown address is 404."""
    found = calendar_feed.feed_token(token)
    if found is None:
        raise Http404
    # Rendered once and kept until something in it changes (partnerships.feed_cache); a calendar
    # program that sends back the ETag or the Last-Modified it was given gets 304 until then.
    feed = feed_cache.rendered_feed(user=found.user, token_id=found.pk)
    response = HttpResponse(feed.body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="moeder.ics"'
    response["Cache-Control"] = f"private, max-age={feed_cache.FEED_CACHE_SECONDS}"
    response["ETag"] = feed.etag
    response["Last-Modified"] = http_date(feed.last_modified)
    return get_conditional_response(request, etag=feed.etag, last_modified=feed.last_modified, response=response)
