"""Global filters (periode, gemeente, aanbieder, productcategorie, leeftijdsgroep), kept in the URL.

Invariant: the URL query parameters are the single source of the filter state, so a copied link reproduces
the view. Widgets read their defaults from `st.query_params` and write back on change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from dashboard import data
from dashboard.format import maand

ALLE = "alle"
LEEFTIJDSGROEPEN = ("0-3", "4-11", "12-17", "18+")


def _months_back(d: date, n: int) -> date:
    """The first of the month `n` months before `d`'s month."""
    index = d.year * 12 + d.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    van: date
    tot: date
    gemeente: str  # code or "alle"
    aanbieder: str
    productcategorie: str
    leeftijdsgroep: str

    def vorige_periode(self) -> Filters:
        """The same filters for the equally long run of months just before this period."""
        months = (self.tot.year - self.van.year) * 12 + self.tot.month - self.van.month + 1
        return replace(self, van=_months_back(self.van, months), tot=_months_back(self.van, 1))

    def maand_ervoor(self) -> Filters:
        """The same filters with the period ending one month earlier (for "versus the month before")."""
        tot = _months_back(self.tot, 1)
        return replace(self, van=min(self.van, tot), tot=tot)

    def params(self) -> dict[str, object]:
        """Filter values as macro parameters (None = no filter)."""
        return {
            "p_van": self.van,
            "p_tot": self.tot,
            "p_gemeente": None if self.gemeente == ALLE else self.gemeente,
            "p_aanbieder": None if self.aanbieder == ALLE else self.aanbieder,
            "p_categorie": None if self.productcategorie == ALLE else self.productcategorie,
            "p_leeftijd": None if self.leeftijdsgroep == ALLE else self.leeftijdsgroep,
        }


def _select(label: str, key: str, options: list[str], labels: dict[str, str]) -> str:
    current = st.query_params.get(key, ALLE)
    if current not in options:
        current = ALLE
    value = st.sidebar.selectbox(
        label,
        options,
        index=options.index(current),
        format_func=lambda v: "Alle" if v == ALLE else labels.get(v, v),
        key=f"filter_{key}",
    )
    if value == ALLE:
        st.query_params.pop(key, None)
    else:
        st.query_params[key] = value
    return value


def render() -> Filters:
    """Draw the filters in the sidebar and return the current selection."""
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
    )
    st.query_params["van"], st.query_params["tot"] = van_s, tot_s

    def opts(soort: str) -> tuple[list[str], dict[str, str]]:
        sub = opties.filter(opties["soort"] == soort)
        return [ALLE, *sub["waarde"].to_list()], dict(zip(sub["waarde"], sub["label"], strict=True))

    gemeente = _select("Gemeente", "gemeente", *opts("gemeente"))
    aanbieder = _select("Aanbieder", "aanbieder", *opts("aanbieder"))
    categorie = _select("Productcategorie", "productcategorie", *opts("productcategorie"))
    leeftijd = _select(
        "Leeftijdsgroep", "leeftijdsgroep", [ALLE, *LEEFTIJDSGROEPEN], {g: g for g in LEEFTIJDSGROEPEN}
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
