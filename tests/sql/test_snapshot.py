"""Frozen snapshots (pipelines/snapshot.py) on a database built by the real build.

- Every table macro the dashboard calls (read from dashboard/queries.py, not from the snapshot code) exists in
  the snapshot with the same parameters and gives the same rows as on the live database, read through the
  dashboard's own data layer (dashboard/data.py, which applies the app's version check).
- A snapshot holds no raw (`bron_*`), staging or intermediate relation except the named exceptions below,
  no load report or quarantine, no source location columns.
- A rebuild of the live database does not change a snapshot; views of the live database become tables; a
  taken name is refused; the command line makes, lists and deletes.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import contract, settings, snapshot
from pipelines.__main__ import main
from pipelines.build import build
from pipelines.sqlrunner import read_models
from pipelines.store import open_store

REPO = Path(__file__).resolve().parents[2]

# Staging and intermediate relations a snapshot may hold, and why (a new one must be a visible decision).
ALLOWED = {
    "organisaties": "lookup of organisation names",
    "factorscores": "per-member scores read by caseload_factoren; no mart at member grain",
    "peildatum": "one row: the reference date",
    "wachttijd_normen": "norm per niveau",
    "wachttijd_klassen": "histogram classes",
    "stroom_gebeurtenissen": "flow events read by stromen_maand (distinct children under filters)",
}
# Build-time macros a snapshot leaves out: they read staging relations by name.
LEFT_OUT = {"ijw_retourstatus"}
FORBIDDEN_COLUMNS = {"bsn", "bestand", "regel", "positie", "pc4", "geboortemaand", "geslacht", "path"}


def _dashboard_macros() -> set[str]:
    text = (REPO / "dashboard" / "queries.py").read_text("utf-8")
    return set(re.findall(r"data\.fetch\(\s*\"([a-z_]+)\"", text))


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{path}' as k (read_only)")
    con.execute("use k")
    return con


def _tables(path: Path) -> dict[str, list[str]]:
    con = _open(path)
    try:
        return {
            t: [c[0] for c in con.execute(f'describe "{t}"').fetchall()]
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where database_name = 'k'"
            ).fetchall()
        }
    finally:
        con.close()


def _checksums(path: Path) -> dict[str, str]:
    con = _open(path)
    try:
        out = {}
        for t in _tables(path):
            rows = con.execute(f'select * from "{t}" order by all').fetchall()
            out[t] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def _macro_params(path: Path) -> dict[str, list[str]]:
    con = _open(path)
    try:
        return {
            name: list(params)
            for name, params in con.execute(
                "select function_name, parameters from duckdb_functions()"
                " where database_name = 'k' and function_type = 'table_macro'"
            ).fetchall()
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def made(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, snapshot.Snapshot]:
    """A copy of the small built database and one snapshot of it (store and snapshot folder beside it)."""
    db = tmp_path_factory.mktemp("live") / "ketenmonitor.duckdb"
    shutil.copy(small_db, db)
    return db, snapshot.make_snapshot("Sessie maart", db=db, door="test")


def test_the_snapshot_file_is_beside_the_database_read_only_and_alone(made):
    db, snap = made
    path = Path(snap.bestand)
    assert path == settings.snapshot_dir(db) / "sessie-maart.duckdb"
    assert path.stat().st_mode & 0o222 == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["sessie-maart.duckdb"]  # no temp files left
    assert snap.peildatum == _open(db).execute("select peildatum from peildatum").fetchall()[0][0]
    record = open_store(settings.store_path(db)).get_snapshot("Sessie maart")
    assert record == snap and record.model_version == contract.MODEL_VERSION


def test_the_app_check_accepts_a_snapshot_and_refuses_it_after_a_model_change(made, monkeypatch):
    _db, snap = made
    assert contract.database_status(Path(snap.bestand)) == (
        True,
        f"Database {snap.bestand} is in orde (modelversie {contract.MODEL_VERSION}).",
    )
    monkeypatch.setattr(contract, "MODEL_VERSION", contract.MODEL_VERSION + 1)
    assert not contract.database_status(Path(snap.bestand))[0]


def test_every_macro_the_dashboard_calls_answers_on_the_snapshot_as_on_the_live_database(made, monkeypatch):
    """Through the dashboard's own data layer (dashboard/data.py: read-only attach, version check, macros
    called by name with their declared parameters)."""
    from dashboard import data

    db, snap = made
    called = _dashboard_macros()
    assert len(called) > 20
    live_params, snap_params = _macro_params(db), _macro_params(Path(snap.bestand))
    assert {m: snap_params.get(m) for m in called} == {m: live_params[m] for m in called}
    peildatum = snap.peildatum
    values = {"p_van": date(2000, 1, 1), "p_tot": peildatum, "p_aanloop_maanden": 3}
    checked = 0
    for macro in sorted(called):
        for niveau in ["intake", "totaal"] if "p_niveau" in live_params[macro] else [None]:
            params = {p: values[p] for p in live_params[macro] if p in values}
            if niveau is not None:
                params["p_niveau"] = niveau
            monkeypatch.setenv("KETENMONITOR_DB", str(db))
            live = data.fetch(macro, **params)
            monkeypatch.setenv("KETENMONITOR_DB", snap.bestand)
            frozen = data.fetch(macro, **params)
            assert frozen.schema == live.schema, macro
            # as a multiset: a macro's `order by` may leave ties in any order
            assert sorted(map(repr, frozen.rows())) == sorted(map(repr, live.rows())), macro
            checked += int(live.height > 0)
    assert checked >= len(called) - 3  # the comparison is not over empty results


def test_no_raw_staging_intermediate_or_quarantine_relation_is_in_the_snapshot(made):
    _db, snap = made
    tables = _tables(Path(snap.bestand))
    models = read_models(settings.SQL_DIR)
    layers = {n: m.layer for n, m in models.items()}
    assert not [t for t in tables if t.startswith("bron_")]
    assert not {"load_report", "quarantine", "koppelgraad"} & set(tables)
    inner = {t for t in tables if layers.get(t) in {"staging", "intermediate"}}
    assert inner == set(ALLOWED)
    marts = {n for n, layer in layers.items() if layer == "marts"}
    assert marts <= set(tables)
    # the rest: the build facts, code lists, the snapshot's own row and the materialised summaries
    assert set(tables) - marts - inner == {
        "build_info",
        "codelijsten",
        "momentopname",
        "momentopname_laadrapport_samenvatting",
        "momentopname_quarantaine_redenen",
        "momentopname_ongekoppelde_aanmeldingen",
    }
    assert {(t, c) for t, cols in tables.items() for c in cols if c in FORBIDDEN_COLUMNS} == set()
    # the pseudonymised client id only where the macros count distinct children with it
    with_client = {t for t, cols in tables.items() if "client_id" in cols}
    assert with_client == {"trajecten", "wachttijden", "signalen", "stroom_gebeurtenissen"}


def test_build_time_macros_are_left_out_and_the_plan_says_so(made):
    db, snap = made
    plan = snapshot.plan_snapshot(db)
    assert set(plan.left_out) == LEFT_OUT
    assert set(plan.materialised) == {
        "laadrapport_samenvatting",
        "quarantaine_redenen",
        "ongekoppelde_aanmeldingen",
    }
    assert not LEFT_OUT & set(_macro_params(Path(snap.bestand)))


def test_a_rebuild_of_the_live_database_does_not_change_a_snapshot(small_source, tmp_path):
    db = tmp_path / "ketenmonitor.duckdb"
    build(small_source, db, show_progress=False)
    snap = snapshot.make_snapshot("Voor de herbouw", db=db, door="test")
    path = Path(snap.bestand)
    before, stat_before = _checksums(path), path.stat()
    live_before = _checksums(db)
    build(small_source, db, peildatum=date(2025, 6, 30), show_progress=False)  # other figures
    live_after = _checksums(db)
    assert live_after["maand_stromen"] != live_before["maand_stromen"]  # the live figures did change
    assert _checksums(path) == before
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (stat_before.st_ino, stat_before.st_mtime_ns)
    assert snapshot.list_snapshots(db=db)[0].peildatum == snap.peildatum != date(2025, 6, 30)
    assert snapshot.make_snapshot("Na de herbouw", db=db, door="test").peildatum == date(2025, 6, 30)


def test_views_of_the_live_database_become_tables(small_db, tmp_path):
    db = tmp_path / "ketenmonitor.duckdb"
    shutil.copy(small_db, db)
    con = duckdb.connect(str(db))
    expected = con.execute("select * from leveringen order by all").fetchall()
    con.execute("create table leveringen_basis as from leveringen")
    con.execute("drop table leveringen")
    con.execute("create view leveringen as from leveringen_basis")
    con.close()
    snap = snapshot.make_snapshot("Met view", db=db, door="test")
    con = _open(Path(snap.bestand))
    try:
        assert con.execute(
            "select count(*) from duckdb_views() where database_name = 'k' and not internal"
        ).fetchall() == [(0,)]
        assert con.execute(
            "select table_name from duckdb_tables() where table_name like 'leveringen%'"
        ).fetchall() == [("leveringen",)]
        assert con.execute("select * from leveringen order by all").fetchall() == expected
        assert (
            con.execute(
                "select count(*) from dekking(date '2000-01-01', date '2030-12-31', null, null)"
            ).fetchall()[0][0]
            > 0
        )
    finally:
        con.close()


def test_a_taken_name_is_refused_and_the_first_snapshot_stays(made):
    db, snap = made
    before = _checksums(Path(snap.bestand))
    with pytest.raises(ValueError, match="bestaat al"):
        snapshot.make_snapshot("Sessie maart", db=db)
    with pytest.raises(ValueError, match="bestaat al"):
        snapshot.make_snapshot("sessie-MAART", db=db)  # another name, the same file
    with pytest.raises(ValueError, match="letters of cijfers"):
        snapshot.make_snapshot("???", db=db)
    with pytest.raises(ValueError, match="leeg"):
        snapshot.make_snapshot("  ", db=db)
    assert _checksums(Path(snap.bestand)) == before
    assert [s.naam for s in snapshot.list_snapshots(db=db)] == ["Sessie maart"]


def test_a_missing_or_outdated_database_is_refused(tmp_path, small_db, monkeypatch):
    with pytest.raises(snapshot.SnapshotError, match="geen database"):
        snapshot.make_snapshot("X", db=tmp_path / "er-niet.duckdb")
    monkeypatch.setattr(contract, "MODEL_VERSION", contract.MODEL_VERSION + 1)
    with pytest.raises(snapshot.SnapshotError, match="andere versie"):
        snapshot.make_snapshot("X", db=small_db, store=open_store(tmp_path / "s.sqlite"), directory=tmp_path)
    assert not list(tmp_path.glob("*.duckdb*"))


def test_the_command_line_makes_lists_and_deletes(small_db, tmp_path, capsys):
    db = tmp_path / "ketenmonitor.duckdb"
    shutil.copy(small_db, db)
    assert main(["snapshot", "--name", "Sessie één", "--opmerking", "eerste", "--db", str(db)]) == 0
    path = settings.snapshot_dir(db) / "sessie-een.duckdb"
    assert path.exists()
    assert main(["snapshot", "--name", "Sessie één", "--db", str(db)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert main(["snapshot", "--list", "--db", str(db)]) == 0
    assert "Sessie één" in capsys.readouterr().out
    assert main(["snapshot", "--delete", "Sessie één", "--db", str(db)]) == 0
    assert not path.exists()
    assert main(["snapshot", "--delete", "Sessie één", "--db", str(db)]) == 2
    assert main(["snapshot", "--list", "--db", str(db)]) == 0
    assert "nog geen momentopnamen" in capsys.readouterr().out
    acties = [a.actie for a in open_store(settings.store_path(db)).list_audit()]
    assert acties == ["momentopname_verwijderd", "momentopname_gemaakt"]
