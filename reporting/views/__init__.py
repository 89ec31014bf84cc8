"""The landing page: a dashboard whose panels the apps contribute (kompetence.registry)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kompetence import dashboard as panels
from kompetence.rules import rule


@rule()
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"role": user.role, "sections": panels.render(user=user)}
    return render(request, "reporting/dashboard.html", context)
