"""The provider ↔ iJw link (sql/intermediate/koppeling_aanbieder_ijw.sql) and `link_stats`.

The aanmeldingen come from a real provider CSV through the real build. The iJw side is a stand-in
`toewijzingen` model with the documented columns, written into a temporary SQL folder that holds only
this link's models, so the rule is tested on exact dates independent of the iJw loader.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines import pseudonym, settings
from pipelines.build import build
from pipelines.tabular.link import link_stats

REPO = Path(__file__).resolve().parents[2]
KEY = (settings.pseudonym_key_env() or "").encode()
BSN = {"A": "123456782", "B": "111222333", "C": "012345672", "F": "100000009"}
CID = {k: pseudonym.pseudonymise(v, KEY) for k, v in BSN.items()} | {"D": "d" * 64, "E": "e" * 64}

PROVIDER_CSV = (
    "bsn;aanbieder_agb;productcategorie;product;datum_aanmelding;datum_intake;datum_start_behandeling\n"
    f"{BSN['A']};98000001;45;;2024-01-05;2024-01-20;2024-02-15\n"  # A1 -> T1 (inside the span)
    f"{BSN['B']};98000001;;JH-X;2024-01-06;;\n"  # A2 -> T4 (no categorie: any categorie)
    f"{BSN['C']};98000001;45;;2024-01-07;;\n"  # A3: no toewijzing
    f"{BSN['A']};98000002;45;;2024-01-08;;\n"  # A4: other aanbieder, no toewijzing
    f"{BSN['F']};98000001;45;;2024-06-01;;\n"  # A5: T7 is 197 days later, outside the window
)

# (gemeente, nummer, agb, client, categorie, ingangsdatum)
TOEWIJZINGEN = [
    ("0344", "T1", "98000001", CID["A"], "45", "2024-02-15"),
    ("0344", "T2", "98000001", CID["A"], "45", "2023-03-01"),  # > 180 days before: not linked, out of period
    ("0344", "T3", "98000001", CID["A"], "45", "2024-03-01"),  # 15 days after the span: T1 is nearer
    ("0344", "T4", "98000001", CID["B"], "54", "2024-01-01"),
    ("0344", "T5", "98000001", CID["D"], "45", "2024-01-15"),  # child without provider record
    ("0345", "T6", "98000099", CID["E"], "45", "2024-01-15"),  # aanbieder without provider data
    ("0344", "T7", "98000001", CID["F"], "45", "2024-12-15"),
]


def stand_in_toewijzingen() -> str:
    rows = ",\n    ".join(
        f"('{g}', '{n}', '{agb}', '{cid}', '{cat}', 'P1', date '{d}', null, date '{d}', null)"
        for g, n, agb, cid, cat, d in TOEWIJZINGEN
    )
    return (
        "-- one row per toewijzing (test stand-in for the iJw staging relation)\n"
        f"select * from (values\n    {rows}\n) as t(gemeente_code, toewijzingnummer, aanbieder_agb,"
        " client_id, productcategorie, productcode, ingangsdatum, einddatum, toewijzingsdatum,"
        " reden_wijziging)\n"
    )


@pytest.fixture
def linked_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    model = REPO / "sql" / "intermediate" / "koppeling_aanbieder_ijw.sql"
    sql = tmp_path / "sql"
    (sql / "staging").mkdir(parents=True)
    (sql / "intermediate").mkdir()
    shutil.copy(REPO / "sql" / "staging" / "aanmeldingen.sql", sql / "staging")
    shutil.copy(model, sql / "intermediate")
    (sql / "macros").mkdir()
    shutil.copy(REPO / "sql" / "macros" / "recordsleutel.sql", sql / "macros")  # the record key it carries
    (sql / "staging" / "toewijzingen.sql").write_text(stand_in_toewijzingen(), "utf-8")
    monkeypatch.setattr(settings, "SQL_DIR", sql)
    src = tmp_path / "bron" / "wachttijden"
    src.mkdir(parents=True)
    (src / "aanbieder.csv").write_text(PROVIDER_CSV, "utf-8")
    db = tmp_path / "db" / "k.duckdb"
    build(src.parent, db, show_progress=False)
    return db


def test_each_aanmelding_links_to_the_nearest_toewijzing_within_the_window(linked_db):
    con = duckdb.connect(str(linked_db), read_only=True)
    rows = con.execute(
        """
        select a.client_id, a.aanbieder_agb, a.datum_aanmelding, k.toewijzingnummer, k.afstand_dagen,
            k.is_gekoppeld
        from koppeling_aanbieder_ijw as k
        join aanmeldingen as a using (aanmelding_id)
        where k.bron = 'aanbieder'
        order by a.datum_aanmelding
        """
    ).fetchall()
    assert rows == [
        (CID["A"], "98000001", dt.date(2024, 1, 5), "T1", 0, True),
        (CID["B"], "98000001", dt.date(2024, 1, 6), "T4", 5, True),
        (CID["C"], "98000001", dt.date(2024, 1, 7), None, None, False),
        (CID["A"], "98000002", dt.date(2024, 1, 8), None, None, False),
        (CID["F"], "98000001", dt.date(2024, 6, 1), None, None, False),
    ]
    unlinked = con.execute(
        """
        select toewijzingnummer, aanbieder_levert_wachttijden, binnen_aanbiederperiode
        from koppeling_aanbieder_ijw where bron = 'ijw' order by toewijzingnummer
        """
    ).fetchall()
    assert unlinked == [
        ("T2", True, False),
        ("T3", True, True),
        ("T5", True, True),
        ("T6", False, False),
        ("T7", True, False),
    ]


def test_link_stats(linked_db):
    con = duckdb.connect(str(linked_db), read_only=True)
    assert link_stats(con) == {
        "aanmeldingen_totaal": 5,
        "aanmeldingen_gekoppeld": 2,
        "koppelgraad_aanmeldingen": 0.4,
        "toewijzingen_totaal": 4,  # T1, T4 linked; T3, T5 unlinked in the period; T2, T6, T7 not counted
        "toewijzingen_gekoppeld": 2,
        "koppelgraad_toewijzingen": 0.5,
    }


def test_link_stats_without_the_relation_is_empty(tmp_path):
    con = duckdb.connect(str(tmp_path / "leeg.duckdb"))
    assert link_stats(con) == {}
