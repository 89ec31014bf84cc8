"""Public requests (én indgang): receive a firm's request, route it to the partnership holding the
firm's case, and let that partnership take it or send it on.

The requester is never told whether the firm was known: the page, the receipt and every message are
the same either way. What a request does to the firm:

* an unknown CVR number registers the firm (status "identificeret", source "henvendelse") in the
  partnership covering the municipality the firm chose;
* a known firm keeps its municipality, partnership and status; the request joins its case and
  timeline.

E-mails (a receipt to the requester, a notice to the partnership's members) are asked for through
``kompetence.outbox`` inside the transaction and sent by ``companies.tasks`` after commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import (
    PRIVACY_NOTICE_VERSION,
    REQUEST_TEXT_MAX,
    CaseStatus,
    Company,
    CompanySource,
    ContactPerson,
    PublicRequest,
    StatusChange,
)
from companies.services import _assign_partnership, company_set_lead
from companies.validators import normalise_cvr, validate_cvr
from kompetence import outbox
from kompetence.inputs import ascii_digits
from kompetence.validation import validate
from partnerships.models import REGION_MIDTJYLLAND, Municipality, Partnership, User
from partnerships.selectors import partnership_for_municipality, partnership_members

# The same request sent again within this time is the same request: one case, one receipt.
DUPLICATE_WINDOW = dt.timedelta(minutes=1)

NEED_FIELDS = tuple(name for name, _label in PublicRequest.NEEDS)


def outside_region_message() -> str:
    """Where a firm outside Region Midtjylland should turn instead (shown next to the field)."""
    return _(
        "Kompetenceportalen dækker kun virksomheder i Region Midtjylland. Ligger jeres virksomhed i en "
        "anden region, så kontakt erhvervshuset i jeres region (se erhvervshuse.dk) eller jobcentret i "
        "jeres kommune (se jobnet.dk)."
    )


def postcode_outside_region(postcode: str) -> bool:
    """True for postcodes that lie wholly outside Region Midtjylland.

    Postcodes cross municipal borders, so this only refuses the clear cases: below 6800 (Zealand,
    Funen, Southern Jutland) and from 9000 (North Jutland). Everything between is left to the
    municipality the firm chooses.
    """
    return int(postcode) < 6800 or int(postcode) >= 9000


def request_check(
    *,
    cvr: str,
    postcode: str,
    municipality: Municipality | None,
    needs: Iterable[str],
    description: str,
    consent: bool,
    outside_region: bool = False,
) -> dict[str, str]:
    """The rules of a request, as Danish messages keyed by field (empty: all well). The form calls it
    so every message shows at once; ``request_submit`` calls it again before it writes.

    ``outside_region``: the firm said it lies outside Region Midtjylland.
    """
    errors: dict[str, str] = {}
    try:
        validate_cvr(cvr)
    except ValidationError as exc:
        errors["cvr"] = " ".join(exc.messages)
    postcode = (postcode or "").strip()
    if not (ascii_digits(postcode) and len(postcode) == 4 and int(postcode) >= 1000):
        errors["postcode"] = _("Et postnummer består af 4 cifre, fx 8000.")
    elif postcode_outside_region(postcode):
        errors["postcode"] = outside_region_message()
    if outside_region or (municipality is not None and municipality.region_code != REGION_MIDTJYLLAND):
        errors["municipality"] = outside_region_message()
    elif municipality is None:
        errors["municipality"] = _("Vælg den kommune, virksomheden ligger i.")
    if not [name for name in needs if name in NEED_FIELDS]:
        errors["needs"] = _("Vælg mindst én ting, I gerne vil have hjælp til.")
    description = (description or "").strip()
    if not description:
        errors["description"] = _("Fortæl kort med jeres egne ord, hvad I har brug for.")
    elif len(description) > REQUEST_TEXT_MAX:
        errors["description"] = _("Må højst være %(limit)d tegn (teksten er %(length)d tegn).") % {
            "limit": REQUEST_TEXT_MAX,
            "length": len(description),
        }
    if not consent:
        errors["consent"] = _("Sæt kryds, hvis vi må kontakte jer. Uden samtykke kan vi ikke hjælpe.")
    return errors


def _fingerprint(*, cvr: str, email: str, description: str, needs: Iterable[str]) -> str:
    text = "\x1f".join([cvr, email.strip().lower(), " ".join(description.split()), ",".join(sorted(needs))])
    return hashlib.sha256(text.encode()).hexdigest()


def _lock_cvr(cvr: str) -> None:
    """Serialise requests about one CVR number until the transaction ends (PostgreSQL).

    Two requests for the same unknown firm at once would otherwise both register it (one then fails
    on the unique CVR), and the same request sent twice at once would both pass the duplicate check.
    SQLite (development) serialises writing transactions anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [20_260_801, int(cvr)])


