"""Signalen en datakwaliteit: chain signals with drill-down (the contract manager's alone), load report,
quarantine, coverage, profiles."""

import streamlit as st

from dashboard import charts, components, labels, queries, toegang
from dashboard.filters import current, keuzelijst, url_waarde
from dashboard.views.common import empty, page_header

f = current()
page_header("Signalen en datakwaliteit", "Waar hapert de keten, en hoe betrouwbaar zijn de gegevens?")

trend = queries.signalen_maand(f)
# the trend, or the drill-down to the pseudonymous list (the contract manager's alone): only the open tab is
# run and drawn
LIJST = "Lijst per signaal"
per_kind = toegang.huidige().ziet_per_kind
if not per_kind and url_waarde("signaal_weergave") == LIJST:
    toegang.weiger("signalen: lijst per kind")
weergave, tab = components.lazy_tabs(["Verloop", LIJST] if per_kind else ["Verloop"], key="signaal_weergave")
if not per_kind:
    st.caption(":material/lock: De lijst per kind ziet alleen de contractmanager.")
with tab:
    if weergave == "Verloop":
        components.chart_block(
            "Ketensignalen per maand",
            charts.signal_trend(trend, f.van, f.tot),
            trend,
            anchor="signalen",
            key="signalen_trend",
            dataset="signalen_maand",
            labels=labels.SIGNALEN_MAAND,
            caption=components.signalen_onder_k_regel(queries.signaaltypen_onder_k(f)),
        )
    else:
        types = queries.signaaltypen(f)
        if not types:
            empty()
        else:
            gekozen = keuzelijst(
                "Signaal bekijken",
                types,
                "signaal_type",
                format_func=labels.signaaltype,
                placeholder=labels.KIES,
            )
            components.table_block(
                f"Lijst: {labels.signaaltype(gekozen)}",
                queries.signalen_lijst(gekozen, f),
                anchor="signalen",
                key=f"signalen_lijst_{gekozen}",
                dataset="signalen_lijst",
                labels=labels.SIGNALEN_LIJST,
                caption="Cliënt: een pseudoniem (de eerste tekens van het versleutelde cliëntnummer); hooguit 500 "
                "regels, nieuwste eerst.",
            )

# the data-quality views one at a time: only the open tab is run and drawn (components.lazy_tabs)
onderdeel, tab = components.lazy_tabs(
    ["Laadrapport", "Quarantaine", "Datadekking", "Koppeling", "Definitieprofielen"], key="kwaliteit"
)
with tab:
    if onderdeel == "Laadrapport":
        components.table_block(
            "Laadrapport",
            queries.laadrapport(),
            anchor="laadrapport",
            key="laadrapport",
            dataset="laadrapport_samenvatting",
            labels=labels.LAADRAPPORT,
            caption="Bestanden en records per soort en status; gelezen = geladen + quarantaine.",
        )
    elif onderdeel == "Quarantaine":
        components.table_block(
            "Redenen van quarantaine",
            queries.quarantaine(),
            anchor="quarantaine",
            key="quarantaine",
            dataset="quarantaine_redenen",
            labels=labels.QUARANTAINE,
            caption="Aantal records per code, met een voorbeeldzin (nooit met persoonsgegevens).",
        )
    elif onderdeel == "Datadekking":
        dekking = queries.dekking(f)
        components.chart_block(
            "Datadekking per aanbieder en maand",
            charts.coverage_heatmap(dekking, queries.k()),
            dekking,
            anchor="datadekking",
            key="dekking_dq",
            dataset="dekking",
            labels=labels.DEKKING,
        )
    elif onderdeel == "Koppeling":
        components.table_block(
            "Koppeling wachttijdregistraties ↔ iJw",
            queries.ongekoppeld(),
            anchor="koppeling",
            key="koppeling",
            dataset="ongekoppelde_aanmeldingen",
            labels=labels.KOPPELING,
            caption="Aanmeldingen zonder toewijzing en toewijzingen zonder aanmelding, per aanbieder die wachttijden levert.",
        )
    else:
        components.table_block(
            "Definitieprofielen van aanbieders",
            queries.aanbieder_profielen(f),
            anchor="aanbieder-profiel",
            key="profielen",
            dataset="aanbieder_profielen",
            labels=labels.PROFIELEN,
            caption="Aanwijzingen dat een aanbieder start of wachttijd anders definieert: start = intake, constante "
            "toewijzing→start, gepubliceerd ≠ berekend, starts in batches aan het maandeinde.",
        )
