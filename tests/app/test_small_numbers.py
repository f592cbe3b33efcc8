"""Small-number protection as a user sees it: no table and no download shows a person count 1..k-1.

Scans (1) every st.dataframe on every page and in every one of its tabs (only the open tab is run), for the
broad view and for narrow filter combinations that provoke small cells, and (2) the CSV bytes of every
chart/table download, rebuilt from the same frames the pages pass to the download buttons
(components.shown is the single path to both).
"""

from __future__ import annotations

import io
import re

import duckdb
import pandas as pd
import pytest

from dashboard.labels import PERSON_COUNTS
from pipelines import settings
from tests.app.conftest import PAGES, capture_downloads, csv_parts, run_page, tab_views

K = settings.small_number_threshold()
SMALL = re.compile(r"^\s*([1-9]\d*)\s*$")
KPI_COUNTS = {"Instroom", "In zorg", "Uitstroom", "Kinderen wachtend", "Nu wachtend"}


def small_counts(df: pd.DataFrame) -> list[tuple[str, str]]:
    found = []
    for col in df.columns:
        if col not in PERSON_COUNTS:
            continue
        for value in df[col].astype(str):
            m = SMALL.match(value.replace(".", ""))
            if m and int(m.group(1)) < K:
                found.append((col, value))
    return found


def narrow_queries(app_db) -> list[dict[str, str]]:
    con = duckdb.connect(str(app_db), read_only=True)
    try:
        gemeente = con.sql("select min(gemeente_code) from trajecten").fetchall()[0][0]
        aanbieder, categorie = con.sql(
            "select aanbieder_agb, productcategorie from trajecten group by all order by count(*) limit 1"
        ).fetchall()[0]
    finally:
        con.close()
    return [
        {},
        {"gemeente": gemeente},
        {"gemeente": gemeente, "aanbieder": aanbieder},
        {"aanbieder": aanbieder, "productcategorie": categorie, "leeftijdsgroep": "0-3"},
    ]


@pytest.mark.parametrize("page", PAGES[:-1])
def test_no_page_table_shows_small_counts(use_db, app_db, page):
    for query in (q | tab for q in narrow_queries(app_db) for tab in tab_views(page)):
        at = run_page(page, query)
        assert not at.exception, [e.value for e in at.exception]
        for frame in at.dataframe:
            assert small_counts(frame.value) == [], (page, query)
        for metric in at.metric:
            if metric.label in KPI_COUNTS:
                m = SMALL.match(metric.value.replace(".", ""))
                assert not (m and int(m.group(1)) < K), (page, query, metric.label, metric.value)


def test_no_download_contains_small_counts(use_db, app_db, monkeypatch):
    captured = capture_downloads(monkeypatch)
    for page in PAGES[:-1]:
        for query in (q | tab for q in narrow_queries(app_db) for tab in tab_views(page)):
            at = run_page(page, query)
            assert not at.exception
    assert captured, "no download was offered"
    for data in captured:
        _, text = csv_parts(data)  # the table after the context block
        df = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
        assert small_counts(df) == []


def test_the_scan_itself_catches_a_small_count():
    df = pd.DataFrame({"Instroom": ["12", "3", "<5"], "Mediaan (dagen)": ["2", "4", "6"]})
    assert small_counts(df) == [("Instroom", "3")]
