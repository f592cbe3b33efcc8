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
from datetime import date, timedelta
from typing import Any, Literal, ParamSpec, Protocol, TypeVar, cast

import altair as alt
import polars as pl
from altair.typing import ChartType

from dashboard.fingerprint import fingerprint
from dashboard.format import MAANDEN_KORT
from dashboard.format import datum as format_datum
from dashboard.format import getal as format_getal
from dashboard.format import maand as dutch_month
from dashboard.format import procent as format_procent
from dashboard.labels import CASELOAD_STATUS, CASELOAD_WEGING


@dataclass(frozen=True, eq=False)
class ChartRecipe:
    """A chart builder with its arguments, built on demand; `key()` is the same only for equal content.
    `annotaties` (a frame of `annotatie_frame`) are drawn on a chart with a time axis (`met_annotaties`);
    they are part of the key, so a new annotation gives a new spec."""

    builder: Callable[..., alt.TopLevelMixin | None]
    args: tuple
    kwargs: tuple[tuple[str, object], ...]
    annotaties: pl.DataFrame | None = None

    @property
    def tijdas(self) -> bool:
        """Whether the chart has months on its x axis (annotations can be drawn on it)."""
        return self.builder in TIJDAS_BUILDERS

    def met(self, annotaties: pl.DataFrame | None) -> ChartRecipe:
        """This recipe with `annotaties` drawn on it (None or no rows: this recipe as it is)."""
        if annotaties is None or annotaties.height == 0 or not self.tijdas:
            return self
        return ChartRecipe(self.builder, self.args, self.kwargs, annotaties)

    def build(self) -> alt.TopLevelMixin | None:
        """The Altair chart (None when there is nothing to draw) as the builder makes it, with its
        annotations and the browser's renderer set (`for_browser`)."""
        chart = self.builder(*self.args, **dict(self.kwargs))
        if chart is not None and self.annotaties is not None:
            chart = met_annotaties(chart, self.annotaties)
        return for_browser(chart)

    def key(self) -> str:
        name = f"{self.builder.__module__}.{self.builder.__qualname__}"
        if self.annotaties is None:
            return fingerprint(name, self.args, self.kwargs)
        return fingerprint(name, self.args, self.kwargs, "annotaties", self.annotaties)


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


P = ParamSpec("P")
R = TypeVar("R", bound=alt.TopLevelMixin | None, covariant=True)


class Recipe(Protocol[P, R]):
    """A builder made lazy by `recipe`: called with the builder's arguments it gives a ChartRecipe."""

    @property
    def __wrapped__(self) -> Callable[P, R]: ...  # the plain builder

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> ChartRecipe: ...


def recipe(builder: Callable[P, R]) -> Recipe[P, R]:
    """Make `builder(...)` return a ChartRecipe; `builder.__wrapped__` is the plain builder."""

    @functools.wraps(builder)
    def wrapper(*args: object, **kwargs: object) -> ChartRecipe:
        return ChartRecipe(builder, args, tuple(sorted(kwargs.items())))

    return wrapper


# Composition without Altair's copies. Altair's LayerChart and VConcatChart merge the selection parameters of
# their subcharts in __init__ by deep-copying every subchart, and every copy (each .properties(), each
# to_dict) runs __init__ again: a layer of layers is copied over and over (68,000 copy calls, 90-150 ms for
# the two-panel flows chart). These charts have no parameters, so the merge is a no-op; the two classes
# below keep what else Altair's __init__ does (common data and the layer's height/width/view lifted to
# the parent) and skip the rest. tests/unit/test_charts.py checks that every builder gives the same spec
# as with Altair's own classes.
_LIFTED_FROM_LAYERS = ("height", "width", "view")


def _without(chart: Any, prop: str) -> Any:
    """`chart` without `prop` (a shallow copy; `chart` itself when it does not have it)."""
    if chart._get(prop) is alt.Undefined:
        return chart
    copy = chart.copy(deep=False)
    copy[prop] = alt.Undefined
    return copy


def _lift_common_data(chart: Any, parts: list[Any]) -> list[Any]:
    """Altair's rule: data that every part shares (the same object) moves to `chart`."""
    data = chart._get("data")
    if data is alt.Undefined:
        first = parts[0]._get("data") if parts else alt.Undefined
        if first is alt.Undefined or any(p._get("data") is not first for p in parts):
            return parts
        chart["data"] = first
    elif any(p._get("data") not in (alt.Undefined, data) for p in parts):
        return parts
    return [_without(p, "data") for p in parts]


class Layers(alt.LayerChart):
    """alt.LayerChart without the parameter merge (see above): layers with no selection parameters."""

    def __init__(self, data: Any = alt.Undefined, layer: Any = (), **kwargs: Any) -> None:
        super(alt.LayerChart, self).__init__(data=data, layer=list(layer), **kwargs)
        layers = _lift_common_data(self, self._kwds["layer"])
        for prop in _LIFTED_FROM_LAYERS:
            values = [v for v in (p._get(prop) for p in layers) if v is not alt.Undefined]
            top = self._get(prop)
            if top is alt.Undefined and values:
                top = values[0]
                self[prop] = top
            if any(v != top for v in values):
                raise ValueError(f"Inconsistent values for {prop} in the layers: {values}")
            layers = [_without(p, prop) for p in layers]
        self._kwds["layer"] = layers


