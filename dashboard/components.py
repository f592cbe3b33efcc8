"""Reusable UI blocks: a chart with its definition link and downloads, tables, KPI cards.

Invariants: every chart and table shown through these blocks offers a CSV of exactly what is shown (after
small-number protection) and, for charts, a PNG, both built on demand (on click, not on every run) and
without rerunning the page (`on_click="ignore"`: a rerun would also drop the run's deferred files while
the browser asks for one); every block links to its definition. A block that is given its dataset names
the set filters that dataset does not apply (dashboard/filtermodel.py) under its title and in the first
line of its CSV (`# Filter ... geldt niet voor dit blok`), so a figure never looks filtered when it is not.
Chart specs and display tables are cached by content (`dashboard.fingerprint`: the frame's every row and
the builder's arguments), shared by sessions: a rerun on the same data sends the same spec and table
without building or validating them again, and a key cannot match other data than it was built from.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
from typing import Any

import altair as alt
import polars as pl
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import filtermodel
from dashboard.charts import ChartRecipe
from dashboard.filters import current_or_none
from dashboard.fingerprint import fingerprint
from dashboard.format import format_table, getal, procent, verschil, weken
from dashboard.labels import CASELOAD_WEGING, delta_kleur
from dashboard.privacy import for_display
from pipelines import settings


def definition_link(anchor: str) -> str:
    return f"[Definitie](/definities#{anchor})"


def shown(df: pl.DataFrame, labels: dict[str, str] | None = None, csv: bool = False) -> pl.DataFrame:
    """Exactly what a table shows and a CSV download contains: protected, formatted, Dutch headings (a CSV
    writes the same cells without thousands separators and with ISO dates: dashboard/format.py)."""
    return format_table(for_display(df, settings.small_number_threshold()), labels, csv=csv)


def _csv_bytes(df: pl.DataFrame, labels: dict[str, str] | None = None, kop: str | None = None) -> bytes:
    """The CSV of what is shown; `kop` (a filter note) becomes a first line starting with "#"."""
    body = shown(df, labels, csv=True).write_csv(separator=";")
    return ((f"# {kop}\n" if kop else "") + body).encode("utf-8-sig")


def _csv_deferred(df: pl.DataFrame, labels: dict[str, str] | None = None, kop: str | None = None):
    """The CSV of `df`, built when the user clicks (like the PNG): formatting and writing a CSV for every
    download button on every run was a third of a page run."""
    return lambda: _csv_bytes(df, labels, kop)


def filter_notitie(dataset: str | None) -> str | None:
    """The note naming the set filters `dataset` does not apply (None: all apply, or no dataset given)."""
    if dataset is None:
        return None
    return filtermodel.notitie(dataset, current_or_none())


def toon_filter_notitie(dataset: str, blok: str | None = None) -> str | None:
    """Draw the filter note of a block that is not a chart or table block (KPI cards, the coverage line)."""
    note = filter_notitie(dataset)
    if note:
        st.caption(f":material/filter_alt_off: {blok + ': ' if blok else ''}{note}.")
    return note


def _png_bytes(chart: alt.TopLevelMixin) -> bytes:
    buf = io.BytesIO()
    with _ALTAIR_GLOBALS:  # the default theme and transformer, not the spec builder's
        chart.save(buf, format="png", scale_factor=2)
    return buf.getvalue()


# Altair's theme and data transformer are process-wide settings; the spec builder switches them for the
# length of one `to_dict`, and the PNG export (which reads them too) must not run in between.
_ALTAIR_GLOBALS = threading.Lock()


def _named_dataset(data: Any, datasets: dict[str, Any]) -> dict[str, str]:
    """Altair data transformer (public plugin API): keep the frame as it is under a content-hashed name, so
    `st.vega_lite_chart` turns it into Arrow exactly as `st.altair_chart` does (no JSON round trip of
    dates and numbers) and an unchanged frame keeps its name between runs."""
    name = f"data-{fingerprint(data)}"
    datasets[name] = data
    return {"name": name}


alt.data_transformers.register("ketenmonitor_datasets", _named_dataset)


def spec_for_streamlit(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The Vega-Lite spec of `chart` as `st.altair_chart` builds it, through Altair's public API only:
    theme "none" (Streamlit's choice: no default 300 px view size), the data as frames under top-level
    `datasets` (which `st.vega_lite_chart` sends as Arrow), and `to_dict` without the JSON-schema
    validation of the result (Altair validates after building the dict, so the dict is the same; the
    builders are fixed code). tests/app/test_cached_views.py draws every page through the validating
    `st.altair_chart` too and compares the drawn elements."""
    datasets: dict[str, Any] = {}
    with _ALTAIR_GLOBALS:
        theme = alt.theme.enable("none") if alt.theme.active == "default" else contextlib.nullcontext()
        with theme, alt.data_transformers.enable("ketenmonitor_datasets", datasets=datasets):
            spec = chart.to_dict(validate=False)
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


