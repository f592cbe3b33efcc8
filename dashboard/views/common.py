"""Shared rendering helpers for the pages: headers with peildatum, KPI cards, messages, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.format import datum


def no_data(message: str) -> None:
    st.title("Ketenmonitor")
    st.warning(message, icon=":material/warning:")


def page_header(title: str, intro: str) -> None:
    info = data.fetch("build_kenmerken")
    st.title(title)
    peildatum = info["peildatum"][0] if info.height else None
    st.caption(f"{intro}  \nPeildatum: **{datum(peildatum)}**")


def empty(message: str = "Geen gegevens bij deze filters. Kies een ruimere periode of 'Alle'.") -> None:
    st.info(message, icon=":material/info:")
