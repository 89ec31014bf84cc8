"""Demo data for én indgang and recruitment needs: about 40 public requests in every state (new,
taken with a lead consultant, sent on to another partnership; from known firms and from firms the
request registered), and recruitment needs on about a tenth of the firms, some of them closed.

Registered as the demo step "requests" (after the firms). Deterministic (the ``rng`` passed in, rows
read in a fixed order) and idempotent: when any request exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.utils import timezone

from companies.demo import cvr_from_base
from companies.models import (
    PRIVACY_NOTICE_VERSION,
    CaseStatus,
    Company,
    CompanySource,
    CompetenceNeed,
    PublicRequest,
    RecruitmentNeed,
    StatusChange,
)
from partnerships.models import Membership, Partnership

REQUESTS_PER_SCALE = 40
# Firms registered by a demo request get CVR numbers from 40000000 (outside the firm demo's range).
REQUEST_CVR_BASE = 4_000_000

NEEDS = [
    ("need_upskilling", "Vi skal have vores operatører opkvalificeret til nye CNC-maskiner."),
    ("need_recruitment", "Vi mangler to svejsere og en elektriker og kan ikke finde dem."),
    ("need_hr_strategy", "Vi vokser hurtigt og har brug for hjælp til en plan for kompetencer og HR."),
    ("need_other", "Vi vil gerne høre, hvad I kan tilbyde en mindre virksomhed som vores."),
    ("need_upskilling", "Vores ufaglærte lagermedarbejdere skal have truckcertifikat og IT-kurser."),
]
FIRST_NAMES = ["Lise", "Jens", "Hanne", "Morten", "Pia", "Søren", "Camilla", "Niels", "Birgitte", "Kasper"]
LAST_NAMES = ["Andersen", "Nielsen", "Mortensen", "Holm", "Bech", "Lund", "Damgaard", "Kristensen"]
NEW_FIRM_NAMES = ["Kildebæk", "Stenager", "Hedelund", "Fjordglimt", "Skovbryn", "Engholm", "Bakkely", "Vestermark"]
NEW_FIRM_KINDS = ["Maskinfabrik ApS", "Tømrer og Snedker A/S", "Plast ApS", "Transport ApS", "Fødevarer A/S"]

JOBS = [
    ("CNC-operatør", "Erfaring med Heidenhain-styring, gerne tegningslæsning."),
    ("Elektriker", "Autoriseret, erfaring med PLC og industriautomation."),
    ("Svejser", "MIG/MAG-certifikat, rustfrit stål."),
    ("Lagermedarbejder", "Truckcertifikat B, IT-kendskab til lagerstyring."),
    ("Softwareudvikler", "Python eller C#, gerne erfaring med produktionsdata."),
    ("Ingeniør, produktion", "Lean og procesoptimering; engelsk i skrift og tale."),
    ("Social- og sundhedsassistent", "Autorisation; aften- og weekendvagter."),
]


@dataclass
class Seeded:
    requests: int = 0
    recruitment: int = 0
    created: bool = False


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    if PublicRequest.objects.exists():
        return _counts(created=False)
    now = timezone.now()
    partnerships = list(Partnership.objects.filter(is_active=True).order_by("name").prefetch_related("coverage"))
    members = {
        p.pk: list(
            Membership.objects.filter(partnership=p, user__is_active=True)
            .select_related("user")
            .order_by("user__email")
            .values_list("user_id", flat=True)
        )
        for p in partnerships
    }
    firms = list(Company.objects.select_related("partnership").order_by("pk"))
    if not partnerships or not firms:
        return _counts(created=False)

    requests = []
    stamps = []
    cvr_serial = REQUEST_CVR_BASE
    for number in range(REQUESTS_PER_SCALE * scale):
        partnership = partnerships[number % len(partnerships)]
        created_at = now - dt.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 10), minutes=number)
        # Two in five come from firms the portal did not know: the request registers them.
        if number % 5 in (1, 3):
            cvr = None
            while cvr is None:
                cvr = cvr_from_base(cvr_serial)
                cvr_serial += 1
            coverage = list(partnership.coverage.all())
            municipality_id = rng.choice(coverage).municipality_id if coverage else None
            if municipality_id is None:
                continue
            company = Company.objects.create(
                cvr=cvr,
                name=f"{rng.choice(NEW_FIRM_NAMES)} {rng.choice(NEW_FIRM_KINDS)}",
                postcode="8000",
                municipality_id=municipality_id,
                partnership=partnership,
                status=CaseStatus.IDENTIFIED,
                source=CompanySource.REQUEST,
            )
            change = StatusChange.objects.create(
                company=company, from_status="", to_status=CaseStatus.IDENTIFIED, note="Oprettet fra en henvendelse."
            )
            stamps.append((StatusChange, change.pk, {"changed_at": created_at}))
            stamps.append((Company, company.pk, {"created_at": created_at}))
            created = True
        else:
            own = [f for f in firms if f.partnership_id == partnership.pk]
            if not own:
                continue
            company = own[rng.randrange(len(own))]
            created = False
        need, text = NEEDS[number % len(NEEDS)]
        contact = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        request = PublicRequest(
            cvr=company.cvr,
            company_name=company.name,
            postcode=company.postcode or "8000",
            municipality_id=company.municipality_id,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower().replace('ø', 'oe')}@firma{number}.example.dk",
            contact_phone=f"{20000000 + number * 7919 % 79999999}",
            description=text,
            consent=True,
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            partnership=partnership,
            company=company,
            created_company=created,
            fingerprint=hashlib.sha256(f"demo-{number}".encode()).hexdigest(),
            receipt_sent_at=created_at,
            **{need: True},
        )
        state = number % 4  # 0, 1: new; 2: taken; 3: taken (new firm: sent on first, then taken)
        people = members.get(partnership.pk) or []
        if state >= 2 and people:
            request.status = PublicRequest.Status.TAKEN
            request.taken_by_id = people[number % len(people)]
            request.taken_at = created_at + dt.timedelta(hours=rng.randint(2, 48))
            if request.taken_at > now:
                request.taken_at = now
            if company.lead_consultant_id is None:
                Company.objects.filter(pk=company.pk).update(lead_consultant_id=request.taken_by_id)
        elif created and number % 10 == 1 and len(partnerships) > 1:
            # Sent here by the neighbouring partnership, which received it first.
            request.forwarded_from = partnerships[(number + 1) % len(partnerships)]
            request.forwarded_at = min(now, created_at + dt.timedelta(hours=3))
            request.forward_note = "Virksomheden ligger i jeres område."
        requests.append((request, created_at))
    PublicRequest.objects.bulk_create([r for r, _ in requests])
    for request, created_at in requests:
        stamps.append((PublicRequest, request.pk, {"created_at": created_at, "updated_at": created_at}))
    for model, pk, values in stamps:
        model.objects.filter(pk=pk).update(**values)

    recruitment = _recruitment_needs(rng, firms, members, now=now)
    return _counts(created=True) if requests or recruitment else _counts(created=False)


def _recruitment_needs(rng: random.Random, firms: list[Company], members: dict, *, now: dt.datetime) -> int:
    """Recruitment needs on about one firm in ten; a third of them closed with an outcome."""
    today = timezone.localdate()
    chosen = [firm for index, firm in enumerate(firms) if index % 10 == 3]
    needs, details = [], []
    outcomes = list(RecruitmentNeed.Outcome.values)
    for number, firm in enumerate(chosen):
        title, skills = JOBS[number % len(JOBS)]
        created_at = now - dt.timedelta(days=rng.randint(5, 200))
        closed = number % 3 == 2
        outcome = outcomes[number % len(outcomes)] if closed else ""
        people = members.get(firm.partnership_id) or [None]
        need = CompetenceNeed(
            company=firm,
            kind=CompetenceNeed.Kind.RECRUITMENT,
            area=CompetenceNeed.Area.OTHER,
            description=skills,
            status=(
                CompetenceNeed.Status.IDENTIFIED
                if not closed
                else (
                    CompetenceNeed.Status.COVERED
                    if outcome in (RecruitmentNeed.Outcome.FILLED, RecruitmentNeed.Outcome.PARTLY_FILLED)
                    else CompetenceNeed.Status.DROPPED
                )
            ),
            created_by_id=people[number % len(people)],
        )
        needs.append((need, created_at))
        closed_on = min(today, timezone.localdate(created_at) + dt.timedelta(days=rng.randint(10, 90)))
        details.append(
            RecruitmentNeed(
                job_title=title,
                positions=rng.choice((1, 1, 2, 3, 5)),
                deadline=today + dt.timedelta(days=rng.randint(14, 120)) if not closed else None,
                foreign_specialists=number % 4 == 0,
                graduates=number % 5 == 1,
                outcome=outcome,
                closed_on=closed_on if closed else None,
                closed_by_id=people[number % len(people)] if closed else None,
            )
        )
    CompetenceNeed.objects.bulk_create([n for n, _ in needs], batch_size=2000)
    for (need, _created), detail in zip(needs, details, strict=True):
        detail.need = need
    RecruitmentNeed.objects.bulk_create(details, batch_size=2000)
    for need, created_at in needs:
        CompetenceNeed.objects.filter(pk=need.pk).update(created_at=created_at, updated_at=created_at)
    return len(needs)


def reset() -> None:
    PublicRequest.objects.all().delete()
    RecruitmentNeed.objects.all().delete()
    CompetenceNeed.objects.filter(kind=CompetenceNeed.Kind.RECRUITMENT).delete()


def summary(result: Seeded) -> str:
    text = f"{result.requests} henvendelser, {result.recruitment} rekrutteringsbehov"
    return text if result.created else f"{text} (fandtes allerede, intet tilføjet)"


def _counts(*, created: bool) -> Seeded:
    return Seeded(
        requests=PublicRequest.objects.count(),
        recruitment=RecruitmentNeed.objects.count(),
        created=created,
    )
