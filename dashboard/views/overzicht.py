"""Overzicht: KPI cards with trend, waits per niveau, flows over time, data coverage."""

import streamlit as st

from dashboard import charts, components, labels, queries, toegang
from dashboard.filters import current
from dashboard.format import maand
from dashboard.views.common import empty, page_header

f = current()
page_header("Overzicht", "Hoe presteert de keten, waar stokt het, en hoe verandert dat?")
components.dekking_regel(queries.dekking_samenvatting(f))  # always visible; the grid is a tab below

stromen = queries.stromen(f)
wachten = queries.wachten_per_niveau(f)
wachtend = queries.kinderen_wachtend_kpi(f)

kpis = queries.kerncijfers(stromen)
if not kpis:
    empty()
else:
    voorlopig = " — voorlopig: nog niet alle berichten binnen" if stromen["voorlopig"][-1] == "ja" else ""
    st.markdown(
        f"**Kerncijfers {maand(stromen['maand'][-1])}** (verschil met de maand ervoor){voorlopig} "
        f"{components.definition_link('voorlopig') if voorlopig else ''}"
    )
    # one horizontal container, not st.columns: one block for the browser instead of a row and four columns
    rij = st.container(horizontal=True, gap="medium")
    for indicator, label, cijfer, uitleg in (
        ("instroom", "Instroom", kpis["instroom"], "Gestarte trajecten in de maand."),
        ("in_zorg", "In zorg", kpis["in_zorg"], "Open trajecten aan het eind van de maand."),
        ("uitstroom", "Uitstroom", kpis["uitstroom"], "Definitief beëindigde trajecten."),
        (
            "kinderen_wachtend",
            "Kinderen wachtend",
            wachtend,
            "Unieke kinderen die op de peildatum (of het eind van de periode) ergens in de keten wachten; "
            "verschil met het eind van de maand ervoor.",
        ),
    ):
        components.kpi(
            rij,
            label,
            cijfer.waarde,
            cijfer.verschil,
            onderdrukt=cijfer.onderdrukt,
            help=uitleg,
            indicator=indicator,
        )
    components.toon_filter_notitie("stromen_maand", "Kerncijfers")
    components.toon_filter_notitie("kinderen_wachtend", "Kinderen wachtend")

st.subheader("Wachttijden per niveau")
components.toon_filter_notitie("wachten_kerncijfers")
st.caption(
    "Mediaan van de afgeronde wachttijden in de periode met het verschil met de even lange periode ervoor, "
    "daarnaast het 92e percentiel (p92) en het aandeel "
    "binnen de norm (Treeknorm of regionale norm). Alle cijfers per niveau, ook wie nog wacht: tabblad "
    f"Wachttijden (tabel) hieronder. {components.definition_link('wachttijden')}"
)
if wachten.height:
    vorige = queries.mediaan_per_niveau(f.vorige_periode())
    kaarten = st.container(horizontal=True, gap="medium")  # wraps: about three cards per row
    for row in wachten.iter_rows(named=True):
        components.wacht_kaart(kaarten, row, vorige.get(row["niveau"]))
else:
    empty()

# one at a time: only the open tab is run and drawn (components.lazy_tabs)
grafiek, tab = components.lazy_tabs(
    ["Stromen", "Datadekking", "Wachttijden (tabel)"], key="overzicht_grafiek"
)
with tab:
    if grafiek == "Wachttijden (tabel)":
        components.table_block(
            "Wachttijden per niveau: alle cijfers",
            wachten,
            anchor="wachttijden",
            key="wachttijden_per_niveau",
            dataset="wachten_kerncijfers",
            labels=labels.WACHTEN_PER_NIVEAU,
            caption="Afgeronde wachttijden in de periode (dagen) en kinderen die nog wachten op de peildatum; "
            "p92 = 92e percentiel. Aandeel binnen norm: Treeknorm of regionale norm per niveau.",
        )
    elif grafiek == "Stromen":
        components.chart_block(
            "Instroom, in zorg en uitstroom per maand",
            charts.flows(
                stromen,
                "maand",
                {"in_zorg": "In zorg"},
                {"instroom": "Instroom", "uitstroom": "Uitstroom"},
                "Trajecten",
            ),
            stromen,
            anchor="instroom",
            key="stromen_overzicht",
            dataset="stromen_maand",
            labels=labels.STROMEN,
        )
    else:
        dekking = queries.dekking(f)
        components.chart_block(
            "Datadekking: wie leverde wanneer",
            charts.coverage_heatmap(dekking, queries.k()) if dekking.height else None,
            dekking,
            anchor="datadekking",
            key="dekking",
            dataset="dekking",
            labels=labels.DEKKING,
            caption="Aantal iJw-berichten (start, stop, verzoek, declaratie) per aanbieder in de maand van hun "
            "levering, en wachttijdregistraties per maand van aanmelding. Rood: niets geleverd. Berichten die pas "
            "met een levering van een latere maand binnenkwamen staan in de rij 'te laat geleverd'.",
        )

if toegang.huidige().mag_momentopname_maken:
    with st.expander("Momentopname maken", icon=":material/photo_camera:"):
        components.momentopname_formulier()
