"""Altair chart builders (Dutch labels and formats). Pure functions from frames to charts; no Streamlit.

Every public builder is wrapped by `recipe`: calling it returns a `ChartRecipe` (the builder and its
arguments) instead of the chart. `components.chart_block` builds the chart only when no Vega-Lite spec for
the same recipe key (the builder and the content of its arguments) is cached, and builds it again on click
for the PNG. Building the Altair objects and converting them with JSON-schema validation was most of a
warm page run; a recipe costs a content hash of its frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import altair as alt
import polars as pl

from dashboard.fingerprint import fingerprint
from dashboard.format import MAANDEN_KORT
from dashboard.format import maand as dutch_month
from dashboard.labels import CASELOAD_STATUS, CASELOAD_WEGING


@dataclass(frozen=True, eq=False)
class ChartRecipe:
    """A chart builder with its arguments, built on demand; `key()` is the same only for equal content."""

    builder: Callable[..., alt.TopLevelMixin | None]
    args: tuple
    kwargs: tuple[tuple[str, object], ...]

    def build(self) -> alt.TopLevelMixin | None:
        """The Altair chart (None when there is nothing to draw) as the builder makes it, with the
        browser's renderer set (`for_browser`)."""
        return for_browser(self.builder(*self.args, **dict(self.kwargs)))

    def key(self) -> str:
        return fingerprint(f"{self.builder.__module__}.{self.builder.__qualname__}", self.args, self.kwargs)


# Draw with Vega's canvas renderer instead of SVG (vega-embed's option, which Streamlit's frontend reads
# from `usermeta.embedOptions.renderer`). With SVG every mark, axis label and gridline is a DOM node that
# chromium has to create, style, lay out and paint (about 870 nodes for Overzicht's two charts, the
# coverage heatmap alone 528 cells); a canvas is one element. This halves a page's DOM; the browser's
# main-thread time per action stayed about the same (benchmarks/README.md, perf-dash2). Tooltips work the
# same; the PNG download is rendered on the server and does not read usermeta.
BROWSER_USERMETA = {"embedOptions": {"renderer": "canvas"}}


def for_browser(chart: alt.TopLevelMixin | None) -> alt.TopLevelMixin | None:
    """`chart` with the renderer the browser draws it with (top level only; None stays None)."""
    return None if chart is None else chart.properties(usermeta=BROWSER_USERMETA)


def recipe(builder: Callable[..., alt.TopLevelMixin | None]) -> Callable[..., ChartRecipe]:
    """Make `builder(...)` return a ChartRecipe; `builder.__wrapped__` is the plain builder."""

    @functools.wraps(builder)
    def wrapper(*args: object, **kwargs: object) -> ChartRecipe:
        return ChartRecipe(builder, args, tuple(sorted(kwargs.items())))

    return wrapper


MONTH_LABEL = (
    "[" + ",".join(f"'{m}'" for m in MAANDEN_KORT) + "][month(datum.value)] + ' ' + year(datum.value)"
)


NUMBER_LABEL = (
    "replace(replace(replace(format(datum.value, ',.6~f'), regexp(',', 'g'), '_'), regexp('[.]', 'g'), ','),"
    " regexp('_', 'g'), '.')"
)


def number_axis(title: str | None, **kwargs) -> alt.Axis:
    """A quantitative axis with Dutch number labels (1.000 and 2,5)."""
    return alt.Axis(title=title, labelExpr=NUMBER_LABEL, **kwargs)


def month_axis() -> alt.Axis:
    """A time axis with Dutch month labels (Vega's own locale is English inside Streamlit)."""
    return alt.Axis(labelExpr=MONTH_LABEL, title=None, labelAngle=0)


def _with_month_label(df: pl.DataFrame, x: str = "maand") -> pl.DataFrame:
    """Add `maand_label` ('nov 2026') for tooltips."""
    if x not in df.columns:
        return df
    # in Python, not map_elements (a Python UDF on Polars' pool deadlocks under concurrent sessions)
    labels = [None if v is None else dutch_month(v) for v in df[x].to_list()]
    return df.with_columns(pl.Series("maand_label", labels, dtype=pl.String))


