"""Wachttijden per niveau: spread of completed and running waits, Kaplan–Meier, norms, per aanbieder."""

import streamlit as st

from dashboard import charts, components, labels, queries, verslag_grafieken
from dashboard.filters import current, segmenten
from dashboard.format import procent, weken
from dashboard.views.common import page_header

f = current()
page_header(
    "Wachttijden",
    "Hoe lang wachten kinderen op elk niveau, ook wie nog wacht, en waar is de wachttijd het langst?",
)
niveau = segmenten(
    "Niveau",
    list(queries.NIVEAU_LABELS),
    "wacht_niveau",
    "behandeling",
    format_func=queries.NIVEAU_LABELS.get,
)

kern = queries.wachten_niveau(niveau, f)
norm_dagen = kern["norm_dagen"][0] if kern.height else None
if kern.height:
    row = kern.row(0, named=True)
    components.toon_filter_notitie("wachten_kerncijfers", "Kerncijfers wachttijd")
    c1, c2, c3, c4 = st.columns(4)
    components.kpi(c1, "Mediaan afgerond", row["mediaan_dagen"], fmt=weken)
    components.kpi(c2, "p92 afgerond", row["p92_dagen"], fmt=weken)
    components.kpi(c3, "Nu wachtend", row["n_wachtend"], onderdrukt=row["n_wachtend_onderdrukt"])
    components.kpi(c4, "Binnen norm", row["aandeel_binnen_norm"], fmt=procent)

# one chart at a time: only the open tab is run and drawn (components.lazy_tabs)
grafiek, tab = components.lazy_tabs(["Spreiding", "Kaplan–Meier", "Verloop per maand"], key="wacht_grafiek")
with tab:
    if grafiek == "Spreiding":
        verdeling = queries.wachttijden_verdeling(niveau, f)
        components.chart_block(
            "Spreiding: afgeronde wachttijden en wie nog wacht",
            charts.histogram(verdeling, None if norm_dagen is None else norm_dagen / 7, queries.k()),
            verdeling,
            anchor=f"wachttijd-{niveau.replace('_', '-')}",
            key=f"verdeling_{niveau}",
            dataset="wachttijden_verdeling",
            labels=labels.VERDELING,
            caption="Klassen van 2 weken gewacht (2–4 wk = meer dan 2 tot en met 4 weken); de norm is altijd een "
            "klassegrens, zodat links van de rode lijn precies de wachttijden binnen de norm staan. De laatste "
            "klasse (>) telt alle langere wachttijden, zodat geen lange wachttijd wegvalt.",
        )
    elif grafiek == "Kaplan–Meier":
        km = queries.wachttijden_km(niveau, f)
        components.chart_block(
            "Kaplan–Meier: aandeel nog wachtend na t weken",
            charts.km_curve(km, norm_dagen),
            km,
            anchor="kaplan-meier",
            key=f"km_{niveau}",
            dataset="wachttijden_km",
            labels=labels.KM,
            caption="Wachttijden die in de periode begonnen; wie nog wacht telt mee tot de peildatum "
            "(gecensureerd).",
        )
    else:
        verloop, trend = verslag_grafieken.wachttijden_recept(f, niveau)  # the report draws the same chart
        components.chart_block(
            "Verloop per maand",
            verloop,
            trend,
            anchor=f"wachttijd-{niveau.replace('_', '-')}",
            key=f"trend_{niveau}",
            dataset="wachttijden_trend",
            labels=labels.WACHTTIJDEN_TREND,
        )

per_aanbieder = queries.wachttijden_per_aanbieder(niveau, f)
components.table_block(
    "Per aanbieder en productcategorie (langste wachttijd eerst)",
    per_aanbieder,
    anchor="nog-wachtend",
    key=f"per_aanbieder_{niveau}",
    dataset="wachttijden_per_aanbieder",
    labels=labels.WACHTTIJDEN_PER_AANBIEDER,
    caption="Wachttijden in dagen. Nog wachtend in unieke kinderen naast registraties laat dubbel wachten zien "
    "(één kind op meer wachtlijsten).",
)

dimensie = segmenten(
    "Vergelijk",
    list(queries.RANGORDE_DIMENSIES),
    "rangorde_dimensie",
    "aanbieder",
    format_func=queries.RANGORDE_DIMENSIES.get,
)
rangorde = queries.wachttijden_rangorde(niveau, dimensie, f)
components.chart_block(
    "Aanbieders en gemeenten naast elkaar",
    charts.rangorde(rangorde, norm_dagen, queries.k()),
    rangorde,
    anchor="rangorde",
    key=f"rangorde_{niveau}_{dimensie}",
    dataset="wachttijden_rangorde",
    labels=labels.RANGORDE,
    caption="Afgeronde wachttijden in de periode, met de andere filters zoals gekozen: het aandeel binnen de norm "
    "van dit niveau, hoogste eerst (zonder norm: de mediaan, kortste eerst). Dezelfde cijfers als de kerncijfers "
    "bij het filter op die aanbieder of gemeente.",
)
components.doorklikken(rangorde, dimensie, key=f"doorklik_{dimensie}")
