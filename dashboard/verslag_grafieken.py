"""The charts a learning session can discuss and put in its report, by chart key, and the gathering of a
session report (dashboard/rapport.py) from them, the store and the current filters.

Chart keys: the notes on the five questions are saved per chart key (`pipelines.store`, `grafiek`), and the
report finds the chart of a key here. A key is `<page>.<chart>` (`stromen.instroom_uitstroom`), or for a
family of charts with a choice `<page>.<chart>:<choice>` (`caseload.verloop:WT-BRA`, a team). Each entry
says the chart's Dutch title, its definition anchor (docs/definitions.md), the dataset it reads (for the
filter note: dashboard/filtermodel.py) and how to make its recipe and frame for the current filters through
`dashboard.queries` (protected frames: the same small-number protection as on the pages).

Adding a chart: add a `Grafiek` to `GRAFIEKEN` under a new key (with `keuzes` when the key takes a choice),
and save the page's notes under that same key. A recipe here should be the one the page draws (same
builder, same arguments). The Leersessie page saves its notes under `trechter:<indicator>:<eenheid>` (plus
`:<niveau>` for waits) and `spc:<reeks>` (plus `:<niveau>`): registering `GRAFIEKEN["trechter"]` and
`GRAFIEKEN["spc"]` (their `maak` parses the choice, e.g. "wachttijd:aanbieder:behandeling", and returns
the page's `charts.funnel`/`charts.spc` recipe and table) puts those charts in the report. Until a key is
registered, its notes still go in the report, without a chart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime

import polars as pl

from dashboard import charts, components, data, export, labels, queries, rapport
from dashboard.charts import ChartRecipe
from dashboard.filtermodel import Filters
from pipelines import settings
from pipelines.store import Annotatie, Snapshot, Store

Maak = Callable[[Filters, str | None], tuple[ChartRecipe | None, pl.DataFrame]]


@dataclass(frozen=True)
class Grafiek:
    titel: str
    anker: str  # the definition the report prints (docs/definitions.md)
    dataset: str  # the table macro it reads (dashboard/filtermodel.DATASETS), for the filter note
    maak: Maak  # (filters, choice) -> (recipe, frame); the choice is None for a key without one
    keuzes: Callable[[Filters], dict[str, str]] | None = None  # choice -> its name, for keys with a choice


def stromen_recept(f: Filters, _: str | None = None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    """The flows chart and its frame, as the Stromen page draws it."""
    stromen = queries.stromen(f)
    recipe = charts.flows(
        stromen,
        "maand",
        {"in_zorg": "In zorg (eind maand)"},
        {"instroom": "Instroom", "uitstroom": "Uitstroom"},
        "Trajecten",
    )
    return recipe, stromen


def wachttijden_recept(f: Filters, niveau: str | None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    """The waits per month of `niveau` and its frame, as the Wachttijden page draws it."""
    niveau = niveau or "behandeling"
    kern = queries.wachten_niveau(niveau, f)
    norm_dagen = kern["norm_dagen"][0] if kern.height else None
    trend = queries.wachttijden_trend(niveau, f)
    recipe = charts.trend_lines(
        trend,
        {
            "mediaan_dagen": "Mediaan afgerond",
            "p92_dagen": "p92 afgerond",
            "mediaan_wachtend_dagen": "Mediaan nog wachtend",
        },
        "Weken",
        norm_dagen,
    )
    return recipe, trend


def _caseload(f: Filters, team: str | None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    if team is None:
        return None, pl.DataFrame()
    verloop = queries.caseload_verloop(team, f)
    return charts.caseload_band(verloop, "gewogen", queries.eenheid(verloop)), verloop


def _teams(f: Filters) -> dict[str, str]:
    return queries.team_namen(queries.caseload_teams(f))


def _signalen(f: Filters, _: str | None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    trend = queries.signalen_maand(f)
    return charts.signal_trend(trend, f.van, f.tot), trend


def trechter_recept(t: queries.Trechter, indicator: str) -> ChartRecipe:
    """The funnel chart of `t` (the Leersessie page and the report draw it the same way)."""
    x_titel, y_titel = labels.TRECHTER_ASSEN[indicator]
    res = t.resultaat
    return charts.funnel(t.punten, t.curve, res.doel, res.soort == "proportie", x_titel, y_titel)


def spc_recept(reeks: queries.SpcReeks) -> ChartRecipe:
    """The XmR chart of `reeks` (the Leersessie page and the report draw it the same way)."""
    return charts.spc(reeks.tabel, reeks.y_titel, reeks.doel, 1 if reeks.sleutel == "mediaan" else 0)


def _trechter(f: Filters, keuze: str | None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    """`keuze`: "<indicator>:<eenheid>" (plus ":<niveau>" for waits), as the Leersessie page keys notes."""
    indicator, eenheid, *rest = (keuze or "").split(":")
    niveau = rest[0] if rest else "behandeling"
    if queries.trechter_zonder_norm(indicator, niveau, f):
        return None, pl.DataFrame()
    t = queries.trechter(indicator, eenheid, niveau, f)
    return trechter_recept(t, indicator), queries.trechter_tabel(t)


def _spc(f: Filters, keuze: str | None) -> tuple[ChartRecipe | None, pl.DataFrame]:
    """`keuze`: "<indicator>" (plus ":<niveau>" for waits), as the Leersessie page keys notes."""
    sleutel, *rest = (keuze or "").split(":")
    niveau = rest[0] if rest else "behandeling"
    for reeks in queries.spc_reeksen(niveau, f):
        if reeks.sleutel == sleutel:
            return spc_recept(reeks), reeks.tabel
    return None, pl.DataFrame()


WACHT_INDICATOREN = ("wachttijd", "mediaan", "wachtend")  # Leersessie charts drawn (and noted) per niveau


def is_per_niveau(grafiek: str) -> bool:
    """Whether the Leersessie chart `grafiek` (a key of queries.LEERSESSIE_GRAFIEKEN, e.g.
    "trechter:wachttijd:aanbieder" or "spc:instroom") is drawn per wait niveau."""
    return grafiek.split(":")[1] in WACHT_INDICATOREN


def notitie_sleutel(grafiek: str, niveau: str) -> str:
    """The chart key the notes on the Leersessie chart `grafiek` are saved under (and the report finds it
    by): the chart, plus ":<niveau>" for a chart drawn per niveau."""
    return f"{grafiek}:{niveau}" if is_per_niveau(grafiek) else grafiek


def _leersessie_keuzes(soort: str) -> Callable[[Filters], dict[str, str]]:
    """The choices of the Leersessie page's `soort` ("trechter", "spc") charts, as its notes are keyed."""

    def keuzes(f: Filters) -> dict[str, str]:
        out: dict[str, str] = {}
        for sleutel, naam in queries.LEERSESSIE_GRAFIEKEN.items():
            basis, _, keuze = sleutel.partition(":")
            if basis != soort:
                continue
            if is_per_niveau(sleutel):
                for niveau, label in queries.NIVEAU_LABELS.items():
                    out[f"{keuze}:{niveau}"] = f"{naam.partition(': ')[2]} ({label})"
            else:
                out[keuze] = naam.partition(": ")[2]
        return out

    return keuzes


