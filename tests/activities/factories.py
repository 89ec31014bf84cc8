"""Factories for the activities tests: plans under the shipped ESF mapping, recruited firms,
participants with valid synthetic CPR numbers, courses.

``synthetic_cpr(n)`` gives the n-th valid CPR number (a real date part, an ordinary sequence digit):
numbers a real person may hold, which is why only the tests and ``seed_demo`` ever make them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from activities import cpr, crypto
from activities.models import ActivityPlan, Course, Declaration, Enrollment, Participant, Recruitment
from partnerships import programme
from partnerships.models import ActivityType, ESFProject

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scan(name: str = "erklaering.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def synthetic_cpr(n: int, *, born: dt.date = dt.date(1980, 1, 1), sep: bool = False) -> str:
    """A valid CPR number: a birth date ``n`` days after ``born`` and sequence ``1000 + n % 9000`` (the
    seventh digit 1..4 gives 1900s births: stdnum's century rule)."""
    birth = born + dt.timedelta(days=n % 9000)
    sequence = 1000 + (n * 7) % 3000
    number = f"{birth:%d%m%y}{sequence:04d}"
    return f"{number[:6]}-{number[6:]}" if sep else number


def activity_type(code: str) -> ActivityType:
    return ActivityType.objects.get(code=code)


def project(code: str) -> ESFProject:
    return ESFProject.objects.get(code=code)


def recruit(company, project_code: str, *, signed_on: dt.date = dt.date(2018, 1, 10), by=None) -> Recruitment:
    """Recruit the firm into the project with all three declarations signed on ``signed_on``."""
    recruitment = Recruitment.objects.create(
        company=company, project=project(project_code), sme_staff=25, recruited_by=by
    )
    for kind in Declaration.Kind.values:
        declaration = Declaration(recruitment=recruitment, kind=kind, signed_on=signed_on, signed_by="Ejer")
        declaration.scan.save(f"{kind}.pdf", scan(), save=False)
        declaration.save()
    return recruitment


def make_plan(
    company,
    responsible,
    *,
    type_code: str = "uddannelsesplan",
    start: dt.date = dt.date(2018, 3, 1),
    end: dt.date = dt.date(2018, 12, 31),
    status: str = ActivityPlan.Status.DRAFT,
    **fields,
) -> ActivityPlan:
    kind = activity_type(type_code)
    mapping = programme.activity_type_mapping(activity_type=kind, on=start)
    defaults = {
        "title": f"{kind.name} for {company.name}",
        "purpose": "Automatisering af svejseprocessen kræver nye kompetencer.",
        "planned_cost": Decimal("20000"),
    }
    defaults.update(fields)
    plan = ActivityPlan.objects.create(
        company=company,
        activity_type=kind,
        type_mapping=mapping,
        responsible=responsible,
        organisation_id=responsible.organisation_id,
        planned_start=start,
        planned_end=end,
        status=status,
        actual_start=start if status in ActivityPlan.STARTED_STATUSES else None,
        **defaults,
    )
    return plan


def make_participant(partnership, *, n: int = 1, employer=None, entry: dt.date = dt.date(2018, 2, 1), **fields):
    number = synthetic_cpr(n)
    defaults = {
        "first_name": f"Deltager{n}",
        "last_name": "Hansen",
        "gender": cpr.gender(number),
        "employment_status": Participant.EmploymentStatus.EMPLOYED,
        "isced": 3,
        "consent_on": entry,
    }
    defaults.update(fields)
    return Participant.objects.create(
        partnership=partnership,
        employer=employer,
        cpr_token=crypto.encrypt(number),
        cpr_hash=crypto.keyed_hash(number),
        birth_date=cpr.birth_date(number),
        entry_date=entry,
        **defaults,
    )


def make_enrollment(plan, participant, **fields) -> Enrollment:
    return Enrollment.objects.create(
        plan=plan, participant=participant, start_date=fields.pop("start_date", plan.start), **fields
    )


def course(number: str = "40123", title: str = "Svejsning af stål", days: str = "5") -> Course:
    return Course.objects.get_or_create(number=number, defaults={"title": title, "days": Decimal(days)})[0]
