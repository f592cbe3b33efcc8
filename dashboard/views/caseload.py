"""Caseload per team: all teams against their band first, then one team's history, weighting, factor sheet."""

import streamlit as st

from dashboard import charts, components, labels, queries
from dashboard.filters import current, keuzelijst, schakelaar
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
team = keuzelijst(
    "Team", list(team_namen), "caseload_team", format_func=team_namen.get, placeholder=labels.KIES
)
components.toon_filter_notitie("caseload_teams", "Team")
gewogen = schakelaar("Gewogen naar complexiteit", "caseload_gewogen", uit="ongewogen")
weging = "gewogen" if gewogen else "ongewogen"  # status, number and chart all use this figure
verloop = queries.caseload_verloop(team, f)
components.team_status(verloop, weging)

overzicht = queries.caseload_overzicht(f)
components.chart_block(
    "Alle teams tegen hun bandbreedte",
    charts.caseload_overzicht(overzicht, weging, team),
    overzicht,
    anchor="caseload",
    key="caseload_overzicht",
    dataset="caseload_overzicht",
    labels=labels.CASELOAD_OVERZICHT,
    caption=f"Laatste maand in de periode per team, het gekozen team eerst (vet). Groene balk: de afgesproken "
    f"bandbreedte; streepje: de referentienorm (maximum) voor het type team; punt: het {weging} aantal per fte, "
    "in de eenheid van het team (tussen haakjes). Kleur: blauw onder de band, groen binnen, oranje tot 10% "
    "erboven, rood 10% of meer erboven.",
)

eenheid = queries.eenheid(verloop)
# one chart at a time: only the open tab is run and drawn (components.lazy_tabs)
grafiek, tab = components.lazy_tabs(["Bandbreedte", "Factoren"], key="caseload_grafiek")
with tab:
    if grafiek == "Bandbreedte":
        components.chart_block(
            "Verloop van het gekozen team tegen de bandbreedte",
            charts.caseload_band(verloop, weging, eenheid),
            verloop,
            anchor="caseload",
            key=f"caseload_{team}",
            dataset="caseload_verloop",
            team=team,
            labels=labels.CASELOAD,
            caption="Groen vlak: de afgesproken bandbreedte; stippellijn: de referentienorm (maximum) voor dit type "
            f"team, met zijn waarde. Lijn, punten en status: het {weging} aantal {eenheid} per fte. Status: blauw "
            "onder de band, groen binnen, oranje tot 10% erboven, rood 10% of meer erboven.",
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
            caption="Medewerkers scoren per factor hoe zwaar die weegt, van 1 (licht) tot 5 (zwaar). De grafiek "
            "tekent de ruimte die overblijft: 6 min de gemiddelde score. Een score 1 ligt zo op de buitenste ring, "
            "een score 5 op de binnenste: hoe verder de rode lijn naar binnen buigt, hoe zwaarder die factor weegt. "
            "Het getal bij elk punt is de gemiddelde score; grijs gestippeld is de vorige meting. Niet getoond bij "
            f"minder dan {queries.k()} medewerkers.",
        )
