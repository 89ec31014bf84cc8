"""Word lists and sentence templates for the companies demo data (``companies/demo.py``).

Everything here is invented but shaped like Region Midtjylland: real municipalities, postcodes and
towns, Danish firm names built from surnames, places and trades, DB07 industry codes that fit their
section, and visit notes in the consultants' own words.
"""

from __future__ import annotations

from typing import NamedTuple

from partnerships.demo import LAST_NAMES


class Town(NamedTuple):
    postcode: str
    city: str  # as in the postal address, e.g. "Aarhus N"
    name: str  # as in a firm's name, e.g. "Aarhus"
    weight: int


class Area(NamedTuple):
    population: int  # thousands, roughly; firms are spread in this proportion
    regions: tuple[str, ...]  # words a local firm puts in its name ("Vestjysk Stål")
    landline: tuple[str, ...]  # first two digits of local landline numbers
    towns: tuple[Town, ...]


# The 19 municipalities of Region Midtjylland, by official code.
AREAS: dict[int, Area] = {
    751: Area(
        345,
        ("Østjysk", "Kattegat", "Marselis"),
        ("86", "87", "89"),
        (
            Town("8000", "Aarhus C", "Aarhus", 3),
            Town("8200", "Aarhus N", "Aarhus", 3),
            Town("8210", "Aarhus V", "Aarhus", 3),
            Town("8220", "Brabrand", "Brabrand", 1),
            Town("8230", "Åbyhøj", "Åbyhøj", 1),
            Town("8240", "Risskov", "Risskov", 1),
            Town("8250", "Egå", "Egå", 1),
            Town("8260", "Viby J", "Viby", 3),
            Town("8270", "Højbjerg", "Højbjerg", 1),
            Town("8320", "Mårslet", "Mårslet", 1),
            Town("8361", "Hasselager", "Hasselager", 2),
            Town("8381", "Tilst", "Tilst", 2),
            Town("8520", "Lystrup", "Lystrup", 1),
        ),
    ),
    730: Area(
        98,
        ("Østjysk", "Gudenå", "Kronjyllands"),
        ("86", "87", "89"),
        (
            Town("8900", "Randers C", "Randers", 3),
            Town("8920", "Randers NV", "Randers", 2),
            Town("8930", "Randers NØ", "Randers", 2),
            Town("8940", "Randers SV", "Randers", 2),
            Town("8960", "Randers SØ", "Randers", 1),
            Town("8870", "Langå", "Langå", 1),
            Town("8981", "Spentrup", "Spentrup", 1),
        ),
    ),
    791: Area(
        96,
        ("Midtjysk", "Hald", "Nørreå"),
        ("86", "87"),
        (
            Town("8800", "Viborg", "Viborg", 5),
            Town("8850", "Bjerringbro", "Bjerringbro", 2),
            Town("8830", "Tjele", "Tjele", 1),
            Town("8840", "Rødkærsbro", "Rødkærsbro", 1),
            Town("7470", "Karup J", "Karup", 1),
            Town("9632", "Møldrup", "Møldrup", 1),
        ),
    ),
    740: Area(
        93,
        ("Midtjysk", "Gudenå", "Søhøjlandets"),
        ("86", "87"),
        (
            Town("8600", "Silkeborg", "Silkeborg", 5),
            Town("8620", "Kjellerup", "Kjellerup", 1),
            Town("8653", "Them", "Them", 1),
            Town("8654", "Bryrup", "Bryrup", 1),
            Town("8883", "Gjern", "Gjern", 1),
        ),
    ),
    615: Area(
        90,
        ("Østjysk", "Horsens Fjord"),
        ("75", "76"),
        (
            Town("8700", "Horsens", "Horsens", 5),
            Town("8740", "Brædstrup", "Brædstrup", 1),
            Town("8751", "Gedved", "Gedved", 1),
        ),
    ),
    657: Area(
        89,
        ("Midtjysk", "Vestjysk", "Hedens"),
        ("96", "97"),
        (
            Town("7400", "Herning", "Herning", 5),
            Town("7451", "Sunds", "Sunds", 1),
            Town("7490", "Aulum", "Aulum", 1),
            Town("7480", "Vildbjerg", "Vildbjerg", 1),
            Town("6933", "Kibæk", "Kibæk", 1),
        ),
    ),
    746: Area(
        62,
        ("Østjysk", "Søhøjlandets"),
        ("86", "87"),
        (
            Town("8660", "Skanderborg", "Skanderborg", 3),
            Town("8680", "Ry", "Ry", 1),
            Town("8362", "Hørning", "Hørning", 2),
            Town("8464", "Galten", "Galten", 2),
        ),
    ),
    661: Area(
        59,
        ("Vestjysk", "Storå"),
        ("96", "97"),
        (
            Town("7500", "Holstebro", "Holstebro", 4),
            Town("7830", "Vinderup", "Vinderup", 1),
            Town("6990", "Ulfborg", "Ulfborg", 1),
            Town("7570", "Vemb", "Vemb", 1),
        ),
    ),
    760: Area(
        57,
        ("Vestjysk", "Vesterhavs", "Fjord"),
        ("96", "97"),
        (
            Town("6950", "Ringkøbing", "Ringkøbing", 3),
            Town("6900", "Skjern", "Skjern", 3),
            Town("6920", "Videbæk", "Videbæk", 2),
            Town("6960", "Hvide Sande", "Hvide Sande", 1),
            Town("6971", "Spjald", "Spjald", 1),
            Town("6940", "Lem St", "Lem", 1),
        ),
    ),
    710: Area(
        48,
        ("Østjysk", "Favrskov"),
        ("86", "87"),
        (
            Town("8382", "Hinnerup", "Hinnerup", 2),
            Town("8370", "Hadsten", "Hadsten", 2),
            Town("8450", "Hammel", "Hammel", 1),
            Town("8860", "Ulstrup", "Ulstrup", 1),
        ),
    ),
    766: Area(
        46,
        ("Østjysk", "Vejle Fjord"),
        ("75", "76"),
        (
            Town("8722", "Hedensted", "Hedensted", 3),
            Town("7130", "Juelsminde", "Juelsminde", 1),
            Town("7160", "Tørring", "Tørring", 1),
            Town("8723", "Løsning", "Løsning", 1),
        ),
    ),
    779: Area(
        46,
        ("Vestjysk", "Limfjords", "Sallings"),
        ("96", "97"),
        (
            Town("7800", "Skive", "Skive", 4),
            Town("7860", "Spøttrup", "Spøttrup", 1),
            Town("7870", "Roslev", "Roslev", 1),
            Town("7884", "Fur", "Fur", 1),
        ),
    ),
    706: Area(
        42,
        ("Djurslands", "Mols", "Kattegat"),
        ("86", "87"),
        (
            Town("8400", "Ebeltoft", "Ebeltoft", 2),
            Town("8410", "Rønde", "Rønde", 2),
            Town("8550", "Ryomgård", "Ryomgård", 1),
            Town("8560", "Kolind", "Kolind", 1),
            Town("8544", "Mørke", "Mørke", 1),
        ),
    ),
    756: Area(
        41,
        ("Midtjysk", "Vestjysk"),
        ("96", "97"),
        (
            Town("7430", "Ikast", "Ikast", 3),
            Town("7330", "Brande", "Brande", 2),
            Town("7441", "Bording", "Bording", 1),
            Town("7361", "Ejstrupholm", "Ejstrupholm", 1),
        ),
    ),
    707: Area(
        37,
        ("Djurslands", "Kattegat"),
        ("86", "87"),
        (
            Town("8500", "Grenaa", "Grenaa", 4),
            Town("8950", "Ørsted", "Ørsted", 1),
            Town("8961", "Allingåbro", "Allingåbro", 1),
            Town("8963", "Auning", "Auning", 1),
        ),
    ),
    727: Area(23, ("Østjysk", "Kattegat"), ("86", "87"), (Town("8300", "Odder", "Odder", 1),)),
    671: Area(
        21,
        ("Vestjysk", "Limfjords"),
        ("96", "97"),
        (Town("7600", "Struer", "Struer", 4), Town("7790", "Thyholm", "Thyholm", 1)),
    ),
    665: Area(
        20,
        ("Vestjysk", "Limfjords", "Vesterhavs"),
        ("96", "97"),
        (
            Town("7620", "Lemvig", "Lemvig", 3),
            Town("7660", "Bækmarksbro", "Bækmarksbro", 1),
            Town("7673", "Harboøre", "Harboøre", 1),
        ),
    ),
    741: Area(4, ("Samsø",), ("86",), (Town("8305", "Samsø", "Samsø", 1),)),
}

