"""Cached chart specs and display tables: built once per content, and drawn exactly as before caching.

The reference is the uncached code path the blocks used before (`st.altair_chart(chart, width="stretch")`
and `st.dataframe(shown(frame, labels), hide_index=True, width="stretch")`); the pages are run with it and
with the cache (warm, so served from it), and every chart and table element must be the same proto.
"""

from __future__ import annotations

import json
import pickle
from datetime import date

import polars as pl
import pytest
import streamlit as st

from dashboard import charts, components
from dashboard.fingerprint import fingerprint
from tests.app.conftest import PAGES, run_page


def _months(values: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"maand": [date(2026, m, 1) for m in range(1, len(values) + 1)], "instroom": values},
        schema={"maand": pl.Date, "instroom": pl.Int64},
    )


def _same_spec(a: dict, b: dict) -> bool:
    """Equal specs; the datasets are frames (compared by content: `==` on frames is elementwise)."""
    da, db = a["datasets"], b["datasets"]
    same_data = da.keys() == db.keys() and all(da[name].equals(db[name]) for name in da)
    return same_data and {**a, "datasets": None} == {**b, "datasets": None}


def test_chart_spec_is_reused_for_the_same_data_and_rebuilt_for_other_data():
    builds: list[str] = []

    @charts.recipe
    def counted(df: pl.DataFrame, title: str):
        builds.append(title)
        return charts.lines_over_time.__wrapped__(df, "maand", {"instroom": "Instroom"}, title)

    components._vega_spec.clear()
    df = _months([10, 12, 9, 14, 11, 8, 15, 13, 12, 10, 9, 16])
    first = components.vega_spec(counted(df, "Trajecten"))
    # equal content in another object (as st.cache_data hands out a fresh copy on every hit): reused
    again = components.vega_spec(counted(pickle.loads(pickle.dumps(df)), "Trajecten"))
    assert builds == ["Trajecten"]
    assert _same_spec(again, first)
    # one middle row differs (Streamlit's own polars hashing would not see it): rebuilt
    middle = df.with_columns(pl.when(pl.col("maand") == date(2026, 6, 1)).then(80).otherwise("instroom"))
    components.vega_spec(counted(middle, "Trajecten"))
    # same data, another argument: rebuilt
    components.vega_spec(counted(df, "Kinderen"))
    assert builds == ["Trajecten", "Trajecten", "Kinderen"]
    # every caller gets its own copy (Streamlit edits the dict it is given)
    again["datasets"].clear()
    assert components.vega_spec(counted(df, "Trajecten"))["datasets"]
    assert builds == ["Trajecten", "Trajecten", "Kinderen"]


def test_a_recipe_builds_the_same_chart_as_the_plain_builder():
    df = _months([10, 12, None, 14])
    recipe = charts.lines_over_time(df, "maand", {"instroom": "Instroom"}, "Trajecten")
    assert isinstance(recipe, charts.ChartRecipe)
    plain = charts.lines_over_time.__wrapped__(df, "maand", {"instroom": "Instroom"}, "Trajecten")
    # the same chart, with the browser's renderer set at the top level
    assert recipe.build().to_dict() == charts.for_browser(plain).to_dict()
    assert recipe.build().to_dict()["usermeta"] == {"embedOptions": {"renderer": "canvas"}}


def test_display_table_is_built_once_per_content(monkeypatch):
    calls: list[int] = []
    real = components.shown

    def spy(df, labels=None):
        calls.append(df.height)
        return real(df, labels)

    monkeypatch.setattr(components, "shown", spy)
    components._display_table.clear()
    df = _months([10, 12, 9])
    labels = {"maand": "Maand", "instroom": "Instroom"}
    first = components.display_table(df, labels)
    assert components.display_table(df.clone(), labels).equals(first)
    assert calls == [3]
    components.display_table(df, {"instroom": "Instroom"})  # other labels: other table
    components.display_table(_months([10, 13, 9]), labels)  # other content
    assert calls == [3, 3, 3]
    assert first.column_names == ["Maand", "Instroom"]


def test_fingerprint_tells_content_apart_and_refuses_unknown_values():
    df = _months([1, 2, 3])
    assert fingerprint(df, "a") == fingerprint(df.clone(), "a")
    assert fingerprint(df, "a") != fingerprint(df.rename({"instroom": "uitstroom"}), "a")
    assert fingerprint(df, {"a": 1, "b": 2}) != fingerprint(df, {"b": 2, "a": 1})
    assert fingerprint(1) != fingerprint(1.0) != fingerprint(True)
    with pytest.raises(TypeError):
        fingerprint(object())


def _altair_chart_as_before(chart: charts.ChartRecipe) -> bool:
    built = chart.build()
    if built is None:
        return False
    st.altair_chart(built, width="stretch")
    return True


def _dataframe_as_before(frame: pl.DataFrame, labels: dict[str, str] | None) -> None:
    st.dataframe(components.shown(frame, labels), hide_index=True, width="stretch")


