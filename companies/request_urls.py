"""URLs of én indgang (the public request form and "Nye henvendelser") and of recruitment needs."""

from django.urls import path

from companies.views import requests

app_name = "requests"

urlpatterns = [
    # Public: no login.
    path("henvendelse/", requests.request_form, name="public"),
    path("henvendelse/tak/", requests.request_thanks, name="thanks"),
    # The partnerships' side.
    path("henvendelser/", requests.request_list, name="list"),
    path("henvendelser/<id:pk>/", requests.request_detail, name="detail"),
    path("henvendelser/<id:pk>/tag/", requests.request_take, name="take"),
    path("henvendelser/<id:pk>/videresend/", requests.request_forward, name="forward"),
    path("rekrutteringsbehov/", requests.recruitment_list, name="recruitment_list"),
    path("rekrutteringsbehov/<id:pk>/luk/", requests.recruitment_close, name="recruitment_close"),
    path("virksomheder/<id:pk>/rekruttering/ny/", requests.recruitment_create, name="recruitment_create"),
]