GRAFIEKEN: dict[str, Grafiek] = {
    "stromen.instroom_uitstroom": Grafiek(
        "Instroom, in zorg en uitstroom", "stromen", "stromen_maand", stromen_recept
    ),
    "wachttijden.verloop": Grafiek(
        "Wachttijden per maand",
        "wachttijden-maand",
        "wachttijden_trend",
        wachttijden_recept,
        lambda f: dict(queries.NIVEAU_LABELS),
    ),
    "caseload.verloop": Grafiek(
        "Caseload van het team tegen de bandbreedte (gewogen)",
        "caseload",
        "caseload_verloop",
        _caseload,
        _teams,
    ),
    "signalen.per_maand": Grafiek("Ketensignalen per maand", "signalen", "signalen_maand", _signalen),
    "trechter": Grafiek(
        "Trechterdiagram",
        "trechterdiagram",
        "wachttijden_rangorde",
        _trechter,
        _leersessie_keuzes("trechter"),
    ),
    "spc": Grafiek("SPC", "spc", "stromen_maand", _spc, _leersessie_keuzes("spc")),
}


def zoek(sleutel: str) -> tuple[Grafiek, str | None] | None:
    """The chart of a key and its choice (None: no such chart, or a choice where none belongs or missing)."""
    basis, _, keuze = sleutel.partition(":")
    grafiek = GRAFIEKEN.get(basis)
    if grafiek is None or (grafiek.keuzes is None) != (keuze == ""):
        return None
    return grafiek, keuze or None


