"""Data tests on the generated sample region (tests/sql/datatests/*.sql): each query must return no rows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

DATATESTS = sorted((Path(__file__).parent / "datatests").glob("*.sql"))


@pytest.fixture(scope="module")
def con(small_db: Path):
    connection = duckdb.connect(str(small_db), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("path", DATATESTS, ids=lambda p: p.stem)
def test_datatest_returns_no_rows(con, path: Path):
    bad = con.execute(path.read_text("utf-8")).fetchmany(5)
    assert bad == [], f"{path.name}: {path.read_text('utf-8').splitlines()[0]} -> e.g. {bad}"


def test_sample_region_has_rows_in_every_mart(con):
    for mart in (
        "trajecten",
        "maand_stromen",
        "wachttijden",
        "wachttijden_maand",
        "signalen",
        "wachtlijst_week",
    ):
        (n,) = con.execute(f"select count(*) from {mart}").fetchone()
        assert n > 0, mart