class Panels(alt.VConcatChart):
    """alt.VConcatChart without the parameter merge (see above): panels with no selection parameters."""

    def __init__(self, data: Any = alt.Undefined, vconcat: Any = (), **kwargs: Any) -> None:
        super(alt.VConcatChart, self).__init__(data=data, vconcat=list(vconcat), **kwargs)
        self._kwds["vconcat"] = _lift_common_data(self, self._kwds["vconcat"])


def layer(*charts: Any, **props: Any) -> alt.LayerChart:
    """`layer(*charts, **props)` without Altair's copies (the charts have no selection parameters)."""
    return Layers(layer=charts, **props)


def vconcat(*charts: Any, **props: Any) -> alt.VConcatChart:
    """`alt.vconcat(*charts, **props)` without Altair's copies (the charts have no selection parameters)."""
    return Panels(vconcat=charts, **props)


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
    eerste, laatste = cast(date, maanden.min()), cast(date, maanden.max())  # a date column, not empty
    vlak = pl.DataFrame({"van": [eerste - half], "tot": [laatste + half], "label": ["voorlopig"]})
    band = (
        alt.Chart(vlak)
        .mark_rect(color=VOORLOPIG_KLEUR, opacity=0.18)
        .encode(x=alt.X("van:T"), x2=alt.X2("tot"), tooltip=[alt.Tooltip("label:N", title=VOORLOPIG_UITLEG)])
    )
    text = (
        alt.Chart(vlak)
        .mark_text(align="right", baseline="top", dx=-3, dy=3, color="#616161", fontStyle="italic")
        .encode(x=alt.X("tot:T"), y=alt.YValue(0), text=alt.Text("label:N"))
    )
    return [band, text]


def met_voorlopig(chart: ChartType, df: pl.DataFrame, x: str = "maand") -> ChartType:
    """`chart` with the voorlopig band of `df` under it (unchanged when no month in `df` is voorlopig)."""
    vlak = _voorlopig_vlak(df, x)
    return layer(*vlak, chart) if vlak else chart


# The marks a series-over-time chart is drawn with: mark options and y-encoding options per mark. A line
# breaks at a missing value (a count shown as "<k" is null): a gap is drawn as a gap, never bridged, and the
# y domain still starts at 0 (Vega-Lite's `invalid` mode for paths).
SERIES_MARKS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {  # Any: Altair keyword arguments
    "line": ({"point": True, "invalid": "break-paths-show-domains"}, {}),  # one line with points per series
    "bar": ({}, {"stack": True}),  # the series stacked per month
}

ONDERDRUKT_UITLEG = "niet getoond: onder de drempel voor kleine aantallen"


def _onderdrukt_lang(df: pl.DataFrame, x: str, series: dict[str, str]) -> pl.DataFrame:
    """The (month, series) points whose count is shown as "<k" (`<col>_onderdrukt`, dashboard/privacy.py),
    long like the series; empty when none is."""
    flags = {c: f"{c}_onderdrukt" for c in series if f"{c}_onderdrukt" in df.columns}
    if not flags:
        return pl.DataFrame(schema={x: df.schema[x], "reeks": pl.String})
    long = df.select(x, *[pl.col(f).alias(c) for c, f in flags.items()]).unpivot(
        index=x, variable_name="reeks", value_name="onderdrukt"
    )
    return long.filter(pl.col("onderdrukt")).select(x, pl.col("reeks").replace_strict(series))


def onderdrukt_laag(
    punten: pl.DataFrame, x: str, color: alt.Color | None = None, kleur: str = "#555"
) -> list[alt.Chart]:
    """Hollow points on the zero line for the points shown as "<k" (`punten`: x and the series `reeks`), in
    the colour of their series: a suppressed value is marked, not silently missing (no layer without one)."""
    if punten.height == 0:
        return []
    plot = _with_month_label(punten.with_columns(pl.lit(ONDERDRUKT_UITLEG).alias("waarde")), x)
    return [
        alt.Chart(plot)
        .mark_point(shape="circle", filled=False, size=45, strokeWidth=1.5, color=kleur)
        .encode(
            x=alt.X(f"{x}:T"),
            y=alt.YDatum(0),
            **({"color": color} if color is not None else {}),
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("waarde:N", title="Aantal"),
            ],
        )
    ]


