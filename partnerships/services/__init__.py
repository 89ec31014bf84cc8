"""Writes for people and partnerships. Views and admin call these; nothing else creates users."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kompetence import dashboard, outbox
from partnerships.models import EffectivePeriod, Membership, Organisation, Partnership, Role, User


def invitation_url(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.PORTAL_URL + reverse("invitation_accept", kwargs={"uidb64": uid, "token": token})


def invitation_mail_send(*, user: User, invited_by: User | None) -> None:
    """Render and send the invitation e-mail now (the ``partnerships.send_invitation`` task calls this).

    The link works once and expires with PASSWORD_RESET_TIMEOUT, because the token is tied to the
    (still unusable) password; it is made here, when the mail is written, so a late mail carries a
    fresh link.
    """
    context = {
        "user": user,
        "invited_by": invited_by,
        "url": invitation_url(user=user),
        "days": settings.PASSWORD_RESET_TIMEOUT // (60 * 60 * 24),
    }
    send_mail(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + "Invitation til Kompetenceportalen",
        message=render_to_string("emails/invitation.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def invitation_send(*, user: User, invited_by: User) -> bool:
    """Ask for the invitation e-mail through the outbox; True if it goes out now, False if it
    waits for the task queue (it is sent when the queue is back; nothing is lost)."""
    User.objects.filter(pk=user.pk).update(invited_by=invited_by, invited_at=timezone.now())
    return outbox.enqueue("partnerships.send_invitation", user.pk, invited_by.pk)


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
) -> tuple[User, bool]:
    """Create a user without a password, give the role and seats, and ask for the invitation
    e-mail (through the outbox, so no mail goes out for a user that was rolled back).

    Returns the user and whether the mail goes out now (False: when the task queue is back)."""
    user = User.objects.create_user(
        email=email,
        first_name=first_name,
        last_name=last_name,
        organisation=organisation,
        job_title=job_title,
    )
    user.groups.add(Group.objects.get(name=Role(role).value))
    Membership.objects.bulk_create([Membership(user=user, partnership=p) for p in partnerships])
    dashboard.changed("partnerships.Membership")  # bulk_create sends no signal; the panels count members
    if role == Role.ADMINISTRATOR:
        User.objects.filter(pk=user.pk).update(is_staff=True)
    return user, invitation_send(user=user, invited_by=invited_by)


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> None:
    """Set the invited user's chosen password; the invitation proved the e-mail address.
    A deactivated user's invitation is dead."""
    if not user.is_active:
        raise PermissionDenied("A deactivated user cannot accept an invitation.")
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


@transaction.atomic
def user_email_change(*, user: User, email: str, by: User | None = None) -> None:
    """Change a user's login address (administrators only: users cannot change their own).

    The administrator vouches for the new address, so it becomes the verified, primary allauth
    address and the old one is removed: the old address no longer logs in, and other partnerships
    see the new one as whom to call.
    """
    from kompetence import audit

    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("Der findes allerede en bruger med denne e-mail.")})
    User.objects.filter(pk=user.pk).update(email=email)
    user.email = email
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    audit.record(audit.Kind.EMAIL_CHANGED, user=user, identifier=email, by=getattr(by, "pk", None))
