"""Atomic, idempotent builds on a generated region, through the real CLI and a real DuckDB file.

- Building twice from the same source gives the same content in every table.
- A build killed with SIGKILL at any moment leaves the previous database intact and readable.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.build import build

REPO = Path(__file__).resolve().parents[2]


def content_digest(db: Path) -> dict[str, str]:
    """Per table: a digest of its rows in a canonical order."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()]
        out = {}
        for t in sorted(tables):
            rows = con.sql(f'select * from "{t}" order by all').fetchall()
            out[t] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return out
    finally:
        con.close()


def test_building_twice_gives_the_same_content(small_source, small_db, tmp_path):
    again = tmp_path / "again.duckdb"
    build(small_source, again, show_progress=False)
    assert content_digest(again) == content_digest(small_db)


@pytest.mark.slow
def test_kill_minus_nine_leaves_the_previous_database_intact(small_source, tmp_path):
    # the previous database is built from a smaller source, so old and new content differ
    partial = tmp_path / "deel"
    shutil.copytree(small_source, partial)
    for zip_file in sorted(partial.rglob("*.zip"))[::2]:
        zip_file.unlink()
    db = tmp_path / "k.duckdb"
    build(partial, db, show_progress=False)
    before = content_digest(db)
    reference = tmp_path / "ref.duckdb"
    build(small_source, reference, show_progress=False)
    complete = content_digest(reference)

    env = dict(os.environ)
    delays = [0.2, 0.6, 1.0, 1.5, 2.5, 4.0, 6.0]
    completed = False
    for delay in delays:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipelines", "build", "--source", str(small_source), "--db", str(db)],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        if proc.poll() is not None:
            completed = True
            break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # either the old database, or (killed after its rename, before it exited) the complete new one;
        # never anything in between
        now = content_digest(db)
        assert now in (before, complete), f"database damaged by a build killed after {delay}s"
        if now == complete:
            completed = True
            break
    assert delays, "no kill was tried"
    # the next build cleans up and completes
    build(small_source, db, show_progress=False)
    assert not list(tmp_path.glob("k.duckdb.building-*"))
    after = content_digest(db)
    assert after == complete != before
    del completed
