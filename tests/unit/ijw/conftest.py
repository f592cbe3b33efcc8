"""Fixtures for the iJw tests: write hand-made files into a source folder and build a real database."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines.build import BuildResult, build


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def build_files(tmp_path: Path) -> Callable[..., tuple[BuildResult, duckdb.DuckDBPyConnection]]:
    """Write {rel: bytes} under a fresh source folder, build it, return (result, read-only connection)."""
    counter = {"n": 0}
    cons: list[duckdb.DuckDBPyConnection] = []

    def _build(
        files: dict[str, bytes], name: str | None = None
    ) -> tuple[BuildResult, duckdb.DuckDBPyConnection]:
        counter["n"] += 1
        src = tmp_path / (name or f"bron{counter['n']}")
        for rel, data in files.items():
            p = src / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(data)
        db = tmp_path / f"{src.name}.duckdb"
        result = build(src, db, show_progress=False)
        con = duckdb.connect(str(db), read_only=True)
        cons.append(con)
        return result, con

    yield _build
    for con in cons:
        con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def report_of(result: BuildResult, path: str):
    matches = [r for r in result.reports if r.path == path]
    assert len(matches) == 1, f"{path}: {[r.path for r in result.reports]}"
    return matches[0]


def codes_of(result: BuildResult, path: str) -> list[str]:
    return [q.code for q in result.quarantine if q.path == path]