VOORLOPIG_KLEUR = "#9e9e9e"
VOORLOPIG_UITLEG = "Voorlopig: van deze maanden zijn nog niet alle berichten binnen (aanleververtraging)"


def _voorlopig_vlak(df: pl.DataFrame, x: str = "maand") -> list[alt.Chart]:
    """A grey band labelled "voorlopig" over the months of `df` marked voorlopig = 'ja' (none: no layers).

    The band reaches half a month either side of the first and last voorlopig month, so it covers their
    points and bars; it is drawn under the data."""
    if "voorlopig" not in df.columns or x not in df.columns:
        return []
    maanden = df.filter(pl.col("voorlopig") == "ja")[x].drop_nulls()
    if maanden.len() == 0:
        return []
    half = timedelta(days=15)
    vlak = pl.DataFrame(
        {"van": [maanden.min() - half], "tot": [maanden.max() + half], "label": ["voorlopig"]}
    )
    band = (
        alt.Chart(vlak)
        .mark_rect(color=VOORLOPIG_KLEUR, opacity=0.18)
        .encode(x="van:T", x2="tot:T", tooltip=[alt.Tooltip("label:N", title=VOORLOPIG_UITLEG)])
    )
    text = (
        alt.Chart(vlak)
        .mark_text(align="right", baseline="top", dx=-3, dy=3, color="#616161", fontStyle="italic")
        .encode(x="tot:T", y=alt.value(0), text="label:N")
    )
    return [band, text]


def met_voorlopig(chart: alt.TopLevelMixin, df: pl.DataFrame, x: str = "maand") -> alt.TopLevelMixin:
    """`chart` with the voorlopig band of `df` under it (unchanged when no month in `df` is voorlopig)."""
    vlak = _voorlopig_vlak(df, x)
    return alt.layer(*vlak, chart) if vlak else chart


# The marks a series-over-time chart is drawn with: mark options and y-encoding options per mark
SERIES_MARKS: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "line": ({"point": True}, {}),  # one line with points per series
    "bar": ({}, {"stack": True}),  # the series stacked per month
}


