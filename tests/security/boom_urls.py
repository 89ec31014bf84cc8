"""A URL configuration for the error-report test: the portal's, plus one view that fails."""

from django.http import HttpRequest
from django.urls import path

from kompetence.rules import rule
from kompetence.urls import urlpatterns as portal_urlpatterns


@rule()
def boom(request: HttpRequest):
    # Local variables a careless report would show, and a message built from user input, as
    # DataError and ValueError messages are.
    note = request.POST.get("note", "")
    password = request.POST.get("password", "")  # noqa: F841
    raise ValueError(f"Kan ikke gemme notatet {note!r}")


urlpatterns = [*portal_urlpatterns, path("_test/boom/", boom, name="boom")]
