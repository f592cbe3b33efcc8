"""No database, a database of an older model, and a new database swapped in: clear Dutch, never a trace."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from pipelines.contract import database_status
from tests.app.conftest import run_page


def _with_db(path: Path):
    os.environ["KETENMONITOR_DB"] = str(path)


def test_no_database_gives_a_clear_message(tmp_path):
    _with_db(tmp_path / "bestaat-niet.duckdb")
    at = run_page("views/overzicht.py")
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "nog geen database" in text and "python -m pipelines build" in text


def test_database_of_another_model_version_asks_for_a_rebuild(tmp_path, app_db):
    old = tmp_path / "oud.duckdb"
    shutil.copy(app_db, old)
    con = duckdb.connect(str(old))
    con.execute("update build_info set model_version = model_version - 1")
    con.close()
    _with_db(old)
    at = run_page("views/overzicht.py")
    assert not at.exception
    assert any("andere versie" in w.value for w in at.warning)
    # the app and `ketenmonitor status` refuse it with the same reason (one check, pipelines/contract.py)
    ok, reason = database_status(old)
    assert not ok
    assert any(w.value == reason for w in at.warning), (reason, [w.value for w in at.warning])


def test_a_database_missing_a_relation_asks_for_a_rebuild(tmp_path, app_db):
    old = tmp_path / "onvolledig.duckdb"
    shutil.copy(app_db, old)
    con = duckdb.connect(str(old))
    con.execute("drop macro table filter_opties")
    con.close()
    _with_db(old)
    at = run_page("views/overzicht.py")
    assert not at.exception
    assert any("opnieuw" in w.value for w in at.warning)


def test_app_reconnects_when_the_build_swaps_in_a_new_file(tmp_path, app_db):
    live = tmp_path / "live.duckdb"
    shutil.copy(app_db, live)
    _with_db(live)
    first = run_page("views/overzicht.py")
    assert not first.exception
    before = [(m.label, m.value) for m in first.metric]

    # a "new build" with different figures, swapped in atomically as pipelines.build does
    new = tmp_path / "nieuw.duckdb"
    shutil.copy(app_db, new)
    con = duckdb.connect(str(new))
    con.execute("update maand_stromen set instroom = instroom + 1000")
    con.execute("checkpoint")  # the build checkpoints before its swap; a WAL would not move with the file
    con.close()
    os.replace(new, live)

    second = run_page("views/overzicht.py")
    assert not second.exception
    after = [(m.label, m.value) for m in second.metric]
    assert after != before, "the app kept serving the old database after the swap"


def test_a_database_without_caseload_data_explains_on_the_caseload_page(tmp_path, app_db):
    db = tmp_path / "zonder_teams.duckdb"
    shutil.copy(app_db, db)
    con = duckdb.connect(str(db))
    con.execute("delete from caseload_team")
    con.execute("checkpoint")
    con.close()
    _with_db(db)
    at = run_page("views/caseload.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("Geen teamgegevens" in i.value for i in at.info)
