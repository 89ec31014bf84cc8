"""Værktøjskassen (documents with version history, downloaded only through an access-checked view)
and the common introduction checklist of a partnership."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompetence.forms import apply_service_errors, apply_text_limits
from kompetence.rules import rule
from partnerships.access import access, access_partnership
from partnerships.models import IntroductionProgress, Membership, Partnership, ToolboxDocument, ToolboxVersion
from partnerships.services import toolbox as services


class DocumentForm(forms.Form):
    partnership = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        label=gettext_lazy("Partnerskab"),
        empty_label=gettext_lazy("Hele programmet"),
    )
    category = forms.ChoiceField(choices=ToolboxDocument.Category.choices, label=gettext_lazy("Kategori"))
    title = forms.CharField(max_length=200, label=gettext_lazy("Titel"))
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=gettext_lazy("Beskrivelse")
    )
    file = forms.FileField(label=gettext_lazy("Fil"), required=False)
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Hvad er ændret?"))

    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships
        apply_text_limits(self)


class VersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Ny version"), required=False)
    note = forms.CharField(max_length=300, required=False, label=gettext_lazy("Hvad er ændret?"))


def _own_partnerships(user):
    if user.sees_everything:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=Membership.objects.filter(user=user).values("partnership_id"))


@rule(perm="partnerships.view_toolboxdocument")
def toolbox_list(request: HttpRequest) -> HttpResponse:
    documents = (
        ToolboxDocument.objects.for_user(request.user)
        .filter(is_archived=False)
        .select_related("partnership")
        .prefetch_related("versions")
        .order_by("category", "title", "pk")
    )
    rows = [(d, max(d.versions.all(), key=lambda v: v.number, default=None)) for d in documents]
    return render(
        request,
        "partnerships/toolbox_list.html",
        {"rows": rows, "can_upload": request.user.has_perm("partnerships.add_toolboxdocument")},
    )


@rule(perm="partnerships.add_toolboxdocument")
def toolbox_create(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None, partnerships=_own_partnerships(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.toolbox_document_create(
                partnership=data["partnership"],
                category=data["category"],
                title=data["title"],
                description=data["description"],
                upload=data["file"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(title)s er lagt i værktøjskassen.") % {"title": document.title})
            return redirect("partnerships:toolbox_detail", pk=document.pk)
    return render(request, "partnerships/toolbox_form.html", {"form": form})


@rule(perm="partnerships.view_toolboxdocument", objects={"pk": "partnerships.ToolboxDocument"})
def toolbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = access(ToolboxDocument.objects.select_related("partnership"), request.user, pk)
    can_change = request.user.has_perm("partnerships.change_toolboxdocument") and services.can_manage_toolbox(
        request.user, document.partnership
    )
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.toolbox_version_add(
                    document=document, upload=form.cleaned_data["file"], note=form.cleaned_data["note"], by=request.user
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Den nye version er gemt."))
                return redirect("partnerships:toolbox_detail", pk=document.pk)
    versions = document.versions.select_related("uploaded_by").order_by("-number")
    return render(
        request,
        "partnerships/toolbox_detail.html",
        {"document": document, "versions": versions, "form": form if can_change else None},
    )


@rule(perm="partnerships.view_toolboxdocument", objects={"pk": "partnerships.ToolboxDocument"})
def toolbox_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's file (the newest unless ``?version=``), only for those who may see the document."""
    document = access(ToolboxDocument.objects.all(), request.user, pk)
    versions = ToolboxVersion.objects.filter(document=document).order_by("-number")
    number = request.GET.get("version", "")
    version = versions.filter(number=int(number)).first() if number.isascii() and number.isdigit() else versions.first()
    if version is None:
        raise Http404
    try:
        handle = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=version.original_name, content_type=version.content_type)


@rule(perm="partnerships.view_introductionstep", objects={"pk": "partnerships.Partnership"})
def introduction(request: HttpRequest, pk: int) -> HttpResponse:
    """The common introduction: the user ticks off their own steps; the secretariat follows everyone."""
    partnership = access_partnership(request.user, pk)
    steps = list(services.steps_for(partnership).order_by("position", "pk"))
    memberships = list(
        Membership.objects.filter(partnership=partnership, user__is_active=True)
        .select_related("user__organisation")
        .order_by("user__first_name", "pk")
    )
    own = next((m for m in memberships if m.user_id == request.user.pk), None)
    if request.method == "POST":
        if own is None:
            raise PermissionDenied
        step = next((s for s in steps if str(s.pk) == request.POST.get("step")), None)
        if step is not None:
            try:
                services.introduction_mark(
                    membership=own, step=step, by=request.user, done=request.POST.get("done") == "1"
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
        return redirect("partnerships:introduction", pk=partnership.pk)
    done = {(p.membership_id, p.step_id) for p in IntroductionProgress.objects.filter(membership__in=memberships)}
    follow = request.user.has_perm("partnerships.change_introductionprogress") or request.user.sees_everything
    table = [
        {
            "membership": m,
            "cells": [(m.pk, s.pk) in done for s in steps],
            "count": sum((m.pk, s.pk) in done for s in steps),
        }
        for m in memberships
    ]
    return render(
        request,
        "partnerships/introduction.html",
        {
            "partnership": partnership,
            "steps": steps,
            "own": own,
            "own_done": {s.pk for s in steps if own and (own.pk, s.pk) in done},
            "table": table if follow else [],
        },
    )