@recipe
def series_over_time(
    df: pl.DataFrame, x: str, series: dict[str, str], y_title: str, mark: str = "line"
) -> alt.TopLevelMixin:
    """One series per column in `series` (column -> Dutch label) over the month column `x`, drawn with
    `mark` (SERIES_MARKS), with the voorlopig band under it."""
    mark_options, y_options = SERIES_MARKS[mark]
    long = df.select(x, *series).unpivot(index=x, variable_name="reeks", value_name="aantal")
    long = _with_month_label(long.with_columns(pl.col("reeks").replace_strict(series)), x)
    chart = (
        alt.Chart(long, mark=alt.MarkDef(type=mark, **mark_options))
        .encode(
            x=alt.X(f"{x}:T", axis=month_axis()),
            y=alt.Y("aantal:Q", axis=number_axis(y_title), **y_options),
            color=alt.Color("reeks:N", title=None, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=300)
    )
    return met_voorlopig(chart, df, x)


@recipe
def lines_over_time(df: pl.DataFrame, x: str, series: dict[str, str], y_title: str) -> alt.TopLevelMixin:
    """`series_over_time` as lines with points."""
    return series_over_time.__wrapped__(df, x, series, y_title, "line")


@recipe
def coverage_heatmap(df: pl.DataFrame, k: int = 5) -> alt.TopLevelMixin:
    """Which aanbieder delivered in which month, per source (grey = nothing delivered). The classes follow
    k (`queries.dekking` labels them); voorlopig months (more may still arrive) are drawn lighter."""
    klassen = ["niets geleverd", f"1–{k - 1}", f"{k}–49", "50 of meer"]
    plot = _with_month_label(df)
    if "voorlopig" not in plot.columns:
        plot = plot.with_columns(pl.lit("nee").alias("voorlopig"))
    chart = (
        alt.Chart(plot)
        .mark_rect()
        .encode(
            x=alt.X("maand:T", axis=month_axis()),
            y=alt.Y("aanbieder:N", title=None),
            color=alt.Color(
                "levering:N",
                title="Geleverd",
                sort=klassen,
                scale=alt.Scale(domain=klassen, range=["#f2c4c4", "#c6dbef", "#6baed6", "#08519c"]),
            ),
            opacity=alt.Opacity(
                "voorlopig:N",
                title="Voorlopig",
                scale=alt.Scale(domain=["nee", "ja"], range=[1.0, 0.45]),
                legend=alt.Legend(
                    labelExpr="datum.label == 'ja' ? 'voorlopig (kan nog aanvullen)' : 'definitief'"
                ),
            ),
            row=alt.Row("bron:N", title=None),
            tooltip=[
                alt.Tooltip("aanbieder:N", title="Aanbieder"),
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("bron:N", title="Bron"),
                alt.Tooltip("levering:N", title="Geleverd"),
                alt.Tooltip("voorlopig:N", title="Voorlopig"),
            ],
        )
        .properties(height=260)
    )
    return chart


@recipe
def stacked_bars(df: pl.DataFrame, x: str, series: dict[str, str], y_title: str) -> alt.TopLevelMixin | None:
    """`series_over_time` as stacked bars; None (nothing to draw) without rows."""
    if df.height == 0:
        return None
    return series_over_time.__wrapped__(df, x, series, y_title, "bar")


@recipe
def route_heatmap(df: pl.DataFrame) -> alt.TopLevelMixin | None:
    """Verwijzer × productcategorie, colour = trajectories (suppressed cells are left out)."""
    if df.height == 0:
        return None
    chart = (
        alt.Chart(df.drop_nulls("trajecten"))
        .mark_rect()
        .encode(
            x=alt.X("categorie:N", title="Productcategorie", axis=alt.Axis(labelAngle=-30)),
            y=alt.Y("verwijzer:N", title="Verwijzer"),
            color=alt.Color("trajecten:Q", title="Trajecten", scale=alt.Scale(scheme="oranges")),
            tooltip=[
                alt.Tooltip("verwijzer:N", title="Verwijzer"),
                alt.Tooltip("categorie:N", title="Productcategorie"),
                alt.Tooltip("trajecten:Q", title="Trajecten", format=",.0f"),
            ],
        )
        .properties(height=280)
    )
    return chart


@recipe
def histogram(df: pl.DataFrame, norm_weeks: float | None) -> alt.TopLevelMixin | None:
    """Weeks waited: completed waits and waits still running side by side, with the norm as a rule. The
    last class is open ("≥ 26", rows with is_open): its bar holds every longer wait and its axis label
    says so."""
    if df.height == 0:
        return None
    open_weken = df.filter(pl.col("is_open"))["week"].to_list() if "is_open" in df.columns else []
    label = NUMBER_LABEL
    if open_weken:
        label = f"datum.value == {int(open_weken[0])} ? '≥ {int(open_weken[0])}' : {NUMBER_LABEL}"
    base = alt.Chart(df.drop_nulls("aantal")).encode(
        x=alt.X(
            "week:Q",
            axis=alt.Axis(
                title="Weken gewacht (per 4 weken)", labelExpr=label, values=sorted(set(df["week"].to_list()))
            ),
            bin=False,
        ),
    )
    bars = base.mark_bar(opacity=0.8).encode(
        y=alt.Y("aantal:Q", axis=number_axis("Aantal")),
        color=alt.Color(
            "soort:N",
            title=None,
            scale=alt.Scale(domain=["afgerond", "wachtend"], range=["#1f5f8b", "#e07b39"]),
            legend=alt.Legend(
                orient="bottom",
                labelExpr="datum.label == 'afgerond' ? 'Afgerond in periode' : 'Nog wachtend op peildatum'",
            ),
        ),
        xOffset="soort:N",
        tooltip=[
            alt.Tooltip("soort:N", title="Soort"),
            alt.Tooltip("klasse:N" if "klasse" in df.columns else "week:Q", title="Weken gewacht"),
            alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
        ],
    )
    layers = [bars]
    if norm_weeks is not None:
        layers.append(
            alt.Chart(pl.DataFrame({"norm": [norm_weeks]}))
            .mark_rule(color="#b00020", strokeDash=[6, 4], size=2)
            .encode(x="norm:Q", tooltip=[alt.Tooltip("norm:Q", title="Norm (weken)")])
        )
    return alt.layer(*layers).properties(height=300)


@recipe
def km_curve(df: pl.DataFrame, norm_days: float | None) -> alt.TopLevelMixin | None:
    """Kaplan–Meier share still waiting over weeks, as a step line, with the norm."""
    if df.height == 0:
        return None
    plot = df.with_columns((pl.col("dagen") / 7).alias("weken"))
    line = (
        alt.Chart(plot)
        .mark_line(interpolate="step-after", color="#1f5f8b")
        .encode(
            x=alt.X("weken:Q", axis=number_axis("Weken sinds begin wachten")),
            y=alt.Y(
                "aandeel_wachtend:Q",
                title="Aandeel nog wachtend",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("weken:Q", title="Weken", format=",.1f"),
                alt.Tooltip("aandeel_wachtend:Q", title="Nog wachtend", format=".0%"),
            ],
        )
    )
    layers = [line]
    if norm_days is not None:
        layers.append(
            alt.Chart(pl.DataFrame({"norm": [norm_days / 7]}))
            .mark_rule(color="#b00020", strokeDash=[6, 4], size=2)
            .encode(x="norm:Q")
        )
    return alt.layer(*layers).properties(height=300)


# the caseload status names (labels.CASELOAD_STATUS) as a Vega expression object, for the legend labels
_STATUS_NAMEN = "{" + ", ".join(f"'{k}': '{v}'" for k, v in CASELOAD_STATUS.items()) + "}"


@recipe
def caseload_band(df: pl.DataFrame, weging: str) -> alt.TopLevelMixin | None:
    """Cases per FTE over time against the agreed band (shaded), with the status as point colour; the line,
    the points and their colour all use the figure of `weging` (labels.CASELOAD_WEGING)."""
    if df.height == 0:
        return None
    value, status = CASELOAD_WEGING[weging]
    titel = f"Casussen per fte ({weging})"
    df = _with_month_label(df).with_columns(
        pl.col(status).replace_strict(CASELOAD_STATUS, default=pl.col(status)).alias("status_naam")
    )
    status_colors = alt.Scale(
        domain=["onder_band", "binnen_band", "boven_band", "ver_boven_band"],
        range=["#3b7dd8", "#2e9e4f", "#f0a202", "#d62828"],
    )
    band = (
        alt.Chart(df)
        .mark_area(opacity=0.18, color="#2e9e4f")
        .encode(
            x=alt.X("maand:T", axis=month_axis()),
            y="bandbreedte_onder:Q",
            y2="bandbreedte_boven:Q",
        )
    )
    line = (
        alt.Chart(df)
        .mark_line(color="#444")
        .encode(x="maand:T", y=alt.Y(f"{value}:Q", axis=number_axis(titel)))
    )
    points = (
        alt.Chart(df)
        .mark_point(filled=True, size=70)
        .encode(
            x="maand:T",
            y=f"{value}:Q",
            color=alt.Color(
                f"{status}:N",
                title=f"Status ({weging})",
                scale=status_colors,
                legend=alt.Legend(orient="bottom", labelExpr=f"{_STATUS_NAMEN}[datum.label]"),
            ),
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip(f"{value}:Q", title=titel, format=",.1f"),
                alt.Tooltip("bandbreedte_onder:Q", title="Band onder", format=",.1f"),
                alt.Tooltip("bandbreedte_boven:Q", title="Band boven", format=",.1f"),
                alt.Tooltip("status_naam:N", title=f"Status ({weging})"),
            ],
        )
    )
    norm = (
        alt.Chart(df)
        .mark_rule(strokeDash=[4, 4], color="#777")
        .encode(
            y="mean(referentienorm_maximum):Q", tooltip=[alt.Tooltip("referentienorm_bron:N", title="Norm")]
        )
    )
    return alt.layer(*_voorlopig_vlak(df), band, line, points, norm).properties(height=320)