def team_van(sleutel: str) -> str | None:
    """The team a chart key is about (the caseload chart's choice), None for a regional chart."""
    found = zoek(sleutel)
    if found is None:
        return None
    grafiek, keuze = found
    return keuze if grafiek.maak is _caseload else None


def in_zicht(sleutel: str) -> bool:
    """Whether this run's view may see the chart `sleutel` and its notes: not another team's."""
    team = team_van(sleutel)
    return team is None or data.current_stamp().zicht.mag_team(team)


def sleutels(f: Filters) -> list[str]:
    """Every chart key a report can show for these filters (a key per choice where it takes one)."""
    out: list[str] = []
    for basis, grafiek in GRAFIEKEN.items():
        if grafiek.keuzes is None:
            out.append(basis)
        else:
            out += [f"{basis}:{keuze}" for keuze in grafiek.keuzes(f)]
    return out


def titel(sleutel: str, f: Filters | None = None) -> str:
    """A chart key's Dutch title ('Wachttijden per maand: Aanmelding → intake'); an unknown key as it is."""
    found = zoek(sleutel)
    if found is None:
        return sleutel
    grafiek, keuze = found
    if keuze is None:
        return grafiek.titel
    namen = grafiek.keuzes(f) if grafiek.keuzes is not None and f is not None else {}
    return f"{grafiek.titel}: {namen.get(keuze, keuze)}"


def actieve_momentopname() -> Snapshot | None:
    """The snapshot whose figures this run shows ("Cijfers van", `?momentopname=`; None: the live
    database): the report shows its figures and its notes."""
    return queries.bron().momentopname


@dataclass(frozen=True)
class Onderdeel:
    """What the report needs of one chart, gathered during the page run (cheap: the frames are cached
    queries, a recipe is a builder and its arguments); its PNG is rendered on click."""

    sleutel: str
    titel: str
    recipe: ChartRecipe | None
    heeft_rijen: bool
    context: export.ExportContext | None  # None: a key this registry does not know (no chart, notes only)
    anker: str | None
    keuze: str | None
    grafiek: Grafiek | None
    gebeurtenissen: tuple[tuple[str, date, str], ...] = ()  # (marker, date, title) drawn on the chart


@dataclass(frozen=True)
class Opdracht:
    """Everything a report download needs, with no Streamlit call left: built in the page run, turned into
    HTML (and PDF) on click, in Streamlit's download thread."""

    onderdelen: tuple[Onderdeel, ...]
    filters: Filters
    filter_woorden: tuple[tuple[str, str], ...]
    momentopname: Snapshot | None
    peildatum: date | None
    gebouwd_op: date
    kleine_aantallen: str
    regio: str
    k: int
    # in the user's view (dashboard/data.py), fixed in the page run: the annotations, the definitions, and
    # the pseudonymiser of the notes' texts
    annotaties: tuple[Annotatie, ...] = ()
    definities: str = ""
    pseudo: Callable[[str], str] = field(default=lambda tekst: tekst)


