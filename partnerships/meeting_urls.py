"""URLs of the meeting pages (included by ``partnerships.urls``)."""

from django.urls import path

from partnerships import meeting_views as views

urlpatterns = [
    path("moeder/<id:pk>/", views.meeting_detail, name="meeting_detail"),
]
