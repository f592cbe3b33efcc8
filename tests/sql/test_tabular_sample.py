"""The generated region's provider and team files through the real build (conftest `small_source`/`small_db`).

Expectations are derived from the files themselves (rows counted independently with the csv module and
the workbook reader), not hard-coded.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.build import find_files
from pipelines.codes import FACTOREN
from pipelines.extract import ExtractContext
from pipelines.tabular.extractor import EXTRACTOR
from pipelines.tabular.layouts import LAYOUTS
from pipelines.tabular.link import link_stats
from pipelines.tabular.mapping import load_mappings, mapping_for
from pipelines.tabular.readers import decode_text, sniff_separator

KINDS = set(LAYOUTS)
ROW_CODES = {
    "TAB_WAARDE_ONTBREEKT",
    "TAB_TEAM_ONBEKEND",
    "TAB_BSN_ONGELDIG",
    "TAB_AGB_ONGELDIG",
    "TAB_GEMEENTE_ONGELDIG",
    "TAB_CODE_ONBEKEND",
    "TAB_PERIODE_ONGELDIG",
    "TAB_DATUM_ONGELDIG",
    "TAB_DATUMVOLGORDE",
    "TAB_GETAL_ONGELDIG",
    "TAB_GETAL_NEGATIEF",
    "TAB_BANDBREEDTE_ONGELDIG",
    "TAB_SCORE_BUITEN_BEREIK",
}


@pytest.fixture(scope="module")
def source(request: pytest.FixtureRequest) -> Path:
    return request.getfixturevalue("small_source")


@pytest.fixture(scope="module")
def con(source: Path, request: pytest.FixtureRequest):
    db = request.getfixturevalue("small_db")
    c = duckdb.connect(str(db), read_only=True)
    yield c
    c.close()


def tabular_files(source: Path) -> list:
    ctx = ExtractContext(source=source, workdir=source / "_niet_gebruikt", key=b"")
    return EXTRACTOR.claim(find_files(source), ctx)


def count_rows(path: Path, source: Path, rel: str) -> int:
    """Data rows with at least one non-empty cell, counted without the extractor's reader."""
    mapping = mapping_for(rel, load_mappings(source))
    if path.suffix.lower() == ".csv":
        text = decode_text(path.read_bytes())
        sep = (mapping.scheidingsteken if mapping else None) or sniff_separator(text.splitlines()[0])
        rows = list(csv.reader(io.StringIO(text), delimiter=sep))[1:]
        return sum(1 for r in rows if any(c.strip() for c in r))
    sheet = mapping.blad if mapping and mapping.blad else None
    frame = (
        pl.read_excel(path, engine="calamine", sheet_name=sheet, infer_schema_length=0)
        if sheet
        else pl.read_excel(path, engine="calamine", sheet_id=1, infer_schema_length=0)
    )
    return frame.filter(pl.any_horizontal(pl.all().str.strip_chars().fill_null("") != "")).height


def test_every_provider_and_team_file_is_reported_with_counts_from_the_file(source, con):
    files = tabular_files(source)
    assert files, "the sample region has no provider or team files"
    report = {
        r[0]: r[1:]
        for r in con.execute(
            "select path, kind, status, records_read, records_loaded, records_quarantined from load_report"
        ).fetchall()
    }
    loaded_kinds = set()
    for f in files:
        kind, status, read, loaded, quarantined = report[f.rel]
        assert kind in KINDS, f.rel
        assert read == loaded + quarantined, f.rel
        if status != "quarantined" or read:
            assert read == count_rows(f.path, source, f.rel), f.rel
        if loaded:
            loaded_kinds.add(kind)
    assert loaded_kinds == KINDS


def test_loaded_rows_reach_the_source_tables(source, con):
    per_kind = dict(
        con.execute(
            "select kind, sum(records_loaded) from load_report where kind in $kinds group by kind",
            {"kinds": sorted(KINDS)},
        ).fetchall()
    )
    for kind, layout in LAYOUTS.items():
        if kind == "factoren":
            (n,) = con.execute(f"select count(distinct (bestand, regel)) from {layout.table}").fetchone()
        else:
            (n,) = con.execute(f"select count(*) from {layout.table}").fetchone()
        assert n == per_kind.get(kind, 0), kind


