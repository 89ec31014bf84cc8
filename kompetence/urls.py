from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kompetence.health import healthz
from partnerships.views import InvitationAcceptView
from reporting.views import dashboard

admin.site.site_header = _("Kompetenceportalen · administration")
admin.site.site_title = _("Kompetenceportalen")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("invitation/<uidb64>/<token>/", InvitationAcceptView.as_view(), name="invitation_accept"),
    path("partnerskaber/", include("partnerships.urls")),
    path("virksomheder/", include("companies.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Lets developers see the 404 and 500 pages as users do.
    from django.views.defaults import page_not_found, server_error

    urlpatterns += [
        path("_fejl/404/", page_not_found, {"exception": Exception()}),
        path("_fejl/500/", server_error),
    ]