def opdracht(gekozen: list[str], f: Filters) -> Opdracht:
    """The report of the charts `gekozen` (chart keys; an unknown one with its notes only) for the filters `f`, as
    this run sees the database, the snapshot in view and the settings. Call it during the page run."""
    momentopname = actieve_momentopname()
    names, peildatum, _, regel = components._export_basis(
        data.current_stamp(), settings.small_number_threshold(), momentopname.naam if momentopname else None
    )
    onderdelen = []
    for sleutel in gekozen:
        found = zoek(sleutel)
        if found is None:  # notes saved under a key not registered here: in the report without a chart
            onderdelen.append(Onderdeel(sleutel, sleutel, None, False, None, None, None, None))
            continue
        grafiek, keuze = found
        recipe, frame = grafiek.maak(f, keuze)
        kop = titel(sleutel, f)
        # as components.chart_block draws it: the annotations that apply, on the chart and in its context
        team = team_van(sleutel)
        gebeurtenissen = components.chart_gebeurtenissen(recipe, frame, team)
        if recipe is not None and gebeurtenissen is not None:
            recipe = recipe.met(gebeurtenissen)
        notitie = components.filter_notitie(grafiek.dataset)
        onderdelen.append(
            Onderdeel(
                sleutel=sleutel,
                titel=kop,
                recipe=recipe,
                heeft_rijen=frame.height > 0,
                context=components.export_context(
                    kop, grafiek.anker, grafiek.dataset, notitie, gebeurtenissen
                ),
                anker=grafiek.anker,
                keuze=keuze,
                grafiek=grafiek,
                gebeurtenissen=()
                if gebeurtenissen is None
                else tuple(gebeurtenissen.select("teken", "datum", "titel").iter_rows()),
            )
        )
    stamp = data.current_stamp()
    return Opdracht(
        onderdelen=tuple(onderdelen),
        filters=f,
        filter_woorden=export.filter_waarden(f, None, names),
        momentopname=momentopname,
        peildatum=momentopname.peildatum if momentopname else peildatum,
        gebouwd_op=datetime.fromtimestamp(stamp.mtime_ns / 1e9).date(),
        kleine_aantallen=regel,
        regio=settings.region_name(),
        k=settings.small_number_threshold(),
        annotaties=data.annotaties_in_zicht(),
        definities=data.pseudonimiseer_tekst(
            settings.DEFINITIONS_FILE.read_text("utf-8") if settings.DEFINITIONS_FILE.exists() else "", stamp
        ),
        pseudo=data.tekst_pseudonimiseerder(stamp),
    )


def _png(onderdeel: Onderdeel) -> bytes | None:
    if onderdeel.recipe is None or onderdeel.context is None or not onderdeel.heeft_rijen:
        return None
    chart = onderdeel.recipe.build()
    return None if chart is None else components._png_bytes(chart, onderdeel.context)


def verslag(o: Opdracht, store: Store, *, vandaag: date | None = None) -> rapport.Verslag:
    """The report of `o`: the PNGs rendered now, the notes and annotations as the store has them now."""
    snapshot_id = o.momentopname.id if o.momentopname else None
    alle = o.annotaties
    definities = o.definities
    grafieken = []
    for d in o.onderdelen:
        # the annotations drawn on the chart, by their marker, as the store has them now
        getekend = {(datum, kop): teken for teken, datum, kop in d.gebeurtenissen}
        bij = sorted(
            ((getekend[(a.datum, a.titel)], a) for a in alle if (a.datum, a.titel) in getekend),
            key=lambda pair: (pair[1].datum, pair[1].titel),
        )
        grafieken.append(
            rapport.GrafiekVerslag(
                sleutel=d.sleutel,
                titel=d.titel,
                png=_png(d),
                notities=tuple(
                    replace(n, tekst=o.pseudo(n.tekst))
                    for n in store.list_notes(snapshot_id=snapshot_id, grafiek=d.sleutel)
                ),
                annotaties=tuple(a for _, a in bij),
                tekens=tuple(t for t, _ in bij),
                definitie=rapport.definitie(definities, d.anker) if d.anker else None,
                toelichting=(d.context.notitie or "") if d.context else "",
                bekend=d.grafiek is not None,
            )
        )
    return rapport.Verslag(
        sessiedatum=vandaag or date.today(),
        grafieken=tuple(grafieken),
        regio=o.regio,
        momentopname=o.momentopname.naam if o.momentopname else None,
        peildatum=o.peildatum,
        gebouwd_op=o.gebouwd_op,
        filters=o.filter_woorden,
        kleine_aantallen=o.kleine_aantallen,
        annotaties=tuple(alle),
        gemaakt_op=datetime.now(UTC),
    )


def verslag_html(o: Opdracht, store: Store) -> str:
    return rapport.verslag_html(verslag(o, store), o.k)


def verslag_pdf(o: Opdracht, store: Store) -> bytes:
    """The report as PDF (chromium starts while the PNGs are rendered)."""
    return rapport.html_naar_pdf(lambda: verslag_html(o, store))
