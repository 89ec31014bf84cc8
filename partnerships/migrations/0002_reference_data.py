"""Reference data: the systems, Region Midtjylland's 19 municipalities, and the DB07 sections.

The data is written out here (not imported from app code) so this migration means the same thing
forever. Rows are upserted, so running it on a database that already has them changes nothing.
"""

from django.db import migrations

SYSTEMS = [
    # code, name, short name, order
    ("business", "Erhvervsservice", "Erhverv", 1),
    ("employment", "Beskæftigelse", "Beskæftigelse", 2),
    ("education", "Uddannelse", "Uddannelse", 3),
    ("operator", "Projektoperatør", "Operatør", 4),
]

# Official municipality codes (Danmarks Statistik / CPR), Region Midtjylland = region code 1082.
MUNICIPALITIES = [
    (710, "Favrskov"),
    (766, "Hedensted"),
    (657, "Herning"),
    (661, "Holstebro"),
    (615, "Horsens"),
    (756, "Ikast-Brande"),
    (665, "Lemvig"),
    (707, "Norddjurs"),
    (727, "Odder"),
    (730, "Randers"),
    (760, "Ringkøbing-Skjern"),
    (741, "Samsø"),
    (740, "Silkeborg"),
    (746, "Skanderborg"),
    (779, "Skive"),
    (671, "Struer"),
    (706, "Syddjurs"),
    (791, "Viborg"),
    (751, "Aarhus"),
]

# Dansk Branchekode 2007 (DB07), the 21 sections, with Danmarks Statistik's Danish names.
INDUSTRY_SECTIONS = [
    ("A", "Landbrug, jagt, skovbrug og fiskeri"),
    ("B", "Råstofindvinding"),
    ("C", "Fremstillingsvirksomhed"),
    ("D", "Forsyning af el, gas, varme og køling"),
    ("E", "Vandforsyning, kloakvæsen, affaldshåndtering og rensning af jord og grundvand"),
    ("F", "Bygge- og anlægsvirksomhed"),
    ("G", "Engroshandel og detailhandel; reparation af motorkøretøjer og motorcykler"),
    ("H", "Transport og godshåndtering"),
    ("I", "Overnatningsfaciliteter og restaurationsvirksomhed"),
    ("J", "Information og kommunikation"),
    ("K", "Pengeinstitut- og finansvirksomhed, forsikring"),
    ("L", "Fast ejendom"),
    ("M", "Liberale, videnskabelige og tekniske tjenesteydelser"),
    ("N", "Administrative tjenesteydelser og hjælpetjenester"),
    ("O", "Offentlig administration, forsvar og socialsikring"),
    ("P", "Undervisning"),
    ("Q", "Sundhedsvæsen og sociale foranstaltninger"),
    ("R", "Kultur, forlystelser og sport"),
    ("S", "Andre serviceydelser"),
    ("T", "Private husholdninger med ansat medhjælp"),
    ("U", "Ekstraterritoriale organisationer og organer"),
]


def load(apps, schema_editor):
    System = apps.get_model("partnerships", "System")
    Municipality = apps.get_model("partnerships", "Municipality")
    IndustrySection = apps.get_model("partnerships", "IndustrySection")
    for code, name, short_name, order in SYSTEMS:
        System.objects.update_or_create(
            code=code, defaults={"name": name, "short_name": short_name, "sort_order": order}
        )
    for code, name in MUNICIPALITIES:
        Municipality.objects.update_or_create(code=code, defaults={"name": name, "region_code": 1082})
    for code, name in INDUSTRY_SECTIONS:
        IndustrySection.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
