"""Reusable UI blocks: a chart with its definition link and downloads, tables, KPI cards.

Invariants: every chart and table shown through these blocks offers a CSV of exactly what is shown (after
small-number protection) and, for charts, a PNG, both built on demand (on click, not on every run) and
without rerunning the page (`on_click="ignore"`: a rerun would also drop the run's deferred files while
the browser asks for one); every block links to its definition. A block that is given its dataset names
the set filters that dataset does not apply (dashboard/filtermodel.py) under its title and in its CSV, so
a figure never looks filtered when it is not. Every CSV starts with the block's context (indicator, filters
in words, peildatum, small-number rule, definition, source) and every PNG carries it as its title
(dashboard/export.py). Printing (Ctrl+P) gives the charts and complete tables on A4 landscape without the
sidebar and the buttons (`print_stylesheet`, dashboard/print.css; a table's print copy is plain HTML that
only print shows, as the screen's grid is a canvas that prints only its visible rows).
Chart specs and display tables are cached by content (`dashboard.fingerprint`: the frame's every row and
the builder's arguments), shared by sessions: a rerun on the same data sends the same spec and table
without building or validating them again, and a key cannot match other data than it was built from.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pyarrow as pa
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import charts, data, export, filtermodel, queries, toegang
from dashboard.charts import ChartRecipe
from dashboard.export import ExportContext
from dashboard.filters import anker, current_or_none, tabblad
from dashboard.fingerprint import fingerprint
from dashboard.format import datum, datum_tijd, format_table, getal, procent, verschil, weken
from dashboard.labels import CASELOAD_WEGING, KIES, delta_kleur
from dashboard.privacy import SUFFIX, for_display
from pipelines import settings
from pipelines.store import SCOPES, SOORTEN


def definition_link(anchor: str) -> str:
    """A 'Definitie' link to the indicator on the definitions page (`export.definitie_adres`)."""
    return f"[Definitie]({export.definitie_adres(anchor)})"


# The definitions page is drawn after the browser has loaded the URL: once the anchor is in the document,
# scroll it into view (polling at most ~10 s, then give up).
_NAAR_ANKER = """<script>
(() => {
  const id = %s;
  let n = 0;
  const t = setInterval(() => {
    const el = document.getElementById(id);
    if (el) {
      clearInterval(t);
      const kop = el.closest("h1, h2, h3, h4, h5, h6, tr") || el;  // the heading or table row it sits in
      kop.style.scrollMarginTop = "4.5rem";  // below Streamlit's fixed header
      kop.scrollIntoView({block: "start"});
    }
    else if (++n > 100) clearInterval(t);
  }, 100);
})();
</script>"""


def naar_anker() -> None:
    """On the definitions page: scroll to the anchor of the link (`?anker=`), checked against the catalogue
    (an unknown one is named in the page's notice)."""
    doel = anker(sorted(anchors_in_definitions()))
    if doel:
        st.html(_NAAR_ANKER % json.dumps(doel), unsafe_allow_javascript=True)


def shown(df: pl.DataFrame, labels: dict[str, str] | None = None, csv: bool = False) -> pl.DataFrame:
    """Exactly what a table shows and a CSV download contains: protected, formatted, Dutch headings (a CSV
    writes the same cells without thousands separators and with ISO dates: dashboard/format.py)."""
    return format_table(for_display(df, settings.small_number_threshold()), labels, csv=csv)


def _csv_bytes(
    df: pl.DataFrame, labels: dict[str, str] | None = None, context: ExportContext | None = None
) -> bytes:
    """The CSV of what is shown, after the block's context (dashboard/export.py: the table starts after
    the first empty line)."""
    return export.csv_bytes(shown(df, labels, csv=True), context, date.today())


def _csv_deferred(
    df: pl.DataFrame, labels: dict[str, str] | None = None, context: ExportContext | None = None
):
    """The CSV of `df`, built when the user clicks (like the PNG): formatting and writing a CSV for every
    download button on every run was a third of a page run."""
    return lambda: _csv_bytes(df, labels, context)


@st.cache_data(max_entries=8, show_spinner=False)
def _export_basis(
    stamp: data.Stamp, k: int, momentopname: str | None = None
) -> tuple[dict[str, dict[str, str]], date | None, str, str]:
    """What every download of this database says, per stamp (the file and the view) and k: the filter
    options' names (filter -> code -> name), the peildatum, the source (a snapshot by its name) and the
    small-number rule in words."""
    opties = data.fetch("filter_opties")  # as the sidebar (dashboard/filters.py) reads it
    names: dict[str, dict[str, str]] = {}
    for soort, code, label in opties.select("soort", "waarde", "label").iter_rows():
        names.setdefault(soort, {})[code] = label
    info = queries.build_kenmerken()
    built = datetime.fromtimestamp(stamp.mtime_ns / 1e9).date()
    if momentopname is not None:
        bron = f"Ketenmonitor, momentopname ‘{momentopname}’ gemaakt op {datum(built)} (modelversie {info.model_version})"
    else:
        bron = f"Ketenmonitor, database gebouwd op {datum(built)} (modelversie {info.model_version})"
    if stamp.leersessie:
        bron += (
            "; leersessie: aanbieders onder schuilnaam"
            if stamp.zicht.per_kind
            else "; andere aanbieders dan de eigen organisatie onder schuilnaam"
        )
    regel = export.kleine_aantallen_tekst(k, queries.disclosure_method().max_afwijking)
    return names, info.peildatum, bron, regel


def _app_url() -> str | None:
    """The app's address in the user's browser without the page's path (None outside a browser session)."""
    url = (st.context.url or "").rstrip("/")
    if not url:
        return None
    head, _, last = url.rpartition("/")
    return head if last in filtermodel.PAGES and "//" in head else url


def export_context(
    title: str,
    anchor: str,
    dataset: str | None,
    note: str | None,
    gebeurtenissen: pl.DataFrame | None = None,
) -> ExportContext:
    """The context a block's downloads carry (dashboard/export.py), from this run's filters and database;
    `gebeurtenissen` (charts.annotatie_frame) are the annotations drawn on the chart."""
    snapshot = data.gekozen_bron().momentopname
    names, peildatum, bron, regel = _export_basis(
        data.current_stamp(), settings.small_number_threshold(), snapshot.naam if snapshot else None
    )
    return ExportContext(
        indicator=title,
        definitie=export.definitie_adres(anchor, _app_url()),
        filters=export.filter_waarden(current_or_none(), dataset, names),
        notitie=note,
        peildatum=peildatum,
        kleine_aantallen=regel,
        bron=bron,
        gebeurtenissen=gebeurtenis_regels(gebeurtenissen),
    )


def gebeurtenis_regels(gebeurtenissen: pl.DataFrame | None, max_toelichting: int = 0) -> tuple[str, ...]:
    """The annotations of a chart (charts.annotatie_frame) in words, one per marker."""
    if gebeurtenissen is None:
        return ()
    return tuple(
        export.gebeurtenis_tekst(r["teken"], r["datum"], r["titel"], r["toelichting"], max_toelichting)
        for r in gebeurtenissen.iter_rows(named=True)
    )


def _einde_maand(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1) - timedelta(days=1)


def chart_gebeurtenissen(
    chart: ChartRecipe | None, frame: pl.DataFrame, team: str | None = None
) -> pl.DataFrame | None:
    """The annotations to draw on `chart` (charts.annotatie_frame): for a chart with months on its x axis,
    those that apply under this run's filters (queries.annotaties) dated within its months
    (`ChartRecipe.x_bereik`: from the first day of the first month to the last day of the last); None
    otherwise or when none."""
    if chart is None or not chart.tijdas or frame.height == 0:
        return None
    bereik = chart.x_bereik(frame)
    if bereik is None:
        return None
    alle = queries.annotaties(current_or_none(), team)
    if alle.height == 0:
        return None
    van, tot = bereik
    rows = charts.annotatie_frame(alle, van, _einde_maand(tot))
    return rows if rows.height else None


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


def _png_bytes(chart: alt.TopLevelMixin, context: ExportContext | None = None) -> bytes:
    """The PNG of `chart` with its context as title block (indicator, filters, source, dates)."""
    buf = io.BytesIO()
    chart = export.with_title(chart, context, date.today())
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
    column, frame: pl.DataFrame, labels: dict[str, str] | None, key: str, context: ExportContext
) -> None:
    """The CSV download of exactly what is shown, after its context, built on click."""
    column.download_button(
        "CSV",
        _csv_deferred(frame, labels, context),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"csv_{key}",
        icon=":material/download:",
        on_click="ignore",
    )


