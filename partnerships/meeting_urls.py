"""URLs of the meeting pages (included by ``partnerships.urls``)."""

from django.urls import path

from partnerships import evaluation_views, meeting_calendar, toolbox_views
from partnerships import meeting_views as views

urlpatterns = [
    path("moeder/", views.meeting_list, name="meeting_list"),
    path("moeder/nyt/", views.meeting_create, name="meeting_create"),
    path("moeder/kalender/", meeting_calendar.meeting_calendar, name="meeting_calendar"),
    path("moeder/<id:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moeder/<id:pk>/dagsorden/", views.meeting_agenda, name="meeting_agenda"),
    path("moeder/<id:pk>/foreslaa/", views.meeting_propose, name="meeting_propose"),
    path("moeder/<id:pk>/kommentar/", views.meeting_comment, name="meeting_comment"),
    path("moeder/<id:pk>/indkald/", views.meeting_invite, name="meeting_invite"),
    path("moeder/<id:pk>/svar/", views.meeting_answer, name="meeting_answer"),
    path("moeder/<id:pk>/referat/", views.meeting_minutes, name="meeting_minutes"),
    path("moeder/<id:pk>/godkend/", views.meeting_approve, name="meeting_approve"),
    path("moeder/<id:pk>/rettelse/", views.meeting_amend, name="meeting_amend"),
    path("moeder/<id:pk>/aflys/", views.meeting_cancel, name="meeting_cancel"),
    path("moeder/<id:pk>/referat.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("handlingspunkter/<id:pk>/luk/", views.action_item_close, name="action_item_close"),
    path("kalender/", views.calendar_page, name="calendar"),
    path("kalender/<str:token>.ics", views.calendar_feed_ics, name="calendar_feed"),
    path("erfaringer/", evaluation_views.learning_list, name="learning_list"),
    path("<id:pk>/selvevaluering/", evaluation_views.self_evaluation, name="self_evaluation"),
    path("selvevaluering/", evaluation_views.self_evaluation_overview, name="self_evaluation_overview"),
    path("selvevaluering/<id:pk>/svar/", evaluation_views.self_evaluation_answer, name="self_evaluation_answer"),
    path("vaerktoejskasse/", toolbox_views.toolbox_list, name="toolbox_list"),
    path("vaerktoejskasse/nyt/", toolbox_views.toolbox_create, name="toolbox_create"),
    path("vaerktoejskasse/<id:pk>/", toolbox_views.toolbox_detail, name="toolbox_detail"),
    path("vaerktoejskasse/<id:pk>/hent/", toolbox_views.toolbox_download, name="toolbox_download"),
    path("<id:pk>/introduktion/", toolbox_views.introduction, name="introduction"),
]
