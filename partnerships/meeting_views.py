"""Pages of partnership meetings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kompetence.rules import rule
from partnerships.meeting_access import access_meeting


@rule(perm="partnerships.view_meeting", objects={"pk": "partnerships.Meeting"})
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access_meeting(request.user, pk)
    return render(request, "partnerships/meeting_detail.html", {"meeting": meeting})
