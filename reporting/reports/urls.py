"""The report pages' URL patterns, included by ``reporting/urls.py`` (namespace ``reporting``)."""

from django.urls import path

from reporting.reports import views

urlpatterns = [
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/ny/", views.report_create, name="report_create"),
    path("rapporter/<id:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<id:pk>/status/", views.report_status, name="report_status"),
    path("rapporter/<id:pk>/hent/", views.report_download, name="report_download"),
    path("rapporter/<id:pk>/igen/", views.report_retry, name="report_retry"),
]