GENERAL_REGIONS = ("Nordisk", "Dansk", "Jysk", "Skandinavisk")

# Streets of industrial estates, and of town centres (for shops, restaurants, offices).
INDUSTRIAL_STREETS = (
    "Industrivej",
    "Fabriksvej",
    "Håndværkervej",
    "Erhvervsvej",
    "Smedevej",
    "Tømrervej",
    "Snedkervej",
    "Mekanikervej",
    "Transportvej",
    "Industriparken",
    "Erhvervsparken",
    "Vestre Ringvej",
    "Østre Ringvej",
    "Metalvej",
    "Savværksvej",
    "Lundvej",
)
TOWN_STREETS = (
    "Hovedgaden",
    "Jernbanegade",
    "Østergade",
    "Vestergade",
    "Nørregade",
    "Søndergade",
    "Torvet",
    "Stationsvej",
    "Bredgade",
    "Kirkevej",
    "Havnegade",
    "Algade",
)
RURAL_STREETS = ("Bakkevej", "Markvej", "Engvej", "Skovgårdsvej", "Møllevej", "Hedevej", "Åvej")

SURNAMES = (
    # The consultants' surnames (partnerships.demo), then more for the firms' people.
    *LAST_NAMES,
    "Iversen",
    "Knudsen",
    "Mikkelsen",
    "Bertelsen",
    "Damgaard",
    "Kirkegaard",
    "Nørgaard",
    "Bundgaard",
    "Søgaard",
    "Brodersen",
    "Kamp",
    "Vinther",
    "Bak",
    "Toft",
    "Riis",
)
FIRST_NAMES_FEMALE = (
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Susanne",
    "Lene",
    "Marianne",
    "Camilla",
    "Louise",
    "Pia",
    "Karina",
    "Tina",
    "Line",
    "Maria",
    "Birgitte",
    "Sofie",
    "Helle",
    "Charlotte",
    "Ida",
    "Dorte",
    "Rikke",
    "Signe",
    "Malene",
    "Trine",
    "Gitte",
)
FIRST_NAMES_MALE = (
    "Peter",
    "Jens",
    "Lars",
    "Søren",
    "Henrik",
    "Thomas",
    "Martin",
    "Rasmus",
    "Mads",
    "Jesper",
    "Mikkel",
    "Anders",
    "Christian",
    "Niels",
    "Morten",
    "Jakob",
    "Kasper",
    "Frederik",
    "Bo",
    "Ole",
    "Poul",
    "Kim",
    "Torben",
    "Jørgen",
    "Carsten",
)

