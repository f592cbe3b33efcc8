"""What a download says about itself: the context block of every CSV and the title of every PNG. Pure (no
Streamlit): `components` gathers the values during the page run and hands them over as an `ExportContext`.

CSV layout (user docs: README, "Downloads en afdrukken"), UTF-8 with BOM, ';' as separator, so Excel and
LibreOffice with Dutch settings open it in columns:

    Veld;Waarde
    Indicator;Instroom, in zorg en uitstroom per maand
    Periode;jan 2025 t/m dec 2025
    Gemeente;Alle
    ...
    Definitie;http://…/definities?anker=instroom
    <empty line>
    Maand;Instroom;...          <- the table, exactly what the page shows

The context is a two-column table of its own and the data table starts after the first empty line (no value
of the context is empty or spans lines, so the first empty line is always the separator). A program skips
it that way (`table_start`); in a spreadsheet it is readable as it is. One file instead of an XLSX with a
second sheet: every spreadsheet and every CSV reader opens it, and nothing new has to be installed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import altair as alt
import polars as pl

from dashboard import filtermodel
from dashboard.filtermodel import ALLE, Filters
from dashboard.format import datum, maand

CONTEXT_HEADER = ("Veld", "Waarde")
DEFINITIES_PAD = "/definities"


@dataclass(frozen=True)
class ExportContext:
    """The context of one block's download. `filters` are (label, value) per global filter in the sidebar's
    order, already in words; `notitie` is the block's filter note (dashboard/filtermodel.notitie)."""

    indicator: str
    definitie: str  # the definition's address: full URL when the app's address is known, else the path
    filters: tuple[tuple[str, str], ...] = ()
    notitie: str | None = None
    peildatum: date | None = None
    kleine_aantallen: str = ""
    bron: str = "Ketenmonitor"
    # the annotations drawn on the chart, each as "① 1 mrt 2026 Titel: toelichting" (`gebeurtenis_tekst`)
    gebeurtenissen: tuple[str, ...] = ()

    def rows(self, gemaakt: date) -> list[tuple[str, str]]:
        """The context as (veld, waarde) rows, in the order the CSV writes them."""
        out = [("Indicator", self.indicator), *self.filters]
        if self.notitie:
            out.append(("Filter niet toegepast", self.notitie))
        out += [("Gebeurtenis", g) for g in self.gebeurtenissen]
        out += [
            ("Peildatum", datum(self.peildatum)),
            ("Kleine aantallen", self.kleine_aantallen),
            ("Definitie", self.definitie),
            ("Bron", self.bron),
            ("Gedownload op", datum(gemaakt)),
        ]
        # one line per value: a line break (or nothing at all) would end the block early
        return [(veld, " ".join(str(waarde).split()) or "–") for veld, waarde in out if waarde is not None]


def gebeurtenis_tekst(
    teken: str, wanneer: date, titel: str, toelichting: str = "", max_toelichting: int = 0
) -> str:
    """One annotation in words: "① 1 mrt 2026 Nieuw contract: toelichting" (`max_toelichting` > 0 shortens
    the explanation to that many characters)."""
    tekst = f"{teken} {datum(wanneer)} {titel}"
    uitleg = " ".join(toelichting.split())
    if max_toelichting and len(uitleg) > max_toelichting:
        uitleg = uitleg[: max_toelichting - 1].rstrip() + "…"
    return f"{tekst}: {uitleg}" if uitleg else tekst


def definitie_adres(anchor: str, app_url: str | None = None) -> str:
    """The address of a definition: `<app>/definities?anker=anchor` (the path alone when the app's address is
    unknown). A query parameter, not a `#fragment`: Streamlit rewrites the URL when the page loads and drops
    the fragment before the page is drawn (`components.naar_anker` scrolls to the anchor)."""
    return f"{(app_url or '').rstrip('/')}{DEFINITIES_PAD}?anker={anchor}"


def periode_tekst(f: Filters, dataset: str | None) -> str:
    """The period in words, as the block applies it: a span, or the state at its end."""
    if dataset is not None and filtermodel.DATASETS[dataset].periode == ("p_tot",):
        return f"stand aan het eind van {maand(f.tot)}"
    return f"{maand(f.van)} t/m {maand(f.tot)}"


