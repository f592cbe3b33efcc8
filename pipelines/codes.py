"""iStandaard iJw 3.2 code lists and the NJi factor sheet, shared by the generator and the loaders.

Invariant: this module is the single source of the code lists. Validation (ingestion) and generation
(sample region) both import from here, so the generator can never write a code the loader rejects
unless it does so on purpose (a documented fault).
"""

from __future__ import annotations

# BerichtCode per message type (heenbericht and retour).
BERICHTCODE: dict[str, int] = {
    "JW301": 436,
    "JW302": 437,
    "JW305": 438,
    "JW306": 439,
    "JW307": 440,
    "JW308": 441,
    "JW315": 446,
    "JW316": 447,
    "JW317": 486,
    "JW318": 487,
    "JW319": 488,
    "JW320": 489,
    "JW323": 490,
    "JW325": 491,
}
MESSAGE_TYPE_BY_CODE: dict[int, str] = {code: msg for msg, code in BERICHTCODE.items()}

# Retour message -> its heenbericht.
RETOUR_OF: dict[str, str] = {
    "JW302": "JW301",
    "JW306": "JW305",
    "JW308": "JW307",
    "JW316": "JW315",
    "JW318": "JW317",
    "JW320": "JW319",
    "JW325": "JW323",
}
HEEN_TO_RETOUR: dict[str, str] = {heen: retour for retour, heen in RETOUR_OF.items()}

# Releases this project reads (3.x share one structure for the elements we use).
SUPPORTED_RELEASES: frozenset[str] = frozenset({"3.0", "3.1", "3.2"})

# COD327 Verwijzer/Type
COD327: dict[str, str] = {
    "01": "Gemeente",
    "02": "Huisarts",
    "03": "Jeugdarts",
    "04": "Gecertificeerde instelling",
    "05": "Medisch specialist",
    "06": "Zelfverwijzer/geen verwijzer",
    "08": "Rechter, Officier van Justitie, functionaris justitiële jeugdinrichting",
}

# JZ588 RedenBeeindiging
JZ588: dict[str, str] = {
    "02": "Overlijden",
    "20": "Levering tijdelijk beëindigd",
    "31": "Volgens plan beëindigd",
    "32": "Voortijdig: eenzijdig door de cliënt",
    "33": "Voortijdig: eenzijdig door de aanbieder",
    "34": "Voortijdig: in overeenstemming",
    "35": "Voortijdig: externe omstandigheden",
    "36": "Geïnitieerd door de gemeente",
    "37": "In verband met wijzigingsverzoek",
    "38": "Overstap naar andere aanbieder",
    "39": "Uitstroom naar ander domein",
}
REDEN_TIJDELIJK_GESTOPT = "20"

# JZ002 RedenWijziging (01 vervallen since 3.1 but still read for older releases)
JZ002: dict[str, str] = {
    "01": "Administratieve correctie (vervallen)",
    "02": "Cliënt overleden",
    "03": "Contractwijziging",
    "04": "Herbeoordeling: verlenging",
    "05": "Herbeoordeling: verkorting",
    "06": "Uitstroom naar ander domein",
    "07": "Verhuizing naar andere gemeente",
    "08": "Wijziging leveringsvorm",
    "09": "Overstap naar andere aanbieder",
    "10": "Nieuwe bekostigingssystematiek",
    "11": "Gemeentelijke herindeling",
    "12": "Geïnitieerd door de aanbieder",
    "13": "Verwijderd",
    "14": "Administratieve correctie",
}
REDEN_VERWIJDERD = "13"

# JZ020 Productcategorie
JZ020: dict[str, str] = {
    "31": "Wijk-/buurtteam (2015)",
    "32": "Ambulant op locatie aanbieder (2015)",
    "33": "Daghulp op locatie (2015)",
    "34": "In netwerk jeugdige (2015)",
    "35": "Pleegzorg (2015)",
    "36": "Gezinsgericht (2015)",
    "37": "Gesloten plaatsing (2015)",
    "38": "Overig residentieel (2015)",
    "40": "Persoonlijke verzorging",
    "41": "Dagbehandeling",
    "42": "Vervoerdiensten",
    "43": "Verblijf incl. behandeling",
    "44": "Verblijf excl. behandeling",
    "45": "Jeugdhulp ambulant",
    "46": "Crisis",
    "47": "Jeugdreclassering",
    "48": "Jeugdbescherming",
    "49": "Preventief justitieel kader",
    "50": "Maatwerkarrangementen",
    "51": "Generalistische basis-ggz",
    "52": "Specialistische ggz",
    "53": "Kindergeneeskunde",
    "54": "Jeugd-ggz",
    "55": "Landelijk ingekochte zorg",
}

# WJ756 Eenheid
WJ756: dict[str, str] = {
    "01": "Minuut",
    "04": "Uur",
    "14": "Etmaal",
    "16": "Dagdeel (4 uur)",
    "82": "Stuks (output)",
    "83": "Euro's",
    "84": "Stuks (inspanning)",
}