# Where a small business sits, for names like "Bageriet ved Åen".
LOCATIVES = (
    "ved Åen",
    "på Torvet",
    "ved Havnen",
    "på Hjørnet",
    "ved Skoven",
    "på Bakken",
    "ved Fjorden",
    "ved Kirken",
    "i Midtbyen",
    "ved Stationen",
)


class Industry(NamedTuple):
    code: str  # DB07, six digits
    weight: int
    trades: tuple[str, ...]  # for names: "Maskinfabrik", "VVS", "Transport"
    definite: tuple[str, ...]  # for names like "Smedien på Bakken"; may be empty
    workers: str  # the staff the firm lacks, plural: "CNC-operatører"


# DB07 section -> (weight among SMEs visited, industries of that section). The weights follow the
# programme's target group: manufacturing, construction and trade first.
SECTIONS: dict[str, tuple[int, tuple[Industry, ...]]] = {
    "C": (
        22,
        (
            Industry("251100", 4, ("Stål", "Stålindustri", "Smede- og Maskinfabrik", "Metal"), ("Smedien",), "smede"),
            Industry(
                "256200",
                3,
                ("Maskinfabrik", "Præcisionsmekanik", "CNC-Teknik", "Industrimekanik"),
                ("Maskinværkstedet",),
                "CNC-operatører",
            ),
            Industry("282900", 2, ("Maskinfabrik", "Maskinteknik", "Automation"), (), "industrimontører"),
            Industry("222900", 2, ("Plast", "Plastindustri", "Emballage"), (), "industrioperatører"),
            Industry("310900", 2, ("Møbelfabrik", "Møbler", "Interiør"), ("Møbelsnedkeriet",), "møbelsnedkere"),
            Industry("107100", 2, ("Bageri", "Brød og Kager"), ("Bageriet",), "bagere"),
            Industry("101300", 1, ("Pølsefabrik", "Slagteri", "Kødvarer"), ("Slagteren",), "slagtere"),
            Industry("162300", 2, ("Træindustri", "Vinduer og Døre", "Snedkeri"), ("Snedkeriet",), "snedkere"),
            Industry("331200", 1, ("Maskinservice", "Industriservice"), ("Værkstedet",), "industriteknikere"),
            Industry("279000", 1, ("Elektronik", "El-teknik"), (), "elektronikoperatører"),
            Industry("181200", 1, ("Tryk", "Bogtrykkeri", "Grafisk"), ("Trykkeriet",), "trykkere"),
            Industry("108900", 1, ("Fødevarer", "Food"), (), "procesoperatører"),
        ),
    ),
    "F": (
        18,
        (
            Industry(
                "412000", 3, ("Byg", "Entreprise", "Byggeselskab", "Murerforretning"), ("Murerfirmaet",), "murere"
            ),
            Industry("433200", 4, ("Tømrerforretning", "Tømrer og Snedker", "Tømrer"), ("Tømreren",), "tømrere"),
            Industry(
                "432100", 3, ("El", "El-service", "Elteknik", "El-installation"), ("Elektrikeren",), "elektrikere"
            ),
            Industry("432200", 3, ("VVS", "VVS og Blik", "VVS-service"), ("Blikkenslageren",), "VVS-montører"),
            Industry("433400", 2, ("Malerfirma", "Malerforretning", "Maler"), ("Maleren",), "malere"),
            Industry("431200", 2, ("Entreprenør", "Jord og Beton", "Kloak og Anlæg"), (), "maskinførere"),
        ),
    ),
    "G": (
        16,
        (
            Industry("452010", 3, ("Auto", "Autoværksted", "Biler"), ("Autoværkstedet",), "mekanikere"),
            Industry("466900", 2, ("Maskinhandel", "Teknik", "Industrihandel"), (), "lagermedarbejdere"),
            Industry("467300", 2, ("Trælast", "Tømmerhandel", "Byggecenter"), ("Trælasten",), "lagermedarbejdere"),
            Industry("463900", 1, ("Engros", "Fødevareengros"), (), "lagermedarbejdere"),
            Industry("471110", 2, ("Købmand", "Supermarked"), ("Købmanden",), "butiksmedarbejdere"),
            Industry("475200", 1, ("Isenkram", "Byggemarked"), (), "butiksmedarbejdere"),
            Industry("469000", 2, ("Handel", "Import", "Engros"), (), "lagermedarbejdere"),
        ),
    ),
    "H": (
        7,
        (
            Industry(
                "494100", 5, ("Transport", "Vognmandsforretning", "Fragt", "Logistik"), ("Vognmanden",), "chauffører"
            ),
            Industry("522900", 1, ("Spedition", "Shipping"), (), "speditører"),
            Industry("493900", 1, ("Busser", "Turistfart"), (), "buschauffører"),
            Industry("521000", 1, ("Lager og Logistik", "Lagerhotel"), (), "lagermedarbejdere"),
        ),
    ),
    "I": (
        7,
        (
            Industry("561010", 4, ("Restaurant", "Bistro", "Spisehus"), ("Kroen", "Caféen", "Restauranten"), "kokke"),
            Industry("551000", 2, ("Hotel", "Badehotel", "Kro og Hotel"), ("Hotellet",), "receptionister"),
            Industry("562100", 1, ("Catering", "Mad og Event"), (), "kokke"),
        ),
    ),
    "M": (
        8,
        (
            Industry("692000", 3, ("Revision", "Regnskab"), ("Revisionskontoret",), "revisorer"),
            Industry("711200", 3, ("Rådgivende Ingeniører", "Ingeniørrådgivning", "Consult"), (), "ingeniører"),
            Industry("711100", 1, ("Arkitekter", "Tegnestue"), ("Tegnestuen",), "arkitekter"),
            Industry("702200", 2, ("Consult", "Rådgivning", "Management"), (), "konsulenter"),
            Industry("731100", 1, ("Reklame", "Kommunikation"), (), "grafikere"),
        ),
    ),
    "N": (
        6,
        (
            Industry("812100", 3, ("Rengøring", "Service", "Facility Service"), (), "servicemedarbejdere"),
            Industry("813000", 2, ("Anlægsgartner", "Have og Park"), ("Anlægsgartneren",), "anlægsgartnere"),
            Industry("782000", 1, ("Vikarservice", "Bemanding"), (), "vikarer"),
        ),
    ),
    "Q": (
        5,
        (
            Industry("881000", 2, ("Hjemmepleje", "Omsorg"), (), "social- og sundhedshjælpere"),
            Industry("862300", 1, ("Tandklinik", "Tandlægerne"), ("Tandklinikken",), "klinikassistenter"),
            Industry("869020", 1, ("Fysioterapi", "Fysioterapi og Træning"), ("Fysioterapien",), "fysioterapeuter"),
            Industry("871000", 1, ("Plejecenter", "Bosted"), (), "social- og sundhedsassistenter"),
        ),
    ),
    "J": (
        3,
        (
            Industry("620100", 3, ("Software", "IT", "Data", "Digital"), (), "udviklere"),
            Industry("620200", 1, ("IT-Service", "IT-Support"), (), "IT-supportere"),
        ),
    ),
    "A": (
        3,
        (
            Industry("014600", 2, ("Svineproduktion", "Landbrug", "Agro"), (), "landbrugsmedhjælpere"),
            Industry("016100", 2, ("Maskinstation",), (), "maskinførere"),
            Industry("013000", 1, ("Planteskole", "Gartneri"), ("Gartneriet",), "gartnere"),
        ),
    ),
    "E": (
        2,
        (
            Industry("381100", 1, ("Renovation", "Miljø"), (), "chauffører"),
            Industry("383200", 1, ("Genvinding", "Recycling"), (), "procesoperatører"),
        ),
    ),
    "D": (1, (Industry("351100", 1, ("Energi", "Vindenergi", "Solenergi"), (), "teknikere"),)),
    "S": (
        2,
        (
            Industry("960210", 1, ("Frisør", "Hår og Styling"), ("Salonen",), "frisører"),
            Industry("960110", 1, ("Vaskeri", "Tekstilservice"), ("Vaskeriet",), "vaskerimedarbejdere"),
        ),
    ),
    "R": (1, (Industry("931300", 1, ("Fitness", "Træningscenter"), (), "instruktører"),)),
    "L": (1, (Industry("683210", 1, ("Ejendomme", "Ejendomsadministration"), (), "ejendomsfunktionærer"),)),
}

