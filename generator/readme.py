"""Writes `README.md` of a generated source (Dutch), including the exact counts of this generation.

Invariant: the README is part of the generated tree, so `sample_data/` stays byte-identical to a fresh
`python -m pipelines generate --out sample_data`; every fault kind in the summary has a row in the table.
"""

from __future__ import annotations

from pathlib import Path

from generator import region

TITLE = "# Voorbeeldregio Zuidoost-Duinland (fictief)"

FOUTEN: dict[str, tuple[str, str, str]] = {
    # kind: (wat, waar, wat de monitor ermee moet doen)
    "terugwerkende_toewijzing": (
        "Toewijzing met Ingangsdatum vóór de Toewijzingsdatum (eerste versie; vooral gemeenteroute en "
        "JW319 'in onderzoek' gevolgd door JW301)",
        "JW301 in `ijw/99xx/`",
        "Geldig (OP080); wachttijd toewijzing→start afkappen op 0 en markeren.",
    ),
    "ontbrekende_stop": (
        "Zorg beëindigd (declaraties stoppen, uitschrijving bij de aanbieder) zonder JW307",
        "JW305 zonder bijbehorende JW307",
        "Traject niet eeuwig open laten: einde afleiden uit laatste declaratie/einddatum toewijzing; signaleren.",
    ),
    "start_is_intake": (
        f"Aanbieder {region.AGB_INTAKE_ALS_START} meldt in JW305 de intakedatum als Begindatum "
        "(niet de start behandeling)",
        f"JW305 van {region.AGB_INTAKE_ALS_START}; vergelijk met `wachttijden/jeugdhulpzuidoost.csv`",
        "Aanbieder als dimensie tonen; behandelwachttijd voor deze aanbieder uit de wachttijdrecords halen.",
    ),
    "afgekeurd_en_opnieuw_verzonden": (
        "Retour met RetourCode ≠ 0200/8001 (0001 technisch afgekeurd op JW301/JW315, 9019 op een "
        "StartProduct); het bericht is daarna opnieuw verzonden met een nieuwe Identificatie",
        "JW302/JW306/JW316 met de afkeurcode",
        "Afgekeurde berichten gelden als niet verzonden (OP286); de herzending telt.",
    ),
    "correctie_status_3": (
        "Start met verkeerde Begindatum, verwijderd met StatusAanlevering 3 en daarna correct opnieuw",
        "JW305-regels met StatusAanlevering 3",
        "Verwijderingen toepassen vóór elke berekening.",
    ),
    "verwijderde_toewijzing": (
        "Verkeerd product toegewezen en een paar dagen later verwijderd (RedenWijziging 13, "
        "Einddatum = Ingangsdatum), gevolgd door de juiste toewijzing",
        "JW301",
        "Als nooit verzonden behandelen (geen instroom, geen wachtende).",
    ),
    "tijdelijke_stop_herstart": (
        "Tijdelijke stop (RedenBeeindiging 20) gevolgd door een nieuwe JW305 (herstart)",
        "JW307/JW305",
        "Geen uitstroom en geen nieuwe instroom.",
    ),
    "verlenging_nieuw_nummer": (
        "Verlenging onder een nieuw ToewijzingNummer (Ingangsdatum = oude Einddatum + 1), met stop (36) op "
        "het oude en start op het nieuwe nummer",
        "JW301 (met de lopende oude toewijzing erin, OP087), JW307/JW305",
        "Samenvoegen tot één traject; geen nieuwe wachttijd meten.",
    ),
    "ontbrekende_maanden": (
        f"Aanbieder {region.AGB_GAT} leverde twee maanden geen bestanden aan",
        f"`ijw/{region.AGB_GAT}/`: geen zip voor 2025-03 en 2025-04",
        "Niet-aanleveraars benoemen en dekking tonen; cijfers over die maanden als onvolledig markeren.",
    ),
    "vertraagd_aangeleverd": (
        "De berichten uit die twee maanden zitten (met hun oorspronkelijke Dagtekening) in de zip van de "
        "maand erna",
        f"`ijw/{region.AGB_GAT}/{region.AGB_GAT}_2025-05.zip`",
        "Op gebeurtenisdatum verwerken, nooit op bestands- of aankomstvolgorde (OP080).",
    ),
    "late_berichten": (
        "JW305/JW307 met een Dagtekening meer dan 3 weken na Begindatum/Einddatum",
        "JW305/JW307 (telling: berichten met vertraging > 21 dagen)",
        "Gebeurtenisdatum gebruiken; laatste maanden als voorlopig tonen.",
    ),
    "dubbel_bestand": (
        "Exact hetzelfde bestand nogmaals, onder een andere naam (`*_herzonden.xml` in de zip van de "
        "maand erna, of `ijw/los/kopie_*.xml`)",
        "zips en `ijw/los/`",
        "Ontdubbelen op inhoud (hash); niet dubbel tellen.",
    ),
    "afgekapt_bestand": ("Een afgekapt XML-bestand (JW301)", "`ijw/los/99xx_301*.xml`", "In quarantaine."),
    "verkeerde_codering": (
        "Een JW301 met namen met accenten, als UTF-8 gedeclareerd maar in cp1252 geschreven",
        "`ijw/los/99xx_301*.xml`",
        "In quarantaine (of expliciet herstellen en melden).",
    ),
    "bsn_elfproef_fout_ijw": (
        "Kinderen met een BSN dat niet aan de elfproef voldoet (in al hun berichten en records)",
        "alle iJw-berichten van die kinderen",
        "Elfproef bij inlezen; records in quarantaine of apart tellen.",
    ),
    "wachttijd_ongeldige_datum": (
        "Onmogelijke datum (31 februari) in het datumformaat van de aanbieder",
        "`wachttijden/horizon.csv`, `wachttijden/duinrand.xlsx` (+ zelden elders)",
        "Rij in quarantaine.",
    ),
    "wachttijd_intake_voor_aanmelding": (
        "Intakedatum vóór de aanmelddatum",
        "`wachttijden/debrug.csv` (+ zelden elders)",
        "Rij in quarantaine of negatieve wachttijd markeren.",
    ),
    "wachttijd_ongeldig_bsn": (
        "BSN dat niet aan de elfproef voldoet (afgekapt tot 8 cijfers, of kind met ongeldig BSN)",
        "`wachttijden/jeugdhulpzuidoost.csv` (+ elders)",
        "Rij in quarantaine.",
    ),
    "gepubliceerd_wijkt_af": (
        f"Aanbieder {region.AGB_GEPUBLICEERD_AFWIJKEND} publiceert vanaf 2025 een behandelingswachttijd die "
        "ca. 45 % lager is dan de eigen records laten zien (maanden × locaties)",
        "`wachttijden-gepubliceerd/horizon.csv`",
        "Gepubliceerd naast berekend tonen; het verschil signaleren.",
    ),
    "caseload_onbekend_team": (
        "Caseloadregel met teamcode `WT-ONBEKEND` die niet in teams.csv staat",
        "`teams/caseload.csv`",
        "Rij in quarantaine.",
    ),
    "team_fte_negatief": ("Negatieve FTE", "`teams/team_fte.csv`", "Rij in quarantaine."),
    "factor_score_buiten_bereik": (
        "Factorscore buiten 1–5 (0, 6 of 7)",
        "`teams/factoren.xlsx`",
        "Score in quarantaine; gemiddelde zonder die score.",
    ),
}


