from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from kompetence.health import healthz
from kompetence.rules import rule
from kompetence.views import accessibility_statement
from partnerships.views import email_managed_by_administrators, invitation_accept
from reporting.views import dashboard

# The admin has no login form of its own: it uses the portal login, with its throttling and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Kompetenceportalen · administration")
admin.site.site_title = _("Kompetenceportalen")
admin.site.index_title = _("Administration")


@rule(public=True)
def favicon(request):
    # Resolved per request: the hashed static name is only known once collectstatic has run.
    return redirect(static("favicon.svg"), permanent=True)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", favicon, name="favicon"),
    # Before allauth's own page: only administrators change a login address (partnerships.views).
    path("accounts/email/", email_managed_by_administrators, name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("invitation/<uidb64>/<token>/", invitation_accept, name="invitation_accept"),
    path("partnerskaber/", include("partnerships.urls")),
    path("virksomheder/", include("companies.urls")),
    path("aktiviteter/", include("activities.urls")),
    path("rapportering/", include("reporting.urls")),
    # Én indgang (the public request form at /henvendelse/) and recruitment needs.
    path("", include("companies.request_urls")),
    # The language switcher is in the footer of every page, the login page included.
    path("i18n/setlang/", rule(public=True)(set_language), name="set_language"),
    # Public, linked from every page's footer (the statement Danish public-sector websites must publish).
    path("tilgaengelighed/", accessibility_statement, name="accessibility_statement"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Lets developers see the 404 and 500 pages as users do.
    from django.views.defaults import page_not_found, server_error

    urlpatterns += [
        path("_fejl/404/", page_not_found, {"exception": Exception()}),
        path("_fejl/500/", server_error),
    ]