def test_quarantined_rows_have_a_code_and_a_line_and_match_the_report(source, con):
    rows = con.execute(
        "select q.path, q.position, q.code, q.reason from quarantine as q "
        "join load_report as r using (path) where r.kind in $kinds",
        {"kinds": sorted(KINDS)},
    ).fetchall()
    per_file: dict[str, int] = {}
    for path, position, code, _reason in rows:
        if position == "bestand":
            continue
        assert re.fullmatch(r"regel \d+", position)
        assert code in ROW_CODES
        per_file[path] = per_file.get(path, 0) + 1
    quarantined = dict(
        con.execute(
            "select path, records_quarantined from load_report where kind in $kinds and status = 'partial'",
            {"kinds": sorted(KINDS)},
        ).fetchall()
    )
    for path, n in quarantined.items():
        assert per_file.get(path, 0) == n, path


def test_no_bsn_from_the_provider_files_is_stored(source, con):
    bsns: set[str] = set()
    for f in tabular_files(source):
        if f.path.suffix.lower() != ".csv":
            continue
        text = decode_text(f.path.read_bytes())
        bsns |= set(re.findall(r"(?<!\d)\d{9}(?!\d)", text))
    assert bsns, "the generated provider CSV files carry BSNs: finding none means the scan is broken"
    sample = sorted(bsns)[:200]
    tables = con.execute(
        "select table_name, column_name from information_schema.columns where data_type = 'VARCHAR'"
    ).fetchall()
    for table, column in tables:
        (hits,) = con.execute(
            f'select count(*) from "{table}" where "{column}" in $b', {"b": sample}
        ).fetchone()
        assert hits == 0, f"BSN found in {table}.{column}"


def test_link_rate_is_reported(con):
    stats = link_stats(con)
    print("koppeling:", stats)
    assert stats["aanmeldingen_totaal"] > 0
    # The generator uses the same BSN in iJw and provider files, so most records must link.
    assert stats["koppelgraad_aanmeldingen"] > 0.5


def _codes(con, path: str) -> dict[str, int]:
    return dict(
        con.execute(
            "select code, count(*) from quarantine where path = $p group by code", {"p": path}
        ).fetchall()
    )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    text = decode_text(path.read_bytes())
    return list(csv.DictReader(io.StringIO(text), delimiter=sniff_separator(text.splitlines()[0])))


def test_deliberately_broken_rows_are_quarantined(source, con):
    # Team files: expectations computed from the files themselves.
    teams = source / "teams"
    known = {r["team_code"].strip() for r in _csv_rows(teams / "teams.csv")}
    fte_negative = sum(1 for r in _csv_rows(teams / "team_fte.csv") if r["fte"].strip().startswith("-"))
    unknown_case = sum(1 for r in _csv_rows(teams / "caseload.csv") if r["team_code"].strip() not in known)
    assert _codes(con, "teams/team_fte.csv").get("TAB_GETAL_NEGATIEF", 0) == fte_negative
    assert _codes(con, "teams/caseload.csv").get("TAB_TEAM_ONBEKEND", 0) == unknown_case
    factors = pl.read_excel(teams / "factoren.xlsx", engine="calamine", sheet_id=1, infer_schema_length=0)
    score_cols = [c for c in factors.columns if c in FACTOREN]
    out_of_range = factors.filter(
        pl.any_horizontal([~pl.col(c).cast(pl.Float64, strict=False).is_between(1, 5) for c in score_cols])
    ).height
    assert _codes(con, "teams/factoren.xlsx").get("TAB_SCORE_BUITEN_BEREIK", 0) == out_of_range
    # Provider files: the generator forces a bad BSN, a bad date and an intake before aanmelding.
    codes = dict(
        con.execute(
            "select code, count(*) from quarantine where kind = 'wachttijden' group by code"
        ).fetchall()
    )
    for code in ("TAB_BSN_ONGELDIG", "TAB_DATUM_ONGELDIG", "TAB_DATUMVOLGORDE"):
        assert codes.get(code, 0) >= 1, code


def test_every_waiting_time_record_has_a_productcategorie(con):
    # Four providers (98000011, 98000033, 98000066, 98000116) deliver the productcode, not the category; the
    # category is the code's first two digits (a standard iJw productcode begins with its JZ020 category).
    # Before the fix their records reached staging with productcategorie NULL (issue 12).
    rows = con.execute(
        """select aanbieder_agb, count(*) filter (where productcategorie is null),
                  count(*) filter (where product is not null),
                  count(*) filter (where product is not null and productcategorie <> left(product, 2))
           from aanmeldingen group by aanbieder_agb order by aanbieder_agb"""
    ).fetchall()
    assert len(rows) >= 8, rows
    assert [r for r in rows if r[1]] == [], "records without productcategorie"
    assert sum(1 for r in rows if r[2]) >= 4, "the product-only providers are in the region"
    assert [r for r in rows if r[3]] == [], "category differs from the productcode's"
