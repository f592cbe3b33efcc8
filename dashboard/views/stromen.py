"""Instroom – doorstroom – uitstroom: flows and stock over time, routes, op-/afschaling, stapeling."""

import streamlit as st

from dashboard import charts, components, labels, queries, verslag_grafieken
from dashboard.filters import current
from dashboard.views.common import page_header

f = current()
page_header(
    "Instroom – doorstroom – uitstroom",
    "Hoeveel kinderen komen in zorg, hoe lang blijven ze, en langs welke route gaan ze eruit?",
)
stromen = queries.stromen(f)

# one chart at a time: only the open tab is run and drawn (components.lazy_tabs)
grafiek, tab = components.lazy_tabs(
    ["Instroom en uitstroom", "Uitstroom naar reden", "Op- en afschaling", "Routes"], key="stromen_grafiek"
)
with tab:
    if grafiek == "Instroom en uitstroom":
        components.chart_block(
            "Instroom, in zorg en uitstroom",
            verslag_grafieken.stromen_recept(f)[0],  # the report draws the same chart
            stromen,
            anchor="instroom",
            key="stromen",
            dataset="stromen_maand",
            labels=labels.STROMEN_KERN,
            caption="Boven: trajecten in zorg aan het eind van de maand; onder: instroom en uitstroom in de maand, "
            "elk op een eigen schaal vanaf 0.",
        )
    elif grafiek == "Uitstroom naar reden":
        components.chart_block(
            "Uitstroom naar reden",
            charts.stacked_bars(
                stromen,
                "maand",
                {
                    "uitstroom_volgens_plan": "Volgens plan",
                    "uitstroom_voortijdig": "Voortijdig",
                    "uitstroom_overig": "Overig",
                    "uitstroom_zonder_stopbericht": "Zonder stopbericht",
                },
                "Trajecten",
            ),
            stromen,
            anchor="uitstroom",
            key="uitstroom_reden",
            dataset="stromen_maand",
            labels=labels.UITSTROOM,
            caption="Zonder stopbericht: het traject eindigde op de einddatum van de toewijzing zonder JW307.",
        )
    elif grafiek == "Op- en afschaling":
        components.chart_block(
            "Op- en afschaling, stapeling, herinstroom en 18/18+",
            charts.lines_over_time(
                stromen,
                "maand",
                {
                    "opschaling": "Opschaling",
                    "afschaling": "Afschaling",
                    "stapeling": "Stapeling",
                    "herinstroom": "Herinstroom < 12 mnd",
                    "overgang_18": "18 jaar geworden in zorg",
                },
                "Kinderen / trajecten",
            ),
            stromen,
            anchor="op-en-afschaling",
            key="doorstroom",
            dataset="stromen_maand",
            labels=labels.DOORSTROOM,
        )
    else:
        routes = queries.routes(f)
        components.chart_block(
            "Routes: verwijzer → productcategorie → afloop",
            charts.route_heatmap(queries.routes_matrix(f)),
            routes,
            anchor="verwijzer",
            key="routes",
            dataset="routes",
            labels=labels.ROUTES,
            caption="Trajecten die in de periode startten, naar verwijzer en productcategorie; de kleur is het aantal. "
            "De tabel (CSV) geeft ook de afloop.",
        )

per_gemeente = queries.stromen_per_gemeente(f)
components.table_block(
    "Per gemeente",
    per_gemeente,
    anchor="instroom",
    key="stromen_per_gemeente",
    dataset="stromen_per_gemeente",
    labels=labels.STROMEN_PER_GEMEENTE,
    caption="Instroom en uitstroom opgeteld over de periode; in zorg aan het eind van de periode.",
)
st.caption("Kleine aantallen (onder de drempel) worden als “<k” getoond en niet in grafieken getekend.")