@recipe
def series_over_time(
    df: pl.DataFrame,
    x: str,
    series: dict[str, str],
    y_title: str,
    mark: Literal["line", "bar"] = "line",
    height: int = 300,
) -> ChartType:
    """One series per column in `series` (column -> Dutch label) over the month column `x`, drawn with
    `mark` (SERIES_MARKS), with the voorlopig band under it and a hollow point on the zero line for every
    count shown as "<k"."""
    mark_options, y_options = SERIES_MARKS[mark]
    long = df.select(x, *series).unpivot(index=x, variable_name="reeks", value_name="aantal")
    long = _with_month_label(long.with_columns(pl.col("reeks").replace_strict(series)), x)
    color = alt.Color(
        "reeks:N",
        title=None,
        scale=alt.Scale(domain=list(series.values())),
        legend=alt.Legend(orient="bottom", labelLimit=0),
    )
    chart = (
        alt.Chart(long, mark=alt.MarkDef(type=mark, **mark_options))
        .encode(
            x=alt.X(f"{x}:T", axis=month_axis()),
            y=alt.Y("aantal:Q", axis=number_axis(y_title), **y_options),
            color=color,
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("reeks:N", title="Reeks"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=height)
    )
    marks = onderdrukt_laag(_onderdrukt_lang(df, x, series), x, color)
    return met_voorlopig(layer(chart, *marks) if marks else chart, df, x)


@recipe
def lines_over_time(df: pl.DataFrame, x: str, series: dict[str, str], y_title: str) -> ChartType:
    """`series_over_time` as lines with points."""
    return series_over_time.__wrapped__(df, x, series, y_title, "line")


@recipe
def flows(
    df: pl.DataFrame, x: str, stand: dict[str, str], stromen: dict[str, str], y_title: str
) -> alt.TopLevelMixin | None:
    """The stock (`stand`, e.g. in zorg, ~1,000) and the flows (`stromen`, instroom and uitstroom, ~80) as
    two panels over the same months, each with its own y axis from 0, so the flows are not flattened under
    the stock. None without rows."""
    if df.height == 0:
        return None
    boven = series_over_time.__wrapped__(df, x, stand, y_title, "line", 170)
    onder = series_over_time.__wrapped__(df, x, stromen, y_title, "line", 230)
    # fit-x: the panels (layers: data, voorlopig band, "<k" marks) fill the container's width with their
    # axes; Streamlit's default for a vconcat of layers is "pad", which adds the axes to the container width
    # one constructor: every .resolve_scale()/.properties() on a finished chart deep-copies all its layers
    return vconcat(
        boven,
        onder,
        spacing=12,
        resolve=alt.Resolve(scale=alt.ScaleResolveMap(color="independent", x="shared")),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


# Heatmap rows: a fixed height per row (not a fixed chart height divided over the rows), so every row label
# fits and none is dropped for overlap, and labels are never cut (no label limit).
RIJ_HOOGTE = 20  # px per row; the axis labels are 11 px


def rij_as() -> alt.Axis:
    """The row axis of a heatmap: every label shown, in full."""
    return alt.Axis(labelOverlap=False, labelLimit=0, labelFontSize=11)


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
            y=alt.Y("aanbieder:N", title=None, axis=rij_as()),
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
                    labelExpr="datum.label == 'ja' ? 'voorlopig (kan nog aanvullen)' : 'definitief'",
                    labelLimit=0,
                ),
            ),
            row=alt.Row(
                "bron:N", title=None, header=alt.Header(labelLimit=0, labelAngle=0, labelAlign="left")
            ),
            tooltip=[
                alt.Tooltip("aanbieder:N", title="Aanbieder"),
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("bron:N", title="Bron"),
                alt.Tooltip("levering:N", title="Geleverd"),
                alt.Tooltip("voorlopig:N", title="Voorlopig"),
            ],
        )
        .properties(height=alt.Step(RIJ_HOOGTE))
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
            x=alt.X(
                "categorie:N",
                title="Productcategorie",
                axis=alt.Axis(labelAngle=-40, labelLimit=0, labelOverlap=False),
            ),
            y=alt.Y("verwijzer:N", title=None, axis=rij_as()),  # the block title names the rows
            color=alt.Color("trajecten:Q", title="Trajecten", scale=alt.Scale(scheme="oranges")),
            tooltip=[
                alt.Tooltip("verwijzer:N", title="Verwijzer"),
                alt.Tooltip("categorie:N", title="Productcategorie"),
                alt.Tooltip("trajecten:Q", title="Trajecten", format=",.0f"),
            ],
        )
        .properties(height=alt.Step(RIJ_HOOGTE))
    )
    return chart


KLASSE_TUSSENRUIMTE = 0.15  # the band scale's inner padding between the classes of the histogram
SOORT_KLEUREN = alt.Scale(domain=["afgerond", "wachtend"], range=["#1f5f8b", "#e07b39"])
SOORT_LEGENDA = "datum.label == 'afgerond' ? 'Afgerond in periode' : 'Nog wachtend op peildatum'"


