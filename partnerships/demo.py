"""Demo data for people, organisations and partnerships (invented, but shaped like the real region).

Called by ``manage.py seed_demo``. Deterministic (a seeded random generator) and idempotent: every
row is found by its natural key (name, e-mail) before it is created, so a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils.text import slugify

from partnerships.models import (
    Membership,
    Municipality,
    Organisation,
    Partnership,
    PartnershipMunicipality,
    Role,
    User,
)

DEMO_PASSWORD = "demo1234"  # noqa: S105 (a published demo password, only where seed_demo ran)
DEMO_DOMAIN = "demo.dk"

DEMO_LOGINS = [
    # e-mail, first name, last name, role, organisation, partnerships (by name), lead role
    (
        "konsulent@demo.dk",
        "Mette",
        "Kjær",
        Role.CONSULTANT,
        "Jobcenter Aarhus",
        ["LKS Aarhus", "LKS Favrskov"],
        "",
    ),
    (
        "sekretariat@demo.dk",
        "Lars",
        "Brandt",
        Role.SECRETARIAT,
        "VEU-center Aarhus",
        ["LKS Aarhus", "LKS Favrskov", "LKS Djursland", "LKS Odder-Samsø"],
        Membership.LeadRole.COORDINATOR,
    ),
    (
        "ledelse@demo.dk",
        "Hanne",
        "Vestergaard",
        Role.MANAGEMENT,
        "Projektsekretariatet KOMPETENCEFORSYNINGmidt",
        [],
        "",
    ),
    (
        "admin@demo.dk",
        "Jens",
        "Holm",
        Role.ADMINISTRATOR,
        "Projektsekretariatet KOMPETENCEFORSYNINGmidt",
        [],
        "",
    ),
]

OPERATOR = "Projektsekretariatet KOMPETENCEFORSYNINGmidt"

# VEU-centre -> (its home municipality, its partnerships: name -> municipality codes)
VEU_CENTRES: dict[str, tuple[int, dict[str, list[int]]]] = {
    "VEU-center Aarhus": (
        751,
        {
            "LKS Aarhus": [751],
            "LKS Favrskov": [710],
            "LKS Djursland": [707, 706],
            "LKS Odder-Samsø": [727, 741],
        },
    ),
    "VEU-center Østjylland": (
        615,
        {
            "LKS Horsens-Hedensted": [615, 766],
            "LKS Skanderborg": [746],
            "LKS Silkeborg": [740],
            "LKS Randers": [730],
        },
    ),
    "VEU-center Midt-Vest": (
        657,
        {
            "LKS Herning": [657],
            "LKS Holstebro-Struer": [661, 671],
            "LKS Lemvig": [665],
            "LKS Ikast-Brande": [756],
            "LKS Ringkøbing-Skjern": [760],
            "LKS Skive": [779],
            "LKS Viborg": [791],
        },
    ),
}

# Schools and academies (system "uddannelse"), with their municipality.
SCHOOLS = [
    ("Aarhus Tech", 751),
    ("VIA University College", 751),
    ("Learnmark Horsens", 615),
    ("Tradium", 730),
    ("Erhvervsakademi Dania", 730),
    ("Mercantec", 791),
    ("Herningsholm Erhvervsskole", 657),
    ("Skive College", 779),
    ("UddannelsesCenter Ringkøbing Skjern", 760),
    ("Viden Djurs", 707),
    ("Uddannelsescenter Holstebro", 661),
    ("Silkeborg Business College", 740),
]

FIRST_NAMES = [
    "Anne",
    "Peter",
    "Mette",
    "Jens",
    "Kirsten",
    "Lars",
    "Hanne",
    "Søren",
    "Susanne",
    "Henrik",
    "Lene",
    "Thomas",
    "Marianne",
    "Martin",
    "Camilla",
    "Rasmus",
    "Louise",
    "Mads",
    "Pia",
    "Jesper",
    "Karina",
    "Mikkel",
    "Tina",
    "Anders",
    "Line",
    "Christian",
    "Maria",
    "Niels",
    "Birgitte",
    "Morten",
    "Sofie",
    "Jakob",
    "Helle",
    "Kasper",
    "Charlotte",
    "Frederik",
    "Ida",
    "Bo",
    "Dorte",
    "Ole",
]
LAST_NAMES = [
    "Nielsen",
    "Jensen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
    "Thomsen",
    "Christiansen",
    "Poulsen",
    "Johansen",
    "Møller",
    "Mortensen",
    "Kjær",
    "Lund",
    "Holm",
    "Bach",
    "Østergaard",
    "Dahl",
    "Skov",
    "Vestergaard",
    "Lauridsen",
    "Friis",
]
CONSULTANT_TITLES = {
    "employment": ["Virksomhedskonsulent", "Jobkonsulent", "Teamleder, virksomhedsservice"],
    "business": ["Erhvervskonsulent", "Erhvervsudviklingskonsulent", "Væksthuskonsulent"],
    "education": ["Uddannelseskonsulent", "VEU-konsulent", "Virksomhedskonsulent, AMU"],
}


@dataclass
class Seeded:
    organisations: int = 0
    partnerships: int = 0
    users: int = 0


def ascii_slug(text: str) -> str:
    """A slug for e-mail addresses, spelling the Danish letters out (Møller -> moeller)."""
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe"), ("Å", "Aa")):
        text = text.replace(danish, ascii_)
    return slugify(text)


def _organisation(name: str, system: str, kind: str, municipality_code: int | None) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"system_id": system, "kind": kind, "municipality_id": municipality_code}
    )
    return org


def _user(*, email: str, first: str, last: str, org: Organisation, role: str, title: str, password_hash: str) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "organisation": org,
            "job_title": title,
            "password": password_hash,
            "is_staff": role == Role.ADMINISTRATOR,
            "is_superuser": role == Role.ADMINISTRATOR,
        },
    )
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


def _join(
    user: User, partnership: Partnership, *, lead_role: str = "", group: str = Membership.Group.CONSULTANTS
) -> None:
    Membership.objects.get_or_create(
        user=user, partnership=partnership, defaults={"lead_role": lead_role, "group": group}
    )


def seed(*, rng: random.Random, scale: int = 1) -> Seeded:
    """Create the organisations, the 15 partnerships, about 60 consultants and the demo logins."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    municipalities = {m.code: m for m in Municipality.objects.all()}

    _organisation(OPERATOR, "operator", Organisation.Kind.OPERATOR, 751)
    _organisation("Erhvervshus Midtjylland", "business", Organisation.Kind.BUSINESS_HOUSE, 657)
    for code, municipality in municipalities.items():
        _organisation(f"Jobcenter {municipality.name}", "employment", Organisation.Kind.JOBCENTRE, code)
        _organisation(f"Erhvervsservice {municipality.name}", "business", Organisation.Kind.BUSINESS_SERVICE, code)
    schools = [_organisation(name, "education", Organisation.Kind.SCHOOL, code) for name, code in SCHOOLS]

    partnerships: dict[str, Partnership] = {}
    veu_staff: list[tuple[Organisation, list[Partnership]]] = []
    for veu_name, (home, covered) in VEU_CENTRES.items():
        veu = _organisation(veu_name, "education", Organisation.Kind.VEU_CENTRE, home)
        own = []
        for name, codes in covered.items():
            names = ", ".join(municipalities[c].name for c in codes)
            partnership, _ = Partnership.objects.get_or_create(
                name=name,
                defaults={
                    "secretariat": veu,
                    "description": (f"Lokalt koordinerende samarbejde for {names}, med {veu_name} som sekretariat."),
                },
            )
            for code in codes:
                PartnershipMunicipality.objects.get_or_create(
                    municipality_id=code, defaults={"partnership": partnership}
                )
            partnerships[name] = partnership
            own.append(partnership)
        veu_staff.append((veu, own))

    used_emails: set[str] = set(User.objects.values_list("email", flat=True))

    def person(org: Organisation, role: str) -> User:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        base = f"{ascii_slug(first)}.{ascii_slug(last)}@{ascii_slug(org.name)}.{DEMO_DOMAIN}"
        email, n = base, 1
        while email in used_emails:
            n += 1
            email = base.replace("@", f"{n}@")
        used_emails.add(email)
        title = rng.choice(CONSULTANT_TITLES.get(org.system_id, ["Konsulent"]))
        return _user(email=email, first=first, last=last, org=org, role=role, title=title, password_hash=password_hash)

    # Consultants: per partnership one from each jobcentre and business-service office of its
    # municipalities, one from a school, and the chair of the steering group.
    organisations = {o.name: o for o in Organisation.objects.all()}
    if (
        not Membership.objects.filter(user__email__endswith=DEMO_DOMAIN)
        .exclude(user__email__in=[d[0] for d in DEMO_LOGINS])
        .exists()
    ):
        for partnership in partnerships.values():
            codes = list(partnership.coverage.values_list("municipality_id", flat=True))
            for i, code in enumerate(codes):
                name = municipalities[code].name
                _join(person(organisations[f"Jobcenter {name}"], Role.CONSULTANT), partnership)
                business = person(organisations[f"Erhvervsservice {name}"], Role.CONSULTANT)
                _join(
                    business,
                    partnership,
                    lead_role=Membership.LeadRole.CHAIR if i == 0 else "",
                    group=Membership.Group.BOTH if i == 0 else Membership.Group.CONSULTANTS,
                )
            near = [s for s in schools if s.municipality_id in codes] or schools
            _join(person(rng.choice(near), Role.CONSULTANT), partnership)
            if len(codes) == 1:
                _join(
                    person(organisations[f"Jobcenter {municipalities[codes[0]].name}"], Role.CONSULTANT),
                    partnership,
                )
        for veu, own in veu_staff:
            if veu.name == "VEU-center Aarhus":
                continue  # the demo secretariat login sits here
            staff = person(veu, Role.SECRETARIAT)
            for p in own:
                _join(staff, p, lead_role=Membership.LeadRole.COORDINATOR, group=Membership.Group.BOTH)

    for email, first, last, role, org_name, member_of, lead in DEMO_LOGINS:
        user = _user(
            email=email,
            first=first,
            last=last,
            org=organisations[org_name],
            role=role,
            title={Role.SECRETARIAT: "VEU-koordinator", Role.MANAGEMENT: "Projektleder"}.get(role, "Konsulent"),
            password_hash=password_hash,
        )
        for name in member_of:
            _join(
                user,
                partnerships[name],
                lead_role=lead,
                group=Membership.Group.BOTH if lead else Membership.Group.CONSULTANTS,
            )

    return Seeded(
        organisations=Organisation.objects.count(),
        partnerships=Partnership.objects.count(),
        users=User.objects.filter(email__endswith=DEMO_DOMAIN).count(),
    )


def reset() -> None:
    """Remove what seed() made, and only that. Reference data (municipalities, systems, DB07) stays."""
    demo_partnerships = [name for _home, covered in VEU_CENTRES.values() for name in covered]
    demo_organisations = [OPERATOR, "Erhvervshus Midtjylland", *VEU_CENTRES, *(name for name, _ in SCHOOLS)]
    demo_organisations += [
        f"{prefix} {m.name}" for m in Municipality.objects.all() for prefix in ("Jobcenter", "Erhvervsservice")
    ]
    User.objects.filter(email__endswith=DEMO_DOMAIN).delete()  # their memberships go with them
    Partnership.objects.filter(name__in=demo_partnerships).delete()  # coverage goes with them
    # An organisation someone else still works for is kept.
    Organisation.objects.filter(name__in=demo_organisations, users__isnull=True, secretariat_for__isnull=True).delete()


def summary(stats: Seeded) -> str:
    counts = (stats.organisations, stats.partnerships, stats.users)
    return "{} organisationer, {} partnerskaber, {} demo-brugere".format(*counts)
