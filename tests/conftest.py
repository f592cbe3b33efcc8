"""Shared fixtures: a small generated region and databases built from it through the real build.

Every fixture writes into pytest's tmp_path; nothing touches data/ or the user's database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "test-sleutel-niet-voor-productie")
# the committed example roles file, not a developer's own config/rollen.toml (the demo mode's users)
os.environ.setdefault("KETENMONITOR_ROLLEN", str(REPO / "config" / "rollen.voorbeeld.toml"))


@pytest.fixture(scope="session")
def small_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small but complete generated region (all file kinds, all fault kinds)."""
    from generator import generate

    out = tmp_path_factory.mktemp("bron") / "zuidoost-duinland"
    generate(out, scale=0.05, seed=7)
    return out


@pytest.fixture(scope="session")
def small_db(small_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database built from `small_source` through the real build entry point."""
    from pipelines.build import build

    db = tmp_path_factory.mktemp("db") / "ketenmonitor.duckdb"
    build(small_source, db, report_path=db.with_suffix(".json"), show_progress=False)
    return db


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed sample region (scale 1) built through the real build."""
    from pipelines.build import build

    source = REPO / "sample_data"
    db = tmp_path_factory.mktemp("sample") / "ketenmonitor.duckdb"
    build(source, db, report_path=db.with_suffix(".json"), show_progress=False)
    return db


@pytest.fixture(scope="session")
def app_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exports of a region large enough that filters change visible figures (scale 0.2)."""
    from generator import generate

    source = tmp_path_factory.mktemp("app_bron") / "regio"
    generate(source, scale=0.2, seed=11)
    return source


@pytest.fixture(scope="session")
def app_db(app_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`app_source` built by the real build (a test may build it again into the same path: same figures)."""
    from pipelines.build import build

    db = tmp_path_factory.mktemp("app_db") / "ketenmonitor.duckdb"
    build(app_source, db, show_progress=False)
    return db