@dataclass(frozen=True)
class Submitted:
    request: PublicRequest
    # True when the same request had come in within a minute; nothing new was written or sent.
    duplicate: bool


@transaction.atomic
def request_submit(
    *,
    cvr: str,
    company_name: str,
    postcode: str,
    municipality: Municipality | None,
    contact_name: str,
    contact_email: str,
    contact_phone: str,
    needs: Iterable[str],
    description: str,
    consent: bool,
    privacy_notice_version: str = PRIVACY_NOTICE_VERSION,
) -> Submitted:
    """Receive a public request: route it, register the firm if unknown, ask for the two e-mails."""
    cvr = normalise_cvr(cvr)
    needs = [name for name in needs if name in NEED_FIELDS]
    description = (description or "").strip()
    errors = request_check(
        cvr=cvr,
        postcode=postcode,
        municipality=municipality,
        needs=needs,
        description=description,
        consent=consent,
    )
    if errors:
        raise ValidationError(errors)

    _lock_cvr(cvr)
    fingerprint = _fingerprint(cvr=cvr, email=contact_email, description=description, needs=needs)
    earlier = (
        PublicRequest.objects.filter(fingerprint=fingerprint, created_at__gte=timezone.now() - DUPLICATE_WINDOW)
        .order_by("-created_at")
        .first()
    )
    if earlier is not None:
        return Submitted(earlier, duplicate=True)

    company = Company.objects.select_related("partnership").filter(cvr=cvr).first()
    created = company is None
    if created:
        company = _company_from_request(cvr=cvr, name=company_name, postcode=postcode, municipality=municipality)
    request = PublicRequest(
        cvr=cvr,
        company_name=company_name.strip(),
        postcode=postcode.strip(),
        municipality=municipality,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        description=description,
        consent=True,
        privacy_notice_version=privacy_notice_version,
        partnership=company.partnership,
        company=company,
        created_company=created,
        fingerprint=fingerprint,
        **{name: name in needs for name in NEED_FIELDS},
    )
    validate(request)
    request.save()
    outbox.enqueue("companies.send_request_receipt", request.pk)
    outbox.enqueue("companies.notify_request", request.pk, request.partnership_id)
    return Submitted(request, duplicate=False)


def _company_from_request(*, cvr: str, name: str, postcode: str, municipality: Municipality) -> Company:
    company = Company(
        cvr=cvr,
        name=name.strip(),
        postcode=postcode.strip(),
        municipality=municipality,
        status=CaseStatus.IDENTIFIED,
        source=CompanySource.REQUEST,
    )
    if partnership_for_municipality(municipality) is None:
        raise ValidationError(
            {
                "municipality": _(
                    "Vi kan ikke tage imod henvendelser fra %(m)s i portalen endnu. Kontakt jobcentret i %(m)s direkte."
                )
                % {"m": municipality.name}
            }
        )
    _assign_partnership(company, None)
    validate(company)
    company.save()
    StatusChange.objects.create(
        company=company,
        from_status="",
        to_status=company.status,
        note=_("Oprettet fra en henvendelse via Én indgang."),
    )
    return company


# ---------------------------------------------------------------------------
# The partnership's side: take a request, or send it on
# ---------------------------------------------------------------------------
def _locked(request: PublicRequest) -> PublicRequest:
    return PublicRequest.objects.select_for_update().select_related("company", "partnership").get(pk=request.pk)


def _not_new_message(request: PublicRequest) -> str:
    if request.taken_by is not None:
        return _("Henvendelsen er allerede taget af %(name)s.") % {
            "name": request.taken_by.get_full_name() or request.taken_by.email
        }
    return _("Henvendelsen er allerede taget.")