def _chart_drawn(proto) -> tuple[object, list[tuple[str, bool, bytes]], bytes]:
    """A drawn chart as the browser receives it: the spec, every dataset's Arrow bytes and the other proto
    fields. Dataset names are content hashes (Streamlit's own or dashboard.components'), so they are
    replaced by their order; the data itself is compared byte for byte."""
    names = {d.name: f"dataset-{i}" for i, d in enumerate(proto.datasets)}
    spec = proto.spec
    for old, new in names.items():
        spec = spec.replace(old, new)
    rest = type(proto)()
    rest.CopyFrom(proto)
    rest.ClearField("spec")
    rest.ClearField("datasets")
    datasets = [
        (names[d.name], d.has_name, d.data.SerializeToString(deterministic=True)) for d in proto.datasets
    ]
    return json.loads(spec), datasets, rest.SerializeToString(deterministic=True)


def _drawn(at) -> list[tuple[str, object]]:
    charts_ = [("chart", _chart_drawn(e.proto)) for e in at.get("vega_lite_chart")]
    tables = [("table", e.proto.SerializeToString(deterministic=True)) for e in at.dataframe]
    return charts_ + tables


def _draw_both(values):  # an AppTest script: its own imports, no annotations
    """App script: one chart through the cached spec, then through `st.altair_chart`."""
    from datetime import date

    import polars as pl
    import streamlit as st

    from dashboard import charts as c
    from dashboard import components as comp

    df = pl.DataFrame(
        {"maand": [date(2026, m, 1) for m in range(1, len(values) + 1)], "instroom": values},
        schema={"maand": pl.Date, "instroom": pl.Int64},
    )
    recipe = c.lines_over_time(df, "maand", {"instroom": "Instroom"}, "Trajecten")
    comp._draw_chart(recipe)
    st.altair_chart(recipe.build(), width="stretch")


def test_a_cached_spec_draws_the_chart_st_altair_chart_draws():
    """Without a page: the public-API spec (`components.spec_for_streamlit`) drawn by st.vega_lite_chart is
    the element st.altair_chart draws (same spec, theme, data bytes); and the comparison sees a changed
    value, so an equal result is not an artefact of the normalisation."""
    from streamlit.testing.v1 import AppTest

    def drawn(values):
        at = AppTest.from_function(_draw_both, kwargs={"values": values}).run()
        assert not at.exception, [e.value for e in at.exception]
        return [_chart_drawn(e.proto) for e in at.get("vega_lite_chart")]

    cached, reference = drawn([10, None, 9, 14])
    assert cached == reference
    assert cached[1] and cached[1][0][1]  # the data travels as a dataset, not inline
    assert "config" not in cached[0]  # theme "none", as st.altair_chart: no default 300 px view
    assert cached[0]["usermeta"] == {"embedOptions": {"renderer": "canvas"}}
    other, _ = drawn([10, None, 9, 15])
    assert other[0] == cached[0] and other[1] != cached[1]


@pytest.mark.parametrize("page", PAGES[:-1])
@pytest.mark.parametrize("query", [{}, {"leeftijdsgroep": "12-17"}])
def test_pages_draw_the_same_charts_and_tables_as_without_the_cache(use_db, monkeypatch, page, query):
    run_page(page, query)  # fills the caches
    cached = run_page(page, query)
    assert not cached.exception, [e.value for e in cached.exception]
    monkeypatch.setattr(components, "_draw_chart", _altair_chart_as_before)
    monkeypatch.setattr(components, "_draw_table", _dataframe_as_before)
    reference = run_page(page, query)
    assert not reference.exception, [e.value for e in reference.exception]
    drawn = _drawn(cached)
    assert any(kind == "chart" for kind, _ in drawn), "the page draws no chart"
    assert drawn == _drawn(reference)


def _altair_layer(*layers, **props):
    import altair as alt

    return alt.layer(*layers, **props)


def _altair_vconcat(*panels, **props):
    import altair as alt

    return alt.VConcatChart(vconcat=list(panels), **props)


@pytest.mark.parametrize("page", PAGES[:-1])
def test_every_chart_has_the_spec_altairs_own_layer_and_vconcat_give(use_db, monkeypatch, page):
    """charts.layer/vconcat skip Altair's parameter merge (and its copies): every chart drawn on every tab of
    every page has the same spec as when composed with alt.layer and alt.VConcatChart."""
    from tests.app.conftest import tab_views

    recipes: list[charts.ChartRecipe] = []
    real = components._draw_chart

    def spy(chart: charts.ChartRecipe) -> bool:
        recipes.append(chart)
        return real(chart)

    monkeypatch.setattr(components, "_draw_chart", spy)
    for query in tab_views(page):
        at = run_page(page, query)
        assert not at.exception, [e.value for e in at.exception]
    composed = [r for r in recipes if isinstance(r.build(), charts.Layers | charts.Panels)]
    assert composed, "no layered chart on the page"
    ours = [components.spec_for_streamlit(r.build()) for r in composed]
    monkeypatch.setattr(charts, "layer", _altair_layer)
    monkeypatch.setattr(charts, "vconcat", _altair_vconcat)
    altairs = [components.spec_for_streamlit(r.build()) for r in composed]
    assert not any(isinstance(r.build(), charts.Layers | charts.Panels) for r in composed)
    for recipe, a, b in zip(composed, ours, altairs, strict=True):
        assert _same_spec(a, b), recipe.builder.__qualname__
