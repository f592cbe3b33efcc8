"""The routes heatmap reads its cells from the `routes_matrix` macro: verwijzer × categorie, `routes` summed
over afloop in SQL (no aggregation in Polars). Pinned against an independent aggregation of the `routes`
macro's rows, for no filter and for each filter set alone, on the app database built by the real build."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard import data, queries
from dashboard.filtermodel import Filters
from tests.app.test_filter_contract import _all, _months, _options

KEYS = ["verwijzer", "categorie"]


def _filters(db) -> list[Filters]:
    f = _all(db)
    months = _months(db)
    return [
        f,
        replace(f, van=months[len(months) // 2], tot=months[-4]),
        replace(f, leeftijdsgroep="12-17"),
        replace(f, gemeente=_options(db, "gemeente")[0]),
        replace(f, productcategorie=_options(db, "productcategorie")[0]),
    ]


def test_the_macro_is_routes_summed_over_afloop(use_db):
    checked = 0
    for f in _filters(use_db):
        routes = data.fetch("routes", **f.params("routes"))
        expected = (
            routes.group_by(KEYS).agg(pl.col("trajecten").sum(), pl.col("trajecten_ck").sum()).sort(KEYS)
        )
        got = data.fetch("routes_matrix", **f.params("routes_matrix")).sort(KEYS)
        assert got.columns == [*KEYS, "trajecten", "trajecten_ck"]
        assert got.select(KEYS).is_duplicated().sum() == 0  # one row per cell
        assert got.cast({"trajecten": pl.Int64, "trajecten_ck": pl.Int64}).equals(
            expected.cast({"trajecten": pl.Int64, "trajecten_ck": pl.Int64})
        ), f
        checked += got.height
    assert checked > 0


def test_the_heatmap_cells_are_protected(use_db):
    f = _all(use_db)
    k = queries.k()
    cells = queries.routes_matrix(f)
    raw = data.fetch("routes_matrix", **f.params("routes_matrix"))
    assert cells.height > 0
    # no small cell is published, and no row is left whose only count is hidden
    assert cells.filter(pl.col("trajecten").is_not_null() & (pl.col("trajecten") < k)).height == 0
    assert not cells["trajecten_onderdrukt"].any()
    assert cells.height <= raw.height
