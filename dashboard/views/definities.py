"""Definities: the indicator catalogue (docs/definitions.md) shown in the app, so links land on it."""

import streamlit as st

from dashboard import components
from dashboard.views.common import bron_banner

st.title("Definities")
bron_banner()  # the annotations below may be pseudonymised, the source named
components.gebeurtenissen_sectie()  # the annotations drawn on the time charts
st.markdown(components.definities_tekst(), unsafe_allow_html=True)
components.naar_anker()  # a "Definitie" link lands on its indicator, not at the top
