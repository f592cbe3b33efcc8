"""Leersessie: compare units fairly (funnel plots), see which changes are real (SPC), discuss a chart with the
five NJi questions, and record the events that explain the figures (annotations)."""

import streamlit as st

from dashboard import components, labels, queries, verslag_grafieken
from dashboard.filters import current, keuzelijst, segmenten
from dashboard.format import datum, getal, procent
from dashboard.views.common import page_header

f = current()
page_header(
    "Leersessie",
    "Samen leren van de cijfers: wie wijkt echt af, welke verandering is echt, en wat betekent het voor ons?",
)
k = queries.k()


def kies_niveau() -> str:
    return segmenten(
        "Niveau (wachttijden)",
        list(queries.NIVEAU_LABELS),
        "leersessie_niveau",
        "behandeling",
        format_func=queries.NIVEAU_LABELS.get,
    )


def toon_trechter(indicator: str, eenheid: str, niveau: str) -> None:
    """One funnel block: the chart, the caption (limits widened or not, units left out) and, under the
    chart, the sentence naming the units outside the limits."""
    if queries.trechter_zonder_norm(indicator, niveau, f):
        st.info(
            f"Het niveau {queries.NIVEAU_LABELS[niveau]} heeft geen norm: kies een ander niveau.",
            icon=":material/info:",
        )
        return
    t = queries.trechter(indicator, eenheid, niveau, f)
    x_titel, y_titel = labels.TRECHTER_ASSEN[indicator]
    procentueel = t.resultaat.soort == "proportie"
    res = t.resultaat
    eenheden = labels.TRECHTER_EENHEDEN[eenheid].lower()
    zinnen = [
        f"Elk punt is één van de {eenheden}: naar rechts {x_titel.lower()}, naar boven {y_titel.lower()}. "
        "Blauwe lijn: de regio (alle getekende eenheden samen); stippellijnen: 95%-grenzen; doorgetrokken: "
        "99,8%-grenzen. Berekend op de beschermde cijfers die het dashboard ook elders toont."
    ]
    if indicator == "caseload":
        zinnen.append(
            "Verwacht = fte × de referentienorm (maximum) van het type team, in de laatste maand van de periode; "
            "1 = precies volgens de norm."
        )
    if res.phi is not None:
        zinnen.append(
            f"De grenzen zijn verbreed voor overdispersie: de eenheden verschillen onderling meer dan toeval "
            f"verklaart (φ = {getal(res.phi, 2)})."
            if res.aangepast
            else f"De grenzen zijn niet verbreed: de eenheden verschillen niet meer dan toeval verklaart "
            f"(φ = {getal(res.phi, 2)})."
        )
    if t.n_niet_getekend:
        zinnen.append(
            f"Niet getekend: {getal(t.n_niet_getekend)} {eenheden} met minder dan {k} "
            f"{'casussen' if indicator == 'caseload' else 'kinderen of trajecten'} (kleine aantallen) of zonder "
            "cijfer."
        )
    components.chart_block(
        f"Trechterdiagram: {labels.TRECHTER_INDICATOREN[indicator].lower()}",
        verslag_grafieken.trechter_recept(t, indicator),
        queries.trechter_tabel(t),
        anchor="trechterdiagram",
        key=f"trechter_{indicator}_{eenheid}_{niveau if indicator == 'wachttijd' else 'alle'}",
        caption=" ".join(zinnen),
        labels={**labels.TRECHTER, "volume": x_titel, "waarde": y_titel + (" (%)" if procentueel else "")},
        dataset=t.dataset,
    )
    if t.punten.height:
        doel = "–" if res.doel is None else procent(res.doel, 1) if procentueel else getal(res.doel, 2)
        st.markdown(f"**{queries.trechter_uitzonderingen(t)}** Regionaal cijfer: {doel}.")


def toon_spc(reeks: queries.SpcReeks, niveau: str) -> None:
    """One SPC block: the XmR chart, its variation and assurance marks."""
    naam = labels.SPC_INDICATOREN[reeks.sleutel]
    components.chart_block(
        f"SPC: {naam}",
        verslag_grafieken.spc_recept(reeks),
        reeks.tabel,
        anchor="spc",
        key=f"spc_{reeks.sleutel}_{niveau}",
        labels={**labels.SPC, "waarde": labels.SPC_WAARDE[reeks.sleutel]},
        dataset=reeks.dataset,
    )
    components.spc_kenmerken(reeks.resultaat.variatie, reeks.resultaat.zekerheid)


