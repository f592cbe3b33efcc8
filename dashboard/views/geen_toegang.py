"""Geen toegang: a page the user's role does not have, asked for by its path (the router gives it this
hidden page under that path); the refusal is audited once per run of this page, and the page links to the
pages the role does have."""

import streamlit as st

from dashboard import toegang

gebruiker = toegang.huidige()
toegang.weiger(f"pagina /{st.session_state.get('_geweigerd') or '?'}")
st.title("Geen toegang")
st.error(
    f"Deze pagina hoort niet bij uw rol ({gebruiker.rol_label}). De poging is vastgelegd in het auditlog. "
    "Kies hieronder een pagina die wel bij uw rol hoort.",
    icon=":material/block:",
)
for p in st.session_state.get("_paginas", []):
    st.page_link(p)
