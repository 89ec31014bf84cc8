"""URLs of the companies app. Firm register pages and visit/case pages live in two view modules."""

from companies.views import firms, visits

app_name = "companies"

urlpatterns = firms.urlpatterns + visits.urlpatterns
