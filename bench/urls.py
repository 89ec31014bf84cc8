"""The portal's URLs plus the benchmark's floor view (only with BENCH_FLOOR=1, see bench/settings.py)."""

from django.urls import include, path

from bench.floor import empty_page, floor

urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("bench/tom/", empty_page, name="bench_empty"),
    path("", include("kompetence.urls")),
]