@st.cache_data(max_entries=1024, show_spinner=False)
def _vega_spec(key: str, _chart: ChartRecipe) -> dict | None:
    """The Vega-Lite spec of `_chart` as `st.altair_chart` would send it (None: nothing to draw). Keyed on
    `key` = `_chart.key()`; st.cache_data hands every caller its own copy (Streamlit edits the dict)."""
    chart = _chart.build()
    return None if chart is None else spec_for_streamlit(chart)


def vega_spec(chart: ChartRecipe) -> dict | None:
    return _vega_spec(chart.key(), chart)


def _draw_chart(chart: ChartRecipe) -> bool:
    """Draw `chart` from its cached spec, as `st.altair_chart(chart.build(), width="stretch")` would;
    False when there is nothing to draw."""
    spec = vega_spec(chart)
    if spec is None:
        return False
    st.vega_lite_chart(spec=spec, width="stretch")
    return True


@st.cache_data(max_entries=1024, show_spinner=False)
def _display_table(key: str, _frame: pl.DataFrame, _labels: dict[str, str] | None) -> pa.Table:
    """`shown(_frame, _labels)` as the Arrow table `st.dataframe` would make of it (via pandas, as it does
    for a polars frame), keyed on `key` = the content of the frame and the labels, and k."""
    return pa.Table.from_pandas(shown(_frame, _labels).to_pandas())


def display_table(frame: pl.DataFrame, labels: dict[str, str] | None = None) -> pa.Table:
    return _display_table(fingerprint(frame, labels, settings.small_number_threshold()), frame, labels)


def _draw_table(frame: pl.DataFrame, labels: dict[str, str] | None) -> None:
    """Draw `shown(frame, labels)` from the cached display table, as `st.dataframe` of it would."""
    st.dataframe(display_table(frame, labels), hide_index=True, width="stretch")