@recipe
def histogram(df: pl.DataFrame, norm_weeks: float | None, k: int = 5) -> alt.TopLevelMixin | None:
    """Weeks waited per class (sql: wachttijd_klassen), completed waits and waits still running side by side
    on a band scale. The classes are "more than van up to tot weeks" and the norm is a class edge, so the
    norm rule stands on the edge after the last class within the norm (`binnen_norm`). The last class is open
    ("> 26 wk"). A class shown as "<k" (`aantal_onderdrukt`) gets a "<k" mark on the axis instead of a bar."""
    if df.height == 0:
        return None
    plot = df.sort("volgorde") if "volgorde" in df.columns else df
    order = list(dict.fromkeys(plot["klasse"].to_list()))
    x = alt.X(
        "klasse:N",
        sort=order,
        scale=alt.Scale(paddingInner=KLASSE_TUSSENRUIMTE),
        axis=alt.Axis(title="Weken gewacht (2–4 wk = meer dan 2 tot en met 4 weken)", labelAngle=0),
    )
    bars = (
        alt.Chart(plot.drop_nulls("aantal"))
        .mark_bar()
        .encode(
            x=x,
            xOffset=alt.XOffset("soort:N", sort=["afgerond", "wachtend"]),
            y=alt.Y("aantal:Q", axis=number_axis("Aantal"), scale=alt.Scale(zero=True)),
            color=alt.Color(
                "soort:N",
                title=None,
                scale=SOORT_KLEUREN,
                legend=alt.Legend(orient="bottom", labelExpr=SOORT_LEGENDA, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("soort:N", title="Soort"),
                alt.Tooltip("klasse:N", title="Weken gewacht"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
    )
    layers: list[alt.Chart] = [bars]
    if "aantal_onderdrukt" in plot.columns and plot["aantal_onderdrukt"].any():
        layers.append(
            alt.Chart(plot.filter(pl.col("aantal_onderdrukt")).with_columns(pl.lit(f"<{k}").alias("teken")))
            .mark_text(baseline="bottom", dy=-2, fontSize=9)
            .encode(
                x=x,
                xOffset=alt.XOffset("soort:N", sort=["afgerond", "wachtend"]),
                y=alt.datum(0),
                text="teken:N",
                color=alt.Color("soort:N", scale=SOORT_KLEUREN, legend=None),
                tooltip=[
                    alt.Tooltip("soort:N", title="Soort"),
                    alt.Tooltip("klasse:N", title="Weken gewacht"),
                    alt.Tooltip("teken:N", title="Aantal"),
                ],
            )
        )
    binnen = plot.filter(pl.col("binnen_norm")) if "binnen_norm" in plot.columns else plot.clear()
    if norm_weeks is not None and binnen.height:
        edge = binnen.sort("volgorde")["klasse"][-1] if "volgorde" in binnen.columns else binnen["klasse"][-1]
        norm_label = f"norm {format_getal(norm_weeks, 0 if float(norm_weeks).is_integer() else 1)} wk"
        rule_data = pl.DataFrame({"klasse": [edge], "label": [norm_label]})
        # the class edge: the middle of the gap after the band of the last class within the norm
        rule_x = alt.X("klasse:N", sort=order, bandPosition=1)
        gap = alt.expr(f"bandwidth('x') * {KLASSE_TUSSENRUIMTE / (1 - KLASSE_TUSSENRUIMTE) / 2}")
        layers.append(
            alt.Chart(rule_data)
            .mark_rule(color="#b00020", strokeDash=[6, 4], size=2, xOffset=gap)
            .encode(x=rule_x, tooltip=[alt.Tooltip("label:N", title="Norm")])
        )
        layers.append(
            alt.Chart(rule_data)
            .mark_text(
                color="#b00020", align="left", baseline="top", dx=4, dy=2, fontWeight="bold", xOffset=gap
            )
            .encode(x=rule_x, y=alt.value(0), text="label:N")
        )
    return layer(*layers).properties(height=300)


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
    return layer(*layers).properties(height=300)


STATUS_KLEUREN = alt.Scale(
    domain=list(CASELOAD_STATUS),
    range=["#3b7dd8", "#2e9e4f", "#f0a202", "#d62828"],
)
# the caseload status names (labels.CASELOAD_STATUS) as a Vega expression, for the legend labels
STATUS_LEGENDA = "{" + ", ".join(f"'{k}': '{v}'" for k, v in CASELOAD_STATUS.items()) + "}[datum.label]"


def status_kleur(status: str, weging: str) -> alt.Color:
    """The colour of a caseload figure by its status column `status`, the legend in Dutch (one home for the
    team overview and the team's history)."""
    return alt.Color(
        f"{status}:N",
        title=f"Status ({weging})",
        scale=STATUS_KLEUREN,
        legend=alt.Legend(orient="bottom", labelExpr=STATUS_LEGENDA),
    )


def status_naam(status: str) -> pl.Expr:
    """The status column `status` by its Dutch name (labels.CASELOAD_STATUS), as `status_naam` for tooltips."""
    return pl.col(status).replace_strict(CASELOAD_STATUS, default=pl.col(status)).alias("status_naam")


def per_fte_titel(eenheid: str, weging: str) -> str:
    """The axis title of a caseload figure in the team's unit: "Gezinnen per fte (ongewogen)"."""
    return f"{eenheid[:1].upper()}{eenheid[1:]} per fte ({weging})"


@recipe
def caseload_band(df: pl.DataFrame, weging: str, eenheid: str = "casussen") -> alt.TopLevelMixin | None:
    """Cases per FTE over time against the agreed band (shaded), with the status as point colour; the line,
    the points and their colour all use the figure of `weging` (labels.CASELOAD_WEGING). The y axis names
    the team's unit (`eenheid`: gezinnen, maatregelen, casussen); the reference-norm line is labelled."""
    if df.height == 0:
        return None
    value, status = CASELOAD_WEGING[weging]
    titel = per_fte_titel(eenheid, weging)
    df = _with_month_label(df).with_columns(status_naam(status))
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
            color=status_kleur(status, weging),
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
    layers = [*_voorlopig_vlak(df), band, line, points, norm]
    normen = df["referentienorm_maximum"].drop_nulls()
    if normen.len():
        gemiddelde = float(cast(float, normen.mean()))  # a numeric column, not empty
        label = pl.DataFrame(
            {
                "maand": [df["maand"].min()],
                "norm": [gemiddelde],
                "label": [f"referentienorm: max. {format_getal(gemiddelde)} {eenheid} per fte"],
            }
        )
        layers.append(
            alt.Chart(label)
            .mark_text(align="left", baseline="bottom", dy=-3, color="#555", fontStyle="italic")
            .encode(x="maand:T", y="norm:Q", text="label:N")
        )
    return layer(*layers).properties(height=320)


@recipe
def caseload_overzicht(df: pl.DataFrame, weging: str, gekozen: str | None = None) -> alt.TopLevelMixin | None:
    """Every team's latest cases per FTE (of `weging`) against its own band: per team a band (bar from
    the lower to the upper bound), the reference-norm maximum (tick) and the figure (point, status colour).
    The chosen team (`gekozen`, a team_code) comes first and in bold; the others follow by name. Each row
    names the team's unit, so teams that count in gezinnen, maatregelen or casussen are not mixed up."""
    if df.height == 0:
        return None
    value, status = CASELOAD_WEGING[weging]
    plot = df.with_columns(
        (pl.col("team_naam") + " (" + pl.col("eenheid").fill_null("casussen") + ")").alias("team"),
        (pl.col("team_code") == (gekozen or "")).alias("gekozen"),
        status_naam(status),
    ).sort(["gekozen", "team_naam"], descending=[True, False])
    plot = _with_month_label(plot)
    order = plot["team"].to_list()
    chosen = plot.filter(pl.col("gekozen"))["team"].to_list()
    bold = f"datum.value == {chosen[0]!r} ? 'bold' : 'normal'" if chosen else "'normal'"
    y = alt.Y(
        "team:N",
        sort=order,
        title=None,
        axis=alt.Axis(labelLimit=0, labelOverlap=False, labelFontWeight=alt.ExprRef(expr=bold)),
    )
    x_title = f"Aantal per fte ({weging}), in de eenheid van het team"
    band = (
        alt.Chart(plot)
        .mark_bar(color="#2e9e4f", opacity=0.25, height={"band": 0.7})
        .encode(y=y, x=alt.X("bandbreedte_onder:Q", axis=number_axis(x_title)), x2="bandbreedte_boven:Q")
    )
    norm = (
        alt.Chart(plot)
        .mark_tick(color="#555", thickness=2, size=18)
        .encode(y=y, x="referentienorm_maximum:Q")
    )
    points = (
        alt.Chart(plot)
        .mark_point(filled=True, size=110)
        .encode(
            y=y,
            x=f"{value}:Q",
            color=status_kleur(status, weging),
            tooltip=[
                alt.Tooltip("team:N", title="Team"),
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip(f"{value}:Q", title=f"Per fte ({weging})", format=",.1f"),
                alt.Tooltip("bandbreedte_onder:Q", title="Band onder", format=",.1f"),
                alt.Tooltip("bandbreedte_boven:Q", title="Band boven", format=",.1f"),
                alt.Tooltip("referentienorm_maximum:Q", title="Referentienorm max.", format=",.0f"),
                alt.Tooltip("status_naam:N", title="Status"),
            ],
        )
    )
    return layer(band, norm, points).properties(height=alt.Step(28))


@recipe
def rangorde(df: pl.DataFrame, norm_dagen: float | None, k: int = 5) -> alt.TopLevelMixin | None:
    """Aanbieders or gemeenten in the order of the frame (queries.wachttijden_rangorde: best first): per
    row the share of completed waits within the norm as a bar with its value, or, for a niveau without a
    norm, the median wait in weeks. A row whose figure is hidden (fewer than k children) says so instead of
    a bar, so it is not mistaken for 0 %."""
    if df.height == 0:
        return None
    met_norm = norm_dagen is not None
    field = "aandeel_binnen_norm" if met_norm else "mediaan_weken"
    plot = df.with_columns((pl.col("mediaan_dagen") / 7).alias("mediaan_weken"))
    # in Python, not map_elements (a Python UDF on Polars' pool deadlocks under concurrent sessions)
    tekst = [
        f"te weinig kinderen (< {k})"
        if v is None
        else format_procent(v)
        if met_norm
        else f"{format_getal(v, 1)} wk"
        for v in plot[field].to_list()
    ]
    plot = plot.with_columns(pl.Series("tekst", tekst, dtype=pl.String))
    order = plot["naam"].to_list()
    y = alt.Y("naam:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, labelOverlap=False))
    x_title = "Aandeel afgerond binnen de norm" if met_norm else "Mediaan afgeronde wachttijd (weken)"
    x_scale = alt.Scale(domain=[0, 1]) if met_norm else alt.Scale(zero=True)
    x = alt.X(
        f"{field}:Q",
        title=x_title,
        axis=alt.Axis(format="%") if met_norm else number_axis(x_title),
        scale=x_scale,
    )
    tooltip = [
        alt.Tooltip("naam:N", title="Naam"),
        alt.Tooltip("tekst:N", title=x_title),
        alt.Tooltip("mediaan_weken:Q", title="Mediaan (weken)", format=",.1f"),
    ]
    bars = alt.Chart(plot).mark_bar(color="#1f5f8b", height={"band": 0.7}).encode(y=y, x=x, tooltip=tooltip)
    text = (
        alt.Chart(plot)
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(y=y, x=alt.X(f"{field}:Q", scale=x_scale), text="tekst:N", tooltip=tooltip)
    )
    # hidden rows: their text at the start of the axis
    hidden = (
        alt.Chart(plot.filter(pl.col(field).is_null()))
        .mark_text(align="left", dx=4, fontSize=11, fontStyle="italic", color="#777")
        .encode(y=y, x=alt.datum(0), text="tekst:N")
    )
    return layer(bars, text, hidden).properties(height=alt.Step(24))


RING_KLEUR = "#c8c8c8"


@recipe
def spider(df: pl.DataFrame) -> alt.TopLevelMixin | None:
    """The NJi factor sheet as a radar: per factor the room the team has, 6 − mean score (seed 001), so a
    heavy factor (score 5) lies on the inner ring and a light one (score 1) on the outer ring: "inward =
    pinch". Rings 1–5 form the radial scale, labelled with the score they stand for; each point carries its
    mean score; the title gives the measurement (quarter) and the number of respondents; the previous
    measurement, where its mean is shown, is a grey dashed polygon."""
    if df.height == 0 or df["gemiddelde_score"].is_null().all():
        return None
    import math

    n = df.height
    heeft_vorige = "vorige_score" in df.columns and df["vorige_score"].is_not_null().any()
    rows, rings, spokes = [], [], []
    for i, r in enumerate(df.iter_rows(named=True)):
        angle = 2 * math.pi * i / n
        sin, cos = math.sin(angle), math.cos(angle)
        spokes.append({"x": 0.0, "y": 0.0, "x2": 5 * sin, "y2": 5 * cos})
        for ring in range(1, 6):
            rings.append({"ring": ring, "volgorde": i, "x": ring * sin, "y": ring * cos})
        series = [("Laatste meting", r["gemiddelde_score"], r.get("kwartaal"))]
        if heeft_vorige:
            series.append(("Vorige meting", r.get("vorige_score"), r.get("vorig_kwartaal")))
        for reeks, score, kwartaal in series:
            if score is None:
                continue
            ruimte = 6 - score
            rows.append(
                {
                    "reeks": reeks,
                    "volgorde": i,
                    "factor": r["factor_label"],
                    "score": score,
                    "score_tekst": format_getal(score, 1),
                    "kwartaal": kwartaal,
                    "x": ruimte * sin,
                    "y": ruimte * cos,
                    "tx": (ruimte + 0.45) * sin,
                    "ty": (ruimte + 0.45) * cos,
                    "lx": 5.35 * sin,
                    "ly": 5.35 * cos,
                }
            )
    pts = pl.DataFrame(rows)
    closed = pl.concat(
        [pts, pts.filter(pl.col("volgorde") == 0).with_columns(pl.lit(n, dtype=pl.Int64).alias("volgorde"))]
    )
    ring_df = pl.DataFrame(rings)
    ring_df = pl.concat(
        [
            ring_df,
            ring_df.filter(pl.col("volgorde") == 0).with_columns(pl.lit(n, dtype=pl.Int64).alias("volgorde")),
        ]
    )
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    scale = alt.Scale(domain=[-6.8, 6.8])
    x = alt.X("x:Q", axis=axis, scale=scale)
    y = alt.Y("y:Q", axis=axis, scale=scale)
    ring_lines = (
        alt.Chart(ring_df)
        .mark_line(color=RING_KLEUR, strokeWidth=1)
        .encode(x=x, y=y, order="volgorde:Q", detail="ring:N")
    )
    spoke_lines = (
        alt.Chart(pl.DataFrame(spokes))
        .mark_rule(color=RING_KLEUR, strokeWidth=1)
        .encode(x=x, y=y, x2="x2:Q", y2="y2:Q")
    )
    # the radial scale: each ring labelled with the mean score it stands for (ring r = score 6 − r)
    ring_labels = (
        alt.Chart(
            pl.DataFrame(
                {
                    "x": [0.0] * 5,
                    "y": [float(r) for r in range(1, 6)],
                    "label": [
                        f"score {6 - r}" + (" (licht)" if r == 5 else " (zwaar)" if r == 1 else "")
                        for r in range(1, 6)
                    ],
                }
            )
        )
        .mark_text(align="left", dx=3, dy=-5, fontSize=9, color="#777")
        .encode(x=x, y=y, text="label:N")
    )
    kleuren = alt.Scale(domain=["Laatste meting", "Vorige meting"], range=["#d62828", "#8a8a8a"])
    polygons = (
        alt.Chart(closed)
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            order="volgorde:Q",
            color=alt.Color(
                "reeks:N", title=None, scale=kleuren, legend=alt.Legend(orient="bottom", labelLimit=0)
            ),
            strokeDash=alt.StrokeDash(
                "reeks:N",
                scale=alt.Scale(domain=["Laatste meting", "Vorige meting"], range=[[1, 0], [5, 4]]),
                legend=None,
            ),
            detail="reeks:N",
        )
    )
    tooltip = [
        alt.Tooltip("factor:N", title="Factor"),
        alt.Tooltip("reeks:N", title="Meting"),
        alt.Tooltip("kwartaal:N", title="Kwartaal"),
        alt.Tooltip("score:Q", title="Gem. score (1–5)", format=",.1f"),
    ]
    dots = (
        alt.Chart(pts)
        .mark_point(filled=True, size=40)
        .encode(x=x, y=y, color=alt.Color("reeks:N", scale=kleuren, legend=None), tooltip=tooltip)
    )
    values = (
        alt.Chart(pts.filter(pl.col("reeks") == "Laatste meting"))
        .mark_text(fontSize=10, fontWeight="bold", color="#d62828")
        .encode(
            x=alt.X("tx:Q", axis=axis, scale=scale),
            y=alt.Y("ty:Q", axis=axis, scale=scale),
            text="score_tekst:N",
        )
    )
    labels = (
        alt.Chart(pts.filter(pl.col("reeks") == "Laatste meting"))
        .mark_text(
            fontSize=10,
            limit=170,
            align=alt.expr("datum.lx > 0.3 ? 'left' : datum.lx < -0.3 ? 'right' : 'center'"),
            baseline=alt.expr("datum.ly > 0.3 ? 'bottom' : datum.ly < -0.3 ? 'top' : 'middle'"),
        )
        .encode(
            x=alt.X("lx:Q", axis=axis, scale=scale), y=alt.Y("ly:Q", axis=axis, scale=scale), text="factor:N"
        )
    )
    last = df.drop_nulls("gemiddelde_score")
    kwartaal = last["kwartaal"][0] if "kwartaal" in last.columns else None
    n_resp = int(cast(int, last["n_medewerkers"].max())) if "n_medewerkers" in last.columns else None
    subtitle = [f"Meting {kwartaal or '–'}, {n_resp if n_resp is not None else '–'} medewerkers"]
    if heeft_vorige:
        vorige = df.drop_nulls("vorige_score")
        subtitle.append(
            f"Grijs gestippeld: vorige meting {vorige['vorig_kwartaal'][0]}, "
            f"{int(cast(int, vorige['vorige_n_medewerkers'].max()))} medewerkers"
        )
    else:
        subtitle.append("Geen eerdere meting met genoeg medewerkers om mee te vergelijken")
    return layer(spoke_lines, ring_lines, ring_labels, polygons, dots, values, labels).properties(
        height=560,
        width=640,
        title=alt.TitleParams(
            "Ruimte per factor: hoe verder naar binnen, hoe zwaarder de factor weegt",
            subtitle=subtitle,
            anchor="start",
            fontSize=13,
        ),
    )


def _maanden(van: date, tot: date) -> list[date]:
    """The first days of the months from `van` to `tot`, both included."""
    out, m = [], date(van.year, van.month, 1)
    while m <= tot:
        out.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


@recipe
def signal_trend(
    df: pl.DataFrame, van: date | None = None, tot: date | None = None
) -> alt.TopLevelMixin | None:
    """Signals per type and month over the months of the period (`van`..`tot`; without them the frame's
    months). The protected list has no row for a type in a month with fewer than k signals (or none): that
    month is a gap in the type's line with a hollow point on the zero line, never bridged by the line."""
    if df.height == 0:
        return None
    shown = df.drop_nulls("aantal")
    maanden = _maanden(van, tot) if van and tot else sorted(set(df["maand"].to_list()))
    grid = pl.DataFrame({"maand": maanden}, schema={"maand": pl.Date}).join(
        shown.select(pl.col("type").unique()), how="cross"
    )
    plot = grid.join(shown.select("maand", "type", "aantal"), on=["maand", "type"], how="left")
    color = alt.Color("type:N", title=None, legend=alt.Legend(orient="bottom", columns=2, labelLimit=0))
    chart = (
        alt.Chart(_with_month_label(plot))
        .mark_line(point=True, invalid="break-paths-show-domains")
        .encode(
            x=alt.X("maand:T", axis=month_axis()),
            y=alt.Y("aantal:Q", axis=number_axis("Signalen")),
            color=color,
            tooltip=[
                alt.Tooltip("maand_label:N", title="Maand"),
                alt.Tooltip("type:N", title="Signaal"),
                alt.Tooltip("aantal:Q", title="Aantal", format=",.0f"),
            ],
        )
        .properties(height=300)
    )
    gaten = plot.filter(pl.col("aantal").is_null()).select("maand", pl.col("type").alias("reeks"))
    marks = onderdrukt_laag(gaten, "maand", alt.Color("reeks:N", title=None, legend=None))
    return met_voorlopig(layer(chart, *marks) if marks else chart, df)


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
    return layer(chart, rule)


# Builders whose x axis is the month ("maand:T"): annotations (dated events from the store) are drawn on them.
TIJDAS_BUILDERS: frozenset[Callable[..., Any]] = frozenset(
    b.__wrapped__
    for b in (
        series_over_time,
        lines_over_time,
        flows,
        stacked_bars,
        signal_trend,
        trend_lines,
        caseload_band,
    )
)

# Annotations: a dashed vertical rule at the date and a numbered marker (①, ②, ...) at the top, staggered
# over ANNOTATIE_RIJEN rows so markers of nearby dates do not overlap; the numbers are listed under the chart
# (components.chart_block) and in the downloads. The tooltip gives the date, the title and the explanation.
ANNOTATIE_KLEUR = "#6a3d9a"
ANNOTATIE_RIJEN = 3
ANNOTATIE_RIJ_PX = 13


def annotatie_teken(nr: int) -> str:
    """1 -> '①', ..., 20 -> '⑳'; after that '(21)'."""
    return chr(0x2460 + nr - 1) if 1 <= nr <= 20 else f"({nr})"


def annotatie_frame(annotaties: pl.DataFrame, van: date, tot: date) -> pl.DataFrame:
    """The annotations (columns datum, titel, toelichting) dated from `van` to `tot` (both included), by date
    and numbered from 1 (`nr`, `teken`), with the date in words (`datum_label`)."""
    rows = annotaties.filter(pl.col("datum").is_between(van, tot)).sort("datum", "titel")
    return rows.select("datum", "titel", "toelichting").with_columns(
        pl.Series("nr", range(1, rows.height + 1), dtype=pl.Int64),
        pl.Series("teken", [annotatie_teken(i) for i in range(1, rows.height + 1)], dtype=pl.String),
        pl.Series("datum_label", [format_datum(d) for d in rows["datum"].to_list()], dtype=pl.String),
    )


def _annotatie_lagen(annotaties: pl.DataFrame, tekens: bool) -> list[alt.Chart]:
    """The rule layer of `annotaties` (annotatie_frame) and, with `tekens`, the marker layers."""
    tooltip = [
        alt.Tooltip("teken:N", title="Gebeurtenis"),
        alt.Tooltip("datum_label:N", title="Datum"),
        alt.Tooltip("titel:N", title="Titel"),
        alt.Tooltip("toelichting:N", title="Toelichting"),
    ]
    x = alt.X("datum:T", title=None)
    lagen = [
        alt.Chart(annotaties)
        .mark_rule(color=ANNOTATIE_KLEUR, strokeDash=[3, 3], strokeWidth=1.5)
        .encode(x=x, tooltip=tooltip)
    ]
    if tekens:
        for rij in range(min(ANNOTATIE_RIJEN, annotaties.height)):
            deel = annotaties.filter((pl.col("nr") - 1) % ANNOTATIE_RIJEN == rij)
            lagen.append(
                alt.Chart(deel)
                .mark_text(
                    color=ANNOTATIE_KLEUR,
                    fontSize=13,
                    fontWeight="bold",
                    baseline="top",
                    dx=0,
                    align="center",
                )
                .encode(x=x, y=alt.value(2 + rij * ANNOTATIE_RIJ_PX), text="teken:N", tooltip=tooltip)
            )
    return lagen


def met_annotaties(chart: Any, annotaties: pl.DataFrame, tekens: bool = True) -> Any:
    """`chart` (a chart with months on its x axis) with `annotaties` (annotatie_frame) drawn on it: in every
    panel of a vertical concatenation the rules, the markers in the top panel only."""
    if annotaties.height == 0:
        return chart
    if isinstance(chart, alt.VConcatChart):
        copy = chart.copy(deep=False)
        copy.vconcat = [
            met_annotaties(panel, annotaties, tekens and i == 0) for i, panel in enumerate(chart.vconcat)
        ]
        return copy
    return layer(chart, *_annotatie_lagen(annotaties, tekens))
