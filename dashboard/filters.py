"""The widgets kept in the URL: the global filters (dashboard/filtermodel.py) drawn in the sidebar, and the
page choices (`keuzelijst`, `segmenten`, `schakelaar`) whose parameters dashboard/urlstate.py declares.

Invariants: the URL query parameters are the single source of this state, so a copied link reproduces
the view. Widgets read their start value from `st.query_params`, checked by `urlstate` first, and write
back on change (a default is left out). A value that is ignored is noted (`meld`) and named in one Dutch
notice at the top of the page (`toon_meldingen`). A filter that no block of the current page applies is
drawn disabled (its value is kept for the other pages).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import data, urlstate
from dashboard.filtermodel import ALLE, GLOBAL_FILTERS, LEEFTIJDSGROEPEN, Filter, Filters, filters_van_pagina
from dashboard.format import datum, maand
from dashboard.labels import KIES
from pipelines.toegang import Gebruiker

__all__ = ["ALLE", "Filters", "current", "keuzelijst", "meerkeuze", "render", "schakelaar", "segmenten"]

_UIT = "Dit filter geldt voor geen blok op deze pagina."
_MELDINGEN = "_url_meldingen"


def begin_run() -> None:
    """Start a run without notices (the router calls this before anything reads the URL)."""
    st.session_state[_MELDINGEN] = []


def meld(melding: str | None) -> None:
    """Record that a URL value was ignored (shown once, at the top of the page, by `toon_meldingen`)."""
    if melding:
        st.session_state.setdefault(_MELDINGEN, []).append(melding)


def toon_meldingen(plek: DeltaGenerator) -> None:
    """Draw this run's notices about ignored URL values in `plek` (a placeholder at the top of the page)."""
    tekst = urlstate.meldingtekst(st.session_state.get(_MELDINGEN, []))
    if tekst:
        plek.warning(tekst, icon=":material/link_off:")


def url_waarde(naam: str) -> str | None:
    value = st.query_params.get(naam)
    return None if value is None else str(value)


def _bewaar(naam: str, waarde: str, standaard: str) -> None:
    """Write a page widget's value to the URL; the default is left out."""
    if waarde == standaard:
        st.query_params.pop(naam, None)
    else:
        st.query_params[naam] = waarde


def keuzelijst(label: str, opties: list[str], key: str, format_func=str, **kwargs) -> str:
    """A selectbox whose value is the URL parameter `key` (default: the first option)."""
    start = _start(key, opties, opties[0], format_func)
    value = st.selectbox(label, opties, index=opties.index(start), format_func=format_func, key=key, **kwargs)
    _bewaar(key, value, opties[0])
    return value


def segmenten(label: str, opties: list[str], key: str, standaard: str, format_func=str) -> str:
    """A segmented control whose value is the URL parameter `key`; deselecting gives the default."""
    start = _start(key, opties, standaard, format_func)
    value = st.segmented_control(label, opties, default=start, format_func=format_func, key=key) or standaard
    _bewaar(key, value, standaard)
    return value


def meerkeuze(
    label: str, opties: list[str], key: str, standaard: list[str], format_func=str, **kwargs
) -> list[str]:
    """A multiselect whose values are the URL parameter `key` (comma-separated; `standaard` when absent)."""
    start, melding = urlstate.kies_meer(key, url_waarde(key), opties, standaard, format_func)
    meld(melding)
    value = st.multiselect(label, opties, default=start, format_func=format_func, key=key, **kwargs)
    if value == [w for w in standaard if w in opties]:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = urlstate.SCHEIDING.join(value)
    return value


def schakelaar(label: str, key: str, uit: str = "uit", plek: DeltaGenerator | None = None, **kwargs) -> bool:
    """A toggle whose state is the URL parameter `key` (`?key=ja` when on, absent when off); `uit` names
    the off state in a notice. `plek`: where it is drawn (default the page; `st.sidebar`)."""
    aan = _start(key, [urlstate.AAN], "", lambda v: v or uit) == urlstate.AAN
    value = (plek or st).toggle(label, value=aan, key=key, **kwargs)
    _bewaar(key, urlstate.AAN if value else "", "")
    return value


