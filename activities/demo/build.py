"""The demo's generator (``Builder``: unsaved rows, all drawn from one seeded ``rng``) and its writer
(``write``: bulk inserts in dependency order)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from activities import cpr, crypto
from activities.demo.people import EMPLOYMENT, ISCED, YES_NO_DECLINED, name_for, synthetic_cpr, weighted
from activities.models import (
    ActivityPlan,
    ActivityStatusChange,
    Cost,
    Course,
    Declaration,
    Enrollment,
    EuroRate,
    Headcount,
    HRForHireDetail,
    JobrotationDetail,
    NetworkDetail,
    NetworkMeeting,
    Participant,
    ParticipantDocument,
    PlacementDetail,
    Recruitment,
    RKVResult,
    TimeEntry,
    Timesheet,
    TrainingLine,
)
from companies.models import CaseStatus, Company, CompetenceNeed
from partnerships import programme
from partnerships.demo import DEMO_LOGINS
from partnerships.models import ActivityType, Membership, Role, User

S = ActivityPlan.Status
K = ActivityType.Kind
DEMO_CONSULTANT = next(email for email, _f, _l, role, *_ in DEMO_LOGINS if role == Role.CONSULTANT)
DEMO_MANAGEMENT = next(email for email, _f, _l, role, *_ in DEMO_LOGINS if role == Role.MANAGEMENT)
DEMO_FILE = "demo/underskrevet-demo.pdf"
DEMO_PDF = b"%PDF-1.4\n% Demo: underskrevet erklaering (ikke en rigtig underskrift)\ntrailer<<>>\n%%EOF\n"
PROGRAMME_START, PROGRAMME_END = dt.date(2017, 2, 1), dt.date(2019, 12, 13)
PLANS_PER_FIRM = (1, 3)
# The statuses a firm's case allows its plans to be in.
STATUSES_BY_CASE = {
    CaseStatus.CLOSED: {S.COMPLETED: 85, S.CANCELLED: 15},
    CaseStatus.IN_PROGRESS: {S.IN_PROGRESS: 70, S.APPROVED: 15, S.COMPLETED: 15},
    CaseStatus.AGREED: {S.DRAFT: 55, S.APPROVED: 45},
}
# Planned costs in kroner by kind (min, max).
COST_RANGE = {
    K.TRAINING_PLAN: (8_000, 60_000),
    K.RKV: (3_000, 12_000),
    K.HR_FOR_HIRE: (20_000, 90_000),
    K.JOBROTATION: (30_000, 120_000),
    K.NETWORK: (5_000, 30_000),
    K.GRADUATE: (15_000, 60_000),
    K.FOREIGN_SPECIALIST: (10_000, 40_000),
    K.GENERIC: (5_000, 40_000),
}
PURPOSES = (
    "Vækststrategien sigter mod {n} nye medarbejdere på to år; det kræver nye kompetencer i produktionen.",
    "Automatiseringen af {area} skal øge produktiviteten med {p} %, og operatørerne skal kunne betjene anlægget.",
    "Virksomheden vil ind på eksportmarkedet og skal styrke ledelse og planlægning.",
    "Omstillingen til nye materialer kræver opkvalificering af de ufaglærte medarbejdere.",
    "Vækstplanen forudsætter en HR-funktion, der kan rekruttere og fastholde faglærte.",
)
AREAS = ("pakkeriet", "svejseafdelingen", "lageret", "produktionslinje 2", "montagen")
PROVIDERS = ("Aarhus Tech", "AMU Østjylland", "Herningsholm Erhvervsskole", "Tradium", "Mercantec", "Viden Djurs")
ASSESSORS = ("AMU Østjylland", "Aarhus Tech, VEU", "Tradium, IKV", "Herningsholm, RKV-center")
HR_PROVIDERS = ("HR-Partner Midt ApS", "Personaleudvikling Jylland", "HRkonsulenten.dk")
NETWORK_THEMES = ("Automatisering i SMV'er", "Grøn omstilling", "Rekruttering af faglærte", "Ledelse i vækst")
RECOGNISED = (
    "Erfaring med truckkørsel og lagerstyring svarende til AMU-niveau.",
    "Svejsning af stål på niveau med grundlæggende MAG; mangler teori.",
    "Betjening af CNC-maskiner; kan ikke selv programmere.",
)
COSTS = (
    (Cost.Kind.COURSE_FEE, "Deltagergebyr, AMU"),
    (Cost.Kind.SERVICE, "Køb af konsulentydelse"),
    (Cost.Kind.MATERIALS, "Undervisningsmaterialer"),
    (Cost.Kind.TRAVEL, "Kørsel til kursussted"),
)
CANCEL_NOTES = ("Virksomheden har sat projektet i bero.", "Medarbejderne kunne ikke frigøres.", "Ny ejer, ny strategi.")
DAY = dt.timedelta(days=1)


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day -= DAY
    return day


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@dataclass
class _Plan:
    plan: ActivityPlan
    consultants: list[int]
    needs: list[int]
    changes: list[ActivityStatusChange] = field(default_factory=list)
    detail: object | None = None
    members: list[int] = field(default_factory=list)
    meetings: list[NetworkMeeting] = field(default_factory=list)
    costs: list[Cost] = field(default_factory=list)
    enrollments: list[tuple[Enrollment, list[TrainingLine], RKVResult | None, list[int]]] = field(default_factory=list)


class Builder:
    """Draws the whole demo in memory. ``build`` fills the lists that ``write`` inserts."""

    def __init__(self, *, rng: random.Random, scale: int):
        self.rng, self.scale = rng, scale
        self.today = timezone.localdate()
        self.plans: list[_Plan] = []
        self.participants: list[Participant] = []
        self.recruitments: dict[tuple[int, int], tuple[Recruitment, list[Declaration]]] = {}
        self.headcounts: list[Headcount] = []
        self.entries: list[TimeEntry] = []
        self.documents: list[ParticipantDocument] = []
        self.taken_cpr: set[str] = set()
        self.numbers: list[str] = []  # the demo's CPR numbers, for the tests that look for them in clear

    # -- reference data ----------------------------------------------------------------------------
    def _load(self) -> None:
        if not Course.objects.exists():
            call_command("import_courses", verbosity=0, stdout=_Null())
        self.courses = list(Course.objects.filter(is_active=True).order_by("number"))
        types = list(ActivityType.objects.filter(is_active=True).order_by("sort_order", "code"))
        self.mappings = {t.pk: programme.activity_type_mapping(activity_type=t, on=PROGRAMME_START) for t in types}
        self.types = [t for t in types if t.pk in self.mappings]
        self.rate = EuroRate.objects.in_force(self.today).values_list("dkk_per_eur", flat=True).first() or Decimal(
            "7.46038"
        )
        self.users = {u.pk: u for u in User.objects.filter(is_active=True).select_related("organisation")}
        self.demo_consultant = User.objects.get(email=DEMO_CONSULTANT)
        self.management = User.objects.filter(email=DEMO_MANAGEMENT).first()
        members = defaultdict(list)
        consultants = set(User.objects.filter(groups__name=Role.CONSULTANT).values_list("pk", flat=True))
        for partnership_id, user_id in Membership.objects.order_by("partnership_id", "user__email").values_list(
            "partnership_id", "user_id"
        ):
            if user_id in consultants and user_id in self.users:
                members[partnership_id].append(user_id)
        self.members = members
        self.demo_partnerships = set(self.demo_consultant.memberships.values_list("partnership_id", flat=True))
        needs = defaultdict(list)
        for company_id, need_id in CompetenceNeed.objects.order_by("company_id", "pk").values_list("company_id", "pk"):
            needs[company_id].append(need_id)
        self.needs = needs

    # -- the whole demo ------------------------------------------------------------------------------
    def build(self) -> None:
        self._load()
        firms = list(
            Company.objects.filter(status__in=list(STATUSES_BY_CASE)).select_related("partnership").order_by("pk")
        )
        # The demo consultant's partnerships first, so the combinations "every type in every status"
        # land where the demo consultant (and the walker) can see them.
        firms.sort(key=lambda f: (f.partnership_id not in self.demo_partnerships, f.pk))
        by_case = defaultdict(list)
        for firm in firms:
            by_case[firm.status].append(firm)
        combos = [(t, s) for s in S for t in self.types]
        pools = {
            S.COMPLETED: by_case[CaseStatus.CLOSED],
            S.CANCELLED: by_case[CaseStatus.CLOSED] or firms,
            S.IN_PROGRESS: by_case[CaseStatus.IN_PROGRESS],
            S.APPROVED: by_case[CaseStatus.AGREED] or by_case[CaseStatus.IN_PROGRESS],
            S.DRAFT: by_case[CaseStatus.AGREED],
        }
        used = defaultdict(int)
        for activity_type, status in combos:
            pool = pools[status] or firms
            firm = pool[used[status] % len(pool)]
            used[status] += 1
            self.plan(firm, activity_type, status)
        for firm in firms:
            for _n in range(self.rng.randint(*PLANS_PER_FIRM)):
                status = weighted(self.rng, STATUSES_BY_CASE[firm.status])
                self.plan(firm, self.rng.choice(self.types), status)
        self.hours()

    # -- one plan ---------------------------------------------------------------------------------------
    def _dates(self, status: str) -> tuple[dt.date, dt.date]:
        rng, today = self.rng, self.today
        if status in (S.COMPLETED, S.CANCELLED) and rng.random() < 0.9:
            start = PROGRAMME_START + dt.timedelta(days=rng.randrange(0, 820))
            end = min(start + dt.timedelta(days=rng.randrange(30, 200)), PROGRAMME_END)
        elif status in (S.COMPLETED, S.CANCELLED):
            start = today - dt.timedelta(days=rng.randrange(120, 300))
            end = start + dt.timedelta(days=rng.randrange(30, 100))
        elif status == S.IN_PROGRESS:
            start = today - dt.timedelta(days=rng.randrange(10, 200))
            end = today + dt.timedelta(days=rng.randrange(20, 200))
        elif status == S.APPROVED:
            start = today + dt.timedelta(days=rng.randrange(3, 60))
            end = start + dt.timedelta(days=rng.randrange(45, 180))
        else:
            start = today + dt.timedelta(days=rng.randrange(10, 120))
            end = start + dt.timedelta(days=rng.randrange(45, 180))
        return _weekday(start), _weekday(end)

    def _responsible(self, firm: Company) -> int:
        members = self.members.get(firm.partnership_id) or [self.demo_consultant.pk]
        if firm.partnership_id in self.demo_partnerships and self.rng.random() < 0.35:
            return self.demo_consultant.pk
        if firm.lead_consultant_id in members:
            return firm.lead_consultant_id
        return self.rng.choice(members)

    def plan(self, firm: Company, activity_type: ActivityType, status: str) -> None:
        rng = self.rng
        mapping = self.mappings[activity_type.pk]
        start, end = self._dates(status)
        responsible = self._responsible(firm)
        low, high = COST_RANGE[activity_type.kind]
        cost = Decimal(rng.randrange(low, high, 500))
        members = self.members.get(firm.partnership_id, [])
        plan = ActivityPlan(
            company=firm,
            activity_type=activity_type,
            type_mapping=mapping,
            title=f"{activity_type.name} – {firm.name}"[:200],
            purpose=rng.choice(PURPOSES).format(n=rng.randint(2, 12), area=rng.choice(AREAS), p=rng.randint(5, 25))
            if mapping.requires_growth_purpose or rng.random() < 0.5
            else "",
            responsible_id=responsible,
            organisation_id=self.users[responsible].organisation_id,
            planned_start=start,
            planned_end=end,
            actual_start=start if status in ActivityPlan.STARTED_STATUSES else None,
            actual_end=end if status == S.COMPLETED else None,
            planned_hours=Decimal(rng.randrange(10, 80)),
            planned_cost=cost,
            status=status,
            is_demo=True,
        )
        item = _Plan(
            plan=plan,
            consultants=rng.sample(
                [m for m in members if m != responsible], k=min(rng.randint(0, 2), max(len(members) - 1, 0))
            ),
            needs=self.needs.get(firm.pk, [])[:1],
        )
        if mapping.requires_growth_purpose:
            employees = firm.employees or 20
            plan.staff_taking_part = max(1, round(employees * rng.choice((0.1, 0.3, 0.5))))
            plan.managers_taking_part = rng.randint(0, 3)
        self._changes(item, start, end, status)
        if status in (S.APPROVED, S.IN_PROGRESS, S.COMPLETED, S.CANCELLED) and any(
            c.to_status == S.APPROVED for c in item.changes
        ):
            granted = next(c.changed_at.date() for c in item.changes if c.to_status == S.APPROVED)
            aid = cost if mapping.charged_to_project else Decimal(0)
            plan.aid_granted_on, plan.aid_dkk = granted, aid
            plan.aid_eur = (aid / self.rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if status in ActivityPlan.STARTED_STATUSES or (status == S.APPROVED and rng.random() < 0.5):
            self._recruit(
                firm, mapping.project.pk, before=min(start, self.today) - dt.timedelta(days=rng.randint(5, 40))
            )
        if not any(h.company_id == firm.pk for h in self.headcounts[-6:]):
            self._headcount(firm, start, status)
        self._details(item, firm)
        if status in (S.IN_PROGRESS, S.COMPLETED):
            for _n in range(rng.randint(1, 3)):
                spent = min(end, self.today)
                kind, text = rng.choice(COSTS)
                item.costs.append(
                    Cost(
                        plan=plan,
                        incurred_on=start + dt.timedelta(days=rng.randrange(0, max((spent - start).days, 1))),
                        kind=kind,
                        description=text,
                        amount=(cost / 4).quantize(Decimal("1")),
                    )
                )
        self._participants(item, firm)
        self.plans.append(item)

    def _changes(self, item: _Plan, start: dt.date, end: dt.date, status: str) -> None:
        plan, rng = item.plan, self.rng
        created = max(min(start, self.today) - dt.timedelta(days=rng.randint(20, 60)), dt.date(2017, 1, 2))
        steps = [("", S.DRAFT, created, "")]
        if status in (S.APPROVED, S.IN_PROGRESS, S.COMPLETED):
            steps.append((S.DRAFT, S.APPROVED, min(created + dt.timedelta(days=rng.randint(3, 15)), self.today), ""))
        if status in (S.IN_PROGRESS, S.COMPLETED):
            steps.append((S.APPROVED, S.IN_PROGRESS, start, ""))
        if status == S.COMPLETED:
            steps.append((S.IN_PROGRESS, S.COMPLETED, end, ""))
        if status == S.CANCELLED:
            steps.append(
                (
                    S.DRAFT,
                    S.CANCELLED,
                    min(created + dt.timedelta(days=rng.randint(5, 40)), self.today),
                    rng.choice(CANCEL_NOTES),
                )
            )
        for from_status, to_status, day, note in steps:
            item.changes.append(
                ActivityStatusChange(
                    plan=plan,
                    from_status=from_status,
                    to_status=to_status,
                    note=note,
                    changed_by_id=plan.responsible_id,
                    changed_at=_at(day, 9 + len(item.changes)),
                )
            )

    def _recruit(self, firm: Company, project_id: int, *, before: dt.date) -> None:
        key = (firm.pk, project_id)
        if key in self.recruitments:
            return
        signed = max(before, dt.date(2017, 1, 2))
        recruitment = Recruitment(
            company=firm,
            project_id=project_id,
            sme_staff=firm.employees or 20,
            other_de_minimis_eur=Decimal(self.rng.choice((0, 0, 0, 5000, 15000, 40000))),
            recruited_by_id=firm.lead_consultant_id,
        )
        declarations = [
            Declaration(
                recruitment=recruitment,
                kind=kind,
                signed_on=signed,
                signed_by="Direktør (demo)",
                scan=DEMO_FILE,
                scan_name="underskrevet-erklaering.pdf",
            )
            for kind in Declaration.Kind.values
        ]
        self.recruitments[key] = (recruitment, declarations)

    def _headcount(self, firm: Company, start: dt.date, status: str) -> None:
        employees = firm.employees or self.rng.randint(8, 120)
        counted = min(start, self.today) - dt.timedelta(days=self.rng.randint(1, 20))
        self.headcounts.append(
            Headcount(
                company=firm,
                counted_on=counted,
                employees=employees,
                managers=max(1, employees // 10),
                occasion=Headcount.Occasion.START,
                source=self.rng.choice(Headcount.Source.values),
            )
        )
        follow_up = counted + dt.timedelta(days=540)
        if status == S.COMPLETED and follow_up <= self.today:
            grown = employees + self.rng.randint(-2, max(2, employees // 8))
            self.headcounts.append(
                Headcount(
                    company=firm,
                    counted_on=follow_up,
                    employees=max(1, grown),
                    managers=max(1, grown // 10),
                    occasion=Headcount.Occasion.FOLLOW_UP,
                    source=Headcount.Source.CVR,
                )
            )

    def _details(self, item: _Plan, firm: Company) -> None:
        rng, plan, kind = self.rng, item.plan, item.plan.activity_type.kind
        if kind == K.HR_FOR_HIRE:
            item.detail = HRForHireDetail(
                plan=plan,
                provider=rng.choice(HR_PROVIDERS),
                hours_bought=Decimal(rng.choice((40, 60, 80, 120))),
                tasks="Rekrutteringsproces, introduktionsprogram og MUS-skabelon.",
                outcome="Virksomheden har nu en fast proces for rekruttering." if plan.status == S.COMPLETED else "",
            )
        elif kind == K.JOBROTATION:
            item.detail = JobrotationDetail(
                plan=plan, weeks=rng.randint(4, 26), jobcentre=f"Jobcenter {firm.municipality.name}"
            )
        elif kind == K.NETWORK:
            item.detail = NetworkDetail(plan=plan, theme=rng.choice(NETWORK_THEMES))
            item.members = [firm.pk]
            start = plan.actual_start or plan.planned_start
            for n in range(rng.randint(2, 4) if plan.is_started else 0):
                held = _weekday(start + dt.timedelta(days=30 * n + 7))
                if held <= self.today:
                    item.meetings.append(
                        NetworkMeeting(
                            plan=plan, held_on=held, topic=rng.choice(NETWORK_THEMES), firms_present=rng.randint(3, 8)
                        )
                    )
        elif kind in (K.GRADUATE, K.FOREIGN_SPECIALIST):
            item.detail = PlacementDetail(
                plan=plan,
                recruitment_need="Udviklingsingeniør til automatisering."
                if kind == K.GRADUATE
                else "Specialist i styringssystemer.",
                development_task="Kortlægning og optimering af produktionsflowet.",
                outcome=PlacementDetail.Outcome.HIRED if plan.status == S.COMPLETED else "",
            )

    # -- participants ---------------------------------------------------------------------------------
    def _person(
        self, firm: Company | None, partnership_id: int, entry: dt.date, *, unemployed: bool = False
    ) -> Participant:
        rng = self.rng
        number, gender = synthetic_cpr(rng, taken=self.taken_cpr)
        self.numbers.append(number)
        first, last = name_for(rng, gender)
        status = "unemployed" if unemployed else weighted(rng, EMPLOYMENT)
        person = Participant(
            partnership_id=partnership_id,
            employer=None if unemployed else firm,
            cpr_token=crypto.encrypt(number),
            cpr_hash=crypto.keyed_hash(number),
            first_name=first,
            last_name=last,
            birth_date=cpr.birth_date(number),
            gender=gender,
            entry_date=entry,
            employment_status=status,
            unemployed_months=rng.randint(1, 30) if status == "unemployed" else None,
            in_education_at_entry=status == "inactive" and rng.random() < 0.5,
            isced=None if rng.random() < 0.05 else weighted(rng, ISCED),
            migrant=weighted(rng, YES_NO_DECLINED),
            disability=weighted(rng, YES_NO_DECLINED),
            other_disadvantage=weighted(rng, YES_NO_DECLINED),
            consent_on=None if rng.random() < 0.03 else entry,
            privacy_notice_given=True,
            is_demo=True,
        )
        self.participants.append(person)
        return person

    def _participants(self, item: _Plan, firm: Company) -> None:
        rng, plan, kind = self.rng, item.plan, item.plan.activity_type.kind
        counts = {
            K.TRAINING_PLAN: (2, 9),
            K.RKV: (1, 6),
            K.JOBROTATION: (1, 3),
            K.GRADUATE: (0, 1),
            K.FOREIGN_SPECIALIST: (0, 1),
        }
        low, high = counts.get(kind, (0, 2))
        if plan.status == S.CANCELLED:
            low, high = 0, 1
        start = plan.actual_start or plan.planned_start
        end = plan.actual_end or plan.planned_end
        # Some people of the firm take part in a second activity (recorded once as participants).
        known = [
            e[0].participant
            for p in self.plans[-4:]
            if p.plan.company_id == firm.pk and p.plan.status == plan.status
            for e in p.enrollments
            if e[0].participant.entry_date <= start and e[0].role != Enrollment.Role.SUBSTITUTE
        ]
        for n in range(rng.randint(low, high)):
            reuse = known and rng.random() < 0.15
            person = rng.choice(known) if reuse else self._person(firm, firm.partnership_id, start)
            if any(e[0].participant is person for e in item.enrollments):
                continue
            role = Enrollment.Role.PLACED if kind in (K.GRADUATE, K.FOREIGN_SPECIALIST) else Enrollment.Role.EMPLOYEE
            self._enroll(item, person, role, start, end, n)
        if kind == K.JOBROTATION:
            for n in range(rng.randint(1, 3)):
                person = self._person(None, firm.partnership_id, start, unemployed=True)
                self._enroll(item, person, Enrollment.Role.SUBSTITUTE, start, end, n)

    def _enroll(self, item: _Plan, person: Participant, role: str, start: dt.date, end: dt.date, n: int) -> None:
        rng, plan = self.rng, item.plan
        begin = max(start, person.entry_date)
        finished = plan.status == S.COMPLETED
        enrollment = Enrollment(
            plan=plan,
            participant=person,
            role=role,
            start_date=begin,
            end_date=end if finished else None,
            hours=Decimal(rng.randrange(7, 75)),
            hired_afterwards=rng.random() < 0.4 if role == Enrollment.Role.SUBSTITUTE and finished else None,
        )
        lines: list[TrainingLine] = []
        rkv = None
        recommended: list[int] = []
        if plan.activity_type.kind == K.TRAINING_PLAN and role == Enrollment.Role.EMPLOYEE:
            day = begin
            for course in rng.sample(self.courses, k=min(rng.randint(1, 3), len(self.courses))):
                length = int(course.days) + 2
                if day + dt.timedelta(days=length) > end:
                    break
                if finished:
                    line_status = rng.choices(
                        [TrainingLine.Status.COMPLETED, TrainingLine.Status.DROPPED], weights=[9, 1]
                    )[0]
                elif plan.status == S.IN_PROGRESS:
                    line_status = (
                        TrainingLine.Status.COMPLETED
                        if day + dt.timedelta(days=length) < self.today
                        else TrainingLine.Status.ENROLLED
                    )
                else:
                    line_status = TrainingLine.Status.PLANNED
                lines.append(
                    TrainingLine(
                        enrollment=enrollment,
                        course=course,
                        provider=rng.choice(PROVIDERS),
                        start_date=day,
                        end_date=day + dt.timedelta(days=length),
                        days=course.days,
                        status=line_status,
                        qualifying=True,
                    )
                )
                day += dt.timedelta(days=length + rng.randint(7, 40))
        if plan.activity_type.kind == K.RKV and plan.status in (S.COMPLETED, S.IN_PROGRESS) and begin < self.today:
            rkv = RKVResult(
                enrollment=enrollment,
                assessor=rng.choice(ASSESSORS),
                assessed_on=min(begin + dt.timedelta(days=rng.randint(3, 20)), self.today),
                recognised=rng.choice(RECOGNISED),
                certificate=rng.choice([RKVResult.Certificate.COMPETENCE, RKVResult.Certificate.EDUCATION, ""]),
            )
            recommended = [c.pk for c in rng.sample(self.courses, k=min(2, len(self.courses)))]
        item.enrollments.append((enrollment, lines, rkv, recommended))
        if finished:
            self._exit(person, end)

    def _exit(self, person: Participant, end: dt.date) -> None:
        """The person leaves the project when their last activity ends; results follow by the due dates."""
        if person.exit_date and person.exit_date >= end:
            return
        rng = self.rng
        person.exit_date = end
        if person.exit_result_due <= self.today and rng.random() < 0.88:
            person.exit_result_on = min(person.exit_result_due - dt.timedelta(days=rng.randint(0, 20)), self.today)
            person.result_employed = person.employment_status == "employed" or rng.random() < 0.4
            person.result_in_education = rng.random() < 0.2
            person.result_qualification = rng.random() < 0.6
            person.result_job_searching = person.employment_status == "inactive" and rng.random() < 0.5
        if person.result6_due <= self.today and rng.random() < 0.8:
            person.result6_on = person.result6_due + dt.timedelta(days=rng.randint(0, 25))
            person.result6_on = min(person.result6_on, self.today)
            person.result6_employed = person.employment_status == "employed" or rng.random() < 0.5
            person.result6_improved = person.employment_status == "employed" and rng.random() < 0.3

    # -- hours ------------------------------------------------------------------------------------------
    def hours(self) -> None:
        rng = self.rng
        per_day: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)

        def add(user_id: int, day: dt.date, amount: Decimal, **target) -> None:
            day = _weekday(day)
            if day > self.today or day < dt.date(2017, 1, 2) or per_day[(user_id, day)] + amount > 8:
                return
            per_day[(user_id, day)] += amount
            self.entries.append(TimeEntry(user_id=user_id, day=day, hours=amount, **target))

        kinds = [TimeEntry.Kind.PLANNING, TimeEntry.Kind.DELIVERY, TimeEntry.Kind.FOLLOW_UP, TimeEntry.Kind.OUTREACH]
        for item in self.plans:
            plan = item.plan
            if plan.status not in (S.APPROVED, S.IN_PROGRESS, S.COMPLETED):
                continue
            first = (plan.actual_start or plan.planned_start) - dt.timedelta(days=14)
            last = min(plan.actual_end or plan.planned_end, self.today)
            span = max((last - first).days, 1)
            for _n in range(rng.randint(3, 8)):
                add(
                    plan.responsible_id,
                    first + dt.timedelta(days=rng.randrange(span)),
                    Decimal(rng.choice(("1", "1.5", "2", "3", "4"))),
                    kind=rng.choice(kinds),
                    project_id=plan.type_mapping.eligible_activity.project_id,
                    plan=plan,
                )
        # The demo consultant's own recent weeks: partnership meetings and firm work, this week included.
        me = self.demo_consultant.pk
        partnerships = sorted(self.demo_partnerships)
        projects = sorted({m.eligible_activity.project_id for m in self.mappings.values()})
        for weeks_back in range(10, -1, -1):
            monday = self.today - dt.timedelta(days=self.today.weekday() + 7 * weeks_back)
            for offset in range(5):
                day = monday + dt.timedelta(days=offset)
                if weeks_back % 3 == 0 and offset == 1 and partnerships:
                    add(
                        me,
                        day,
                        Decimal("2.5"),
                        kind=TimeEntry.Kind.MEETING,
                        project_id=projects[0],
                        partnership_id=partnerships[0],
                    )
                elif rng.random() < 0.6:
                    mine = [
                        p.plan
                        for p in self.plans
                        if p.plan.responsible_id == me and p.plan.status in ActivityPlan.OPEN_STATUSES
                    ]
                    if mine:
                        plan = rng.choice(mine)
                        add(
                            me,
                            day,
                            Decimal(rng.choice(("1", "2", "3.5"))),
                            kind=rng.choice(kinds),
                            project_id=plan.type_mapping.eligible_activity.project_id,
                            plan=plan,
                        )

    # -- documents ------------------------------------------------------------------------------------
    def documents_for(self, people: list[Participant]) -> list[ParticipantDocument]:
        return [
            ParticipantDocument(
                participant=p,
                kind=ParticipantDocument.Kind.START_FORM,
                file=DEMO_FILE,
                name="deltagerstartskema-demo.pdf",
            )
            for p in people
        ]


class _Null:
    def write(self, *_args) -> None:
        pass

    def flush(self) -> None:
        pass


def _insert(model, rows: list, batch: int = 2000) -> list:
    return model.objects.bulk_create(rows, batch_size=batch)


def write(builder: Builder) -> None:
    """Insert the demo: files, recruitments, plans and everything hanging off them, hours in timesheets."""
    if not default_storage.exists(DEMO_FILE):
        default_storage.save(DEMO_FILE, ContentFile(DEMO_PDF))
    recruitments = list(builder.recruitments.values())
    _insert(Recruitment, [r for r, _d in recruitments])
    _insert(Declaration, [d for _r, ds in recruitments for d in ds])
    _insert(Headcount, builder.headcounts)
    _insert(ActivityPlan, [p.plan for p in builder.plans])
    _insert(ActivityStatusChange, [c for p in builder.plans for c in p.changes])
    through = ActivityPlan.consultants.through
    _insert(through, [through(activityplan_id=p.plan.pk, user_id=u) for p in builder.plans for u in p.consultants])
    needs = ActivityPlan.needs.through
    _insert(needs, [needs(activityplan_id=p.plan.pk, competenceneed_id=n) for p in builder.plans for n in p.needs])
    for model in (HRForHireDetail, JobrotationDetail, NetworkDetail, PlacementDetail):
        _insert(model, [p.detail for p in builder.plans if isinstance(p.detail, model)])
    members = NetworkDetail.members.through
    _insert(
        members,
        [
            members(networkdetail_id=p.detail.pk, company_id=c)
            for p in builder.plans
            if isinstance(p.detail, NetworkDetail)
            for c in p.members
        ],
    )
    _insert(NetworkMeeting, [m for p in builder.plans for m in p.meetings])
    _insert(Cost, [c for p in builder.plans for c in p.costs])
    _insert(Participant, builder.participants)
    enrollments = [e for p in builder.plans for e in p.enrollments]
    _insert(Enrollment, [e for e, _l, _r, _c in enrollments])
    _insert(TrainingLine, [line for _e, lines, _r, _c in enrollments for line in lines])
    results = [(r, c) for _e, _l, r, c in enrollments if r is not None]
    _insert(RKVResult, [r for r, _c in results])
    recommended = RKVResult.recommended_courses.through
    _insert(recommended, [recommended(rkvresult_id=r.pk, course_id=c) for r, courses in results for c in courses])
    visible = [p for p in builder.participants if p.partnership_id in builder.demo_partnerships][:40]
    _insert(ParticipantDocument, builder.documents_for(visible))
    _write_hours(builder)
    _name_approvers(builder)


def _write_hours(builder: Builder) -> None:
    today = builder.today
    sheets: dict[tuple[int, dt.date], Timesheet] = {}
    approver = builder.management.pk if builder.management else None
    for entry in builder.entries:
        monday = entry.day - dt.timedelta(days=entry.day.weekday())
        key = (entry.user_id, monday)
        if key not in sheets:
            age = (today - monday).days
            if age > 28:
                status = Timesheet.Status.APPROVED
            elif age > 7:
                status = Timesheet.Status.SUBMITTED
            else:
                status = Timesheet.Status.OPEN
            sheets[key] = Timesheet(
                user_id=entry.user_id,
                week_start=monday,
                status=status,
                submitted_at=_at(monday + dt.timedelta(days=4), 15) if status != Timesheet.Status.OPEN else None,
                approved_by_id=approver if status == Timesheet.Status.APPROVED else None,
                approved_at=_at(monday + dt.timedelta(days=9), 11) if status == Timesheet.Status.APPROVED else None,
            )
        entry.timesheet = sheets[key]
    _insert(Timesheet, list(sheets.values()))
    _insert(TimeEntry, builder.entries)


def _name_approvers(builder: Builder) -> None:
    """Each organisation with several consultants names one approver of its timesheets (never the demo
    consultant, whose weeks the walk and the journeys submit)."""
    by_organisation = defaultdict(list)
    for user in sorted(builder.users.values(), key=lambda u: u.email):
        if user.organisation_id and user.pk != builder.demo_consultant.pk:
            by_organisation[user.organisation_id].append(user.pk)
    chosen = [users[0] for users in by_organisation.values() if len(users) >= 2]
    User.objects.filter(pk__in=chosen).update(approves_timesheets=True)