@transaction.atomic
def request_take(*, request: PublicRequest, by: User, lead: User) -> PublicRequest:
    """The partnership takes the request: it becomes the taker's, and ``lead`` the firm's lead consultant.

    The firm's status does not move; the contact person is added to the firm (once per e-mail address).
    """
    request = _locked(request)
    if request.status != PublicRequest.Status.NEW:
        raise ValidationError({"lead": _not_new_message(request)})
    company = request.company
    try:
        company_set_lead(company=company, lead=lead, by=by)
    except ValidationError:
        raise ValidationError({"lead": _("Vælg en tovholder blandt partnerskabets aktive medlemmer.")}) from None
    if not ContactPerson.objects.filter(company=company, email__iexact=request.contact_email).exists():
        ContactPerson.objects.create(
            company=company,
            name=request.contact_name,
            email=request.contact_email,
            phone=request.contact_phone,
            role=ContactPerson.Role.OTHER,
            consent_to_contact=True,
        )
    request.status = PublicRequest.Status.TAKEN
    request.taken_by = by
    request.taken_at = timezone.now()
    request.lead = lead
    request.save(update_fields=["status", "taken_by", "taken_at", "lead", "updated_at"])
    return request


@transaction.atomic
def request_forward(*, request: PublicRequest, to: Partnership, by: User, note: str = "") -> PublicRequest:
    """Send a new request to another partnership. A firm registered from the request moves with it;
    a firm that was already in the portal stays where it is, and so does its request."""
    request = _locked(request)
    note = (note or "").strip()
    if request.status != PublicRequest.Status.NEW:
        raise ValidationError({"partnership": _not_new_message(request)})
    if to.pk == request.partnership_id:
        raise ValidationError({"partnership": _("Vælg et andet partnerskab end det, henvendelsen er hos nu.")})
    if not to.is_active:
        raise ValidationError({"partnership": _("Partnerskabet er ikke aktivt.")})
    if len(note) > 500:
        raise ValidationError({"note": _("Beskeden må højst være 500 tegn.")})
    company = request.company
    if not request.created_company or company.partnership_id != request.partnership_id:
        raise ValidationError(
            {
                "partnership": _(
                    "Virksomheden var allerede registreret i portalen under %(p)s, så henvendelsen hører til dér. "
                    "Hører virksomheden til et andet partnerskab, så ret det på virksomhedens side."
                )
                % {"p": company.partnership}
            }
        )
    _assign_partnership(company, to)
    company.save(update_fields=["partnership", "partnership_overridden", "updated_at"])
    request.forwarded_from = request.partnership
    request.forwarded_by = by
    request.forwarded_at = timezone.now()
    request.forward_note = note
    request.partnership = to
    request.save(
        update_fields=["partnership", "forwarded_from", "forwarded_by", "forwarded_at", "forward_note", "updated_at"]
    )
    outbox.enqueue("companies.notify_request", request.pk, to.pk)
    return request


# ---------------------------------------------------------------------------
# The e-mails (the tasks in companies.tasks call these)
# ---------------------------------------------------------------------------
def request_receipt_send(*, request: PublicRequest) -> bool:
    """E-mail the requester the receipt, once. It says what happens next, and nothing about whether the
    firm was known."""
    claimed = PublicRequest.objects.filter(pk=request.pk, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )
    if not claimed:
        return False
    try:
        send_mail(
            subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + "Vi har modtaget jeres henvendelse",
            message=render_to_string("emails/request_receipt.txt", {"request": request}),
            from_email=None,
            recipient_list=[request.contact_email],
        )
    except Exception:
        # Let the task retry: the receipt has not gone.
        PublicRequest.objects.filter(pk=request.pk).update(receipt_sent_at=None)
        raise
    return True


def request_notice_send(*, request: PublicRequest, partnership: Partnership) -> bool:
    """E-mail the partnership's active members that a request waits under "Nye henvendelser".

    Names the firm and what it asks for; the contact person's details stay in the portal."""
    if request.partnership_id != partnership.pk or request.status != PublicRequest.Status.NEW:
        return False
    recipients = list(partnership_members(partnership.pk).exclude(email="").values_list("email", flat=True))
    if not recipients:
        return False
    context = {
        "request": request,
        "partnership": partnership,
        "url": settings.PORTAL_URL.rstrip("/") + reverse("requests:detail", args=[request.pk]),
    }
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + f"Ny henvendelse til {partnership.name}",
        body=render_to_string("emails/request_notice.txt", context),
        to=[settings.DEFAULT_FROM_EMAIL],
        bcc=recipients,
    ).send()
    return True