def spc_uitleg() -> None:
    datums = queries.herberekeningsdatums(f)
    herberekend = (
        f" Grenzen opnieuw berekend vanaf: {', '.join(datum(d) for d in datums)} (gebeurtenissen die als "
        "bewuste verandering zijn vastgelegd)."
        if datums
        else " De grenzen worden alleen opnieuw berekend vanaf een gebeurtenis die als bewuste verandering is "
        "vastgelegd (onder De vijf vragen: Gebeurtenissen)."
    )
    st.caption(
        "Per maand: grijze lijn de waarde, zwarte lijn het gemiddelde, stippellijnen de procesgrenzen, rode "
        "stippellijn de norm. Gekleurde punten zijn signalen (blauw verbetering, oranje zorg, paars een "
        "signaal zonder goede richting). Voorlopige maanden worden beoordeeld maar tellen niet mee in de "
        f"grenzen.{herberekend} {components.definition_link('spc')}"
    )


# one part at a time: only the open tab is run and drawn (components.lazy_tabs); a funnel tab per indicator
TRECHTER_TABS = {f"Eerlijk vergelijken: {naam.lower()}": i for i, naam in labels.TRECHTER_INDICATOREN.items()}
onderdeel, tab = components.lazy_tabs(
    [*TRECHTER_TABS, "Is deze verandering echt?", "De vijf vragen"], key="leersessie_onderdeel"
)
with tab:
    if onderdeel in TRECHTER_TABS:
        indicator = TRECHTER_TABS[onderdeel]
        mogelijk = queries.TRECHTER_EENHEDEN_PER_INDICATOR[indicator]
        eenheid = (
            segmenten(
                "Vergelijk", list(mogelijk), "trechter_eenheid", mogelijk[0], labels.TRECHTER_EENHEDEN.get
            )
            if len(mogelijk) > 1
            else mogelijk[0]
        )
        niveau = kies_niveau() if indicator == "wachttijd" else "behandeling"
        toon_trechter(indicator, eenheid, niveau)
    elif onderdeel == "Is deze verandering echt?":
        niveau = kies_niveau()
        spc_uitleg()
        for reeks in queries.spc_reeksen(niveau, f):
            toon_spc(reeks, niveau)
    else:
        keuzes = queries.LEERSESSIE_GRAFIEKEN
        keuze = keuzelijst(
            "Grafiek om te bespreken",
            list(keuzes),
            "vragen_grafiek",
            format_func=keuzes.get,
            placeholder=labels.KIES,
        )
        soort, *rest = keuze.split(":")
        wacht = verslag_grafieken.is_per_niveau(keuze)
        niveau = kies_niveau() if wacht else "behandeling"
        grafiek, vragen = st.columns([3, 2], gap="large")
        with grafiek:
            if soort == "trechter":
                toon_trechter(rest[0], rest[1], niveau)
            else:
                spc_uitleg()
                (reeks,) = [r for r in queries.spc_reeksen(niveau, f) if r.sleutel == rest[0]]
                toon_spc(reeks, niveau)
        with vragen:
            st.subheader("De vijf vragen")
            st.caption(
                "Uit de handreiking van het NJi: stel ze bij elk cijfer. Wat je opslaat hoort bij deze grafiek"
                + (" en dit niveau." if wacht else ".")
            )
            components.auteur_regel()
            components.vijf_vragen(
                verslag_grafieken.notitie_sleutel(keuze, niveau), components.momentopname_id()
            )

        st.subheader("Gebeurtenissen")
        st.caption(
            "Een nieuw contract, een intaketeam, een andere manier van registreren: leg het één keer vast met een "
            "korte toelichting. Markeer een bewuste verandering om de SPC-grenzen vanaf die datum opnieuw te "
            "berekenen."
        )
        scopes = queries.gebeurtenis_scopes(f)
        with st.expander("Gebeurtenis toevoegen", icon=":material/add:"):
            components.gebeurtenis_formulier(scopes)
        components.gebeurtenissen_lijst(scopes)
