"""Without the compiled iJw reader the build still runs, says so once, and writes exactly the same database.

The fallback build runs in a copy of the code (`pipelines/`, `sql/`, `config/`) without
`pipelines/ijw/_walk*.so`, i.e. a checkout where `pip install -e .` never compiled it, through the real CLI
in a subprocess (its spawned workers import the same copy). The reference build runs the real checkout with
the compiled reader (its bulk path included). Every table and view must hold the same rows, compared row
by row; the fallback build's stderr carries the Dutch fallback line exactly once, the reference's not at
all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.ijw.walk import DISABLED_MESSAGE, FALLBACK_MESSAGE

REPO = Path(__file__).resolve().parents[3]


def _run_build(cwd: Path, source: Path, db: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KETENMONITOR_IJW_COMPILED"}
    env["KETENMONITOR_WORKERS"] = "2"  # the spawned pool too, not only the in-process path
    result = subprocess.run(
        [sys.executable, "-m", "pipelines", "build", "--source", str(source), "--db", str(db)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result


def _checkout_without_compiled_reader(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "_walk*.so", "_walk*.pyd", "_walk.c")
    for name in ("pipelines", "sql", "config"):
        shutil.copytree(REPO / name, dest / name, ignore=ignore)
    assert not list((dest / "pipelines").rglob("_walk*.so"))
    return dest


def _rows(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.sql("select table_name from information_schema.tables").fetchall()]
        return {n: con.sql(f'select * from "{n}" order by all').fetchall() for n in sorted(names)}
    finally:
        con.close()


def test_build_without_the_compiled_reader_gives_the_same_database(
    small_source: Path, tmp_path: Path
) -> None:
    checkout = _checkout_without_compiled_reader(tmp_path / "checkout")
    fallback = _run_build(checkout, small_source, tmp_path / "fallback.duckdb")
    reference = _run_build(REPO, small_source, tmp_path / "compiled.duckdb")

    assert fallback.stderr.count(FALLBACK_MESSAGE) == 1, fallback.stderr
    assert FALLBACK_MESSAGE not in reference.stderr and DISABLED_MESSAGE not in reference.stderr
    assert (
        fallback.stdout.splitlines()[-1].split(":", 1)[1]
        == reference.stdout.splitlines()[-1].split(":", 1)[1]
    )

    got, want = _rows(tmp_path / "fallback.duckdb"), _rows(tmp_path / "compiled.duckdb")
    assert sorted(got) == sorted(want)
    assert sum(len(rows) for rows in want.values()) > 10_000  # the region really has data
    for name, rows in want.items():
        assert len(got[name]) == len(rows), name
        for i, (a, b) in enumerate(zip(got[name], rows, strict=True)):
            assert a == b, f"{name}, row {i}: {a} != {b}"