# path -> (unit, what happens, where the monitor shows it); the counts come from Sim.paden()
PADEN = {
    "stapeling": (
        "kinderen",
        "Naast lopende zorg start zorg bij een tweede aanbieder (bv. opvoedondersteuning naast GGZ)",
        "`maand_stromen.stapeling` (kinderen met twee of meer open trajecten op een maandeinde)",
    ),
    "herinstroom": (
        "trajecten",
        "Binnen een jaar na het einde van een traject start een nieuw traject, zonder ander lopend traject "
        "(ook de op- en afschalingen na een einde)",
        "`maand_stromen.herinstroom`",
    ),
    "opschaling": (
        "trajecten",
        "Een zwaarder vervolg, verwezen enkele weken vóór het geplande einde van het vorige traject",
        "`maand_stromen.opschaling`",
    ),
    "afschaling": (
        "trajecten",
        "Een lichter vervolg (bv. na residentiële zorg), verwezen vóór het geplande einde",
        "`maand_stromen.afschaling`",
    ),
    "dubbel_wachten": (
        "kinderen",
        "Ouders melden het kind bij twee aanbieders tegelijk aan; wie het eerst start wint, de ander schrijft "
        "uit (elders geholpen) en een al afgegeven toewijzing wordt beëindigd (RedenWijziging 09, overstap)",
        "`wachttijden_maand`: `n_wachtend` > `n_unieke_kinderen_wachtend` over aanbieders, "
        "`n_wachtend_ook_elders`",
    ),
}