PRINT_ONLY = "km-print-only"  # the class print.css shows only in print (and hides with its element on screen)


@st.cache_data(max_entries=1024, show_spinner=False)
def _print_table(key: str, _frame: pl.DataFrame, _labels: dict[str, str] | None) -> str:
    """`shown(_frame, _labels)` as a plain HTML table, every row, for print; keyed like `_display_table`."""
    table = shown(_frame, _labels)
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in table.iter_rows()
    )
    return (
        f'<div class="{PRINT_ONLY}"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def _draw_print_table(frame: pl.DataFrame, labels: dict[str, str] | None) -> None:
    """The complete table for print (the grid on screen is a canvas that prints only its visible rows)."""
    st.html(_print_table(fingerprint(frame, labels, settings.small_number_threshold()), frame, labels))


PRINT_CSS = (Path(__file__).parent / "print.css").read_text("utf-8")


def print_stylesheet() -> None:
    """The print layout (dashboard/print.css), once per run from the router: a style-only st.html goes to
    Streamlit's event container and takes no room on the page."""
    st.html(f"<style>{PRINT_CSS}</style>")


def _bar():
    """One row for the downloads and the definition link under a chart or table: a single horizontal
    container (one block for the browser to draw, where st.columns made a row and a block per column)."""
    return st.container(horizontal=True, vertical_alignment="center", gap="small")


def kleine_aantallen_notitie(frame: pl.DataFrame) -> str | None:
    """The small-number rule in one line when it applied to `frame` (some count in it is shown as "<k": a
    `<count>_onderdrukt` flag is set, dashboard/privacy.py); None when nothing was suppressed."""
    flags = [c for c in frame.columns if c.endswith(SUFFIX) and frame.schema[c] == pl.Boolean]
    if not flags or not frame.select(pl.any_horizontal(pl.col(flags).any())).item():
        return None
    k = settings.small_number_threshold()
    return (
        f"Waarden onder k={k} zijn niet getoond (kleine aantallen): in de CSV staat “<{k}”; een lijn heeft er "
        "een gat met een open rondje op de nullijn, een vlak of staaf valt weg."
    )


def signalen_onder_k_regel(typen: list[str]) -> str:
    """The caption of the signal trend: how months under k show, and the types under k in every month."""
    k = settings.small_number_threshold()
    regel = (
        f"Een maand met minder dan {k} signalen van een type (of geen) is een gat in de lijn met een open rondje "
        "op de nullijn."
    )
    if typen:
        regel += f" Altijd minder dan {k} per maand (niet getekend): {', '.join(typen)}."
    return regel


def chart_block(
    title: str,
    chart: ChartRecipe | None,
    frame: pl.DataFrame,
    anchor: str,
    key: str,
    caption: str | None = None,
    labels: dict[str, str] | None = None,
    dataset: str | None = None,
    team: str | None = None,
) -> None:
    """A titled chart with definition link and CSV/PNG downloads; a clear message when empty. With its
    `dataset`, the set filters it does not apply are named under the title and in the CSV. On a chart with
    months on its x axis the annotations that apply (`chart_gebeurtenissen`; `team`: the team the chart
    shows) are drawn, listed under it and named in the downloads."""
    st.subheader(title)
    kop = toon_filter_notitie(dataset) if dataset else None
    if caption:
        st.caption(caption)
    if regel := kleine_aantallen_notitie(frame):
        st.caption(f":material/visibility_off: {regel}")
    if frame.height == 0:
        st.info("Geen gegevens bij deze filters.", icon=":material/info:")
        return
    gebeurtenissen = chart_gebeurtenissen(chart, frame, team)
    if chart is not None and gebeurtenissen is not None:
        chart = chart.met(gebeurtenissen)
    context = export_context(title, anchor, dataset, kop, gebeurtenissen)
    if chart is None or not _draw_chart(chart):
        # rows, but nothing to draw: every value is hidden by the small-number rule; the table still says so
        k = settings.small_number_threshold()
        st.info(
            f"Niets te tekenen: de waarden berusten op minder dan {k} personen en worden niet getoond "
            "(zie Kleine aantallen in de definities).",
            icon=":material/info:",
        )
        bar = _bar()
        _csv_button(bar, frame, labels, key, context)
        bar.markdown(definition_link(anchor), width="content")
        return
    if gebeurtenissen is not None:
        st.caption("Gebeurtenissen: " + " · ".join(gebeurtenis_regels(gebeurtenissen, MAX_TOELICHTING)))
    bar = _bar()
    _csv_button(bar, frame, labels, key, context)

    def png() -> bytes:
        built = chart.build()
        assert built is not None  # _draw_chart drew it
        return _png_bytes(built, context)

    bar.download_button(
        "PNG",
        png,
        file_name=f"{key}.png",
        mime="image/png",
        key=f"png_{key}",
        icon=":material/image:",
        on_click="ignore",
    )
    bar.markdown(definition_link(anchor), width="content")


MAX_TOELICHTING = (
    80  # characters of an annotation's explanation in the list under a chart (the tooltip has all)
)


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
    _draw_print_table(frame, labels)
    bar = _bar()
    _csv_button(bar, frame, labels, key, export_context(title, anchor, dataset, kop))
    bar.markdown(definition_link(anchor), width="content")


def filter_link_params(param: str, value: str) -> dict[str, str]:
    """The current URL state (the global filters, the open tabs) with the one filter `param` set to
    `value`: a link with it opens another page with every other filter kept."""
    params = {key: str(v) for key, v in st.query_params.to_dict().items()}
    params[param] = value
    return params


# pages a drill-through opens, per filter: (page file, link label)
DOORKLIK_PAGINAS = {
    "aanbieder": (
        ("views/overzicht.py", "Overzicht"),
        ("views/stromen.py", "Stromen"),
        ("views/wachttijden.py", "Wachttijden"),
    ),
    "gemeente": (
        ("views/overzicht.py", "Overzicht"),
        ("views/stromen.py", "Stromen"),
        ("views/wachttijden.py", "Wachttijden"),
        ("views/caseload.py", "Caseload"),
    ),
}


def doorklikken(frame: pl.DataFrame, dimensie: str, key: str) -> None:
    """Pick one aanbieder or gemeente (`dimensie`) of a ranked frame (columns code, naam) and open it on the
    other pages: links that set that filter and keep the other filters of the URL."""
    if frame.height == 0:
        return
    namen = dict(zip(frame["code"].to_list(), frame["naam"].to_list(), strict=True))
    wat = "aanbieder" if dimensie == "aanbieder" else "gemeente"
    code = st.selectbox(
        f"Bekijk één {wat} op de andere pagina's (de andere filters blijven staan)",
        list(namen),
        format_func=namen.__getitem__,  # the options are its keys
        index=None,
        placeholder=f"Kies een {wat}",
        key=key,
    )
    if code is None:
        return
    bar = _bar()
    for page, label in DOORKLIK_PAGINAS[dimensie]:
        bar.page_link(
            page,
            label=f"{label}: {namen[code]}",
            icon=":material/arrow_forward:",
            query_params=filter_link_params(dimensie, code),
        )


def lazy_tabs(labels: list[str], key: str) -> tuple[str, DeltaGenerator]:
    """Tabs of which only the open one is run and sent to the browser; returns its label and container.

    The open tab is kept in the URL (`?<key>=<label>`, absent for the first tab), so a copied link shows
    the same tab; switching tabs reruns the page. Charts in closed tabs cost the browser nothing (a Vega
    view is compiled and drawn per chart on every page visit), which is why pages put their secondary
    charts and tables here (benchmarks/README.md, branch perf-dash2).
    """
    tabblad(key, labels)  # an unknown tab in the URL is named in the page's notice, not dropped silently
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
    """docs/definitions.md with explicit anchors for its headings, so `/definities?anker=` links land."""
    path = settings.DEFINITIONS_FILE
    if not path.exists():
        return "De definities ontbreken (docs/definitions.md)."
    text = path.read_text("utf-8")
    return re.sub(r"\s*\{#([a-z0-9-]+)\}", r' <a id="\1"></a>', text)


def definities_tekst() -> str:
    """`definitions_markdown`, with the providers its examples name pseudonymised in a learning session."""
    return data.pseudonimiseer_tekst(definitions_markdown())


def anchors_in_definitions() -> set[str]:
    """Every anchor the definitions catalogue declares (for tests and link checks)."""
    path = settings.DEFINITIONS_FILE
    return set(re.findall(r"\{#([a-z0-9-]+)\}", path.read_text("utf-8"))) if path.exists() else set()


def momentopname_formulier() -> None:
    """The contract manager's form: freeze the figures of the live database as a named snapshot
    (pipelines.snapshot.make_snapshot), with a spinner and a Dutch message; it can then be chosen under
    "Cijfers van" on every page."""
    from pipelines import snapshot  # only when the form is drawn: the page runs need none of it

    with st.form("momentopname_maken", clear_on_submit=False, border=False):
        naam = st.text_input("Naam", max_chars=100, placeholder="bijv. Leersessie maart 2026")
        opmerking = st.text_area("Opmerking", max_chars=2000, height=80)
        gemaakt = st.form_submit_button("Maak momentopname", icon=":material/photo_camera:")
    if not gemaakt:
        return
    gebruiker = toegang.huidige()
    if not gebruiker.mag_momentopname_maken:
        toegang.weiger("momentopname maken")
        st.error("Alleen de contractmanager maakt momentopnamen.", icon=":material/block:")
        return
    try:
        with st.spinner("Momentopname maken…"):
            snap = snapshot.make_snapshot(
                naam, db=settings.db_path(), door=gebruiker.auteur, opmerking=opmerking
            )
    except (ValueError, snapshot.SnapshotError) as exc:
        st.error(f"Geen momentopname gemaakt: {exc}", icon=":material/error:")
        return
    st.success(
        f"Momentopname ‘{snap.naam}’ gemaakt (peildatum {datum(snap.peildatum)}). Kies hem bij ‘Cijfers van’ "
        "in de zijbalk.",
        icon=":material/check_circle:",
    )


PAGINA_NAMEN = {
    "overzicht": "Overzicht",
    "stromen": "Stromen",
    "wachttijden": "Wachttijden",
    "caseload": "Caseload",
    "signalen": "Signalen",
    "leersessie": "Leersessie",
}
SCOPE_FILTER = {"gemeente": "gemeente", "aanbieder": "aanbieder", "categorie": "productcategorie"}


def gebeurtenissen_sectie() -> None:
    """On the definitions page: every annotation of the store, where it applies and the charts it is drawn
    on (filtermodel.tijdgrafieken); nothing when there are none."""
    alle = data.annotaties()
    if alle.height == 0:
        return
    snapshot = data.gekozen_bron().momentopname
    names = _export_basis(
        data.current_stamp(), settings.small_number_threshold(), snapshot.naam if snapshot else None
    )[0]

    grafieken = "; ".join(f"{PAGINA_NAMEN.get(p, p)}: {t}" for p, t in filtermodel.tijdgrafieken())
    st.header("Gebeurtenissen")
    st.markdown(
        "Gebeurtenissen (een nieuw contract, een andere registratie, een trendbreuk) staan als genummerde "
        "stippellijn op elke grafiek met de maand op de x-as, onder de grafiek uitgelegd en in de downloads "
        f"genoemd. Die grafieken: {grafieken}. Een gebeurtenis voor één gemeente, aanbieder of "
        "productcategorie staat er alleen als dat filter op die waarde staat; een voor één team alleen bij "
        "dat team."
    )
    regels = []
    for r in alle.iter_rows(named=True):
        if r["scope_soort"] is None:
            waar = "alle grafieken"
        else:
            filt = SCOPE_FILTER.get(r["scope_soort"], r["scope_soort"])
            naam = names.get(filt, {}).get(r["scope_code"], r["scope_code"])
            waar = f"alleen bij {SCOPES.get(r['scope_soort'], r['scope_soort']).lower()} {naam}"
        uitleg = " ".join(r["toelichting"].split())
        regels.append(
            f"- **{datum(r['datum'])} — {r['titel']}** ({SOORTEN.get(r['soort'], r['soort']).lower()}; {waar})"
            + (f": {uitleg}" if uitleg else "")
        )
    st.markdown("\n".join(regels))


# --- Leersessie: the author's name, the five questions beside a chart, annotations, SPC marks -------------

_MELDING = "_leersessie_melding"  # a store error of the last click, shown in the next run


def auteur_regel() -> None:
    """Whose name what is saved here goes under: the logged-in user (or the demo choice), from the roles
    file; no one types a name."""
    st.caption(f":material/person: Wat u opslaat, staat op naam van **{toegang.huidige().naam}**.")


def _naam() -> str:
    """The author of a write and the 'who' of its audit entry (pipelines/toegang.Gebruiker.auteur)."""
    return toegang.huidige().auteur


def _mag_schrijven(wat: str) -> bool:
    """Whether this user's role writes notes and annotations; a refusal is audited and told."""
    if toegang.huidige().mag_schrijven:
        return True
    toegang.weiger(wat)
    st.session_state[_MELDING] = (
        f"Niet opgeslagen: uw rol ({toegang.huidige().rol_label}) schrijft geen {wat}."
    )
    return False


def _toon_melding() -> None:
    melding = st.session_state.pop(_MELDING, None)
    if melding:
        st.error(melding, icon=":material/error:")


def tijdstip(moment: datetime) -> str:
    """A stored UTC time on the users' clock: '7 dec 2026 om 08:12' (format.datum_tijd)."""
    return datum_tijd(moment, " om ")


def momentopname_id() -> int | None:
    """The id of the snapshot in view, which notes are saved with; None on the live database. The
    `momentopname` URL parameter comes with the snapshot selection: until it is declared
    (dashboard/urlstate.py), notes belong to the live database."""
    from dashboard import urlstate

    if "momentopname" not in urlstate.PARAMS:
        return None
    naam = st.query_params.get("momentopname")
    snap = queries.momentopname(str(naam)) if naam else None
    return None if snap is None else snap.id


def _sleutel(grafiek: str, vraag: int, snapshot_id: int | None) -> str:
    return f"notitie_{snapshot_id or 'live'}_{grafiek}_{vraag}"


def _bewaar(grafiek: str, vraag: int, snapshot_id: int | None) -> None:
    tekst = st.session_state.get(_sleutel(grafiek, vraag, snapshot_id), "")
    if not _mag_schrijven("notities"):
        return
    try:
        queries.bewaar_notitie(grafiek, vraag, tekst, _naam(), snapshot_id)
    except ValueError as exc:  # the store's Dutch message (an empty name, a text too long)
        st.session_state[_MELDING] = f"Niet opgeslagen: {exc}"


def vijf_vragen(grafiek: str, snapshot_id: int | None) -> None:
    """The five questions of the NJi handreiking (pipelines/store.VRAGEN) for chart `grafiek`: per question a
    text area with its own "Opslaan", the latest saved text with who saved it and when, and the earlier
    versions in an expander. Saved in the store with the chart key and the snapshot in view."""
    from pipelines.store import VRAGEN

    _toon_melding()
    laatste = queries.notities(grafiek, snapshot_id)
    pseudo = data.tekst_pseudonimiseerder()  # providers in a note as this view shows them
    for nr, vraag in VRAGEN.items():
        notitie = laatste.get(nr)
        with st.container(border=True):
            st.markdown(f"**{nr}. {vraag}**")
            if notitie is None:
                st.caption("Nog niets opgeslagen.")
            else:
                st.caption(f"Laatst opgeslagen door {notitie.auteur} op {tijdstip(notitie.tijd)}.")
            sleutel = _sleutel(grafiek, nr, snapshot_id)
            if notitie is not None and (getoond := pseudo(notitie.tekst)) != notitie.tekst:
                # it names providers this view shows under pseudonyms: shown with them, not editable (a save
                # would store the pseudonyms over the names)
                st.text(getoond)
                st.caption(
                    ":material/lock: Noemt aanbieders bij naam; bewerken kan wie ze met naam ziet (de "
                    "contractmanager, buiten de leersessie-modus)."
                )
                continue
            with st.form(f"form_{sleutel}", border=False, enter_to_submit=False):
                st.text_area(
                    vraag,
                    value=notitie.tekst if notitie else "",
                    key=sleutel,
                    height=90,
                    label_visibility="collapsed",
                    placeholder="Wat zegt de groep?",
                )
                st.form_submit_button(
                    "Opslaan",
                    key=f"opslaan_{sleutel}",
                    icon=":material/save:",
                    on_click=_bewaar,
                    args=(grafiek, nr, snapshot_id),
                )
            eerder = queries.notitie_geschiedenis(grafiek, nr, snapshot_id)
            if len(eerder) > 1:
                with st.expander(f"Eerdere versies ({len(eerder) - 1})"):
                    for oud in reversed(eerder[:-1]):
                        st.caption(f"{oud.auteur}, {tijdstip(oud.tijd)}")
                        st.text(pseudo(oud.tekst) or "(leeggemaakt)")


def _voeg_gebeurtenis_toe() -> None:
    s = st.session_state
    if not _mag_schrijven("gebeurtenissen"):
        return
    try:
        queries.voeg_gebeurtenis_toe(
            s["gebeurtenis_datum"],
            s.get("gebeurtenis_titel", ""),
            s.get("gebeurtenis_toelichting", ""),
            s["gebeurtenis_soort"],
            _naam(),
            bool(s.get("gebeurtenis_herberekening")),
            s.get("gebeurtenis_scope") or None,
        )
    except ValueError as exc:
        st.session_state[_MELDING] = f"Niet toegevoegd: {exc}"


def gebeurtenis_formulier(scopes: dict[str, str]) -> None:
    """ "Gebeurtenis toevoegen": date, title, explanation, kind (pipelines/store.SOORTEN), whether the SPC
    limits are recalculated from that date, and optionally the gemeente, aanbieder, category or team it
    concerns (`scopes`: queries.gebeurtenis_scopes)."""
    from pipelines.store import SOORTEN

    _toon_melding()
    with st.form("gebeurtenis", clear_on_submit=True, enter_to_submit=False):
        links, rechts = st.columns(2)
        links.date_input("Datum", key="gebeurtenis_datum", format="DD-MM-YYYY")
        rechts.selectbox(
            "Soort", list(SOORTEN), format_func=SOORTEN.__getitem__, key="gebeurtenis_soort", placeholder=KIES
        )
        st.text_input(
            "Titel", key="gebeurtenis_titel", max_chars=200, placeholder="Bijvoorbeeld: nieuw contract"
        )
        st.text_area("Toelichting", key="gebeurtenis_toelichting", height=80)
        st.selectbox(
            "Geldt voor",
            list(scopes),
            format_func=scopes.__getitem__,
            key="gebeurtenis_scope",
            placeholder=KIES,
        )
        st.checkbox(
            "Bewuste verandering: de grenzen van de SPC-grafieken vanaf deze datum opnieuw berekenen",
            key="gebeurtenis_herberekening",
        )
        st.form_submit_button(
            "Gebeurtenis toevoegen",
            key="gebeurtenis_toevoegen",
            icon=":material/add:",
            on_click=_voeg_gebeurtenis_toe,
        )


def _verwijder_gebeurtenis(annotatie_id: int) -> None:
    door = {a.id: a.aangemaakt_door for a in queries.gebeurtenissen()}.get(annotatie_id, "")
    if not toegang.huidige().mag_verwijderen(door):
        toegang.weiger(f"gebeurtenis {annotatie_id} verwijderen")
        st.session_state[_MELDING] = (
            "Niet verwijderd: alleen wie de gebeurtenis schreef of de contractmanager."
        )
        return
    try:
        queries.verwijder_gebeurtenis(annotatie_id, _naam())
    except ValueError as exc:
        st.session_state[_MELDING] = f"Niet verwijderd: {exc}"


def gebeurtenissen_lijst(scopes: dict[str, str]) -> None:
    """Every annotation (by date) with its kind, scope, recalculation mark and author, and a button that
    removes it (a soft delete: the store keeps it, flagged)."""
    from pipelines.store import SOORTEN

    lijst = queries.gebeurtenissen()
    if not lijst:
        st.info("Nog geen gebeurtenissen vastgelegd.", icon=":material/info:")
        return
    for a in lijst:
        with st.container(border=True, horizontal=True, vertical_alignment="center"):
            scope = (
                "het hele dashboard"
                if a.scope_soort is None
                else scopes.get(f"{a.scope_soort}|{a.scope_code}", f"{a.scope_soort} {a.scope_code}")
            )
            regels = [
                f"**{datum(a.datum)}: {a.titel}**",
                f"{SOORTEN.get(a.soort, a.soort)} · geldt voor {scope}"
                + (" · grenzen vanaf hier opnieuw berekend" if a.is_herberekening else "")
                + f" · door {a.aangemaakt_door}",
            ]
            if a.toelichting:
                regels.append(a.toelichting)
            st.markdown("  \n".join(regels))
            if not toegang.huidige().mag_verwijderen(a.aangemaakt_door):
                continue
            st.button(
                "Verwijderen",
                key=f"verwijder_gebeurtenis_{a.id}",
                icon=":material/delete:",
                on_click=_verwijder_gebeurtenis,
                args=(a.id,),
                width="content",
            )


def spc_kenmerken(variatie: str | None, zekerheid: str | None) -> None:
    """The variation and assurance marks of an SPC chart as coloured badges with their Dutch text
    (labels.SPC_VARIATIE, SPC_ZEKERHEID; colours by point type, labels.SPC_BADGE)."""
    from dashboard.labels import SPC_BADGE, SPC_VARIATIE, SPC_ZEKERHEID

    rij = st.container(horizontal=True, gap="small")
    if variatie is None:
        rij.badge("Variatie: geen waarden", color="gray")
    else:
        tekst, soort = SPC_VARIATIE[variatie]
        rij.badge(f"Variatie: {tekst}", color=SPC_BADGE[soort], icon=":material/timeline:")
    if zekerheid is None:
        rij.badge("Zekerheid: geen norm om mee te vergelijken", color="gray")
    else:
        tekst, soort = SPC_ZEKERHEID[zekerheid]
        rij.badge(f"Zekerheid: {tekst}", color=SPC_BADGE[soort], icon=":material/flag:")