# Sections whose firms sit on industrial estates (the others in town centres); A on the land.
INDUSTRIAL_SECTIONS = frozenset("CDEFH")
RURAL_SECTIONS = frozenset("A")

# ---------------------------------------------------------------------------
# Themes: what a firm's growth strategy is about. Each theme gives what the consultant saw
# (summary), what the firm plans (growth plans), what happens next, and the competence needs.
# Placeholders: {n} a small number, {workers} the staff the firm lacks, {town}, {pct}, {year}.
# ---------------------------------------------------------------------------
THEME_WEIGHTS: dict[str, dict[str, int]] = {
    "C": {
        "automation": 4,
        "green": 2,
        "export": 2,
        "unskilled": 2,
        "recruitment": 2,
        "digital": 1,
        "leadership": 1,
        "generation": 1,
        "hr": 1,
        "safety": 1,
    },
    "F": {"recruitment": 3, "unskilled": 2, "green": 2, "generation": 2, "digital": 1, "leadership": 1, "safety": 2},
    "G": {"digital": 2, "export": 1, "recruitment": 2, "leadership": 1, "hr": 2, "generation": 1, "automation": 1},
    "H": {"recruitment": 3, "green": 2, "digital": 1, "unskilled": 2, "automation": 1, "safety": 1},
    "I": {"recruitment": 3, "unskilled": 2, "hr": 2, "leadership": 1, "green": 1},
    "M": {"digital": 2, "export": 1, "leadership": 2, "recruitment": 2, "hr": 1, "generation": 1},
    "N": {"unskilled": 3, "recruitment": 2, "hr": 1, "leadership": 1, "green": 1},
    "Q": {"recruitment": 3, "hr": 2, "leadership": 2, "digital": 2},
    "J": {"export": 2, "recruitment": 3, "leadership": 1, "hr": 1},
    "A": {"automation": 2, "green": 3, "generation": 2, "unskilled": 1, "recruitment": 1},
    "E": {"green": 3, "unskilled": 2, "recruitment": 2, "safety": 1},
    "D": {"green": 2, "recruitment": 2, "digital": 1},
}
DEFAULT_THEME_WEIGHTS = {"hr": 2, "digital": 1, "recruitment": 1, "generation": 2, "leadership": 1}

