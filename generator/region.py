"""Static description of the fictitious jeugdzorgregio Zuidoost-Duinland.

Invariants protected here:
* every organisation code is fictitious: gemeenten use 99xx (outside the CBS list), aanbieders 98xxxxxx;
* every product category and unit/frequency pair comes from `pipelines.codes` and obeys CS338
  (Eenheid 14/16/83/84 only with Frequentie 2, 4 or 6);
* capacities are per unit of `scale`; the simulation multiplies them, so the story (two providers where
  demand exceeds capacity) holds at every scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines import codes


@dataclass(frozen=True)
class Gemeente:
    code: str
    naam: str
    aandeel: float  # share of the region's children
    pc4: tuple[int, int]  # fictitious postcode range (PC4)
    straten: tuple[str, ...]


@dataclass(frozen=True)
class Product:
    categorie: str
    code: str
    volume: int
    eenheid: str
    frequentie: str
    tarief: int  # eurocent per eenheid
    maanden: float  # mean treatment duration (months)
    toewijzing_maanden: int  # validity of a first allocation


@dataclass(frozen=True)
class Aanbieder:
    agb: str
    naam: str
    slug: str  # short name used in file names
    producten: tuple[str, ...]  # product codes (see PRODUCTEN)
    locaties: tuple[str, ...]
    plekken: float  # concurrent treatment places per unit of scale
    intakes: float  # intakes per month per unit of scale
    wekelijks_declareren: bool = False
    gi: bool = False
    overbelast: bool = False


@dataclass(frozen=True)
class Team:
    code: str
    naam: str
    type: str
    gemeente: str  # empty for regional teams
    onder: float
    boven: float
    eenheid: str
    fte: float  # FTE per unit of scale
    gemeenten: tuple[str, ...] = field(default=())


GEMEENTEN: tuple[Gemeente, ...] = (
    Gemeente("9901", "Duinwijk", 0.32, (2901, 2919), ("Duinweg", "Helmstraat", "Zeereep", "Strandpad")),
    Gemeente("9902", "Zandhoven", 0.22, (2921, 2929), ("Kerkstraat", "Zandlaan", "Molenweg")),
    Gemeente("9903", "Helmbeek", 0.15, (2931, 2936), ("Beekstraat", "Dorpsstraat", "Lindelaan")),
    Gemeente("9904", "Oostmeer", 0.13, (2941, 2945), ("Meerweg", "Oeverlaan", "Rietkade")),
    Gemeente("9905", "Kwelderdam", 0.10, (2951, 2954), ("Dijkstraat", "Kwelderweg", "Havenkade")),
    Gemeente("9906", "Brakelo", 0.08, (2961, 2963), ("Brink", "Esweg", "Hoefslag")),
)
GEMEENTE_BY_CODE = {g.code: g for g in GEMEENTEN}

# Regional product codes (Product/Code, max 5 chars).
PRODUCTEN: dict[str, Product] = {
    p.code: p
    for p in (
        Product("45", "45A01", 3, "04", "2", 8900, 6, 6),  # ambulant, 3 hours a week
        Product("45", "45A02", 6, "04", "4", 9400, 8, 12),  # ambulant intensief, per month
        Product("41", "41D01", 4, "16", "2", 11500, 8, 12),  # dagbehandeling, dagdelen a week
        Product("43", "43V01", 30, "14", "4", 26000, 11, 12),  # verblijf incl. behandeling
        Product("43", "43G01", 30, "14", "4", 41000, 7, 6),  # gesloten verblijf (JeugdzorgPlus)
        Product("46", "46K01", 28, "14", "6", 31000, 1, 1),  # crisis
        Product("51", "51G01", 4, "04", "4", 10400, 4, 6),  # generalistische basis-ggz (output)
        Product("52", "52S01", 1500, "01", "6", 210, 12, 12),  # specialistische ggz, minutes
        Product("54", "54B01", 6, "04", "4", 12600, 10, 12),  # jeugd-ggz behandeling
        Product("47", "47J01", 1, "84", "4", 165000, 10, 12),  # jeugdreclassering
        Product("48", "48J01", 1, "84", "4", 185000, 14, 12),  # jeugdbescherming (OTS)
    )
}

for _p in PRODUCTEN.values():  # import-time guard on the code lists
    assert _p.categorie in codes.JZ020 and _p.eenheid in codes.WJ756 and _p.frequentie in codes.WMO757
    assert _p.eenheid not in {"14", "16", "83", "84"} or _p.frequentie in {"2", "4", "6"}

AANBIEDERS: tuple[Aanbieder, ...] = (
    Aanbieder(
        "98000011",
        "GGZ Duinrand Jeugd",
        "duinrand",
        ("52S01", "54B01"),
        ("Duinwijk", "Zandhoven"),
        52,
        7.0,
        wekelijks_declareren=True,
        overbelast=True,
    ),
    Aanbieder(
        "98000022",
        "Kinder- en Jeugdpsychiatrie De Horizon",
        "horizon",
        ("54B01", "43V01"),
        ("Helmbeek",),
        40,
        5.5,
        wekelijks_declareren=True,
        overbelast=True,
    ),
    Aanbieder(
        "98000033",
        "Jeugdhulp Zuidoost",
        "jeugdhulpzuidoost",
        ("45A01", "45A02", "41D01"),
        ("Duinwijk", "Oostmeer"),
        150,
        34,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000044",
        "Stichting Opvoedsteun Duinland",
        "opvoedsteun",
        ("45A01", "45A02"),
        ("Zandhoven",),
        90,
        22,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000055",
        "Praktijk Kindertherapie Eikenhof",
        "eikenhof",
        ("51G01", "54B01"),
        ("Helmbeek",),
        45,
        11,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000066",
        "Orthopedagogisch Centrum De Brug",
        "debrug",
        ("45A02", "41D01"),
        ("Kwelderdam",),
        55,
        10,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000077",
        "Jeugd-GGZ Kustlicht",
        "kustlicht",
        ("51G01", "54B01"),
        ("Duinwijk",),
        60,
        16,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000088",
        "Residentiële Jeugdzorg Lindenhof",
        "lindenhof",
        ("43V01",),
        ("Oostmeer",),
        40,
        5,
        wekelijks_declareren=True,
    ),
    Aanbieder("98000099", "Crisisdienst Jeugd Zuidoost", "crisisdienst", ("46K01",), ("Duinwijk",), 15, 12),
    Aanbieder("98000105", "Gezinshuis Het Anker", "hetanker", ("43V01",), ("Brakelo",), 20, 2.5),
    Aanbieder(
        "98000116",
        "Dagbehandeling De Speelhoeve",
        "speelhoeve",
        ("41D01",),
        ("Zandhoven",),
        30,
        5,
        wekelijks_declareren=True,
    ),
    Aanbieder("98000127", "Psychologenpraktijk Strandweg", "strandweg", ("51G01",), ("Kwelderdam",), 30, 10),
    Aanbieder("98000138", "JeugdzorgPlus De Duinen", "deduinen", ("43G01",), ("Helmbeek",), 10, 2),
    Aanbieder(
        "98000149",
        "Autismecentrum Zuidoost",
        "autismecentrum",
        ("54B01", "45A02"),
        ("Brakelo",),
        60,
        12,
        wekelijks_declareren=True,
    ),
    Aanbieder(
        "98000150",
        "Jeugdbescherming Duinland (GI)",
        "gi-duinland",
        ("47J01", "48J01"),
        ("Duinwijk",),
        400,
        60,
        gi=True,
    ),
)
AANBIEDER_BY_AGB = {a.agb: a for a in AANBIEDERS}
AGB_GI = "98000150"
AGB_INTAKE_ALS_START = "98000033"  # reports the intake date as JW305 Begindatum (fault)
AGB_GAT = "98000077"  # misses two months of submissions (fault)
AGB_GEPUBLICEERD_AFWIJKEND = "98000022"  # published aggregates disagree with its records (fault)

# Which providers deliver record-level waiting-time data, and in which layout (see output.py).
WACHTTIJD_LEVERANCIERS: tuple[str, ...] = (
    "98000011",
    "98000022",
    "98000033",
    "98000044",
    "98000055",
    "98000066",
    "98000077",
    "98000116",
    "98000127",
    "98000149",
)

# Teams: bandwidth per FTE (NJi band) and FTE per unit of scale.
TEAMS: tuple[Team, ...] = (
    Team("WT-DWN", "Wijkteam Duinwijk-Noord", "wijkteam", "9901", 12, 18, "casussen", 4.8),
    Team("WT-DWZ", "Wijkteam Duinwijk-Zuid", "wijkteam", "9901", 12, 18, "casussen", 3.6),
    Team("WT-ZAN", "Wijkteam Zandhoven", "wijkteam", "9902", 12, 18, "casussen", 5.6),
    Team("WT-HEL", "Wijkteam Helmbeek", "wijkteam", "9903", 12, 18, "casussen", 4.0),
    Team("JT-OOS", "Jeugdteam Oostmeer", "jeugdteam", "9904", 10, 16, "gezinnen", 3.6),
    Team("WT-KWE", "Wijkteam Kwelderdam", "wijkteam", "9905", 12, 18, "casussen", 2.8),
    Team("WT-BRA", "Wijkteam Brakelo", "wijkteam", "9906", 12, 18, "casussen", 2.2),
    Team("FACT-ZOD", "FACT-jeugd Zuidoost-Duinland", "FACT-jeugd", "", 10, 15, "casussen", 4.0),
    Team("GI-DUI", "Jeugdbescherming Duinland", "GI", "", 12, 15, "maatregelen", 14.0),
)
OVERBELAST_TEAM = "WT-DWZ"
WIJKTEAMS_PER_GEMEENTE: dict[str, tuple[str, ...]] = {}
for _t in TEAMS:
    if _t.gemeente:
        WIJKTEAMS_PER_GEMEENTE.setdefault(_t.gemeente, ())
        WIJKTEAMS_PER_GEMEENTE[_t.gemeente] += (_t.code,)

VOORNAMEN_M = (
    "Daan",
    "Sem",
    "Levi",
    "Finn",
    "Noah",
    "Lucas",
    "Milan",
    "Jesse",
    "Bram",
    "Thijs",
    "Ruben",
    "Sven",
    "Mohammed",
    "Ayoub",
    "Noël",
    "André",
    "Joël",
    "Luuk",
    "Stijn",
    "Gijs",
    "Mees",
    "Teun",
)
VOORNAMEN_V = (
    "Emma",
    "Julia",
    "Sophie",
    "Tess",
    "Lotte",
    "Sara",
    "Fleur",
    "Nina",
    "Zoë",
    "Chloë",
    "Noor",
    "Yara",
    "Anouk",
    "Daniëlle",
    "Inès",
    "Mila",
    "Lieke",
    "Saar",
    "Fenna",
    "Amira",
    "Roos",
    "Eva",
)
ACHTERNAMEN = (
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("", "Yılmaz"),
    ("", "El Amrani"),
    ("", "Çelik"),
    ("", "Kuipers"),
    ("van", "Dijk"),
    ("", "Hoekstra"),
    ("", "Müller"),
    ("", "Boukhari"),
    ("", "Verbeek"),
    ("", "Schouten"),
)
