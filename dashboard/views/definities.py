"""Definities: the indicator catalogue (docs/definitions.md) shown in the app, so links land on it."""

import streamlit as st

from dashboard import components

st.title("Definities")
components.gebeurtenissen_sectie()  # the annotations drawn on the time charts
st.markdown(components.definitions_markdown(), unsafe_allow_html=True)
components.naar_anker()  # a "Definitie" link lands on its indicator, not at the top