OBSERVATIONS: dict[str, tuple[str, ...]] = {
    "automation": (
        "Virksomheden har investeret i {n} nye robotceller og vil automatisere svejsning og pakning i {year}.",
        "Produktionen automatiseres gradvist; operatørerne mangler kompetencer til at betjene og omstille udstyret.",
    ),
    "green": (
        "Kunderne stiller krav om CO2-regnskab, og virksomheden vil have en grøn certificering inden for to år.",
        "Energiforbruget skal ned; der er planer om solceller og varmegenvinding i produktionen.",
    ),
    "export": (
        "Virksomheden vil øge eksporten til Tyskland og Sverige, der i dag står for ca. {pct} % af omsætningen.",
        "En ny storkunde i Norge kræver dokumentation og kommunikation på engelsk.",
    ),
    "generation": (
        "Ejeren er {age} år og planlægger et generationsskifte, hvor en af sønnerne skal overtage inden for tre år.",
        "Et generationsskifte er på vej; den kommende ejerleder har ingen formel lederuddannelse.",
    ),
    "recruitment": (
        "Virksomheden mangler {n} {workers} og har haft stillinger slået op i flere måneder uden kvalificerede "
        "ansøgere.",
        "Rekruttering er den største udfordring: der er ordrer nok, men ingen {workers} at ansætte.",
    ),
    "unskilled": (
        "Omkring {pct} % af medarbejderne er ufaglærte; flere har været i virksomheden i mange år uden "
        "efteruddannelse.",
        "Mange ufaglærte mangler AMU-kurser for at kunne varetage de nye opgaver.",
    ),
    "digital": (
        "Et nyt ERP-system tages i brug i {year}, og mange medarbejdere er usikre på de digitale arbejdsgange.",
        "Ordrer, tegninger og tidsregistrering skal digitaliseres; i dag foregår meget på papir.",
    ),
    "leadership": (
        "Mellemlederne er rekrutteret fra gulvet og har ingen formel ledelsesuddannelse.",
        "Virksomheden er vokset hurtigt, og ledelseslaget er ikke fulgt med.",
    ),
    "hr": (
        "Der er ingen HR-funktion; ejeren står selv for rekruttering, MUS og uddannelsesplanlægning.",
        "Virksomheden har ikke en systematisk kompetenceplan, og efteruddannelse sker tilfældigt.",
    ),
    "safety": (
        "Der har været flere arbejdsulykker, og arbejdsmiljøorganisationen skal styrkes.",
        "Nye arbejdsmiljørepræsentanter er valgt og mangler den lovpligtige uddannelse.",
    ),
}

