"""Writes for people and partnerships. Views and admin call these; nothing else creates users."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from partnerships.models import EffectivePeriod, Membership, Organisation, Partnership, Role, User


def invitation_url(*, user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})


def invitation_send(*, user: User, invited_by: User, base_url: str) -> None:
    """E-mail the user a link to choose a password. The link works once and expires with
    PASSWORD_RESET_TIMEOUT, because the token is tied to the (still unusable) password."""
    context = {
        "user": user,
        "invited_by": invited_by,
        "url": invitation_url(user=user, base_url=base_url),
        "days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
    }
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + "Invitation til Kompetenceportalen",
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    User.objects.filter(pk=user.pk).update(invited_by=invited_by, invited_at=timezone.now())


@transaction.atomic
def user_invite(
    *,
    email: str,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    role: Role | str,
    partnerships: Iterable[Partnership] = (),
    job_title: str = "",
    invited_by: User,
    base_url: str,
) -> User:
    """Create a user without a password, give the role and seats, and send the invitation
    once the transaction has committed (so no mail goes out for a user that was rolled back)."""
    user = User.objects.create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        job_title=job_title,
    )
    user.groups.add(Group.objects.get(name=Role(role).value))
    Membership.objects.bulk_create([Membership(user=user, partnership=p) for p in partnerships])
    if role == Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=True)
    transaction.on_commit(lambda: invitation_send(user=user, invited_by=invited_by, base_url=base_url))
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> None:
    """Set the invited user's chosen password; the invitation proved the e-mail address."""
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


@transaction.atomic
def effective_row_save(*, row: EffectivePeriod, supersede: bool = False) -> EffectivePeriod:
    """Save a dated reference row (a rate, a mapping, a budget amount …) after validating it.

    With ``supersede``, the row of the same key in force on the new row's start day, begun earlier, is
    closed the day before, in the same transaction: "from this date the value is …" in one step.
    """
    if supersede and (previous := row.predecessor()) is not None:
        previous = type(previous)._default_manager.select_for_update().get(pk=previous.pk)
        previous.valid_until = row.valid_from - timedelta(days=1)
        previous.full_clean()
        previous.save(update_fields=["valid_until"])
    row.supersede = False
    row.full_clean()
    row.save()
    return row