@recipe
def spider(df: pl.DataFrame) -> alt.TopLevelMixin | None:
    """The NJi factor sheet as a spider chart: room = 6 - mean score, so 'inward = pinch' (seed 001)."""
    if df.height == 0 or df["gemiddelde_score"].is_null().all():
        return None
    import math

    n = df.height
    rows = []
    for i, r in enumerate(df.iter_rows(named=True)):
        angle = 2 * math.pi * i / n
        ruimte = None if r["gemiddelde_score"] is None else 6 - r["gemiddelde_score"]
        for reeks, value in (("Ideaal", 5.0), ("Team", ruimte)):
            if value is None:
                continue
            rows.append(
                {
                    "reeks": reeks,
                    "volgorde": i,
                    "factor": r["factor_label"],
                    "score": r["gemiddelde_score"],
                    "x": value * math.sin(angle),
                    "y": value * math.cos(angle),
                    "lx": 5.9 * math.sin(angle),
                    "ly": 5.9 * math.cos(angle),
                }
            )
    pts = pl.DataFrame(rows)
    closed = pl.concat(
        [pts, pts.filter(pl.col("volgorde") == 0).with_columns(pl.lit(n, dtype=pl.Int64).alias("volgorde"))]
    )
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    scale = alt.Scale(domain=[-6.5, 6.5])
    lines = (
        alt.Chart(closed)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            order="volgorde:Q",
            color=alt.Color(
                "reeks:N", title=None, scale=alt.Scale(domain=["Ideaal", "Team"], range=["#999", "#d62828"])
            ),
            detail="reeks:N",
        )
    )
    dots = (
        alt.Chart(pts.filter(pl.col("reeks") == "Team"))
        .mark_point(filled=True, color="#d62828")
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            tooltip=[
                alt.Tooltip("factor:N", title="Factor"),
                alt.Tooltip("score:Q", title="Gem. score", format=",.1f"),
            ],
        )
    )
    labels = (
        alt.Chart(pts.filter(pl.col("reeks") == "Ideaal"))
        .mark_text(fontSize=10)
        .encode(
            x=alt.X("lx:Q", axis=axis, scale=scale), y=alt.Y("ly:Q", axis=axis, scale=scale), text="factor:N"
        )
    )
    return alt.layer(lines, dots, labels).properties(height=520, width=620)