def tabblad(key: str, labels: list[str]) -> None:
    """Check the URL value of a `lazy_tabs` bar (Streamlit drops an unknown one silently): note it."""
    meld(urlstate.kies(key, url_waarde(key), labels, labels[0])[1])


def anker(geldig: list[str]) -> str | None:
    """The definitions anchor of the URL (`?anker=`), if it names one of `geldig`."""
    waarde = _start("anker", ["", *geldig], "", lambda v: v or "het begin van de pagina")
    return waarde or None


def _start(naam: str, opties: list[str], standaard: str, format_func) -> str:
    waarde, melding = urlstate.kies(naam, url_waarde(naam), opties, standaard, format_func)
    meld(melding)
    return waarde


def _select(filt: Filter, options: list[str], labels: dict[str, str], actief: bool = True) -> str:
    key = filt.url[0]
    current = _start(key, options, ALLE, lambda v: filt.alle if v == ALLE else labels.get(v, v))
    value = st.sidebar.selectbox(
        filt.label,
        options,
        index=options.index(current),
        format_func=lambda v: "Alle" if v == ALLE else labels.get(v, v),
        key=f"filter_{key}",
        disabled=not actief,
        help=None if actief else _UIT,
        placeholder=KIES,
    )
    _bewaar(key, value, ALLE)
    return value


ACTUEEL = ""  # the option "Actuele database" of "Cijfers van" (absent from the URL)


def momentopname_label(snap: data.Snapshot | None) -> str:
    """ "naam (peildatum 3 mrt 2026)" of a snapshot; "Actuele database" for None."""
    return "Actuele database" if snap is None else f"{snap.naam} (peildatum {datum(snap.peildatum)})"


def bron(gebruiker: Gebruiker) -> data.Bron:
    """Draw "Cijfers van" (the live database or a snapshot, newest first: `?momentopname=`, a snapshot's
    file stem or name) and the learning-session toggle (`?leersessie=ja`) at the top of the sidebar, and
    set the run's source and view (`data.kies_bron`; the view is `gebruiker`'s, pipelines/toegang.py)
    before anything is fetched. An unknown or deleted snapshot in the link is named in the page's notice;
    the live database is shown."""
    opslag = data.lees_opslag(opnieuw=True)  # the store's one read of this run
    snaps = {Path(s.bestand).stem: s for s in opslag.momentopnamen}
    ruw = url_waarde("momentopname")
    namen = {s.naam: stem for stem, s in snaps.items()}
    if ruw is not None and ruw not in snaps and ruw in namen:  # by name: the stem from now on
        st.query_params["momentopname"] = ruw = namen[ruw]
    opties = [ACTUEEL, *snaps]

    def toon(v: str) -> str:
        return momentopname_label(snaps.get(v))

    gekozen = _start("momentopname", opties, ACTUEEL, toon)
    if len(opties) > 1:
        gekozen = st.sidebar.selectbox(
            "Cijfers van",
            opties,
            index=opties.index(gekozen),
            format_func=toon,
            key="momentopname",
            help="Een momentopname is een bevroren kopie van de cijfers; een nieuwe build verandert hem niet.",
        )
    _bewaar("momentopname", gekozen, ACTUEEL)
    leersessie = schakelaar(
        "Leersessie-modus",
        "leersessie",
        plek=st.sidebar,
        help="Aanbieders heten A, B, C … in alle grafieken, tabellen en downloads."
        if gebruiker.mag_pseudoniemen_uitzetten
        else "Ook uw eigen organisatie onder schuilnaam. Andere aanbieders ziet u altijd onder schuilnaam.",
    )
    if opslag.fout:
        st.sidebar.caption(opslag.fout)
    keuze = data.Bron(snaps.get(gekozen), gebruiker.zicht(leersessie))
    data.kies_bron(keuze)
    if gebruiker.mag_pseudoniemen_uitzetten:  # only who may see the codes may have them translated
        _aanbieder_vertalen(leersessie)
    return keuze


