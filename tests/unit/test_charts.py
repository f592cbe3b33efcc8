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
