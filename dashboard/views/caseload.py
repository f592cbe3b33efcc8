"""Caseload per team: cases per FTE against the agreed band, weighted view, norms, factor sheet."""

import streamlit as st

from dashboard import charts, components, labels, queries
from dashboard.filters import current
from dashboard.views.common import empty, page_header

f = current()
page_header(
    "Caseload", "Past de belasting van het team binnen de afgesproken bandbreedte, en welke factoren wegen?"
)
teams = queries.caseload_teams(f)
if teams.height == 0:
    empty("Geen teamgegevens geladen (teams, fte en caseload).")
    st.stop()

team_namen = queries.team_namen(teams)
team = st.selectbox(
    "Team", list(team_namen), format_func=team_namen.get, key="caseload_team", placeholder=labels.KIES
)
components.toon_filter_notitie("caseload_teams", "Team")
gewogen = st.toggle("Gewogen naar complexiteit", key="caseload_gewogen")
weging = "gewogen" if gewogen else "ongewogen"  # status, number and chart all use this figure
verloop = queries.caseload_verloop(team, f)
components.team_status(verloop, weging)

# one chart at a time: only the open tab is run and drawn (components.lazy_tabs)
grafiek, tab = components.lazy_tabs(["Bandbreedte", "Factoren"], key="caseload_grafiek")
with tab:
    if grafiek == "Bandbreedte":
        components.chart_block(
            "Casussen per fte tegen de bandbreedte",
            charts.caseload_band(verloop, weging),
            verloop,
            anchor="caseload",
            key=f"caseload_{team}",
            dataset="caseload_verloop",
            labels=labels.CASELOAD,
            caption="Groen vlak: de afgesproken bandbreedte; stippellijn: de referentienorm voor dit type team. "
            f"Lijn, punten en status: het {weging} aantal casussen per fte. Status: blauw onder de band, groen "
            "binnen, oranje tot 10% erboven, rood 10% of meer erboven.",
        )
    else:
        factoren = queries.caseload_factoren(team, f)
        components.chart_block(
            "Meewegende factoren (NJi-hulpblad)",
            charts.spider(factoren),
            factoren,
            anchor="factorscores",
            key=f"factoren_{team}",
            dataset="caseload_factoren",
            labels=labels.FACTOREN,
            caption="Rood: de ruimte die het team ervaart (6 − gemiddelde score); grijs: de ideale situatie. Hoe verder "
            "de rode lijn naar binnen buigt, hoe zwaarder die factor weegt. Niet getoond bij minder dan k scores.",
        )
