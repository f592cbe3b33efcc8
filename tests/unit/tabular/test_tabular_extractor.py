"""Provider and team files through the real build: layouts, mappings, quarantine, pseudonymisation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines import pseudonym
from pipelines.codes import FACTOREN
from pipelines.extract import ExtractContext, SourceFile
from pipelines.pseudonym import medewerker_id
from pipelines.tabular.extractor import EXTRACTOR
from tests.unit.tabular.helpers import (
    BSN_A,
    BSN_B,
    BSN_C,
    BSN_FOUT,
    TEAMS_CSV,
    write_csv,
    write_xlsx,
)

KEY = pseudonym.settings.pseudonym_key_env() or ""
FACTOR_CODES = list(FACTOREN)

WACHT_HEADER = (
    "bsn;aanbieder_agb;locatie;productcategorie;product;gemeente_code;datum_verwijzing;datum_aanmelding;"
    "datum_intake;datum_start_behandeling;datum_uitschrijving;reden_uitschrijving\n"
)


def canonical_region(src: Path) -> None:
    """One canonical file per layout (factoren as xlsx)."""
    write_csv(src / "teams" / "teams.csv", TEAMS_CSV)
    write_csv(src / "teams" / "team_fte.csv", "team_code;maand;fte\nWT01;2024-01;5,5\nGI01;2024-01;8\n")
    write_csv(
        src / "teams" / "caseload.csv",
        f"team_code,bsn,startdatum,einddatum,complexiteitsgewicht\n"
        f"WT01,{BSN_A},2024-01-03,,\nGI01,{BSN_B},2024-01-10,2024-03-01,1.5\n",
    )
    write_csv(
        src / "wachttijden" / "aanbieder.csv",
        WACHT_HEADER
        + f"{BSN_A};98000012;Noord;45;;0344;2024-01-02;2024-01-05;2024-01-20;2024-02-15;;\n"
        + f"{BSN_B};98000012;Noord;;JH-AMB;344;;2024-01-06;;;2024-03-01;elders_geholpen\n",
    )
    write_csv(
        src / "wachttijden-gepubliceerd" / "aanbieder.csv",
        "aanbieder_agb;locatie;maand;peildatum;aanmeldingswachttijd_weken;behandelingswachttijd_weken;"
        "aantal_wachtenden;productcategorie\n"
        "98000012;Noord;2024-01;2024-01-31;3,5;8;12;45\n",
    )
    write_xlsx(
        src / "teams" / "factoren.xlsx",
        [
            ["team_code", "medewerker", "kwartaal", *FACTOR_CODES],
            ["WT01", "M01", "2024-Q1", *[(i % 5) + 1 for i in range(len(FACTOR_CODES))]],
            ["WT01", "M02", "2024-Q1", 3, None, *[2] * (len(FACTOR_CODES) - 2)],
        ],
    )


def test_each_layout_loads(source, run_build):
    canonical_region(source)
    b = run_build(source)
    kinds = {r.path: (r.kind, r.status, r.records_read, r.records_loaded) for r in b.result.reports}
    assert kinds == {
        "teams/teams.csv": ("teams", "loaded", 2, 2),
        "teams/team_fte.csv": ("team_fte", "loaded", 2, 2),
        "teams/caseload.csv": ("caseload", "loaded", 2, 2),
        "teams/factoren.xlsx": ("factoren", "loaded", 2, 2),
        "wachttijden/aanbieder.csv": ("wachttijden", "loaded", 2, 2),
        "wachttijden-gepubliceerd/aanbieder.csv": ("wachttijden_gepubliceerd", "loaded", 1, 1),
    }
    assert b.result.quarantine == []
    assert b.rows("select team_code, maand, fte from team_fte order by all") == [
        ("GI01", "2024-01", 8.0),
        ("WT01", "2024-01", 5.5),
    ]
    assert b.rows("select complexiteitsgewicht from caseload_toewijzingen order by all") == [(1.0,), (1.5,)]
    # factoren: wide -> long, empty cell = no score
    assert b.rows("select count(*) from factorscores") == [(2 * len(FACTOR_CODES) - 1,)]
    assert b.rows("select min(score), max(score) from factorscores") == [(1, 5)]
    assert b.rows("select distinct factor_groep from factorscores order by 1") == [
        (g,) for g in sorted({g for g, _ in FACTOREN.values()})
    ]
    rows = b.rows(
        "select gemeente_code, productcategorie, product, aanmeldingswachttijd_dagen, "
        "behandelingswachttijd_dagen, reden_uitschrijving from aanmeldingen order by datum_aanmelding"
    )
    assert rows == [
        ("0344", "45", None, 15, 26, None),
        ("0344", None, "JH-AMB", None, None, "elders_geholpen"),
    ]
    assert b.rows("select aanmeldingswachttijd_weken, aantal_wachtenden from gepubliceerde_wachttijden") == [
        (3.5, 12)
    ]
    assert b.rows("select team_type, is_regionaal from teams order by team_code") == [
        ("GI", True),
        ("wijkteam", False),
    ]


def test_provider_file_with_renamed_columns_loads_through_its_mapping(source, run_build):
    write_csv(
        source / "wachttijden" / "horizon_2024.csv",
        "BSN cliënt|Aangemeld op|Datum intake|Start|Zorgcategorie|Vestiging|Opmerking\n"
        f"{BSN_A}|05-01-2024|20-01-2024|01-03-2024|45|Noord|vrije tekst mag niet in de database\n"
        f"{BSN_B}|06-01-2024|||45|Zuid|\n",
    )
    write_csv(
        source / "mappings" / "horizon.toml",
        """
