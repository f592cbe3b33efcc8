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