def _aanbieder_vertalen(leersessie: bool) -> None:
    """Keep the aanbieder filter when the contract manager switches the learning-session mode: its value
    (URL and widget) is the AGB code, or in a session the pseudonym; a value of the other form is
    translated, never echoed. Never for a role that sees pseudonyms only: translating a code from a
    crafted link would tell which provider has which letter."""
    waarden = {v for v in (url_waarde("aanbieder"), st.session_state.get("filter_aanbieder")) if v} - {ALLE}
    if not waarden or not (leersessie or any(str(v).startswith("Aanbieder ") for v in waarden)):
        return
    pseudoniemen = data.pseudoniemen(data.current_stamp())
    vertaling = pseudoniemen if leersessie else {p: c for c, p in pseudoniemen.items()}
    if (url := url_waarde("aanbieder")) in vertaling:
        st.query_params["aanbieder"] = vertaling[url]
    if (widget := st.session_state.get("filter_aanbieder")) in vertaling:
        st.session_state["filter_aanbieder"] = vertaling[widget]


def render(page: str, gebruiker: Gebruiker) -> Filters:
    """Draw the filters in the sidebar for `page` (its url path), in the view of `gebruiker`, and return the
    current selection."""
    actief = filters_van_pagina(page)
    leersessie = bron(gebruiker).leersessie
    opties = data.fetch("filter_opties")
    maanden = sorted(opties.filter(opties["soort"] == "maand")["waarde"].to_list())
    filt = {f.naam: f for f in GLOBAL_FILTERS}

    def toon(m: str) -> str:
        return maand(date.fromisoformat(m))

    st.sidebar.header("Filters")
    van_q, tot_q, meldingen = urlstate.periode(url_waarde("van"), url_waarde("tot"), maanden, toon)
    for m in meldingen:
        meld(m)
    van_s, tot_s = st.sidebar.select_slider(
        filt["periode"].label,
        options=maanden,
        value=(van_q, tot_q),
        format_func=toon,
        key="filter_periode",
        disabled="periode" not in actief,
        help=None if "periode" in actief else _UIT,
    )
    st.query_params["van"], st.query_params["tot"] = van_s, tot_s

    def opts(soort: str) -> tuple[list[str], dict[str, str]]:
        sub = opties.filter(opties["soort"] == soort)
        if leersessie and soort == "aanbieder":  # by pseudonym (A, B, …, AA), not in the order of the codes
            sub = sub.sort(pl.col("waarde").str.len_chars(), "waarde")
        return [ALLE, *sub["waarde"].to_list()], dict(zip(sub["waarde"], sub["label"], strict=True))

    gemeente = _select(filt["gemeente"], *opts("gemeente"), "gemeente" in actief)
    aanbieder = _select(filt["aanbieder"], *opts("aanbieder"), "aanbieder" in actief)
    categorie = _select(filt["productcategorie"], *opts("productcategorie"), "productcategorie" in actief)
    leeftijd = _select(
        filt["leeftijdsgroep"],
        [ALLE, *LEEFTIJDSGROEPEN],
        {g: g for g in LEEFTIJDSGROEPEN},
        "leeftijdsgroep" in actief,
    )
    return Filters(
        van=date.fromisoformat(van_s),
        tot=date.fromisoformat(tot_s),
        gemeente=gemeente,
        aanbieder=aanbieder,
        productcategorie=categorie,
        leeftijdsgroep=leeftijd,
    )


def current() -> Filters:
    """The selection made by the router in this run."""
    return st.session_state["_filters"]


def current_or_none() -> Filters | None:
    """The selection of this run, or None outside a page run (component tests)."""
    return st.session_state.get("_filters")


def schuif(label: str, key: str, format_func=str, **kwargs) -> str:
    """A select slider whose value is the URL parameter `key`, one of the Vooruitblik scenario settings
    (urlstate.VB_SCENARIO: its allowed values and default)."""
    opties, standaard = urlstate.VB_SCENARIO[key]
    start = _start(key, list(opties), standaard, format_func)
    value = st.select_slider(label, list(opties), value=start, format_func=format_func, key=key, **kwargs)
    _bewaar(key, value, standaard)
    return value