def filter_waarden(
    f: Filters | None, dataset: str | None, opties: dict[str, dict[str, str]]
) -> tuple[tuple[str, str], ...]:
    """(label, value in words) per global filter; `opties` maps filter name -> code -> label (names, not
    codes). A filter the block does not apply says so after its value."""
    if f is None:
        return ()
    geldt = filtermodel.ALLE_FILTERS if dataset is None else filtermodel.DATASETS[dataset].filters
    out = []
    for flt in filtermodel.GLOBAL_FILTERS:
        if flt.naam == "periode":
            value = periode_tekst(f, dataset)
        else:
            code = getattr(f, flt.naam)
            value = "Alle" if code == ALLE else opties.get(flt.naam, {}).get(code, code)
        if flt.naam not in geldt:
            value += " (geldt niet voor dit blok)"
        out.append((flt.label, value))
    return tuple(out)


def kleine_aantallen_tekst(k: int, max_afwijking: int) -> str:
    """The small-number rule in words (without ';' or quotes: the CSV cell needs no quoting)."""
    return (
        f"Aantallen onder {k} staan er als <{k} en alle aantallen zijn met de cell-key-methode beschermd "
        f"(afwijking hooguit {max_afwijking}), zie {definitie_adres('kleine-aantallen')}"
    )


def csv_bytes(table: pl.DataFrame, context: ExportContext | None, gemaakt: date) -> bytes:
    """The CSV of `table` (what the page shows) after the context block and one empty line."""
    body = table.write_csv(separator=";")
    if context is None:
        return body.encode("utf-8-sig")
    head = pl.DataFrame(context.rows(gemaakt), schema=list(CONTEXT_HEADER), orient="row")
    return (head.write_csv(separator=";") + "\n" + body).encode("utf-8-sig")


def table_start(text: str) -> int:
    """The offset of the data table in a downloaded CSV's text: after the first empty line (0 without a
    context block)."""
    if not text.startswith(";".join(CONTEXT_HEADER) + "\n"):
        return 0
    end = text.find("\n\n")
    return 0 if end < 0 else end + 2


def read_csv(data: bytes) -> pl.DataFrame:
    """A downloaded CSV's table, as text columns (for programs and tests)."""
    text = data.decode("utf-8-sig")
    return pl.read_csv(io.StringIO(text[table_start(text) :]), separator=";", infer_schema=False)


PNG_WIDTH = 900  # px: the width of an exported chart that takes its container's width on screen
TITLE_LINE = 110  # characters per subtitle line, about the width of an exported chart


def _lines(parts: list[str], width: int = TITLE_LINE) -> list[str]:
    """`parts` joined by " · " into lines of at most `width` characters (a longer part gets its own line)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def titel(context: ExportContext, gemaakt: date) -> alt.TitleParams:
    """The title block of a PNG: the indicator, then the filters, the note, the source and the dates."""
    subtitle = _lines([f"{label}: {value}" for label, value in context.filters])
    if context.notitie:
        subtitle.append(context.notitie)
    if context.gebeurtenissen:  # the markers on the chart, explained
        eerste, *rest = context.gebeurtenissen
        subtitle += _lines([f"Gebeurtenissen: {eerste}", *rest])
    subtitle += _lines(
        [f"Bron: {context.bron}", f"peildatum {datum(context.peildatum)}", f"gemaakt op {datum(gemaakt)}"]
    )
    return alt.TitleParams(text=context.indicator, subtitle=subtitle, anchor="start", fontSize=16)


def with_title(chart: alt.TopLevelMixin, context: ExportContext | None, gemaakt: date) -> alt.TopLevelMixin:
    """`chart` as exported: with the title block of its context (the page shows the title above the chart
    instead) and, where the screen gives it the container's width, a fixed width that fits the title."""
    if context is None:
        return chart
    if isinstance(chart, alt.Chart | alt.LayerChart):
        chart = _fixed_width(chart)
    elif isinstance(chart, alt.VConcatChart):  # panels one above the other: each as wide as one chart
        panels = [_fixed_width(p) if isinstance(p, alt.Chart | alt.LayerChart) else p for p in chart.vconcat]
        chart = chart.copy(deep=False)
        chart["vconcat"] = panels
    return chart.properties(title=titel(context, gemaakt))


def _fixed_width(chart: alt.Chart | alt.LayerChart) -> alt.Chart | alt.LayerChart:
    """`chart` with the export width where the screen gives it its container's width."""
    width = chart.width
    if width is alt.Undefined or width == "container":
        return chart.properties(width=PNG_WIDTH)
    return chart
