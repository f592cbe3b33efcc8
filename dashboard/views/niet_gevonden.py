"""Pagina niet gevonden: an unknown path (the router gives it this hidden page) with links to every page."""

import streamlit as st

from dashboard import urlstate

st.title("Pagina niet gevonden")
pad = st.session_state.get("_gevraagd") or ""
st.warning(
    f"De pagina /{urlstate.kort(pad)} bestaat niet in de Ketenmonitor. Kies hieronder een pagina.",
    icon=":material/link_off:",
)
for p in st.session_state.get("_paginas", []):
    st.page_link(p)