kind = "wachttijden"
bestanden = ["wachttijden/horizon*.csv"]
datumformaat = "%d-%m-%Y"
scheidingsteken = "|"

[kolommen]
bsn = "BSN cliënt"
datum_aanmelding = "Aangemeld op"
datum_intake = "datum intake"
datum_start_behandeling = "Start"
productcategorie = "Zorgcategorie"
locatie = "Vestiging"

[vast]
aanbieder_agb = "98000012"
""",
    )
    b = run_build(source)
    report = b.report("wachttijden/horizon_2024.csv")
    assert (report.kind, report.status, report.records_read, report.records_loaded) == (
        "wachttijden",
        "loaded",
        2,
        2,
    )
    assert any("Opmerking" in r for r in report.reasons)  # ignored column is reported, not stored
    rows = b.rows(
        "select client_id, aanbieder_agb, locatie, datum_aanmelding, datum_intake, datum_start_behandeling "
        "from aanmeldingen order by datum_aanmelding"
    )
    assert rows == [
        (
            pseudonym.pseudonymise(BSN_A, KEY.encode()),
            "98000012",
            "Noord",
            dt.date(2024, 1, 5),
            dt.date(2024, 1, 20),
            dt.date(2024, 3, 1),
        ),
        (pseudonym.pseudonymise(BSN_B, KEY.encode()), "98000012", "Zuid", dt.date(2024, 1, 6), None, None),
    ]
    assert "vrije tekst" not in str(b.rows("select * from bron_wachttijden"))


def test_mapping_from_env_folder_and_xlsx_sheet(source, run_build, tmp_path, monkeypatch):
    mappings = tmp_path / "regio-mappings"
    write_csv(
        mappings / "zonnebloem.toml",
        """
