"""Altair chart builders (Dutch labels and formats). Pure functions from frames to charts; no Streamlit."""

from __future__ import annotations

import altair as alt
import polars as pl

DUTCH_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€ ", ""],
}
DUTCH_TIME = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],  # fmt: skip
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}


def _config(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.properties(
        usermeta={"embedOptions": {"formatLocale": DUTCH_LOCALE, "timeFormatLocale": DUTCH_TIME}}
    )


def lines_over_time(df: pl.DataFrame, x: str, series: dict[str, str], y_title: str) -> alt.TopLevelMixin:
    """One line per column in `series` (column -> Dutch label) over the month column `x`."""
    long = df.select(x, *series).unpivot(index=x, variable_name="reeks", value_name="aantal")
    long = long.with_columns(pl.col("reeks").replace_strict(series))
    chart = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{x}:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("aantal:Q", title=y_title),
            color=alt.Color("reeks:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip(f"{x}:T", title="Maand", format="%B %Y"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=300)
    )
    return _config(chart)


def coverage_heatmap(df: pl.DataFrame) -> alt.TopLevelMixin:
    """Which aanbieder delivered in which month, per source (grey = nothing delivered)."""
    chart = (
        alt.Chart(df)
        .mark_rect()
        .encode(
            x=alt.X("maand:T", title=None, axis=alt.Axis(format="%b %Y")),
            y=alt.Y("aanbieder_agb:N", title="Aanbieder (AGB)"),
            color=alt.Color("aantal:Q", title="Aantal", scale=alt.Scale(scheme="blues")),
            row=alt.Row("bron:N", title=None),
            tooltip=[
                alt.Tooltip("aanbieder_agb:N", title="Aanbieder"),
                alt.Tooltip("maand:T", title="Maand", format="%B %Y"),
                alt.Tooltip("bron:N", title="Bron"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=260)
    )
    return _config(chart)
