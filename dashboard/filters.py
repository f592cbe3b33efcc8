"""The filter widgets: the global filters (dashboard/filtermodel.py) drawn in the sidebar, kept in the URL.

Invariants: the URL query parameters are the single source of the filter state, so a copied link reproduces
the view. Widgets read their defaults from `st.query_params` and write back on change. A filter that no
block of the current page applies is drawn disabled (its value is kept for the other pages).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import data
from dashboard.filtermodel import ALLE, LEEFTIJDSGROEPEN, Filters, filters_van_pagina
from dashboard.format import maand
from dashboard.labels import KIES

__all__ = ["ALLE", "Filters", "current", "render"]

_UIT = "Dit filter geldt voor geen blok op deze pagina."


def _select(label: str, key: str, options: list[str], labels: dict[str, str], actief: bool = True) -> str:
    current = st.query_params.get(key, ALLE)
    if current not in options:
        current = ALLE
    value = st.sidebar.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=lambda v: "Alle" if v == ALLE else labels.get(v, v),
        key=f"filter_{key}",
        disabled=not actief,
        help=None if actief else _UIT,
        placeholder=KIES,
    )
    if value == ALLE:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value


def render(page: str = "") -> Filters:
    """Draw the filters in the sidebar for `page` (its url path) and return the current selection."""
    actief = filters_van_pagina(page)
    opties = data.fetch("filter_opties")
    maanden = sorted(opties.filter(opties["soort"] == "maand")["waarde"].to_list())

    st.sidebar.header("Filters")
    van_q = st.query_params.get("van", maanden[max(0, len(maanden) - 24)])
    tot_q = st.query_params.get("tot", maanden[-1])
    van_q = van_q if van_q in maanden else maanden[0]
    tot_q = tot_q if tot_q in maanden else maanden[-1]
    van_s, tot_s = st.sidebar.select_slider(
        "Periode",
        options=maanden,
        value=(van_q, tot_q),
        format_func=lambda m: maand(date.fromisoformat(m)),
        key="filter_periode",
        disabled="periode" not in actief,
        help=None if "periode" in actief else _UIT,
    )
    st.query_params["van"], st.query_params["tot"] = van_s, tot_s

    def opts(soort: str) -> tuple[list[str], dict[str, str]]:
        sub = opties.filter(opties["soort"] == soort)
        return [ALLE, *sub["waarde"].to_list()], dict(zip(sub["waarde"], sub["label"], strict=True))

    gemeente = _select("Gemeente", "gemeente", *opts("gemeente"), "gemeente" in actief)
    aanbieder = _select("Aanbieder", "aanbieder", *opts("aanbieder"), "aanbieder" in actief)
    categorie = _select(
        "Productcategorie", "productcategorie", *opts("productcategorie"), "productcategorie" in actief
    )
    leeftijd = _select(
        "Leeftijdsgroep",
        "leeftijdsgroep",
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