kind = "wachttijden"
bestanden = ["**/zonnebloem.xlsx"]
datumformaat = "%d/%m/%Y"
blad = "Wachtlijst"
[kolommen]
bsn = "Burgerservicenummer"
aanbieder_agb = "AGB"
datum_aanmelding = "Aanmelding"
product = "Product"
""",
    )
    monkeypatch.setenv("KETENMONITOR_MAPPINGS", str(mappings))
    write_xlsx(
        source / "aanbieders" / "zonnebloem.xlsx",
        [
            ["Burgerservicenummer", "AGB", "Aanmelding", "Product"],
            [int(BSN_A), 98000013, dt.date(2024, 2, 1), "JH-01"],  # number cells, Excel date cell
            [BSN_C, "98000013", "03/02/2024", "JH-01"],  # text cells in the mapping's date format
            [int(BSN_C), "98000013", "04/02/2024", "JH-01"],  # number cell: Excel dropped the leading 0
        ],
        sheet="Wachtlijst",
    )
    b = run_build(source)
    report = b.report("aanbieders/zonnebloem.xlsx")
    assert (report.kind, report.status, report.records_loaded) == ("wachttijden", "partial", 2)
    assert b.rows("select client_id, aanbieder_agb, datum_aanmelding from aanmeldingen order by 3") == [
        (pseudonym.pseudonymise(BSN_A, KEY.encode()), "98000013", dt.date(2024, 2, 1)),
        (pseudonym.pseudonymise(BSN_C, KEY.encode()), "98000013", dt.date(2024, 2, 3)),
    ]
    # An 8-digit BSN is never padded (it could become another child's number): quarantined by position.
    (entry,) = b.quarantine("aanbieders/zonnebloem.xlsx")
    assert (entry.code, entry.position) == ("TAB_BSN_ONGELDIG", "regel 4")


def test_unknown_layout_is_quarantined_with_found_and_expected_columns(source, run_build):
    write_csv(source / "diversen" / "lijst.csv", "team_code;naam;uren\nWT01;Piet;36\nWT02;Kees;24\n")
    b = run_build(source)
    report = b.report("diversen/lijst.csv")
    assert report.status == "quarantined"
    assert (report.records_read, report.records_quarantined) == (2, 2)
    assert report.kind in {"teams", "team_fte", "caseload", "factoren"}
    (entry,) = b.quarantine("diversen/lijst.csv")
    assert entry.code == "TAB_INDELING_ONBEKEND"
    assert entry.position == "bestand"
    assert "Gevonden kolommen: team_code, naam, uren" in entry.reason
    assert "Verwacht" in entry.reason and "team_code" in entry.reason
    assert "Piet" not in entry.reason


def test_mapping_that_does_not_fit_its_file_is_quarantined(source, run_build):
    write_csv(source / "wachttijden" / "x.csv", "BSN;Datum\n123456782;2024-01-01\n")
    write_csv(
        source / "mappings" / "x.toml",
        'kind = "wachttijden"\nbestanden = ["wachttijden/x.csv"]\n[kolommen]\nbsn = "BSN"\n'
        'datum_aanmelding = "Aangemeld"\n',
    )
    b = run_build(source)
    (entry,) = b.quarantine("wachttijden/x.csv")
    assert entry.code == "TAB_KOLOMMEN_ONTBREKEN"
    assert "Aangemeld" in entry.reason and "aanbieder_agb" in entry.reason


def test_invalid_mapping_quarantines_its_files_without_crashing(source, run_build):
    write_csv(source / "wachttijden" / "y.csv", WACHT_HEADER)
    write_csv(source / "mappings" / "y.toml", 'kind = "wachtlijst"\nbestanden = ["wachttijden/y.csv"]\n')
    b = run_build(source)
    (entry,) = b.quarantine("wachttijden/y.csv")
    assert entry.code == "TAB_MAPPING_ONGELDIG"
    assert "onbekende kind" in entry.reason


WACHT_OK = [
    BSN_A,
    "98000012",
    "Noord",
    "45",
    "",
    "0344",
    "2024-01-02",
    "2024-01-05",
    "2024-01-20",
    "",
    "",
    "",
]


def wacht_row(**changes: str) -> str:
    names = WACHT_HEADER.strip().split(";")
    values = dict(zip(names, WACHT_OK, strict=True)) | changes
    return ";".join(values[n] for n in names) + "\n"


BROKEN_ROWS = [
    ("wachttijden", wacht_row(datum_intake="31-02-2024"), "TAB_DATUM_ONGELDIG", "datum_intake"),
    ("wachttijden", wacht_row(datum_intake="2024-01-01"), "TAB_DATUMVOLGORDE", "intake ligt vóór"),
    (
        "wachttijden",
        wacht_row(datum_start_behandeling="2024-01-10"),
        "TAB_DATUMVOLGORDE",
        "Start behandeling ligt vóór de datum intake",
    ),
    ("wachttijden", wacht_row(bsn=BSN_FOUT), "TAB_BSN_ONGELDIG", "elfproef"),
    ("wachttijden", wacht_row(bsn=""), "TAB_WAARDE_ONTBREEKT", "'bsn'"),
    ("wachttijden", wacht_row(datum_aanmelding=""), "TAB_WAARDE_ONTBREEKT", "'datum_aanmelding'"),
    ("wachttijden", wacht_row(aanbieder_agb="98-12"), "TAB_AGB_ONGELDIG", "AGB"),
    ("wachttijden", wacht_row(productcategorie="99"), "TAB_CODE_ONBEKEND", "JZ020"),
    ("wachttijden", wacht_row(reden_uitschrijving="weg"), "TAB_CODE_ONBEKEND", "Reden uitschrijving"),
    ("team_fte", "WT01;2024-02;-0,5\n", "TAB_GETAL_NEGATIEF", "FTE is negatief"),
    ("team_fte", "XX99;2024-02;3\n", "TAB_TEAM_ONBEKEND", "teambestand"),
    ("team_fte", "WT01;2024-13;3\n", "TAB_PERIODE_ONGELDIG", "JJJJ-MM"),
    ("team_fte", "WT01;2024-02;veel\n", "TAB_GETAL_ONGELDIG", "'fte'"),
    ("caseload", f"XX99;{BSN_A};2024-01-01;;\n", "TAB_TEAM_ONBEKEND", "teambestand"),
    ("caseload", f"WT01;{BSN_FOUT};2024-01-01;;\n", "TAB_BSN_ONGELDIG", "elfproef"),
    ("caseload", f"WT01;{BSN_A};2024-03-01;2024-01-01;\n", "TAB_DATUMVOLGORDE", "Einddatum"),
    ("caseload", f"WT01;{BSN_A};;;\n", "TAB_WAARDE_ONTBREEKT", "'startdatum'"),
    ("teams", "WT09;X;buurtteam;;1;2;casussen;;\n", "TAB_CODE_ONBEKEND", "Teamtype"),
    ("teams", "WT09;X;wijkteam;;5;2;casussen;;\n", "TAB_BANDBREEDTE_ONGELDIG", "Bandbreedte"),
    ("factoren", "WT01;M9;2024-Q1;6\n", "TAB_SCORE_BUITEN_BEREIK", "buiten 1–5"),
    ("factoren", "WT01;M9;2024-Q1;0\n", "TAB_SCORE_BUITEN_BEREIK", "buiten 1–5"),
    ("factoren", "ZZ01;M9;2024-Q1;3\n", "TAB_TEAM_ONBEKEND", "teambestand"),
    ("factoren", "WT01;M9;2024-Q5;3\n", "TAB_PERIODE_ONGELDIG", "JJJJ-Qn"),
]

GOOD_ROWS = {
    "wachttijden": (WACHT_HEADER, wacht_row()),
    "team_fte": ("team_code;maand;fte\n", "WT01;2024-01;4\n"),
    "caseload": ("team_code;bsn;startdatum;einddatum;complexiteitsgewicht\n", f"WT01;{BSN_B};2024-01-01;;\n"),
    "teams": (TEAMS_CSV.splitlines(keepends=True)[0], "WT05;Wijkteam Oost;jeugdteam;0345;20;30;gezinnen;;\n"),
    "factoren": (f"team_code;medewerker;kwartaal;{FACTOR_CODES[0]}\n", "WT01;M1;2024-Q1;4\n"),
}


@pytest.mark.parametrize(("kind", "row", "code", "fragment"), BROKEN_ROWS)
def test_broken_row_is_quarantined_with_reason_and_the_rest_loads(
    source, run_build, kind, row, code, fragment
):
    write_csv(source / "teams" / "teams.csv", TEAMS_CSV)
    header, good = GOOD_ROWS[kind]
    path = "teams/teams.csv" if kind == "teams" else f"in/{kind}.csv"
    body = (TEAMS_CSV if kind == "teams" else header) + good + row + good
    write_csv(source / path, body)
    b = run_build(source)
    report = b.report(path)
    assert report.kind == kind
    assert report.status == "partial"
    expected_read = 2 + (2 if kind == "teams" else 0) + 1
    assert report.records_read == expected_read
    assert report.records_quarantined == 1
    assert report.records_read == report.records_loaded + report.records_quarantined
    (entry,) = b.quarantine(path)
    bad_line = expected_read  # header = line 1; the broken row is second-last
    assert (entry.code, entry.position) == (code, f"regel {bad_line}")
    assert fragment in entry.reason
    for secret in (BSN_A, BSN_B, BSN_FOUT):
        assert secret not in entry.reason
    stored = b.rows("select * from quarantine")
    assert BSN_FOUT not in str(stored)


def test_counts_add_up_per_file_and_in_the_load_report(source, run_build):
    canonical_region(source)
    write_csv(source / "wachttijden" / "b.csv", WACHT_HEADER + wacht_row() + wacht_row(bsn=BSN_FOUT))
    b = run_build(source)
    rows = b.rows("select path, records_read, records_loaded, records_quarantined from load_report")
    assert rows
    for _path, read, loaded, quarantined in rows:
        assert read == loaded + quarantined
    assert b.rows("select count(*) from quarantine where path = 'wachttijden/b.csv'") == [(1,)]
    loaded = sum(r[2] for r in rows if r[0].startswith("wachttijden/"))
    assert b.rows("select count(*) from aanmeldingen") == [(loaded,)]


def test_corrupt_and_password_protected_workbooks_are_quarantined(source, run_build):
    # Corrupt: a real xlsx cut in half (a broken zip archive).
    good = write_xlsx(source / "teams" / "heel.xlsx", [["team_code", "maand", "fte"], ["WT01", "2024-01", 3]])
    (source / "teams" / "kapot.xlsx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    good.unlink()
    # Password-protected: Excel stores an encrypted workbook as an OLE/CFB container, not a zip. We write
    # the CFB signature and a zeroed header sector, which is what such a file starts with.
    (source / "teams" / "beveiligd.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    # Not a workbook at all.
    (source / "teams" / "tekst.xlsx").write_text("dit is geen werkmap", "utf-8")
    b = run_build(source)
    codes = {}
    for path in ("teams/kapot.xlsx", "teams/beveiligd.xlsx", "teams/tekst.xlsx"):
        report = b.report(path)
        assert report.status == "quarantined"
        assert report.records_read == report.records_loaded + report.records_quarantined
        (entry,) = b.quarantine(path)
        assert entry.position == "bestand"
        codes[path] = entry.code
    assert codes == {
        "teams/kapot.xlsx": "TAB_WERKMAP_ONLEESBAAR",
        "teams/beveiligd.xlsx": "TAB_WERKMAP_BEVEILIGD",
        "teams/tekst.xlsx": "TAB_WERKMAP_ONLEESBAAR",
    }
    assert "wachtwoord" in b.quarantine("teams/beveiligd.xlsx")[0].reason


def test_bsn_is_pseudonymised_like_pipelines_pseudonym_and_never_stored(source, run_build):
    canonical_region(source)
    b = run_build(source)
    expected = {pseudonym.pseudonymise(bsn, KEY.encode()) for bsn in (BSN_A, BSN_B)}
    assert {r[0] for r in b.rows("select client_id from aanmeldingen")} == expected
    assert {r[0] for r in b.rows("select client_id from caseload_toewijzingen")} == expected
    # Medewerker codes are keyed hashes too.
    assert {r[0] for r in b.rows("select medewerker_id from factorscores")} == {
        medewerker_id("M01", KEY.encode()),
        medewerker_id("M02", KEY.encode()),
    }
    # No BSN and no medewerker code anywhere in the database (every table, every column as text).
    for (table,) in b.rows("select table_name from information_schema.tables"):
        dump = str(b.rows(f'select * from "{table}"'))
        for secret in (BSN_A, BSN_B, "M01", "M02"):
            assert secret not in dump, f"{secret} found in {table}"


def test_ijw_flat_export_and_other_files_are_not_claimed(source):
    ijw = write_csv(
        source / "ijw-csv" / "export.csv", "berichttype;release;afzender;ontvanger\nJW301;3.2;0344;x\n"
    )
    other = write_csv(source / "teams" / "teams.csv", TEAMS_CSV)
    txt = write_csv(source / "notities.txt", "team_code;maand;fte\n")
    files = [SourceFile(p, p.relative_to(source).as_posix()) for p in (ijw, other, txt)]
    ctx = ExtractContext(source=source, workdir=source / "_w", key=b"k")
    assert [f.rel for f in EXTRACTOR.claim(files, ctx)] == ["teams/teams.csv"]


def test_build_is_idempotent(source, run_build):
    canonical_region(source)
    first, second = run_build(source), run_build(source)
    for table in ("aanmeldingen", "factorscores", "bron_caseload", "teams", "team_fte", "quarantine"):
        sql = f"select * from {table}"
        assert first.rows(sql) == second.rows(sql)


def test_empty_rows_and_bom_and_windows_encoding(source, run_build):
    (source / "teams").mkdir()
    (source / "teams" / "teams.csv").write_bytes(("\ufeff" + TEAMS_CSV + ";;;;;;;;\n").encode("utf-8"))
    text = "team_code;maand;fte\nWT01;2024-01;3\n"
    (source / "teams" / "fte_ansi.csv").write_bytes(text.encode("cp1252"))
    b = run_build(source)
    assert b.report("teams/teams.csv").records_read == 2
    assert b.report("teams/fte_ansi.csv").records_loaded == 1
