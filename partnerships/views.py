"""Pages for partnerships and people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompetence.rules import rule
from partnerships import services
from partnerships.access import access_partnership, access_user
from partnerships.forms import InviteUserForm
from partnerships.models import Membership, Partnership, User


@rule(perm="partnerships.view_partnership")
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnerships = (
        Partnership.objects.for_user(request.user)
        .select_related("secretariat")
        .prefetch_related("municipalities")
        .annotate(member_count=Count("memberships"))
    )
    return render(request, "partnerships/partnership_list.html", {"partnerships": partnerships})


@rule(perm="partnerships.view_partnership", objects={"pk": "partnerships.Partnership"})
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = access_partnership(request.user, pk)
    members = (
        Membership.objects.for_user(request.user)
        .filter(partnership=partnership)
        .select_related("user__organisation__system")
        .order_by("user__organisation__system__sort_order", "user__first_name")
    )
    municipalities = partnership.municipalities.order_by("name")
    return render(
        request,
        "partnerships/partnership_detail.html",
        {"partnership": partnership, "members": list(members), "municipalities": list(municipalities)},
    )


@rule(perm="partnerships.add_user")
def user_list(request: HttpRequest) -> HttpResponse:
    users = User.objects.select_related("organisation").prefetch_related("groups").order_by("first_name", "pk")
    page = Paginator(users, 50).get_page(request.GET.get("side"))
    return render(request, "partnerships/user_list.html", {"page": page})


@rule()
def email_managed_by_administrators(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's address page: only administrators change a login address.

    The address is the login and what other partnerships see as whom to call; letting users add
    and switch addresses would need each new one verified before it counts (allauth can), but an
    invited user's address is already proven and changes are rare, so an administrator makes them
    (partnerships.services.user_email_change). Posts to this page change nothing.
    """
    status = 405 if request.method == "POST" else 200
    return render(request, "account/email_managed.html", {"email": request.user.email}, status=status)


def _invitation_waits(user: User) -> str:
    return _(
        "%(name)s er inviteret, men e-mailen til %(email)s sendes først, når køen er tilbage "
        "(opgavekøen svarer ikke lige nu). Den bliver ikke glemt."
    ) % {"name": user.get_full_name() or user.email, "email": user.email}


@rule(perm="partnerships.add_user")
def user_invite(request: HttpRequest) -> HttpResponse:
    form = InviteUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, sent_now = services.user_invite(**form.cleaned_data, invited_by=request.user)
        if sent_now:
            messages.success(
                request,
                _("%(name)s er inviteret. En e-mail med et link er sendt til %(email)s.")
                % {"name": user.get_full_name(), "email": user.email},
            )
        else:
            messages.warning(request, _invitation_waits(user))
        return redirect("partnerships:user_list")
    return render(request, "partnerships/user_invite.html", {"form": form})


@rule(perm="partnerships.add_user", objects={"pk": "partnerships.User"})
@require_POST
def user_reinvite(request: HttpRequest, pk: int) -> HttpResponse:
    user = access_user(request.user, pk)
    if user.has_usable_password():
        messages.info(request, _("%(email)s har allerede valgt en adgangskode.") % {"email": user.email})
    else:
        if services.invitation_send(user=user, invited_by=request.user):
            messages.success(request, _("Invitationen er sendt igen til %(email)s.") % {"email": user.email})
        else:
            messages.warning(request, _invitation_waits(user))
    return redirect("partnerships:user_list")


class InvitationAcceptView(PasswordResetConfirmView):
    """The invited user's link: choose a password, then land logged in on the dashboard."""

    template_name = "partnerships/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "partnerships.backends.PortalModelBackend"
    success_url = reverse_lazy("dashboard")
    reset_url_token = "vaelg-adgangskode"  # noqa: S105 (a URL segment, not a password)

    def get_user(self, uidb64):
        # A deactivated user's link is dead: it neither sets a password nor logs in.
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        services.invitation_accept(user=form.user, password=form.cleaned_data["new_password1"])
        messages.success(self.request, _("Velkommen til Kompetenceportalen. Din adgangskode er gemt."))
        # The parent saves the form again (same password) and logs the user in.
        return super().form_valid(form)


# The invited person has no login yet: the link itself (a one-time token) is the credential.
invitation_accept = rule(public=True, tokens=("uidb64", "token"))(InvitationAcceptView.as_view())
