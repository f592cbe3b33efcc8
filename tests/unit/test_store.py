"""The store (pipelines/store.py): SQLite in WAL mode with a schema version and migrations; concurrent
writers from threads and processes lose nothing, nor does a warehouse rebuild and swap beside it; every
write has its audit entry in the same transaction; bad input is a clear ValueError.

Counts are checked against an independent tally of what the writers wrote, read back with plain sqlite3.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from pipelines import settings
from pipelines.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    StoreError,
    ensure_schema,
    open_store,
    schema_version,
)

REPO = Path(__file__).resolve().parents[2]

# A writer in another process: waits for the go file, then saves `n` notes tagged with its name.
_PROCESS_WRITER = """
import sys, time
from pathlib import Path
from pipelines.store import Store
path, name, n, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
while not go.exists():
    time.sleep(0.005)
store = Store(path)
for i in range(n):
    store.save_note(f"grafiek_{i % 7}", i % 5 + 1, f"{name}:{i}", name)
"""


def _raw(path: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _tables(path: Path) -> set[str]:
    return {r[0] for r in _raw(path, "select name from sqlite_master where type = 'table'")} - {
        "sqlite_sequence"
    }


def _indexes(path: Path) -> set[str]:
    return {
        r[0] for r in _raw(path, "select name from sqlite_master where type = 'index' and sql is not null")
    }


def test_a_new_store_is_in_wal_mode_at_the_current_version(tmp_path):
    path = tmp_path / "nieuw" / "store.sqlite"
    open_store(path)
    assert _raw(path, "pragma journal_mode") == [("wal",)]
    assert schema_version(path) == SCHEMA_VERSION == len(MIGRATIONS) >= 2
    assert _tables(path) == {"snapshots", "annotaties", "notities", "audit"}


def test_the_default_path_is_beside_the_database_unless_set(tmp_path, monkeypatch):
    monkeypatch.delenv("KETENMONITOR_STORE", raising=False)
    monkeypatch.setenv("KETENMONITOR_DB", str(tmp_path / "w" / "k.duckdb"))
    assert settings.store_path() == tmp_path / "w" / "ketenmonitor-store.sqlite"
    assert settings.store_path(tmp_path / "x" / "y.duckdb") == tmp_path / "x" / "ketenmonitor-store.sqlite"
    monkeypatch.setenv("KETENMONITOR_STORE", str(tmp_path / "elders.sqlite"))
    assert open_store().path == tmp_path / "elders.sqlite"
    assert (tmp_path / "elders.sqlite").exists()
    monkeypatch.delenv("KETENMONITOR_SNAPSHOTS", raising=False)
    assert settings.snapshot_dir() == tmp_path / "w" / "snapshots"
    monkeypatch.setenv("KETENMONITOR_SNAPSHOTS", str(tmp_path / "momenten"))
    assert settings.snapshot_dir(tmp_path / "x" / "y.duckdb") == tmp_path / "momenten"
    monkeypatch.setenv("KETENMONITOR_USER", "Anna de Vries")
    assert settings.user_name() == "Anna de Vries"


def test_an_empty_version_0_file_is_migrated(tmp_path):
    path = tmp_path / "leeg.sqlite"
    sqlite3.connect(path).close()  # an existing, empty SQLite file: user_version 0
    assert schema_version(path) == 0
    assert ensure_schema(path) == 0
    assert schema_version(path) == SCHEMA_VERSION
    assert ensure_schema(path) == SCHEMA_VERSION  # idempotent


def test_a_version_1_store_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "v1.sqlite"
    ensure_schema(path, target=1)
    assert schema_version(path) == 1
    assert "snapshots_naam" not in _indexes(path)
    con = sqlite3.connect(path)
    with con:  # rows as a version-1 program wrote them
        con.execute(
            "insert into annotaties (datum, titel, soort, aangemaakt_door, aangemaakt_op)"
            " values ('2025-02-01', 'Oud', 'overig', 'a', '2025-02-01T00:00:00+00:00')"
        )
        con.execute(
            "insert into notities (grafiek, vraag, tekst, auteur, tijd)"
            " values ('g', 3, 'oude notitie', 'a', '2025-02-01T00:00:00+00:00')"
        )
    con.close()
    store = open_store(path)
    assert schema_version(path) == SCHEMA_VERSION
    assert {"snapshots_naam", "notities_sleutel", "annotaties_datum", "audit_tijd"} <= _indexes(path)
    assert [a.titel for a in store.list_annotations()] == ["Oud"]
    assert [n.tekst for n in store.list_notes()] == ["oude notitie"]


def test_a_store_of_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "nieuwer.sqlite"
    ensure_schema(path)
    _raw(path, f"pragma user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="schemaversie"):
        open_store(path)


def test_processes_creating_one_new_store_at_once_all_succeed(tmp_path):
    path = tmp_path / "nieuw.sqlite"
    go = tmp_path / "go"
    code = (
        "import sys, time; from pathlib import Path; from pipelines.store import open_store\n"
        "while not Path(sys.argv[2]).exists(): time.sleep(0.005)\n"
        "open_store(Path(sys.argv[1])).save_note('g', 1, sys.argv[3], 'a')\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), str(go), f"p{i}"], cwd=REPO)
        for i in range(6)
    ]
    time.sleep(1.0)
    go.touch()
    assert [p.wait(timeout=120) for p in procs] == [0] * 6
    assert schema_version(path) == SCHEMA_VERSION
    assert sorted(r[0] for r in _raw(path, "select tekst from notities")) == [f"p{i}" for i in range(6)]


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "tekst.sqlite"
    path.write_text("dit is geen database\n" * 100)
    with pytest.raises(StoreError, match="geen SQLite"):
        open_store(path)


def test_annotations_scope_and_soft_delete(tmp_path):
    store = open_store(tmp_path / "s.sqlite")
    alle = store.add_annotation(date(2025, 3, 1), "Nieuw contract", "Inkoop 2025", "contract", "anna")
    eigen = store.add_annotation(
        date(2025, 1, 15),
        "Intaketeam",
        "",
        "registratie",
        "bob",
        is_herberekening=True,
        scope_soort="aanbieder",
        scope_code="12345678",
    )
    ander = store.add_annotation(
        date(2025, 6, 1), "Breuk", "", "trendbreuk", "bob", scope_soort="aanbieder", scope_code="99"
    )
    assert [a.id for a in store.list_annotations()] == [eigen.id, alle.id, ander.id]  # by date
    assert eigen.is_herberekening and not alle.is_herberekening
    assert [a.id for a in store.list_annotations(scope_soort="aanbieder", scope_code="12345678")] == [
        eigen.id,
        alle.id,
    ]
    assert [a.id for a in store.list_annotations(scope_soort="gemeente")] == [alle.id]
    assert [a.id for a in store.list_annotations(van=date(2025, 2, 1), tot=date(2025, 5, 31))] == [alle.id]
    assert store.delete_annotation(alle.id, "carla").verwijderd
    assert alle.id not in [a.id for a in store.list_annotations()]
    assert alle.id in [a.id for a in store.list_annotations(met_verwijderd=True)]
    with pytest.raises(ValueError, match="geen annotatie"):
        store.delete_annotation(alle.id, "carla")


def test_notes_keep_every_version_and_the_latest_wins(tmp_path):
    store = open_store(tmp_path / "s.sqlite")
    snap = store.record_snapshot("Sessie maart", date(2025, 3, 31), "/x.duckdb", 4, "anna")
    store.save_note("wachttijden_trend", 1, "eerste", "anna")
    store.save_note("wachttijden_trend", 1, "tweede", "bob")
    store.save_note("wachttijden_trend", 2, "uitleg", "anna")
    store.save_note("wachttijden_trend", 1, "in de sessie", "anna", snapshot_id=snap.id)
    store.save_note("stromen", 5, "weg", "anna")
    store.save_note("stromen", 5, "", "anna")  # cleared
    live = store.list_notes()
    assert [(n.grafiek, n.vraag, n.tekst) for n in live] == [
        ("wachttijden_trend", 1, "tweede"),
        ("wachttijden_trend", 2, "uitleg"),
    ]
    assert [n.tekst for n in store.list_notes(snapshot_id=snap.id)] == ["in de sessie"]
    assert [n.tekst for n in store.list_notes(grafiek="stromen")] == []
    assert [n.tekst for n in store.note_history("wachttijden_trend", 1)] == ["eerste", "tweede"]
    assert [n.tekst for n in store.note_history("stromen", 5)] == ["weg", ""]


def test_every_write_has_its_audit_entry_and_a_failed_write_has_none(tmp_path):
    path = tmp_path / "s.sqlite"
    store = open_store(path)
    a = store.add_annotation(date(2025, 1, 1), "A", "", "overig", "anna")
    store.save_note("g", 1, "Er wachten 7 kinderen", "anna")
    store.record_snapshot("S", None, "/s.duckdb", 4, "anna")
    store.delete_annotation(a.id, "bob")
    store.delete_snapshot("S", "bob")
    store.write_audit("carla", "rapport_gedownload", "rapport sessie maart")
    with pytest.raises(ValueError):
        store.save_note("g", 1, "bij een momentopname die er niet is", "anna", snapshot_id=999)
    with pytest.raises(ValueError):
        store.delete_snapshot("S", "bob")
    acties = [(r[0], r[1]) for r in _raw(path, "select wie, actie from audit order by id")]
    assert acties == [
        ("anna", "annotatie_toegevoegd"),
        ("anna", "notitie_opgeslagen"),
        ("anna", "momentopname_gemaakt"),
        ("bob", "annotatie_verwijderd"),
        ("bob", "momentopname_verwijderd"),
        ("carla", "rapport_gedownload"),
    ]
    assert store.list_audit()[0].actie == "rapport_gedownload"
    assert _raw(path, "select count(*) from notities") == [(1,)]  # the failed save left nothing
    onderwerpen = " ".join(r[0] for r in _raw(path, "select onderwerp from audit"))
    assert "kinderen" not in onderwerpen  # never the text of a note


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.add_annotation("2025-01-01", "T", "", "overig", "a"), "datum"),
        (lambda s: s.add_annotation(date(2025, 1, 1), "  ", "", "overig", "a"), "titel is leeg"),
        (lambda s: s.add_annotation(date(2025, 1, 1), "T", "", "feest", "a"), "soort"),
        (
            lambda s: s.add_annotation(date(2025, 1, 1), "T", "", "overig", "a", scope_soort="aanbieder"),
            "scope",
        ),
        (
            lambda s: s.add_annotation(
                date(2025, 1, 1), "T", "", "overig", "a", scope_soort="wijk", scope_code="1"
            ),
            "scope_soort",
        ),
        (lambda s: s.add_annotation(date(2025, 1, 1), "x" * 201, "", "overig", "a"), "te lang"),
        (lambda s: s.save_note("g", 6, "t", "a"), "vraag"),
        (lambda s: s.save_note("g", 0, "t", "a"), "vraag"),
        (lambda s: s.save_note("g", True, "t", "a"), "vraag"),
        (lambda s: s.save_note("met spatie", 1, "t", "a"), "grafiek"),
        (lambda s: s.save_note("g", 1, "t", ""), "auteur is leeg"),
        (lambda s: s.save_note("g", 1, "t\x00", "a"), "ongeldige tekens"),
        (lambda s: s.record_snapshot("", None, "/x", 4, "a"), "naam is leeg"),
        (lambda s: s.record_snapshot("S", None, "/x", "4", "a"), "model_version"),
        (lambda s: s.write_audit("a", "Iets Gedaan", "x"), "actie"),
        (lambda s: s.delete_annotation("1", "a"), "annotatie_id"),
    ],
)
def test_bad_input_is_a_clear_value_error(tmp_path, call, message):
    path = tmp_path / "s.sqlite"
    store = open_store(path)
    with pytest.raises(ValueError, match=message):
        call(store)
    assert _raw(path, "select count(*) from audit") == [(0,)]


def test_eight_threads_and_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "s.sqlite"
    store = open_store(path)
    n = 200
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS_WRITER, str(path), f"proces{p}", str(n), str(go)], cwd=REPO
        )
        for p in range(2)
    ]
    start = threading.Event()
    errors: list[BaseException] = []

    def write(name: str) -> None:
        start.wait()
        try:
            for i in range(n):
                store.save_note(f"grafiek_{i % 7}", i % 5 + 1, f"{name}:{i}", name)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"draad{t}",)) for t in range(8)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # let the processes import and wait for the go file
    go.touch()
    start.set()
    for t in threads:
        t.join()
    for p in procs:
        assert p.wait(timeout=300) == 0
    assert errors == []
    expected = {
        f"{w}:{i}" for w in [*(f"draad{t}" for t in range(8)), "proces0", "proces1"] for i in range(n)
    }
    found = [r[0] for r in _raw(path, "select tekst from notities")]
    assert len(found) == len(expected) == 10 * n
    assert set(found) == expected
    assert _raw(path, "select count(*) from audit where actie = 'notitie_opgeslagen'") == [(10 * n,)]
    assert _raw(path, "pragma integrity_check") == [("ok",)]


def test_a_warehouse_rebuild_and_swap_during_writes_loses_none(tmp_path, small_source):
    """The store lives beside the warehouse; the real build writes a new DuckDB file there and swaps it in
    (twice) while threads and a process keep writing."""
    from pipelines.build import build

    db = tmp_path / "warehouse" / "ketenmonitor.duckdb"
    path = settings.store_path(db)
    assert path.parent == db.parent
    store = open_store(path)
    build(small_source, db, show_progress=False)
    inode_before = db.stat().st_ino
    go = tmp_path / "go"
    go.touch()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PROCESS_WRITER, str(path), "proces", "300", str(go)], cwd=REPO
    )
    stop = threading.Event()
    written: dict[str, int] = {}
    errors: list[BaseException] = []

    def write(name: str) -> None:
        i = 0
        try:
            while not stop.is_set() or i < 20:
                store.save_note(f"grafiek_{i % 7}", i % 5 + 1, f"{name}:{i}", name)
                if i % 10 == 0:
                    store.add_annotation(date(2025, 1, 1), f"{name}:{i}", "", "overig", name)
                i += 1
        except BaseException as exc:
            errors.append(exc)
        written[name] = i

    threads = [threading.Thread(target=write, args=(f"draad{t}",)) for t in range(4)]
    for t in threads:
        t.start()
    build(small_source, db, show_progress=False)
    build(small_source, db, show_progress=False)
    stop.set()
    for t in threads:
        t.join()
    assert proc.wait(timeout=300) == 0
    assert errors == []
    assert db.stat().st_ino != inode_before  # the warehouse was really replaced
    expected = {f"{w}:{i}" for w, k in written.items() for i in range(k)} | {
        f"proces:{i}" for i in range(300)
    }
    assert set(r[0] for r in _raw(path, "select tekst from notities")) == expected
    assert _raw(path, "select count(*) from notities") == [(len(expected),)]
    annotaties = {f"{w}:{i}" for w, k in written.items() for i in range(0, k, 10)}
    assert {a.titel for a in store.list_annotations()} == annotaties
    assert _raw(path, "select count(*) from audit") == [(len(expected) + len(annotaties),)]


def test_the_online_backup_of_a_store_in_use_is_consistent(tmp_path):
    """The README's backup (sqlite3's online backup API) while a writer is busy: the copy opens at the
    current version and holds whole transactions only (as many audit entries as notes)."""
    path = tmp_path / "s.sqlite"
    store = open_store(path)
    done = threading.Event()

    def write() -> None:
        for i in range(300):
            store.save_note("g", i % 5 + 1, f"n{i}", "anna")
        done.set()

    writer = threading.Thread(target=write)
    writer.start()
    while _raw(path, "select count(*) from notities")[0][0] < 50:
        time.sleep(0.01)
    src, dst = sqlite3.connect(path), sqlite3.connect(tmp_path / "backup.sqlite")
    src.backup(dst)
    dst.close()
    src.close()
    writer.join()
    copy = tmp_path / "backup.sqlite"
    assert schema_version(copy) == SCHEMA_VERSION
    assert _raw(copy, "pragma integrity_check") == [("ok",)]
    notes = _raw(copy, "select count(*) from notities")[0][0]
    assert 50 <= notes <= 300
    assert _raw(copy, "select count(*) from audit") == [(notes,)]
    assert len(open_store(copy).note_history("g", 1)) == len([i for i in range(notes) if i % 5 == 0])


def test_the_app_may_import_the_store_and_snapshots_without_the_build():
    """The dashboard will import pipelines.store and pipelines.snapshot; like pipelines.contract they must not
    pull in the build machinery (the rule of tests/unit/test_import_hygiene.py)."""
    code = (
        "import sys, pipelines.store, pipelines.snapshot\n"
        "build = {'pipelines.build', 'pipelines.extract', 'pipelines.sqlrunner', 'polars', 'streamlit'}\n"
        "bad = sorted(m for m in sys.modules if m in build or m.startswith(('pipelines.ijw', 'pipelines.tabular')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