def write(out: Path, summary: dict) -> None:
    s = summary
    f = s["fouten"]
    gem = "\n".join(f"| {g.code} | {g.naam} | {round(g.aandeel * 100)} % |" for g in region.GEMEENTEN)
    aanb = "\n".join(
        f"| {a.agb} | {a.naam} | {', '.join(sorted({region.PRODUCTEN[p].categorie for p in a.producten}))} | "
        f"{'ja' if a.agb in region.WACHTTIJD_LEVERANCIERS else 'nee'} | "
        f"{'vraag > capaciteit' if a.overbelast else ''} |"
        for a in region.AANBIEDERS
    )
    teams = "\n".join(
        f"| {t.code} | {t.naam} | {t.type} | {t.gemeente or 'regio'} | {t.onder:g}–{t.boven:g} {t.eenheid} |"
        for t in region.TEAMS
    )
    pad = s["paden"]
    paden = "\n".join(f"| {k} | {pad[k]} {w[0]} | {w[1]} | {w[2]} |" for k, w in PADEN.items())
    berichten = "\n".join(f"| {k} | {v} | {s['regels'].get(k, 0)} |" for k, v in s["berichten"].items())
    fouten = "\n".join(f"| `{k}` | {f.get(k, 0)} | {w[0]} | {w[1]} | {w[2]} |" for k, w in FOUTEN.items())
    text = f"""{TITLE}

Gegenereerd met `python -m pipelines generate --out <map> --scale {s["scale"]:g} --seed {s["seed"]}`.
Alle personen, BSN's, adressen, organisaties en codes zijn verzonnen. Gemeentecodes 99xx staan niet in de
CBS-lijst, AGB-codes 98xxxxxx zijn niet uitgegeven. Dezelfde seed en schaal geven byte-identieke bestanden.

Periode: {s["van"]} t/m peildatum {s["peildatum"]} (de simulatie loopt een jaar eerder in, zodat er bij de
start al wachtlijsten en lopende zorg zijn; berichten van vóór {s["van"]} zitten niet in de export).

## Het verhaal

* **Specialistische jeugdhulp wacht lang, en steeds langer**: bij GGZ Duinrand Jeugd (98000011, cat. 52/54)
  en De Horizon (98000022, cat. 54/43) is de vraag groter dan de capaciteit (elke aanbieder is een wachtrij
  met een vast aantal intakes per maand en behandelplekken). Aanmeldings- en behandelwachttijd en het aantal
  wachtenden groeien; de andere aanbieders blijven rond de Treeknorm.
* **Wijkteams verwijzen snel**: op de gemeenteroute volgt de JW301 één tot drie weken na het eerste contact,
  zonder JW315 en zonder verwijzer. Op de aanbiederroute komt de JW315 ongeveer 5 werkdagen na de intake.
* **Uitstroom blijft achter**: een behandelplek komt pas vrij als een traject eindigt.
* **Wijkteam Duinwijk-Zuid (WT-DWZ) zit boven zijn bandbreedte** (caseload per FTE boven de bovengrens,
  oplopend door vacatures); de andere teams zitten binnen hun band.
* **Zomerdip** in de instroom (juli/augustus), en minder intakes in de zomer.
* Op de peildatum zijn er kinderen die wachten op elk niveau: op intake (aanmelding zonder intake), op
  behandeling (intake zonder start) en toewijzingen zonder start (JW301 zonder JW305).

## Paden door de keten

Niet elk kind heeft één traject. Aantallen volgens de simulatie (gemelde start, werkelijk einde), voor
trajecten die binnen de periode starten, met de definities van `docs/definitions.md#stromen` (zwaarte, 90 en
365 dagen uit `config/ketenmonitor.toml`); {pad["kinderen_met_traject"]} kinderen hebben zo'n traject. De
tests tellen ze onafhankelijk opnieuw in de gebouwde database (`tests/sql/test_sample_paden.py`); de monitor
leidt een einde zonder stopbericht af uit de toewijzing (fout `ontbrekende_stop` hieronder), dus kleine
verschillen zijn mogelijk.

| pad | aantal | wat | waar in de monitor |
|---|---|---|---|
{paden}

## Inhoud

| map | inhoud |
|---|---|
| `ijw/<afzender>/<afzender>_<jjjj-mm>.zip` | iJw 3.2-berichten, één zip per verzender per maand, één bericht per bestand (`<Identificatie>.xml`). Een retour zit in de zip van de partij die hem verstuurt (de ontvanger van het heenbericht), al herhaalt de header de Afzender van het heenbericht. |
| `ijw/los/` | losse berichtbestanden (ook de foutgevallen hieronder) |
| `ijw-csv/ijw_export.zip` | hetzelfde verkeer als platte CSV (`;`, UTF-8), één regel per productregel; {s["regels_totaal"]} regels |
| `wachttijden/` | wachttijdrecords van 10 aanbieders, elk in een eigen opmaak (CSV/XLSX, eigen kolomnamen en datumformaten); `opvoedsteun.csv` gebruikt de canonieke kolomnamen; {s["wachttijd_records"]} records |
| `wachttijden-gepubliceerd/` | gepubliceerde wachttijden per aanbieder × locatie × maand (NZa-definitie: gemiddelde gerealiseerde wachttijd over de laatste twee maanden; aantal wachtenden op de laatste dag van de maand) |
| `mappings/` | één mapping-TOML per afwijkende opmaak |
| `teams/` | `teams.csv`, `team_fte.csv`, `caseload.csv` ({s["caseload_rijen"]} regels), `factoren.xlsx` (per medewerker-code per kwartaal, score 1–5 per factor) |
| `referentie/organisaties.csv` | namen van de gemeenten en aanbieders (soort;code;naam), zodat het dashboard namen toont in plaats van codes |

### Gemeenten

| code | naam | aandeel kinderen |
|---|---|---|
{gem}

### Aanbieders

| AGB | naam | categorieën | wachttijdrecords | |
|---|---|---|---|---|
{aanb}

De GI (98000150) is ook aanbieder voor 47/48; verwijzer 08 (rechter) op haar JW315, verwijzer 04 (GI) op
JW315's van andere aanbieders.

### Teams

| code | naam | type | gemeente | bandbreedte per FTE |
|---|---|---|---|---|
{teams}

## Berichten

| bericht | bestanden | regels in CSV |
|---|---|---|
{berichten}

## Ingebouwde fouten

Zoals echte exports ze bevatten. Aantallen gelden voor deze generatie (schaal {s["scale"]:g}, seed
{s["seed"]}); de tests tellen ze opnieuw uit de bestanden.

| soort | aantal | wat | waar | wat de monitor moet doen |
|---|---|---|---|---|
{fouten}
"""
    (out / "README.md").write_text(text, encoding="utf-8")
