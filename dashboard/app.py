"""Ketenmonitor dashboard router: page config, shared filters, navigation. Nothing else lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run dashboard/app.py`

from dashboard import components, data, filters, timing
from dashboard.views import common

_t0 = timing.start()  # opt-in (KETENMONITOR_TIMING_LOG); no effect otherwise
st.set_page_config(page_title="Ketenmonitor", page_icon=":material/link:", layout="wide")
components.print_stylesheet()  # Ctrl+P: A4 landscape, no sidebar or buttons, complete tables

pages = [
    st.Page(
        "views/overzicht.py",
        title="Overzicht",
        icon=":material/dashboard:",
        url_path="overzicht",
        default=True,
    ),
    st.Page(
        "views/stromen.py",
        title="Instroom – doorstroom – uitstroom",
        icon=":material/sync_alt:",
        url_path="stromen",
    ),
    st.Page(
        "views/wachttijden.py", title="Wachttijden", icon=":material/hourglass_top:", url_path="wachttijden"
    ),
    st.Page("views/caseload.py", title="Caseload", icon=":material/groups:", url_path="caseload"),
    st.Page(
        "views/signalen.py", title="Signalen en datakwaliteit", icon=":material/traffic:", url_path="signalen"
    ),
    st.Page("views/definities.py", title="Definities", icon=":material/menu_book:", url_path="definities"),
]

page = st.navigation(pages)  # first: the filters a page disables depend on the page
try:
    st.session_state["_filters"] = filters.render(page.url_path or "overzicht")  # default page: ""
except data.DataNotAvailable as exc:
    common.no_data(str(exc))
    st.stop()

page.run()
timing.end_run(_t0, page)
