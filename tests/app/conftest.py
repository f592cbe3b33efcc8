"""App tests: AppTest runs the real router and pages against a database built through the real build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [
    "views/overzicht.py",
    "views/stromen.py",
    "views/wachttijden.py",
    "views/caseload.py",
    "views/signalen.py",
    "views/definities.py",
]


@pytest.fixture(scope="session")
def app_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A region large enough that filters change visible figures (scale 0.2), built by the real build."""
    from pipelines.build import build
    from pipelines.generate import generate

    source = tmp_path_factory.mktemp("app_bron") / "regio"
    generate(source, scale=0.2, seed=11)
    db = tmp_path_factory.mktemp("app_db") / "ketenmonitor.duckdb"
    build(source, db, show_progress=False)
    return db


@pytest.fixture
def use_db(app_db: Path):
    old = os.environ.get("KETENMONITOR_DB")
    os.environ["KETENMONITOR_DB"] = str(app_db)
    yield app_db
    if old is None:
        os.environ.pop("KETENMONITOR_DB", None)
    else:
        os.environ["KETENMONITOR_DB"] = old


def run_page(page: str, query: dict[str, str] | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != PAGES[0]:
        at.switch_page(page).run()
    return at
