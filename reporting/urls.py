"""The reporting app's pages (namespace ``reporting``): each part of the app adds its own patterns."""

from django.urls import path

from reporting.reports.urls import urlpatterns as report_patterns
from reporting.views import budget, dashboards, exports, targets

app_name = "reporting"

urlpatterns = [
    path("", dashboards.programme, name="programme"),
    path("partnerskab/<id:pk>/", dashboards.partnership, name="partnership"),
    path("partnerskab/<id:pk>/maal/", targets.goals, name="goals"),
    path("maal/<id:pk>/", targets.goal_detail, name="goal_detail"),
    path("indikator/", dashboards.indicator_rows, name="indicator_rows"),
    path("budget/", budget.budget, name="budget"),
    path("programmaal/", targets.targets, name="targets"),
    path("eksport/", exports.export_page, name="exports"),
    path("eksport/esf-deltagere/", exports.export_esf, name="export_esf"),
    path("eksport/esf-deltagere/baggrund/", exports.export_esf_background, name="export_esf_background"),
    path("eksport/indikatorer/", exports.export_indicators, name="export_indicators"),
    path("eksport/budget/", exports.export_budget, name="export_budget"),
    path("eksport/aktiviteter/", exports.export_activities, name="export_activities"),
    path("eksport/aktiviteter/baggrund/", exports.export_activities_background, name="export_activities_background"),
    *report_patterns,
]
