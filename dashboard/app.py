"""Ketenmonitor dashboard router: page config, who is looking, shared filters, navigation. Nothing else
lives here. A page the user's role does not have (pipelines/toegang.py) is not in the navigation; its path
gets the hidden "Geen toegang" page, and the refusal is audited."""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run dashboard/app.py`

from dashboard import components, data, filters, timing, toegang, urlstate
from dashboard.views import common

_t0 = timing.start()  # opt-in (KETENMONITOR_TIMING_LOG); no effect otherwise
st.set_page_config(page_title="Ketenmonitor", page_icon=":material/link:", layout="wide")
components.print_stylesheet()  # Ctrl+P: A4 landscape, no sidebar or buttons, complete tables
filters.begin_run()
gebruiker = toegang.bepaal()  # first: the login (or the demo picker) decides everything below

OVERZICHT = ("views/overzicht.py", "Overzicht", ":material/dashboard:")
gevraagd = urlstate.gevraagd_pad(st.context.url, st.get_option("server.baseUrlPath"))
pages = [
    # the start page at the root URL; its own slug /overzicht is the hidden twin below (a default page
    # reserves its url_path but is only served at the root, so it gets an internal one)
    st.Page(
        OVERZICHT[0],
        title=OVERZICHT[1],
        icon=OVERZICHT[2],
        url_path=urlstate.start_pad(gevraagd),
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
    st.Page(
        "views/vooruitblik.py", title="Vooruitblik", icon=":material/trending_up:", url_path="vooruitblik"
    ),
    st.Page("views/definities.py", title="Definities", icon=":material/menu_book:", url_path="definities"),
    st.Page("views/leersessie.py", title="Leersessie", icon=":material/forum:", url_path="leersessie"),
    st.Page("views/verslag.py", title="Sessieverslag", icon=":material/description:", url_path="verslag"),
]
pages = [
    p for p in pages if gebruiker.mag_pagina(p.url_path if p.url_path in urlstate.PAGES else "overzicht")
]
verborgen = [st.Page(OVERZICHT[0], title=OVERZICHT[1], url_path="overzicht", visibility="hidden")]
geweigerd = gevraagd if gevraagd in urlstate.PAGES and not gebruiker.mag_pagina(gevraagd) else None
if geweigerd is not None:  # a page of another role: refused under its own path (audited by that page)
    verborgen.append(
        st.Page("views/geen_toegang.py", title="Geen toegang", url_path=geweigerd, visibility="hidden")
    )
# an unknown path gets a hidden Dutch "not found" page under that path (st.navigation would otherwise run
# the start page under an English "Page not found" dialog)
onbekend = gevraagd if urlstate.onbekend(gevraagd) else None
if onbekend is not None:
    verborgen.append(
        st.Page(
            "views/niet_gevonden.py", title="Pagina niet gevonden", url_path=onbekend, visibility="hidden"
        )
    )
st.session_state["_gevraagd"] = onbekend  # the path the "not found" page names
st.session_state["_geweigerd"] = geweigerd  # the path the "Geen toegang" page audits
st.session_state["_paginas"] = pages  # the links on the "not found" page

page = st.navigation(pages + verborgen)  # first: the filters depend on the page
plek = st.empty()  # the notice about ignored URL values, at the top of the page (filled after the run)
if page.url_path not in (onbekend, geweigerd):  # those pages show no data, so no filters
    pagina = page.url_path or "overzicht"  # default page: ""
    for naam in urlstate.van_andere_pagina(pagina):
        st.query_params.pop(naam, None)
    try:
        st.session_state["_filters"] = filters.render(pagina, gebruiker)
    except data.DataNotAvailable as exc:
        common.no_data(str(exc))
        st.stop()

try:
    page.run()
except toegang.Geweigerd as exc:  # the data layer refused a team or a list per child (second line of defence)
    toegang.weiger(f"pagina /{page.url_path}: {exc}")
    common.geweigerd(str(exc))
finally:
    filters.toon_meldingen(plek)
timing.end_run(_t0, page)
