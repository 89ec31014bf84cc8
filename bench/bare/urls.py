"""The bare floor's two URLs: the firm list floor and a health check for run.py's start-up wait."""

from django.urls import path

from bench.bare.views import firms, healthz

urlpatterns = [
    path("healthz", healthz),
    path("", firms),
]