def _csv_button(
    column, frame: pl.DataFrame, labels: dict[str, str] | None, key: str, kop: str | None = None
) -> None:
    """The CSV download of exactly what is shown, built on click."""
    column.download_button(
        "CSV",
        _csv_deferred(frame, labels, kop),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


def _bar():
    """One row for the downloads and the definition link under a chart or table: a single horizontal
    container (one block for the browser to draw, where st.columns made a row and a block per column)."""
    return st.container(horizontal=True, vertical_alignment="center", gap="small")


def chart_block(
    title: str,
    chart: ChartRecipe | None,
    frame: pl.DataFrame,
    anchor: str,
    key: str,
    caption: str | None = None,
    labels: dict[str, str] | None = None,
    dataset: str | None = None,
) -> None:
    """A titled chart with definition link and CSV/PNG downloads; a clear message when empty. With its
    `dataset`, the set filters it does not apply are named under the title and in the CSV."""
    st.subheader(title)
    kop = toon_filter_notitie(dataset) if dataset else None
    if caption:
        st.caption(caption)
    if frame.height == 0:
        st.info("Geen gegevens bij deze filters.", icon=":material/info:")
        return
    if chart is None or not _draw_chart(chart):
        # rows, but nothing to draw: every value is hidden by the small-number rule; the table still says so
        k = settings.small_number_threshold()
        st.info(
            f"Niets te tekenen: de waarden berusten op minder dan {k} personen en worden niet getoond "
            "(zie Kleine aantallen in de definities).",
            icon=":material/info:",
        )
        bar = _bar()
        _csv_button(bar, frame, labels, key, kop)
        bar.markdown(definition_link(anchor), width="content")
        return
    bar = _bar()
    _csv_button(bar, frame, labels, key, kop)
    bar.download_button(
        "PNG",
        lambda: _png_bytes(chart.build()),
        file_name=f"{key}.png",
        mime="image/png",
        key=f"png_{key}",
        icon=":material/image:",
        on_click="ignore",
    )
    bar.markdown(definition_link(anchor), width="content")


def table_block(
    title: str,
    frame: pl.DataFrame,
    anchor: str,
    key: str,
    caption: str | None = None,
    labels: dict[str, str] | None = None,
    dataset: str | None = None,
) -> None:
    """A titled table (suppressed counts shown as "<k") with definition link and CSV download. With its
    `dataset`, the set filters it does not apply are named under the title and in the CSV."""
    st.subheader(title)
    kop = toon_filter_notitie(dataset) if dataset else None
    if caption:
        st.caption(caption)
    if frame.height == 0:
        st.info("Geen gegevens bij deze filters.", icon=":material/info:")
        return
    _draw_table(frame, labels)
    bar = _bar()
    _csv_button(bar, frame, labels, key, kop)
    bar.markdown(definition_link(anchor), width="content")


def lazy_tabs(labels: list[str], key: str) -> tuple[str, DeltaGenerator]:
    """Tabs of which only the open one is run and sent to the browser; returns its label and container.

    The open tab is kept in the URL (`?<key>=<label>`, absent for the first tab), so a copied link shows
    the same tab; switching tabs reruns the page. Charts in closed tabs cost the browser nothing (a Vega
    view is compiled and drawn per chart on every page visit), which is why pages put their secondary
    charts and tables here (benchmarks/README.md, branch perf-dash2).
    """
    tabs = st.tabs(labels, key=key, bind="query-params")
    for label, tab in zip(labels, tabs, strict=True):
        if tab.open:
            return label, tab
    return labels[0], tabs[0]  # not reached: a bound tab bar always has one open tab


def kpi(
    column,
    label: str,
    value: float | None,
    delta: float | None = None,
    fmt=getal,
    help: str = "",
    onderdrukt: bool = False,
    indicator: str | None = None,
) -> None:
    """A KPI card; a suppressed count shows as "<k", a missing value as a dash. A delta is coloured by the
    meaning of `indicator` (labels.RICHTING: up is red where more is worse, grey where there is no
    direction); a delta needs its indicator."""
    k = settings.small_number_threshold()
    text = f"<{k}" if onderdrukt else ("–" if value is None else fmt(value))
    delta_text = None if delta is None else verschil(delta, fmt)
    if delta_text is not None and indicator is None:
        raise ValueError(f"KPI {label!r}: a change needs its indicator (labels.RICHTING) to be coloured")
    column.metric(
        label,
        text,
        delta_text,
        delta_color="off" if indicator is None else delta_kleur(indicator),
        help=help or f"Aantallen onder {k} worden niet getoond.",
    )


KAART_BREEDTE = 290  # px: per-level cards in a wrapping horizontal container, three per row at 1400 px


def wacht_verschil(mediaan: float | None, vorige: float | None) -> str | None:
    """The change of a median wait against the previous period, in weeks ("+0,8 wk"); None without both."""
    return None if mediaan is None or vorige is None else verschil(mediaan - vorige, weken)


def wacht_kaart(column, row: dict, vorige_mediaan: float | None) -> None:
    """A wait-per-level card: the median as the value, its change against the previous period of the same
    length as the delta (longer is red), p92 and the share within the norm beside it, the counts in the
    help. Statistics on fewer than k children are already hidden (a dash); suppressed counts show as "<k";
    without a median in both periods the delta says so."""
    k = settings.small_number_threshold()

    def aantal(column_name: str) -> str:
        return f"<{k}" if row.get(f"{column_name}_onderdrukt") else getal(row[column_name])

    delta = wacht_verschil(row["mediaan_dagen"], vorige_mediaan)
    changed = delta is not None and delta != weken(0)
    column.metric(
        row["niveau_label"],
        weken(row["mediaan_dagen"]),
        delta or "geen vergelijking",
        delta_color=delta_kleur("wachttijd") if changed else "off",
        delta_arrow="auto" if changed else "off",
        delta_description=f"p92 {weken(row['p92_dagen'])} · {procent(row['aandeel_binnen_norm'])} binnen norm",
        width=KAART_BREEDTE,
        help=f"Mediaan afgeronde wachttijd; {aantal('n_afgerond')} afgerond; verschil met de even lange "
        f"periode ervoor. Nu wachtend "
        f"{aantal('n_wachtend')} ({aantal('n_kinderen_wachtend')} unieke kinderen), mediaan "
        f"{weken(row['mediaan_wachtend_dagen'])}, langst {weken(row['langste_wachtend_dagen'])}.",
    )


DEKKING_BRON = {"iJw-berichten": "iJw-berichten", "wachttijdregistratie": "Wachttijdregistraties"}
MAX_GATEN = 4  # aanbieders named per bron in the coverage line; the rest are counted


def dekking_regel(samenvatting: pl.DataFrame) -> None:
    """One always-visible line on data coverage: per bron, who delivered every month and who missed months
    (the full grid is the Datadekking chart)."""
    if samenvatting.height == 0:
        st.caption("**Datadekking:** in deze periode is niets geleverd.")
        return
    parts = []
    for row in samenvatting.iter_rows(named=True):
        text = (
            f"{DEKKING_BRON.get(row['bron'], row['bron'])} van {getal(row['n_aanbieders'])} aanbieders, "
            f"{getal(row['n_aanbieders_volledig'])} leverden elke maand"
        )
        for column, what, count in (
            ("aanbieders_met_gaten", "maanden zonder levering", "n_maanden_leeg"),
            ("aanbieders_te_laat", "te laat geleverd", "n_maanden_laat"),
        ):
            rows = row.get(column) or []
            if rows:
                named = [f"{g['aanbieder']} ({getal(g[count])} mnd)" for g in rows[:MAX_GATEN]]
                if len(rows) > MAX_GATEN:
                    named.append(f"{getal(len(rows) - MAX_GATEN)} andere")
                text += f"; {what}: " + ", ".join(named)
        parts.append(text)
    note = filter_notitie("dekking_samenvatting")
    suffix = f" ({note})" if note else ""
    st.caption(f"**Datadekking{suffix}:** {' · '.join(parts)}. {definition_link('datadekking')}")


STATUS_TEXT = {  # icon and sentence per status (the short names: labels.CASELOAD_STATUS)
    "onder_band": ("🔵", "onder de bandbreedte"),
    "binnen_band": ("🟢", "binnen de bandbreedte"),
    "boven_band": ("🟠", "tot 10% boven de bandbreedte"),
    "ver_boven_band": ("🔴", "10% of meer boven de bandbreedte"),
}


def team_status(verloop: pl.DataFrame, weging: str) -> None:
    """The latest month's traffic light and figures of one team. The status and the headline number are
    the same figure (`weging`, labels.CASELOAD_WEGING: the one the chart draws), and the text says which;
    the other figure is given beside it."""
    value, status = CASELOAD_WEGING[weging]
    andere = next(w for w in CASELOAD_WEGING if w != weging)
    rows = verloop.drop_nulls(status)
    if rows.height == 0:
        st.info(
            "Voor dit team is geen status te berekenen (fte of bandbreedte ontbreekt).",
            icon=":material/info:",
        )
        return
    last = rows.row(-1, named=True)
    icon, text = STATUS_TEXT.get(last[status], ("⚪", last[status]))
    st.markdown(
        f"### {icon} {last['team_naam']}: {text}\n"
        f"**{getal(last[value], 1)} {last['eenheid']} per fte ({weging})**, band "
        f"{getal(last['bandbreedte_onder'], 1)}–{getal(last['bandbreedte_boven'], 1)}; {andere} "
        f"{getal(last[CASELOAD_WEGING[andere][0]], 1)}. Status en grafiek gaan over het {weging} cijfer. "
        f"Referentienorm: {last['referentienorm_bron'] or '–'}."
    )


@st.cache_data(show_spinner=False)
def definitions_markdown() -> str:
    """docs/definitions.md with explicit anchors for its headings, so `/definities#anchor` links land."""
    path = settings.REPO_ROOT / "docs" / "definitions.md"
    if not path.exists():
        return "De definities ontbreken (docs/definitions.md)."
    text = path.read_text("utf-8")
    return re.sub(r"\s*\{#([a-z0-9-]+)\}", r' <a id="\1"></a>', text)


def anchors_in_definitions() -> set[str]:
    """Every anchor the definitions catalogue declares (for tests and link checks)."""
    path = settings.REPO_ROOT / "docs" / "definitions.md"
    return set(re.findall(r"\{#([a-z0-9-]+)\}", path.read_text("utf-8"))) if path.exists() else set()