GROWTH_PLANS: dict[str, tuple[str, ...]] = {
    "automation": (
        "Vil øge produktionen med {pct} % over tre år med flere robotter og flere faglærte operatører.",
        "Automatisering skal gøre det muligt at hjemtage produktion, der i dag er lagt ud.",
    ),
    "green": (
        "Vil udvikle en grøn produktlinje og bruge den bæredygtige profil i salget.",
        "Grøn omstilling af produktionen skal give adgang til offentlige udbud med miljøkrav.",
    ),
    "export": (
        "Mål om at eksporten udgør halvdelen af omsætningen i {year}.",
        "Vil åbne et salgskontor i Hamborg og ansætte to tysktalende sælgere.",
    ),
    "generation": (
        "Vækst via ny ejerleder og en ny afdeling i {town}.",
        "Generationsskiftet skal bruges til at lægge en ny vækststrategi.",
    ),
    "recruitment": (
        "Ordrebogen er fuld; virksomheden kan vokse med {n} medarbejdere, hvis de kan rekrutteres.",
        "Vil tage flere lærlinge ind og uddanne sine egne {workers}.",
    ),
    "unskilled": (
        "Ønsker at løfte de ufaglærte til faglært niveau for at kunne tage mere komplekse opgaver ind.",
        "Vil have flere medarbejdere gennem en EUV, så de kan arbejde mere selvstændigt.",
    ),
    "digital": (
        "Digitalisering af hele ordreflowet skal frigøre tid til salg og nye kunder.",
        "Vil tilbyde kunderne online bestilling og sporing inden for et år.",
    ),
    "leadership": (
        "Vil vokse til omkring {grow} ansatte og har brug for et stærkere mellemlederlag.",
        "Ny organisering i teams med egne teamledere.",
    ),
    "hr": (
        "Vækststrategien kræver systematisk kompetenceudvikling og en plan for fastholdelse.",
        "Vil være en attraktiv arbejdsplads i {town} for at kunne rekruttere.",
    ),
    "safety": (
        "Vil udvide med nyt produktionsanlæg og samtidig forbedre arbejdsmiljøet.",
        "Et bedre arbejdsmiljø skal nedbringe sygefraværet og gøre det lettere at fastholde medarbejdere.",
    ),
}

NEXT_STEPS: dict[str, tuple[str, ...]] = {
    "automation": (
        "Uddannelseskonsulenten sender forslag til AMU-forløb i robotbetjening for {n} operatører.",
        "VEU-centret laver en uddannelsesplan for operatørerne før robotcellen leveres.",
    ),
    "green": (
        "Erhvervsservice formidler kontakt til Erhvervshus Midtjylland om grøn omstilling; VEU-centret finder "
        "kurser i energioptimering.",
        "Vi samler et tilbud om kurser i cirkulær produktion og ressourcebesparelse.",
    ),
    "export": (
        "Erhvervshuset kontakter virksomheden om eksportrådgivning; sprogskolen sender tilbud på tysk for sælgere.",
        "Jobcentret undersøger mulighed for at tilknytte en akademiker med sprogkompetencer.",
    ),
    "generation": (
        "Erhvervsservice inviterer til møde om generationsskifte; uddannelseskonsulenten finder lederuddannelse.",
        "Vi foreslår et forløb med mentor og en akademiuddannelse i ledelse for den kommende ejerleder.",
    ),
    "recruitment": (
        "Jobcentret matcher ledige {workers} og sender CV'er inden næste møde.",
        "Jobcentret undersøger jobrotation, så {n} ledige kan opkvalificeres til virksomhedens behov.",
    ),
    "unskilled": (
        "Uddannelseskonsulenten laver RKV-afklaring af {n} ufaglærte med henblik på EUV.",
        "VEU-centret udarbejder uddannelsesplaner med AMU-kurser for de ufaglærte, med jobrotationsvikarer.",
    ),
    "digital": (
        "VEU-centret finder kurser i ERP og digitale arbejdsgange til {n} medarbejdere.",
        "Vi foreslår FVU-digital og AMU-kurser i IT for medarbejdere med svage IT-færdigheder.",
    ),
    "leadership": (
        "Forslag om AMU-lederuddannelse for {n} mellemledere sendes inden næste møde.",
        "Virksomheden inviteres til ledernetværket for produktionsvirksomheder.",
    ),
    "hr": (
        "Vi tilbyder et forløb med HR-chef til leje (20 timer) og en skabelon til kompetenceplan.",
        "Uddannelseskonsulenten hjælper med at lave en kompetenceplan ud fra vækststrategien.",
    ),
    "safety": (
        "VEU-centret tilmelder de nye arbejdsmiljørepræsentanter til arbejdsmiljøuddannelsen.",
        "Vi sender tilbud om AMU-kurser i arbejdsmiljø og sikkerhed.",
    ),
}

