"""The programme's reference data, as the programme paper (seed) and the ESF's rules give it.

The values are written out here, not imported from app code, so this migration means the same thing
forever. Rows are created when missing (looked up by their code, dated rows by their key and start
date), so running it on a database that already has them changes nothing, and never overwrites what an
administrator has edited since.
All amounts are in kroner (the seed's table is in thousands).

Decisions where the seed is silent or ambiguous (each can be changed by an administrator; the dated
tables keep what was in force before):

ESF projects
- The two operations and their axis, objective and programme activity (1.2.C, 4.2.B) are from the
  real programme's guidance (ESF.md). Their journal numbers are not known: left **blank**, never
  invented; an administrator types them from the grant letters.
- Period 1 January 2017 to 31 December 2019: the seed's budget years. The grant letters' exact dates
  may differ.
- The 40 % flat rate on direct staff costs: the seed does not say whether the operations used the
  ESF's special chart of accounts. Shipped as **not used** (the rate itself, 40 %, is stored), so no
  report adds a surcharge nobody has confirmed; switch it on per project when the grant letter says so.

Budget lines (seed 3.3, the table "Budget og finansiering")
- Four lines of 2,500 / 1,000 / 10,000 / 1,500 t.kr. a year for 2017, 2018 and 2019; 15,000 a year,
  45,000 in all. The seed assigns no line to an ESF project. Decided: "Styrkelse af virksomhedernes
  kompetenceforsyning" and "Tiltrækning og fastholdelse af talenter" belong to the axis-1 operation
  (strategies, HR, leadership, networks, graduates and foreign specialists are all axis-1 categories);
  "Efter- og videreuddannelse" holds both axis-1 courses and axis-4 qualifying education, and
  "Udvikling af partnerskabet" (meetings, secretariat) serves both operations, so these two are shared
  (no project). Spend per project is therefore counted through each activity type's mapping, not
  through its budget line.
- The budget amounts apply from 1 January 2017 until revised (a revision is a new dated row).

Financing plan (seed 3.3)
- One plan per budget year (1 January to 31 December): ESF 7,500, Region Midtjylland 3,000, anden
  offentlig 4,500 t.kr. The shares (50/20/30 %) follow from the amounts and are not stored twice.

Activity catalogue (seed 3.2) and its mapping (seed 3.3.1 axis 1, 3.3.2 axis 4)
- Every bullet of 3.2 is a type; the first bullet names two things (a growth strategy with the mapping
  of its competence needs, and a competence-development strategy) and becomes two types, as
  DOMAIN.md lists them.
- RKV is two types. The seed: RKV "fortrinsvis før-afklaring og afklaring ifht. job, idet RKV ifht.
  uddannelser er finansieret af det ordinære system". "RKV i forhold til job" is axis 1
  (Kompetenceudvikling: mapping the employees' competence needs against the growth strategy), charged
  to the project. "RKV i forhold til uddannelse" is recorded under axis 4 (vurdering og godkendelse af
  realkompetencer) but **not charged**: the ordinary system pays it. Two types make "charged or not"
  a fact of the mapping rather than a rule the activities work must re-derive.
- Axis 1 (growth purpose required): growth and competence strategies, RKV towards a job, targeted
  competence-development courses and retraining to new technology → Kompetenceudvikling; HR-chef til
  leje and leadership training → Ledelse (the seed's "chef til leje-ordninger" and "efteruddannelse"
  of managers); graduates and foreign specialists → Kompetencetilførsel; firm networks → Netværk.
- Axis 4 (formally qualifying education required): training plans → screening and planning of
  qualifying courses (the plans are lines of AMU/EUV courses, which axis 4 names); continuing education
  of employees and training for substitution where labour is short → vocational or higher education
  of the employed (substitution means training existing staff into skilled functions the firm cannot
  recruit for); jobrotation → "RKV, EUV, AMU og jobrotation", where the seed names it.
  Ambiguous and decided here: "Efteruddannelse af virksomhedernes medarbejdere … med udgangspunkt i
  vækst- og udviklingsstrategier" could be axis 1; it is axis 4 because the seed lists the growth-
  strategy courses separately ("Målrettede kompetenceudviklingsforløb", axis 1), so "efteruddannelse"
  here is the formal continuing education axis 4 counts. Leadership training is axis 1 (its focus is
  the firm's competence supply, not a formal qualification).
- Budget lines: strategies, HR and networks → Styrkelse af virksomhedernes kompetenceforsyning;
  graduates and foreign specialists → Tiltrækning og fastholdelse af talenter (seed 3: "samarbejde om
  tiltrækning af højtuddannede", "netværk for arbejdet med udenlandsk arbejdskraft"); all courses,
  RKV, training plans and jobrotation → Efter- og videreuddannelse (seed 3: "afklaring af
  kompetencebehov", "efteruddannelsesforløb for både ledelser og medarbejdere").
- Jobrotation is charged: the project pays its own work; the substitute's jobrotation benefit is the
  ordinary system's and never a project cost.
- ``kind`` names the type-specific details the activities work records (rkv, training_plan for any
  course-based type, hr_for_hire, jobrotation, network, graduate, foreign_specialist, generic).
- The mapping applies from 1 January 2017, open-ended.

Staff-cost rates and caps (one table; no organisation = the standard)
- From 1 September 2018: the ESF standard rate of 250 kr. an hour, at most 160.33 hours a month per
  person (ESF.md), open-ended.
- 1 January 2014 (start of the ESF period 2014-2020) to 31 August 2018: hours were costed at the
  person's actual pay costs. **Assumptions**: no standard hourly amount exists for that period (an
  organisation's documented hourly pay cost can be entered as its own row), and no standard monthly
  cap is recorded (the hours could not exceed those the person worked, which the timesheets show).
  ``hourly_rate()`` therefore raises for that period until an organisation's rate is entered.

De minimis
- Regulation (EU) No 1407/2013: EUR 200,000 over the current and two previous fiscal years, from
  1 January 2014 to 31 December 2023 (prolonged from 2020 by Regulation (EU) 2020/972).
- Regulation (EU) 2023/2831: EUR 300,000 over any period of three years (rolling), from 1 January 2024
  to 31 December 2030. Under both, linked undertakings count as one ("single undertaking"). The lower
  ceilings for road freight transport and the other sector regulations are not modelled.

Thresholds and deadlines
- "A substantial part" of a firm's staff and/or management taking part in an axis-1 activity
  (seed 3.3.1): the seed and ESF.md give no number. **25 %** is shipped, applied to staff or to
  management: a quarter is clearly more than a token participation, and in a firm of four one person
  reaches it. It is for a warning, not a refusal; administrators change it from a date.
- ESF reporting: status reports and participants' start/exit registrations by the end of February and
  the end of August (ESF.md), warning 30 days before (a choice).
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

START = date(2017, 1, 1)

PROJECTS = [
    # code, name, axis, objective, programme activity, order
    ("vaekstrettet", "Vækstrettet kompetenceudvikling", 1, "1b", "1.2.C", 1),
    ("erhvervsfaglige", "Erhvervsfaglige kompetencer", 4, "4b", "4.2.B", 2),
]

ELIGIBLE_ACTIVITIES = [
    # code, project, name, description
    (
        "a1-ledelse",
        "vaekstrettet",
        "Ledelse",
        "Styrkelse af ledelseskompetencer, f.eks. via netværk, mentorordninger, efteruddannelse og "
        "chef til leje-ordninger.",
    ),
    (
        "a1-kompetenceudvikling",
        "vaekstrettet",
        "Kompetenceudvikling",
        "Målrettede innovations- og produktivitetsorienterede rådgivningsforløb for SMV'er; "
        "kompetenceudvikling af medarbejdere, også i samarbejde med andre virksomheder; afdækning af "
        "medarbejdernes kompetenceudviklingsbehov i relation til virksomhedens vækststrategi; systematisk "
        "opkvalificering og/eller omskoling af medarbejdere, især ufaglærte, til nye jobfunktioner og "
        "teknologier.",
    ),
    (
        "a1-netvaerk",
        "vaekstrettet",
        "Netværk",
        "Netværk for virksomhedsledere og ansatte inden for temaer, som bidrager til at skabe og "
        "understøtte vækst i de deltagende virksomheder gennem fælles erfaringsopbygning med løbende "
        "sparring fra eksterne aktører.",
    ),
    (
        "a1-kompetencetilfoersel",
        "vaekstrettet",
        "Kompetencetilførsel",
        "Tilknytning af personer med mellemlang eller lang videregående uddannelse til konkrete "
        "udviklingsopgaver i private virksomheder, herunder facilitering af matchning af virksomheder "
        "og højtuddannede.",
    ),
    (
        "a4-uddannelse",
        "erhvervsfaglige",
        "Erhvervsfaglig eller videregående uddannelse af beskæftigede",
        "Erhvervsfaglig eller videregående uddannelse af beskæftigede i små og mellemstore virksomheder, "
        "f.eks. af faglærte og ufaglærte i industrien.",
    ),
    (
        "a4-vejledning",
        "erhvervsfaglige",
        "Information, vejledning og opsøgende arbejde",
        "Information, vejledning og opsøgende arbejde over for SMV'er om mulighederne for "
        "kompetenceafklaring (realkompetencevurdering) og erhvervskompetencegivende uddannelse af "
        "medarbejderne.",
    ),
    (
        "a4-screening",
        "erhvervsfaglige",
        "Screening og planlægning af uddannelsesforløb",
        "Screening af SMV'er med henblik på afdækning af uddannelsesbehov og efterfølgende kortlægning af "
        "kompetencer og planlægning og tilrettelæggelse af erhvervskompetencegivende uddannelsesforløb.",
    ),
    (
        "a4-rkv-euv-amu",
        "erhvervsfaglige",
        "Erhvervsfaglig uddannelse via RKV, EUV, AMU og jobrotation",
        "Erhvervsfaglig uddannelse via vurdering og godkendelse af realkompetencer, erhvervsrettede "
        "voksenuddannelser som EUV og AMU samt jobrotationsordningen, herunder fleksible forløb i "
        "kombination med beskæftigelse.",
    ),
]

BUDGET_LINES = [
    # code, name, project (None: shared), thousand kroner a year
    ("kompetenceforsyning", "Styrkelse af virksomhedernes kompetenceforsyning", "vaekstrettet", 2_500),
    ("talenter", "Tiltrækning og fastholdelse af talenter", "vaekstrettet", 1_000),
    ("efteruddannelse", "Efter- og videreuddannelse", None, 10_000),
    ("partnerskab", "Udvikling af partnerskabet", None, 1_500),
]
BUDGET_YEARS = [2017, 2018, 2019]

FINANCING_SOURCES = [
    # code, name, thousand kroner a year
    ("esf", "ESF", 7_500),
    ("region", "Region Midtjylland", 3_000),
    ("anden-offentlig", "Anden offentlig", 4_500),
]

ACTIVITY_TYPES = [
    # code, name, description, kind, eligible activity, budget line, charged to the project
    (
        "vaekststrategi",
        "Vækststrategi med kortlægning af kompetencebehov",
        "Udrulning af en vækststrategi med kortlægning af de kompetencebehov, der følger af den.",
        "generic",
        "a1-kompetenceudvikling",
        "kompetenceforsyning",
        True,
    ),
    (
        "kompetencestrategi",
        "Kompetenceudviklingsstrategi",
        "Udarbejdelse af en kompetenceudviklingsstrategi ud fra virksomhedens vækststrategi.",
        "generic",
        "a1-kompetenceudvikling",
        "kompetenceforsyning",
        True,
    ),
    (
        "hr-chef-til-leje",
        "HR-chef til leje",
        "Styrkelse af SMV'ers HR-arbejde, f.eks. med en HR-chef til leje-ordning.",
        "hr_for_hire",
        "a1-ledelse",
        "kompetenceforsyning",
        True,
    ),
    (
        "lederuddannelse",
        "Lederuddannelse",
        "Lederuddannelse med særligt fokus på virksomhedens kompetenceforsyning.",
        "training_plan",
        "a1-ledelse",
        "efteruddannelse",
        True,
    ),
    (
        "uddannelsesplan",
        "Uddannelsesplaner for medarbejdere",
        "Udarbejdelse af uddannelsesplaner for virksomhedens medarbejdere.",
        "training_plan",
        "a4-screening",
        "efteruddannelse",
        True,
    ),
    (
        "rkv-job",
        "RKV i forhold til job",
        "Realkompetencevurdering af medarbejdere i forbindelse med kortlægning af virksomhedens "
        "kompetencebehov: før-afklaring og afklaring i forhold til job.",
        "rkv",
        "a1-kompetenceudvikling",
        "efteruddannelse",
        True,
    ),
    (
        "rkv-uddannelse",
        "RKV i forhold til uddannelse",
        "Realkompetencevurdering i forhold til en uddannelse. Den finansieres af det ordinære system, "
        "så den registreres, men konteres ikke projektet.",
        "rkv",
        "a4-rkv-euv-amu",
        "efteruddannelse",
        False,
    ),
    (
        "kompetenceudviklingsforloeb",
        "Målrettede kompetenceudviklingsforløb",
        "Målrettede kompetenceudviklingsforløb for medarbejdere og ledere i tilknytning til udviklingen "
        "af virksomhedens vækststrategi.",
        "training_plan",
        "a1-kompetenceudvikling",
        "efteruddannelse",
        True,
    ),
    (
        "omskoling",
        "Omskoling til ny teknologi eller arbejdsorganisering",
        "Omskoling af medarbejdere til ny teknologi eller anden arbejdsorganisering.",
        "training_plan",
        "a1-kompetenceudvikling",
        "efteruddannelse",
        True,
    ),
    (
        "substitution",
        "Uddannelse til substitution ved arbejdskraftmangel",
        "Uddannelse af medarbejdere, så de kan varetage funktioner, virksomheden ikke kan rekruttere til.",
        "training_plan",
        "a4-uddannelse",
        "efteruddannelse",
        True,
    ),
    (
        "efteruddannelse",
        "Efteruddannelse af medarbejdere",
        "Efteruddannelse af virksomhedens medarbejdere med udgangspunkt i virksomhedens vækst- og "
        "udviklingsstrategi.",
        "training_plan",
        "a4-uddannelse",
        "efteruddannelse",
        True,
    ),
    (
        "jobrotation",
        "Jobrotation",
        "Kvalificering af ledige til jobåbninger, mens medarbejdere uddannes i forbindelse med vækst- og "
        "udviklingsstrategier, ny teknologi, ændret arbejdsorganisering eller mangel på arbejdskraft.",
        "jobrotation",
        "a4-rkv-euv-amu",
        "efteruddannelse",
        True,
    ),
    (
        "hoejtuddannede",
        "Tilknytning af højtuddannede",
        "Tilknytning af højtuddannede som led i udrulningen af virksomhedens vækst- og udviklingsstrategi.",
        "graduate",
        "a1-kompetencetilfoersel",
        "talenter",
        True,
    ),
    (
        "udenlandsk-arbejdskraft",
        "Udenlandsk arbejdskraft",
        "Allokering af den højtuddannede udenlandske arbejdskraft, virksomheden efterspørger, men ikke "
        "umiddelbart kan finde.",
        "foreign_specialist",
        "a1-kompetencetilfoersel",
        "talenter",
        True,
    ),
    (
        "netvaerk",
        "Netværk mellem virksomheder",
        "Etablering af netværk mellem virksomheder med en vækst- og kompetenceudviklingsdagsorden.",
        "network",
        "a1-netvaerk",
        "kompetenceforsyning",
        True,
    ),
]

STAFF_COST_RATES = [
    # valid from, valid until, method, hourly rate, monthly cap, note
    (
        date(2014, 1, 1),
        date(2018, 8, 31),
        "actual_pay",
        None,
        None,
        "Før 1. september 2018 opgjordes timer til medarbejderens faktiske lønomkostninger. Der findes "
        "ingen standardsats; en organisations dokumenterede timeløn kan indtastes som dens egen række. "
        "Antagelse: intet månedligt standardloft (timerne kunne ikke overstige de faktisk præsterede).",
    ),
    (
        date(2018, 9, 1),
        None,
        "standard_rate",
        Decimal("250.00"),
        Decimal("160.33"),
        "Socialfondens standardsats fra 1. september 2018: 250 kr. pr. time, højst 160,33 timer pr. "
        "måned pr. person.",
    ),
]

DE_MINIMIS_RULES = [
    # regulation, ceiling EUR, years, window, valid from, valid until, note
    (
        "Kommissionens forordning (EU) nr. 1407/2013",
        Decimal("200000.00"),
        3,
        "fiscal_years",
        date(2014, 1, 1),
        date(2023, 12, 31),
        "EUR 200.000 i det regnskabsår, støtten ydes, og de to foregående. Forlænget til 31.12.2023 ved "
        "forordning (EU) 2020/972. Særlige lofter (f.eks. vejgodstransport) er ikke med.",
    ),
    (
        "Kommissionens forordning (EU) 2023/2831",
        Decimal("300000.00"),
        3,
        "rolling",
        date(2024, 1, 1),
        date(2030, 12, 31),
        "EUR 300.000 over enhver periode på tre år (løbende). Særlige lofter er ikke med.",
    ),
]

THRESHOLDS = [
    (
        "substantial_part",
        Decimal("25.00"),
        START,
        "Seed 3.3.1: »en væsentlig del af virksomhedernes medarbejder og/eller ledelse skal deltage« i en "
        "akse 1-aktivitet. Tallet er ikke fastsat af socialfonden; 25 % af medarbejderne eller af ledelsen "
        "er valgt som grænse for en advarsel.",
    ),
]

REPORTING_DEADLINES = [
    ("Status og deltagerregistrering (februar)", 2),
    ("Status og deltagerregistrering (august)", 8),
]


def load(apps, schema_editor):
    get = apps.get_model
    ESFProject = get("partnerships", "ESFProject")
    EligibleActivity = get("partnerships", "EligibleActivity")
    BudgetLine = get("partnerships", "BudgetLine")
    BudgetAmount = get("partnerships", "BudgetAmount")
    FinancingSource = get("partnerships", "FinancingSource")
    FinancingPlan = get("partnerships", "FinancingPlan")
    FinancingPlanLine = get("partnerships", "FinancingPlanLine")
    ActivityType = get("partnerships", "ActivityType")
    ActivityTypeMapping = get("partnerships", "ActivityTypeMapping")
    StaffCostRate = get("partnerships", "StaffCostRate")
    DeMinimisRule = get("partnerships", "DeMinimisRule")
    ProgrammeThreshold = get("partnerships", "ProgrammeThreshold")
    ReportingDeadline = get("partnerships", "ReportingDeadline")

    projects = {}
    for code, name, axis, objective, activity_code, order in PROJECTS:
        projects[code], _created = ESFProject.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "axis": axis,
                "objective": objective,
                "activity_code": activity_code,
                "journal_number": "",
                "period_start": START,
                "period_end": date(2019, 12, 31),
                "uses_flat_rate": False,
                "flat_rate_percent": Decimal("40.00"),
                "sort_order": order,
            },
        )

    eligible = {}
    for order, (code, project, name, description) in enumerate(ELIGIBLE_ACTIVITIES, start=1):
        eligible[code], _created = EligibleActivity.objects.get_or_create(
            code=code,
            defaults={"project": projects[project], "name": name, "description": description, "sort_order": order},
        )

    lines = {}
    for order, (code, name, project, thousands) in enumerate(BUDGET_LINES, start=1):
        lines[code], _created = BudgetLine.objects.get_or_create(
            code=code,
            defaults={"name": name, "project": projects.get(project), "sort_order": order},
        )
        for year in BUDGET_YEARS:
            BudgetAmount.objects.get_or_create(
                budget_line=lines[code],
                year=year,
                valid_from=START,
                defaults={"amount": Decimal(thousands * 1000), "valid_until": None},
            )

    sources = {}
    for order, (code, name, _thousands) in enumerate(FINANCING_SOURCES, start=1):
        sources[code], _created = FinancingSource.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    for year in BUDGET_YEARS:
        plan, created = FinancingPlan.objects.get_or_create(
            valid_from=date(year, 1, 1),
            defaults={"valid_until": date(year, 12, 31), "name": f"Finansieringsplan {year}"},
        )
        if created:
            for code, _name, thousands in FINANCING_SOURCES:
                FinancingPlanLine.objects.create(plan=plan, source=sources[code], amount=Decimal(thousands * 1000))

    for order, (code, name, description, kind, eligible_code, line_code, charged) in enumerate(
        ACTIVITY_TYPES, start=1
    ):
        activity_type, _created = ActivityType.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "kind": kind, "sort_order": order},
        )
        ActivityTypeMapping.objects.get_or_create(
            activity_type=activity_type,
            valid_from=START,
            defaults={
                "valid_until": None,
                "eligible_activity": eligible[eligible_code],
                "budget_line": lines[line_code],
                "charged_to_project": charged,
            },
        )

    for valid_from, valid_until, method, rate, cap, note in STAFF_COST_RATES:
        StaffCostRate.objects.get_or_create(
            organisation=None,
            valid_from=valid_from,
            defaults={
                "valid_until": valid_until,
                "method": method,
                "hourly_rate": rate,
                "monthly_cap_hours": cap,
                "note": note,
            },
        )

    for regulation, ceiling, years, window, valid_from, valid_until, note in DE_MINIMIS_RULES:
        DeMinimisRule.objects.get_or_create(
            valid_from=valid_from,
            defaults={
                "valid_until": valid_until,
                "regulation": regulation,
                "ceiling_eur": ceiling,
                "years": years,
                "window": window,
                "single_undertaking": True,
                "note": note,
            },
        )

    for key, value, valid_from, note in THRESHOLDS:
        ProgrammeThreshold.objects.get_or_create(
            key=key, valid_from=valid_from, defaults={"value": value, "valid_until": None, "note": note}
        )

    for name, month in REPORTING_DEADLINES:
        ReportingDeadline.objects.get_or_create(
            month=month, valid_from=START, defaults={"name": name, "valid_until": None, "warning_days": 30}
        )


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0004_programme_period_constraints")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
