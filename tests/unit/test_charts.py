"""Series over time: `lines_over_time` and `stacked_bars` are one builder (`charts.series_over_time`) with
another mark; they differ in nothing else, and both carry the voorlopig band."""

from __future__ import annotations

from datetime import date

import polars as pl

from dashboard import charts

SERIES = {"a": "Instroom", "b": "Uitstroom"}


def _df() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "maand": [date(2026, m, 1) for m in range(1, 5)],
            "a": [1, None, 3, 4],
            "b": [2, 3, 4, 5],
            "voorlopig": ["nee", "nee", "ja", "ja"],
        }
    )


def _series_layer(spec: dict) -> dict:
    return next(layer for layer in spec["layer"] if layer["encoding"].get("color"))


def test_lines_and_bars_differ_only_in_their_mark():
    lines = charts.lines_over_time(_df(), "maand", SERIES, "Trajecten").build().to_dict()
    bars = charts.stacked_bars(_df(), "maand", SERIES, "Trajecten").build().to_dict()
    assert _series_layer(lines)["mark"] == {"type": "line", "point": True}
    assert _series_layer(bars)["mark"] == {"type": "bar"}
    assert _series_layer(bars)["encoding"]["y"].pop("stack") is True
    assert "stack" not in _series_layer(lines)["encoding"]["y"]
    for spec in (lines, bars):
        del _series_layer(spec)["mark"]
    assert lines == bars
    # the voorlopig band: a rect over the voorlopig months (March and April), under the series
    band = lines["layer"][0]
    assert band["mark"]["type"] == "rect"
    (values,) = [v for v in lines["datasets"].values() if v and "van" in v[0]]
    assert values[0]["label"] == "voorlopig"
    assert values[0]["van"].startswith("2026-02-1") and values[0]["tot"].startswith("2026-04-1")


def test_without_voorlopig_months_there_is_no_band_and_bars_need_rows():
    df = _df().with_columns(pl.lit("nee").alias("voorlopig"))
    spec = charts.stacked_bars(df, "maand", SERIES, "Trajecten").build().to_dict()
    assert "layer" not in spec and spec["mark"] == {"type": "bar"}
    assert charts.stacked_bars(df.clear(), "maand", SERIES, "Trajecten").build() is None


def _verdeling() -> pl.DataFrame:
    """Classes as sql/macros/wachttijden_verdeling returns them: the norm (4 weeks) is the edge after 2–4 wk."""
    klassen = ["0–2 wk", "2–4 wk", "4–6 wk", "> 6 wk"]
    return pl.DataFrame(
        {
            "soort": ["afgerond"] * 4 + ["wachtend"] * 4,
            "volgorde": [1, 2, 3, 4] * 2,
            "klasse": klassen * 2,
            "is_open": [False, False, False, True] * 2,
            "binnen_norm": [True, True, False, False] * 2,
            "aantal": [10, None, 7, 6, 8, 9, None, 12],
            "aantal_onderdrukt": [False, True, False, False, False, False, True, False],
        }
    )


def test_histogram_draws_banded_classes_side_by_side_with_the_norm_on_a_class_edge():
    spec = charts.histogram(_verdeling(), 4.0).build().to_dict()
    bars, marks, rule, rule_label = spec["layer"]
    assert rule_label["mark"]["type"] == "text" and rule_label["encoding"]["x"] == rule["encoding"]["x"]
    assert bars["mark"]["type"] == "bar"
    # a band scale (nominal classes in the class order), so xOffset puts the two groups side by side
    assert bars["encoding"]["x"]["type"] == "nominal" and bars["encoding"]["x"]["field"] == "klasse"
    assert bars["encoding"]["x"]["sort"] == ["0–2 wk", "2–4 wk", "4–6 wk", "> 6 wk"]
    assert bars["encoding"]["xOffset"]["field"] == "soort"
    assert "per 4 weken" not in bars["encoding"]["x"]["axis"]["title"]
    assert bars["encoding"]["y"]["scale"]["zero"] is True
    # the norm stands on the right edge of the last class within the norm, and says which norm it is
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["bandPosition"] == 1
    (norm_rows,) = [v for v in spec["datasets"].values() if v and "label" in v[0]]
    assert norm_rows == [{"klasse": "2–4 wk", "label": "norm 4 wk"}]
    # suppressed classes are marked "<5", not left out silently
    assert marks["mark"]["type"] == "text"
    (teken,) = [v for v in spec["datasets"].values() if v and "teken" in v[0]]
    assert sorted((r["soort"], r["klasse"], r["teken"]) for r in teken) == [
        ("afgerond", "2–4 wk", "<5"),
        ("wachtend", "4–6 wk", "<5"),
    ]
    # and the spec is valid Vega-Lite (validation raises otherwise)
    charts.histogram(_verdeling(), 30 / 7).build().to_dict(validate=True)
