"""Fixtures for the provider/team extractor: run the real build on files written into tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pipelines.build import build
from tests.unit.tabular.helpers import Built


@pytest.fixture
def run_build(tmp_path: Path) -> Iterator[Callable[[Path], Built]]:
    opened: list[Built] = []

    def _run(source: Path) -> Built:
        db = tmp_path / f"db{len(opened)}" / "ketenmonitor.duckdb"
        built = Built(build(source, db, show_progress=False))
        opened.append(built)
        return built

    yield _run
    for b in opened:
        b.con.close()


@pytest.fixture
def source(tmp_path: Path) -> Path:
    src = tmp_path / "bron"
    src.mkdir()
    return src
