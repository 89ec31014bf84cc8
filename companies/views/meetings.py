"""The firm cases on a meeting: put firms on the agenda, record a decision, withdraw or move a case.

The meeting comes through ``partnerships.meeting_access`` (404 outside the user's partnerships; 403
for those who do not run its meetings); the firm items through the meeting, so an item of another
meeting or partnership is a 404 too.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from companies import agenda_services as services
from companies.forms.meetings import DecisionForm, MoveForm, WithdrawForm
from companies.models import AgendaProposal, CaseAgendaItem
from kompetence.forms import apply_service_errors
from kompetence.rules import rule
from partnerships.access import access
from partnerships.localtime import as_local
from partnerships.meeting_access import access_meeting_to_manage
from partnerships.models import Meeting
from partnerships.services.meetings import active_members, can_manage_meetings

MANAGE = "partnerships.change_meeting"


def _back(meeting: Meeting) -> HttpResponse:
    return redirect(meeting.get_absolute_url() + "#virksomheder")


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def access_case_item(user, pk) -> CaseAgendaItem:
    """A firm item of a meeting the user runs: 404 outside the user's partnerships, 403 for a
    meeting the user does not run (the meeting's partnership decides, as for the meeting itself)."""
    item = access(
        CaseAgendaItem.objects.select_related(
            "company__partnership", "proposal", "agenda_item", "decision", "meeting__partnership"
        ),
        user,
        pk,
        perm=MANAGE,
    )
    if item.meeting.partnership_id != item.company.partnership_id:
        raise Http404
    if not can_manage_meetings(user, item.meeting.partnership):
        raise PermissionDenied
    return item


@rule(perm=MANAGE, objects={"pk": "partnerships.Meeting"})
@require_POST
def meeting_add_cases(request: HttpRequest, pk: int) -> HttpResponse:
    """Put one proposed firm (``proposal``), or all of them, or the open decisions on the agenda."""
    meeting = access_meeting_to_manage(request.user, pk)
    try:
        if request.POST.get("action") == "decisions":
            added = services.agenda_add_decision_follow_ups(meeting=meeting, by=request.user)
            messages.info(
                request, _("%(n)s åbne beslutninger er sat på dagsordenen til opfølgning.") % {"n": len(added)}
            )
        elif request.POST.get("proposal"):
            proposal = AgendaProposal.objects.filter(
                pk=request.POST["proposal"]
                if request.POST["proposal"].isascii() and request.POST["proposal"].isdigit()
                else 0,
                partnership_id=meeting.partnership_id,
            ).first()
            if proposal is None:
                messages.error(request, _("Forslaget findes ikke længere."))
            else:
                services.agenda_add_case(meeting=meeting, proposal=proposal, by=request.user)
                messages.success(request, _("%(firm)s er sat på dagsordenen.") % {"firm": proposal.company.name})
        else:
            added = services.agenda_add_pending_cases(meeting=meeting, by=request.user)
            messages.success(request, _("%(n)s virksomheder er sat på dagsordenen.") % {"n": len(added)})
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting)


@rule(perm=MANAGE, objects={"pk": "companies.CaseAgendaItem"})
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    case_item = access_case_item(request.user, pk)
    meeting = case_item.meeting
    members = active_members(meeting.partnership_id).select_related("organisation__system").order_by("first_name", "pk")
    form = DecisionForm(
        request.POST or None,
        members=members,
        activity_types=services.decision_activity_choices(on=as_local(meeting.start).date()),
        initial={"lead_consultant": case_item.company.lead_consultant_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(
                meeting=meeting, company=case_item.company, case_item=case_item, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Beslutningen om %(firm)s er gemt.") % {"firm": case_item.company.name})
            return _back(meeting)
    return render(request, "companies/decision_form.html", {"meeting": meeting, "case_item": case_item, "form": form})


@rule(perm=MANAGE, objects={"pk": "companies.CaseAgendaItem"})
@require_POST
def case_item_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the case with a reason, move it to a later meeting, or mark a decision followed up."""
    case_item = access_case_item(request.user, pk)
    meeting = case_item.meeting
    action = request.POST.get("action", "")
    try:
        if action == "move":
            later = Meeting.objects.filter(partnership_id=meeting.partnership_id, start__gt=meeting.start).exclude(
                status__in=[Meeting.Status.CANCELLED, Meeting.Status.APPROVED]
            )
            form = MoveForm(request.POST, meetings=later)
            if form.is_valid():
                services.case_item_move(
                    case_item=case_item, to_meeting=form.cleaned_data["to_meeting"], by=request.user
                )
                messages.success(request, _("Sagen er flyttet til det senere møde."))
            else:
                messages.error(request, _("Vælg et senere møde i partnerskabet."))
        elif action in ("done", "open"):
            services.case_item_follow_up(
                case_item=case_item, by=request.user, done=action == "done", note=request.POST.get("note", "")
            )
            messages.success(request, _("Opfølgningen er gemt."))
        else:
            form = WithdrawForm(request.POST)
            if form.is_valid():
                services.case_item_withdraw(case_item=case_item, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Sagen er trukket tilbage."))
            else:
                messages.error(request, _("Skriv hvorfor sagen trækkes tilbage (højst 500 tegn)."))
    except ValidationError as error:
        _errors(request, error)
    return _back(meeting)