# WMO757 Frequentie
WMO757: dict[str, str] = {
    "1": "Per dag",
    "2": "Per week",
    "4": "Per maand",
    "6": "Totaal binnen geldigheidsduur",
}

# COD046 Geslacht
COD046: dict[str, str] = {"0": "Onbekend", "1": "Mannelijk", "2": "Vrouwelijk"}

# COD467 StatusAanlevering (only 1 and 3 are allowed, CS058)
COD467: dict[str, str] = {"1": "Eerste aanlevering", "3": "Verwijderen"}

# COD043 DebetCredit (IngediendBedrag)
COD043: dict[str, str] = {"D": "Debet", "C": "Credit"}
STATUS_EERSTE_AANLEVERING = "1"
STATUS_VERWIJDEREN = "3"

# WJ758 RedenVerzoek, WJ759 RedenAfwijzingVerzoek, WJ760 VerzoekAntwoord
WJ758: dict[str, str] = {"1": "Verandering cliëntsituatie", "2": "Wijziging zorgplan"}
WJ759: dict[str, str] = {
    "1": "Geen wijziging maar nieuwe aanvraag",
    "2": "Past niet binnen budget",
    "3": "Geen contract",
    "4": "Past niet binnen contract",
    "5": "Andere gemeente",
    "6": "Stapeling",
    "7": "Zorginhoudelijke afkeur",
    "8": "Woonplaatsbeginsel",
    "9": "Leeftijdsgrens bereikt",
}
WJ760: dict[str, str] = {"1": "Verzoek afgewezen", "2": "Aanvraag in onderzoek"}
VERZOEK_AFGEWEZEN = "1"
VERZOEK_IN_ONDERZOEK = "2"

# WJ001 RetourCode: the codes that mean "accepted" / "no remark".
RETOURCODE_GEEN_OPMERKING = "0200"
RETOURCODE_DECLARATIE_TOEGEWEZEN = "8001"
RETOURCODE_NIET_BEOORDEELD = "0233"
RETOURCODE_TECHNISCH_AFGEKEURD = "0001"
ACCEPTING_RETOURCODES: frozenset[str] = frozenset({"0200", "8001"})

# NJi "Hulpblad gewicht van meewegende factoren" (seed 001, bijlage): code -> (group, label).
# Scores 1..5, 1 = plays no role, 5 = a heavy role.
FACTOR_GROUPS: tuple[str, ...] = ("Cliënt/Gezin", "Stelsel/keten", "Randvoorwaarden", "Team")
FACTOREN: dict[str, tuple[str, str]] = {
    "meer_kinderen_in_gezin": ("Cliënt/Gezin", "Meer kinderen in een gezin"),
    "multiproblematiek": ("Cliënt/Gezin", "Multiproblematiek"),
    "mate_van_redzaamheid": ("Cliënt/Gezin", "Mate van redzaamheid"),
    "nakomen_van_afspraken": ("Cliënt/Gezin", "Nakomen van afspraken"),
    "achterstand_in_taal": ("Cliënt/Gezin", "Achterstand in taal"),
    "fluctueren_zorgvraag": ("Stelsel/keten", "Fluctueren van de zorgvraag"),
    "vertrouwen_in_keten": ("Stelsel/keten", "Vertrouwen in de keten"),
    "samenwerking_in_keten": ("Stelsel/keten", "Samenwerking in de keten"),
    "beschikbaarheid_juiste_hulp": (
        "Stelsel/keten",
        "Beschikbaarheid van de juiste hulp (wachttijden)",
    ),
    "samenwerking_met_gemeente": ("Stelsel/keten", "Samenwerking met gemeente"),
    "duidelijke_kaders": ("Stelsel/keten", "Duidelijke kaders"),
    "registratiesystematiek": ("Randvoorwaarden", "Registratiesystematiek"),
    "administratieve_ondersteuning": ("Randvoorwaarden", "Administratieve ondersteuning"),
    "goed_lopende_werkprocessen": (
        "Randvoorwaarden",
        "Goed lopende werkprocessen (inkoop, beleid, controle)",
    ),
    "kennis_en_ervaring": ("Team", "Kennis en ervaring binnen team"),
    "samenstelling_team": ("Team", "Samenstelling team"),
    "aansturing": ("Team", "Aansturing"),
    "ruimte_voor_reflectie": ("Team", "Ruimte voor reflectie, verdieping en overleg"),
    "samenwerking_en_collegialiteit": ("Team", "Samenwerking en collegialiteit"),
}

TEAM_TYPES: tuple[str, ...] = ("wijkteam", "jeugdteam", "FACT-jeugd", "GI")
CASELOAD_EENHEDEN: tuple[str, ...] = ("casussen", "gezinnen", "maatregelen")


def bsn_elfproef(bsn: str) -> bool:
    """True when `bsn` is 9 digits and passes the BSN 11-proef (9*d1 + ... + 2*d8 - d9 = 0 mod 11)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    digits = [int(c) for c in bsn]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8], strict=True)) - digits[8]
    return total % 11 == 0 and bsn != "000000000"