# (area, description, staff groups) per theme; staff groups: u ufaglærte, s faglærte, f funktionærer, l ledere.
NEEDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "automation": (
        (
            "digitalisering",
            "Operatørerne skal kunne betjene og programmere den nye robotcelle (AMU robotteknik).",
            "us",
        ),
        ("produktion", "Opkvalificering til CNC-styrede maskiner for ufaglærte i produktionen.", "u"),
    ),
    "green": (
        ("groen", "Viden om energioptimering og cirkulær produktion hos driftsledere og teknikere.", "sl"),
        ("groen", "Kursus i affaldssortering og ressourcebesparelse for alle medarbejdere.", "us"),
    ),
    "export": (
        ("salg", "Salgsteamet skal styrke eksportsalg og kundeservice på nye markeder.", "f"),
        ("sprog", "Tysk og engelsk for sælgere og kundeservice.", "f"),
    ),
    "generation": (
        (
            "ledelse",
            "Den kommende ejerleder har brug for lederuddannelse og økonomistyring før generationsskiftet.",
            "l",
        ),
    ),
    "recruitment": (
        ("hr", "Strategi for rekruttering og fastholdelse af {workers}; ingen systematisk introduktion af nye.", "lf"),
        ("produktion", "Ledige skal opkvalificeres til {workers} via jobrotation eller virksomhedspraktik.", "u"),
    ),
    "unskilled": (
        ("produktion", "{n} ufaglærte skal have RKV og et uddannelsesforløb mod faglært niveau (EUV).", "u"),
        ("sprog", "Dansk på arbejdspladsen for medarbejdere med et andet modersmål.", "u"),
        ("it", "Grundlæggende IT for ufaglærte (FVU-digital og AMU).", "u"),
    ),
    "digital": (
        ("it", "Medarbejderne skal lære det nye ERP-system og digitale arbejdsgange.", "fs"),
        ("digitalisering", "Digitalisering af produktionsplanlægning og dataopsamling.", "sf"),
    ),
    "leadership": (
        ("ledelse", "Mellemledere uden formel ledelsesuddannelse; ønske om AMU-lederuddannelse eller akademi.", "l"),
    ),
    "hr": (("hr", "Ingen HR-funktion: behov for HR-chef til leje, MUS-koncept og kompetenceplan.", "lf"),),
    "safety": (("andet", "Arbejdsmiljøuddannelse for nye arbejdsmiljørepræsentanter og sikkerhedskurser.", "su"),),
}

