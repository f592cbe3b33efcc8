"""The hand-made golden region: a handful of children, each a named scenario, written as real iJw 3.2 XML
files and a provider CSV, built through the real build. Expected rows are in test_model_golden.py.

Scenario per child (gemeente 0363; aanbieders AGB1 and AGB2; peildatum 2024-06-30):
- A  gewoon: JW315 (verwijzer 02) -> JW301 -> JW305 -> JW307 31
- B  terugwerkende toewijzing: toewijzingsdatum after the start; turns 18 in June 2024
- C  verwijderd: the only toewijzing is removed (RedenWijziging 13)
- D  correctie: a start deleted with StatusAanlevering 3 and re-sent with another Begindatum
- E  tijdelijke stop (20) with restart, then a definitive stop
- F  verlenging onder nieuw nummer: an adjacent second toewijzing continues the trajectory
- G  herverzending na afwijzing: a JW315 rejected by its JW316, re-sent, then answered JW319 afgewezen
- H  wachtend op peildatum: a toewijzing without a start
- I  onbeantwoord verzoek: a JW315 without any answer
- J  twee aanbieders tegelijk: two trajectories at AGB1 and AGB2, also on both providers' waiting lists
- K  verlopen tijdens wachten: a toewijzing that expires without a start
- L  still waiting for intake at AGB1 (provider data only)
Paths through the chain (issue 12), at AGB3 and AGB4 so the single-path children above keep their figures:
- M  opschaling: 45 at AGB3 ends 02-29, 54 at AGB4 starts 03-11 (11 days later; also herinstroom)
- N  afschaling: 43 at AGB4 ends 04-15, 45 at AGB3 starts 05-06 (21 days later; also herinstroom)
- O  herinstroom only: 45 at AGB3 ends 01-31, 45 at AGB4 starts 05-14 (104 days: beyond the 90 of op/af)
- P  stapeling in two cells: 45 at AGB3 from 02-05 and 51 at AGB4 from 03-04, both open (aged 2: 0-3)
- Q  waiting for intake at AGB3 and AGB4 at once (provider data only)
- R  toewijzing ended on its own ingangsdatum (RedenWijziging 05) without start: not an expiry
- S  toewijzing ended early by the gemeente (RedenWijziging 09, overstap) after 43 days: not an expiry
- T  toewijzing valid from before the data window (ingang 2023-11-01), ends 02-29 without a start in the
     data: the start may lie before the window, so no expiry signal
Declaraties: A over February (outside the toewijzing), H over June (no start). C also gets a stop without
a start. Teams: see TEAMS / CASELOAD / FACTOREN below.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines import codes
from tests.unit.ijw.ijwmsg import Msg, aanvraag, prestatie, start, stop, to_xml, toewijzing

GEMEENTE = "0363"
AGB1 = "12345678"
AGB2 = "87654321"
AGB3 = "11223344"
AGB4 = "44332211"
PEILDATUM = date(2024, 6, 30)


def _bsns(n: int) -> list[str]:
    out, candidate = [], 100000000
    while len(out) < n:
        candidate += 1
        if codes.bsn_elfproef(str(candidate)):
            out.append(str(candidate))
    return out


BSN = dict(zip("ABCDEFGHIJKL", _bsns(12), strict=True)) | dict(zip("MNOPQRST", _bsns(28)[20:], strict=True))
TEAM_BSN = _bsns(20)[12:]  # caseload-only children
GEBOORTE = {k: "2012-09-17" for k in BSN} | {
    "B": "2006-06-10",
    "M": "2009-05-01",
    "N": "2009-05-01",
    "P": "2021-06-01",
}


def _msg(kind: str, ident: str, child: str, dagtekening: str, lines: list[dict], agb: str = AGB1) -> Msg:
    gemeente_first = kind in ("JW301", "JW302", "JW319", "JW320")
    return Msg(
        kind,
        ident,
        dagtekening=dagtekening,
        afzender=GEMEENTE if gemeente_first else agb,
        ontvanger=agb if gemeente_first else GEMEENTE,
        bsn=BSN[child],
        geboortedatum=GEBOORTE[child],
        lines=lines,
    )


def t(nr: int, datum: str, ingang: str, eind: str | None, **kw: object) -> dict:
    return toewijzing(nr, datum=datum, ingangsdatum=ingang, einddatum=eind, **kw)


def s(nr: int, begin: str, ingang: str, **kw: object) -> dict:
    return start(nr, begin, toewijzing_ingangsdatum=ingang, **kw)


def p(nr: int, begin: str, eind: str, reden: str, ingang: str) -> dict:
    return stop(nr, eind, reden, begin, toewijzing_ingangsdatum=ingang)


# products other than the default 45A01 (categorie 45, zwaarte 1): 54 and 51 GGZ, 43 verblijf
GGZ = {"productcategorie": "54", "productcode": "54B01"}
BASIS_GGZ = {"productcategorie": "51", "productcode": "51G01"}
VERBLIJF = {"productcategorie": "43", "productcode": "43V01"}


def messages() -> list[Msg]:
    m = _msg
    return [
        # A: gewoon
        m("JW315", "VA", "A", "2024-02-20", [aanvraag("REF1", "02")]),
        m("JW301", "TA", "A", "2024-03-01",
          [t(1001, "2024-03-01", "2024-03-04", "2024-12-31", referentie_aanbieder="REF1")]),
        m("JW305", "SA", "A", "2024-03-12", [s(1001, "2024-03-10", "2024-03-04")]),
        m("JW307", "PA", "A", "2024-06-12", [p(1001, "2024-03-10", "2024-06-10", "31", "2024-03-04")]),
        # B: terugwerkend
        m("JW301", "TB", "B", "2024-04-15", [t(2001, "2024-04-15", "2024-03-01", "2024-12-31")]),
        m("JW305", "SB", "B", "2024-04-18", [s(2001, "2024-03-05", "2024-03-01")]),
        # C: verwijderd
        m("JW301", "TC1", "C", "2024-03-01", [t(3001, "2024-03-01", "2024-03-04", "2024-12-31")]),
        m("JW301", "TC2", "C", "2024-03-05",
          [t(3001, "2024-03-05", "2024-03-04", "2024-03-04", reden_wijziging="13")]),
        # D: correctie van een start
        m("JW301", "TD", "D", "2024-01-10", [t(4001, "2024-01-10", "2024-01-15", "2024-12-31")]),
        m("JW305", "SD1", "D", "2024-01-22", [s(4001, "2024-01-20", "2024-01-15")]),
        m("JW305", "SD2", "D", "2024-02-01",
          [s(4001, "2024-01-20", "2024-01-15", status_aanlevering="3"), s(4001, "2024-01-25", "2024-01-15")]),
        # E: tijdelijke stop en herstart
        m("JW301", "TE", "E", "2024-01-02", [t(5001, "2024-01-02", "2024-01-02", "2024-12-31")]),
        m("JW305", "SE1", "E", "2024-01-09", [s(5001, "2024-01-08", "2024-01-02")]),
        m("JW307", "PE1", "E", "2024-02-16", [p(5001, "2024-01-08", "2024-02-15", "20", "2024-01-02")]),
        m("JW305", "SE2", "E", "2024-03-02", [s(5001, "2024-03-01", "2024-01-02")]),
        m("JW307", "PE2", "E", "2024-06-03", [p(5001, "2024-03-01", "2024-05-31", "31", "2024-01-02")]),
        # F: verlenging onder een nieuw nummer
        m("JW301", "TF1", "F", "2024-01-05", [t(6001, "2024-01-05", "2024-01-05", "2024-03-31")]),
        m("JW305", "SF1", "F", "2024-01-11", [s(6001, "2024-01-10", "2024-01-05")]),
        m("JW301", "TF2", "F", "2024-03-25",
          [t(6001, "2024-01-05", "2024-01-05", "2024-03-31"),
           t(6002, "2024-03-25", "2024-04-01", "2024-09-30")]),
        m("JW307", "PF1", "F", "2024-04-02", [p(6001, "2024-01-10", "2024-03-31", "36", "2024-01-05")]),
        m("JW305", "SF2", "F", "2024-04-02", [s(6002, "2024-04-01", "2024-04-01")]),
        # G: verzoek afgekeurd door de retour, opnieuw verzonden, dan afgewezen
        m("JW315", "VG1", "G", "2024-04-01", [aanvraag("REF7", "03")]),
        m("JW316", "VG1", "G", "2024-04-01", [aanvraag("REF7", "03", retourcode="9355")]),
        m("JW315", "VG2", "G", "2024-04-08", [aanvraag("REF7", "03")]),
        Msg("JW319", "AG", dagtekening="2024-04-20", afzender=GEMEENTE, ontvanger=AGB1,
            lines=[{"referentie_aanbieder": "REF7", "verzoek_antwoord": "1", "reden_afwijzing": "3"}]),
        # H: wachtend op de peildatum
        m("JW301", "TH", "H", "2024-05-20", [t(8001, "2024-05-20", "2024-05-20", "2024-12-31")]),
        # I: verzoek zonder antwoord
        m("JW315", "VI", "I", "2024-06-10", [aanvraag("REF9", "02")]),
        # J: twee aanbieders tegelijk
        m("JW301", "TJ1", "J", "2024-02-01", [t(9001, "2024-02-01", "2024-02-01", "2024-12-31")]),
        m("JW305", "SJ1", "J", "2024-02-13", [s(9001, "2024-02-12", "2024-02-01")]),
        m("JW301", "TJ2", "J", "2024-02-01", [t(9002, "2024-02-01", "2024-02-01", "2024-12-31")], agb=AGB2),
        m("JW305", "SJ2", "J", "2024-02-21", [s(9002, "2024-02-20", "2024-02-01")], agb=AGB2),
        # K: verlopen tijdens het wachten
        m("JW301", "TK", "K", "2024-01-15", [t(10001, "2024-01-15", "2024-01-15", "2024-04-30")]),
        # M: opschaling 45 (AGB3) -> 54 (AGB4)
        m("JW301", "TM1", "M", "2024-01-02", [t(11001, "2024-01-02", "2024-01-02", "2024-12-31")], agb=AGB3),
        m("JW305", "SM1", "M", "2024-01-09", [s(11001, "2024-01-08", "2024-01-02")], agb=AGB3),
        m("JW307", "PM1", "M", "2024-03-01", [p(11001, "2024-01-08", "2024-02-29", "31", "2024-01-02")], agb=AGB3),
        m("JW301", "TM2", "M", "2024-03-01", [t(11002, "2024-03-01", "2024-03-01", "2024-12-31", **GGZ)], agb=AGB4),
        m("JW305", "SM2", "M", "2024-03-12", [s(11002, "2024-03-11", "2024-03-01", **GGZ)], agb=AGB4),
        # N: afschaling 43 (AGB4) -> 45 (AGB3)
        m("JW301", "TN1", "N", "2024-01-02", [t(12001, "2024-01-02", "2024-01-02", "2024-12-31", **VERBLIJF)],
          agb=AGB4),
        m("JW305", "SN1", "N", "2024-01-04", [s(12001, "2024-01-03", "2024-01-02", **VERBLIJF)], agb=AGB4),
        m("JW307", "PN1", "N", "2024-04-16",
          [p(12001, "2024-01-03", "2024-04-15", "31", "2024-01-02") | VERBLIJF], agb=AGB4),
        m("JW301", "TN2", "N", "2024-04-10", [t(12002, "2024-04-10", "2024-04-10", "2024-12-31")], agb=AGB3),
        m("JW305", "SN2", "N", "2024-05-07", [s(12002, "2024-05-06", "2024-04-10")], agb=AGB3),
        # O: herinstroom 45 (AGB3) -> 45 (AGB4) after 104 days
        m("JW301", "TO1", "O", "2024-01-02", [t(13001, "2024-01-02", "2024-01-02", "2024-01-31")], agb=AGB3),
        m("JW305", "SO1", "O", "2024-01-05", [s(13001, "2024-01-04", "2024-01-02")], agb=AGB3),
        m("JW307", "PO1", "O", "2024-02-01", [p(13001, "2024-01-04", "2024-01-31", "31", "2024-01-02")], agb=AGB3),
        m("JW301", "TO2", "O", "2024-05-10", [t(13002, "2024-05-10", "2024-05-10", "2024-12-31")], agb=AGB4),
        m("JW305", "SO2", "O", "2024-05-15", [s(13002, "2024-05-14", "2024-05-10")], agb=AGB4),
        # P: stapeling 45 (AGB3) and 51 (AGB4), both open
        m("JW301", "TP1", "P", "2024-02-01", [t(14001, "2024-02-01", "2024-02-01", "2024-12-31")], agb=AGB3),
        m("JW305", "SP1", "P", "2024-02-06", [s(14001, "2024-02-05", "2024-02-01")], agb=AGB3),
        m("JW301", "TP2", "P", "2024-03-01", [t(14002, "2024-03-01", "2024-03-01", "2024-12-31", **BASIS_GGZ)],
          agb=AGB4),
        m("JW305", "SP2", "P", "2024-03-05", [s(14002, "2024-03-04", "2024-03-01", **BASIS_GGZ)], agb=AGB4),
        # R: ended on its own ingangsdatum (05 verkorting), never started
        m("JW301", "TR1", "R", "2024-03-01", [t(15001, "2024-03-01", "2024-03-01", "2024-12-31")], agb=AGB3),
        m("JW301", "TR2", "R", "2024-03-06",
          [t(15001, "2024-03-06", "2024-03-01", "2024-03-01", reden_wijziging="05")], agb=AGB3),
        # S: ended early by the gemeente (09 overstap naar andere aanbieder) after 43 days without start
        m("JW301", "TS1", "S", "2024-02-01", [t(16001, "2024-02-01", "2024-02-01", "2024-12-31")], agb=AGB3),
        m("JW301", "TS2", "S", "2024-03-15",
          [t(16001, "2024-03-15", "2024-02-01", "2024-03-15", reden_wijziging="09")], agb=AGB3),
        # T: valid since 2023-11-01 (before the first message of the data, 2024-01-02), ends 02-29, no start
        m("JW301", "TT", "T", "2024-01-10", [t(17001, "2024-01-10", "2023-11-01", "2024-02-29")], agb=AGB3),
        # C: a stop for the removed toewijzing, without any start
        m("JW307", "PC", "C", "2024-03-20", [p(3001, "2024-03-10", "2024-03-15", "34", "2024-03-04")]),
        # declaraties: A over February (before its toewijzing began 03-04); H over June (no start)
        Msg("JW323", "DA", dagtekening="2024-06-05", afzender=AGB1, ontvanger=GEMEENTE, declaratienummer="D1",
            lines=[prestatie("R1", 1001, bsn=BSN["A"]),
                   prestatie("R2", 8001, bsn=BSN["H"], productperiode_begin="2024-06-01",
                             productperiode_eind="2024-06-30")]),
    ]  # fmt: skip


PROVIDER_HEADER = (
    "bsn;aanbieder_agb;locatie;productcategorie;gemeente_code;datum_verwijzing;datum_aanmelding;"
    "datum_intake;datum_start_behandeling;datum_uitschrijving;reden_uitschrijving"
)


def provider_rows() -> dict[str, list[str]]:
    return {
        AGB1: [
            f"{BSN['J']};{AGB1};Noord;45;{GEMEENTE};2024-01-05;2024-01-10;2024-01-24;2024-02-12;;",
            f"{BSN['L']};{AGB1};Noord;45;{GEMEENTE};;2024-05-01;;;;",
        ],
        AGB2: [
            f"{BSN['J']};{AGB2};Zuid;45;{GEMEENTE};2024-01-05;2024-01-15;;;;",
        ],
        AGB3: [f"{BSN['Q']};{AGB3};Noord;45;{GEMEENTE};;2024-04-02;;;;"],
        AGB4: [f"{BSN['Q']};{AGB4};Zuid;45;{GEMEENTE};;2024-04-02;;;;"],
    }


def write_source(root: Path) -> Path:
    """Write the golden region under `root` and return it."""
    ijw = root / "ijw"
    ijw.mkdir(parents=True, exist_ok=True)
    for msg in messages():
        (ijw / f"{msg.type}_{msg.ident}_{msg.afzender}.xml").write_bytes(to_xml(msg))
    wt = root / "wachttijden"
    wt.mkdir(parents=True, exist_ok=True)
    for agb, rows in provider_rows().items():
        (wt / f"aanbieder_{agb}.csv").write_text(PROVIDER_HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    pub = root / "wachttijden-gepubliceerd"
    pub.mkdir(parents=True, exist_ok=True)
    (pub / f"aanbieder_{AGB1}.csv").write_text(PUBLISHED, "utf-8")
    teams = root / "teams"
    teams.mkdir(parents=True, exist_ok=True)
    (teams / "teams.csv").write_text(TEAMS, "utf-8")
    (teams / "team_fte.csv").write_text(TEAM_FTE, "utf-8")
    (teams / "caseload.csv").write_text(caseload_csv(), "utf-8")
    (teams / "factoren.csv").write_text(FACTOREN, "utf-8")
    return root


# Teams: WT01 (wijkteam, band 10-12 per FTE, 0.5 FTE in May and June, none delivered for April) and
# GI01 (GI, regional, same band, 0.5 FTE in May, 1.0 in June).
TEAMS = (
    "team_code;team_naam;team_type;gemeente_code;bandbreedte_onder;bandbreedte_boven;eenheid;"
    "geldig_vanaf;geldig_tot\n"
    f"WT01;Wijkteam Noord;wijkteam;{GEMEENTE};10;12;casussen;2024-01-01;\n"
    "GI01;GI regio;GI;;10;12;maatregelen;2024-01-01;2025-12-31\n"
)
TEAM_FTE = "team_code;maand;fte\nWT01;2024-05;0.5\nWT01;2024-06;0.5\nGI01;2024-05;0.5\nGI01;2024-06;1.0\n"
# (team, child index in TEAM_BSN, start, end, weight)
CASELOAD = [
    ("WT01", 0, "2024-04-15", "", "1.0"),
    ("WT01", 1, "2024-05-01", "", "1.0"),
    ("WT01", 2, "2024-05-01", "", "1.0"),
    ("WT01", 3, "2024-05-02", "", "1.0"),
    ("WT01", 4, "2024-05-03", "2024-06-15", "2.0"),
    ("WT01", 5, "2024-06-01", "", "1.0"),
    ("WT01", 6, "2024-06-10", "", "1.5"),
    ("GI01", 7, "2024-05-01", "", "5.0"),
    ("GI01", 0, "2024-05-01", "", "4.0"),
]


def caseload_csv() -> str:
    lines = ["team_code;bsn;startdatum;einddatum;complexiteitsgewicht"]
    lines += [f"{t};{TEAM_BSN[i]};{s};{e};{w}" for t, i, s, e, w in CASELOAD]
    return "\n".join(lines) + "\n"


# Factor sheet: WT01 2024-Q1 two members, 2024-Q3 (after the peildatum, never used).
FACTOREN = (
    "team_code;medewerker;kwartaal;multiproblematiek;samenwerking_in_keten;registratiesystematiek;aansturing\n"
    "WT01;m1;2024-Q1;4;3;2;1\n"
    "WT01;m2;2024-Q1;2;5;4;3\n"
    "WT01;m1;2024-Q3;5;5;5;5\n"
)

# Published waits of AGB1 for January: 5 weeks aanmelding (the records say 14 days = 2 weeks).
PUBLISHED = (
    "aanbieder_agb;locatie;maand;peildatum;aanmeldingswachttijd_weken;behandelingswachttijd_weken;"
    "aantal_wachtenden;productcategorie\n"
    f"{AGB1};Noord;2024-01;2024-01-31;5;;1;45\n"
)