@recipe
def signal_trend(df: pl.DataFrame) -> alt.TopLevelMixin | None:
    if df.height == 0:
        return None
    chart = (
        alt.Chart(_with_month_label(df.drop_nulls("aantal")))
        .mark_line(point=True)
        .encode(
            x=alt.X("maand:T", axis=month_axis()),
            y=alt.Y("aantal:Q", axis=number_axis("Signalen")),
            color=alt.Color("type:N", title=None, legend=alt.Legend(orient="bottom", columns=2)),
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("type:N", title="Signaal"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=300)
    )
    return met_voorlopig(chart, df)


@recipe
def trend_lines(df: pl.DataFrame, series: dict[str, str], y_title: str, norm: float | None = None):
    """Several statistics per month (weeks), with an optional norm rule."""
    if df.height == 0:
        return None
    extra = ["voorlopig"] if "voorlopig" in df.columns else []
    plot = df.select("maand", *[(pl.col(c) / 7).alias(c) for c in series], *extra)
    chart = lines_over_time.__wrapped__(plot, "maand", series, y_title)
    if norm is None:
        return chart
    rule = (
        alt.Chart(pl.DataFrame({"norm": [norm / 7]}))
        .mark_rule(color="#b00020", strokeDash=[6, 4])
        .encode(y="norm:Q")
    )
    return alt.layer(chart, rule)