FIRST_VISIT_OPENINGS = (
    "Første møde med {who}.",
    "Opsøgende besøg hos {who} efter henvendelse fra erhvervsservice.",
    "Første besøg; {who} tog imod og viste rundt i produktionen.",
    "Mødet kom i stand via jobcentrets virksomhedskonsulent; vi mødte {who}.",
)
FOLLOW_UP_OPENINGS = (
    "Opfølgning på besøget den {previous}.",
    "Opfølgende møde med {who}.",
    "Status på forløbet sammen med {who}.",
)
REMOTE_OPENINGS = ("Telefonmøde med {who}.", "Online møde (Teams) med {who}.", "Kort opfølgning pr. telefon med {who}.")
JOINT_OPENINGS = (
    "Fælles besøg med konsulenter fra {systems}.",
    "Fælles besøg ({systems}), så virksomheden fik ét samlet tilbud.",
)
PROGRESS = (
    "{n} medarbejdere er startet på AMU-kurser; næste hold starter efter sommerferien.",
    "Uddannelsesplaner er lavet for {n} medarbejdere sammen med VEU-centret.",
    "Jobrotationsvikaren fra jobcentret er kommet godt i gang.",
    "RKV-afklaringen af {n} ufaglærte er gennemført; to kan tage en afkortet EUV.",
    "Ledelsen har haft travlt og ønsker at udskyde næste skridt et par måneder.",
    "Forløbet med HR-chef til leje er i gang, og MUS-konceptet er på plads.",
    "Virksomheden har ansat {n} nye medarbejdere via jobcentret.",
    "Vi gennemgik kompetenceplanen; de fleste aktiviteter følger tidsplanen.",
)
CLOSINGS = (
    "Virksomheden er positiv over for et samarbejde med de tre systemer.",
    "Ejeren har ikke tidligere brugt jobcentret eller AMU, men er nysgerrig.",
    "Vi aftalte at vende tilbage med et samlet tilbud.",
    "Virksomheden har tidligere haft gode erfaringer med AMU-kurser.",
)
AGAIN_OPENINGS = (
    "Ny kontakt efter det afsluttede forløb i {year}; vi mødte {who}.",
    "Virksomheden henvendte sig igen (sidste forløb sluttede i {year}). Møde med {who}.",
)
# The last visit of a round that ends the case, by the status it ends in.
ENDINGS = {
    "afsluttet": (
        "Indsatsen er afsluttet; virksomheden er tilfreds og kontakter os ved nye behov.",
        "Alle aktiviteter i uddannelsesplanen er gennemført. Forløbet lukkes.",
    ),
    "ikke_relevant": (
        "Virksomheden har ikke behov for en indsats lige nu og ønsker ikke at deltage.",
        "Virksomheden er for lille til et egentligt forløb; henvist til Erhvervshus Midtjylland.",
        "Virksomheden er i gang med et ejerskifte og vil vente med kompetenceudvikling.",
    ),
}
OTHER_PARTICIPANTS = (
    "Revisor",
    "Produktionsleder",
    "Konsulent fra Erhvervshus Midtjylland",
    "Arbejdsmiljørepræsentant",
)
FOR_PARTNERSHIP_STEP = "Sættes på partnerskabets næste møde, så de tre systemer kan aftale en fælles indsats."
PLANNED_VISIT = "Planlagt besøg: {topic}."
DRAFT_SUMMARY = "Noter fra besøget – skrives færdig."

SYSTEM_WORDS = {"employment": "jobcenter", "business": "erhvervsservice", "education": "uddannelse"}

CONTACT_TITLES = {
    "ejer": ("Ejer og direktør", "Indehaver", "Medejer"),
    "leder": ("Direktør", "Produktionschef", "Driftsleder", "Værkfører", "Administrerende direktør"),
    "hr": ("HR-chef", "HR-konsulent", "Løn og HR", "HR- og kvalitetsansvarlig"),
    "tr": ("Tillidsrepræsentant", "Fællestillidsrepræsentant"),
}

COMPANY_NOTES = (
    "Familieejet siden {year}.",
    "Deltager i ledernetværket for produktionsvirksomheder.",
    "Har tidligere brugt jobrotation.",
    "Har praktikpladser for lærlinge og elever.",
    "Ejeren foretrækker at blive kontaktet pr. telefon.",
    "Sæsonpræget; travlt fra marts til oktober.",
)

STATUS_NOTES = {
    "identificeret": ("Fundet i CVR-udtræk", "Henvist fra erhvervsservice", "Mødt på netværksmøde", ""),
    "kontaktet": ("Første kontakt pr. telefon", "Kontaktet efter virksomhedsnetværk", "Henvendelse fra virksomheden"),
    "besoegt": ("Besøg registreret",),
    "behandlet": ("Drøftet på partnerskabsmøde", "Behandlet i konsulentgruppen"),
    "aftale": ("Aftale om uddannelsesplan og AMU-forløb", "Aftale om RKV og jobrotation", "Aftale om HR-chef til leje"),
    "indsats": ("Første aktiviteter er startet", "Medarbejdere tilmeldt kurser"),
    "afsluttet": ("Forløb afsluttet", "Alle aktiviteter gennemført"),
    "ikke_relevant": ("Virksomheden ønsker ikke at deltage", "Ingen aktuelle behov"),
}

# Danish letters in e-mail addresses and web domains.
ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})

# Sections where family names like "Hansen & Søn" and "Brødrene Holm" are usual.
FAMILY_SECTIONS = frozenset("ACFGH")

# What a planned visit is about, by theme ("Planlagt besøg: ...").
TOPICS = {
    "automation": "automatisering og operatørernes kompetencer",
    "green": "grøn omstilling og energi",
    "export": "eksport og sprog",
    "generation": "generationsskifte og ledelse",
    "recruitment": "rekruttering og jobrotation",
    "unskilled": "uddannelsesplaner for de ufaglærte",
    "digital": "digitalisering og IT-kompetencer",
    "leadership": "lederudvikling",
    "hr": "HR-chef til leje og kompetenceplan",
    "safety": "arbejdsmiljø og sikkerhed",
}
