from django.urls import path

from partnerships import meeting_urls, views

app_name = "partnerships"

urlpatterns = [
    path("", views.partnership_list, name="list"),
    path("<id:pk>/", views.partnership_detail, name="detail"),
    path("brugere/", views.user_list, name="user_list"),
    path("brugere/inviter/", views.user_invite, name="user_invite"),
    path("brugere/<id:pk>/inviter-igen/", views.user_reinvite, name="user_reinvite"),
]
urlpatterns += meeting_urls.urlpatterns
