"""Sessieverslag: the report of a learning session (the chosen charts, the notes on the five questions,
the annotations, the definitions) as HTML and PDF downloads, and the notes of the session by chart."""

import streamlit as st

from dashboard import queries, rapport, verslag_grafieken
from dashboard.filters import current, meerkeuze
from dashboard.views.common import page_header
from pipelines.store import VRAGEN, open_store

f = current()
page_header(
    "Sessieverslag",
    "Het verslag van een leersessie: de gekozen grafieken met de notities bij de vijf vragen, de annotaties en "
    "de definities, om af te drukken of te delen.",
)
store = open_store()
momentopname = verslag_grafieken.actieve_momentopname()
# another team's charts and their notes are not in this user's view (pipelines/toegang.py)
notities = [
    n
    for n in store.list_notes(snapshot_id=momentopname.id if momentopname else None)
    if verslag_grafieken.in_zicht(n.grafiek)
]
pseudo = queries.tekst_in_zicht()  # providers in the notes as the view shows them
met_notities = list(dict.fromkeys(n.grafiek for n in notities))
opties = list(dict.fromkeys([*met_notities, *verslag_grafieken.sleutels(f)]))

st.caption(
    f"Cijfers: {rapport.bron_kort(momentopname)}. Het verslag gebruikt de filters in de zijbalk (kies ze op de "
    "andere pagina's); kleine aantallen zijn beschermd zoals overal in het dashboard."
)
gekozen = meerkeuze(
    "Grafieken in het verslag",
    opties,
    "verslag_grafieken",
    met_notities,
    format_func=lambda s: verslag_grafieken.titel(s, f),
    placeholder="Kies een of meer grafieken",
)
opdracht = verslag_grafieken.opdracht(gekozen, f)
onbekend = [s for s in gekozen if verslag_grafieken.zoek(s) is None]
if onbekend:
    st.warning(
        "Deze grafieken kan het verslag (nog) niet tekenen; hun notities komen er wel in: "
        + ", ".join(onbekend),
        icon=":material/warning:",
    )

bar = st.container(horizontal=True, vertical_alignment="center", gap="small")
bar.download_button(
    "Download verslag (HTML)",
    lambda: verslag_grafieken.verslag_html(opdracht, store).encode("utf-8"),
    file_name="sessieverslag.html",
    mime="text/html",
    key="verslag_html",
    icon=":material/download:",
    on_click="ignore",
    disabled=not gekozen,
)
pdf = rapport.pdf_beschikbaar()
bar.download_button(
    "Download verslag (PDF)",
    lambda: verslag_grafieken.verslag_pdf(opdracht, store),
    file_name="sessieverslag.pdf",
    mime="application/pdf",
    key="verslag_pdf",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
    disabled=not gekozen or not pdf,
)
if not pdf:
    st.info(rapport.GEEN_PDF, icon=":material/info:")

st.subheader("Notities van deze sessie")
if not notities:
    st.info(
        "Er zijn nog geen notities. Schrijf ze bij een grafiek op de pagina Leersessie.",
        icon=":material/info:",
    )
for sleutel in met_notities:
    with st.container(border=True):
        st.markdown(f"**{verslag_grafieken.titel(sleutel, f)}**")
        for n in (n for n in notities if n.grafiek == sleutel):
            st.markdown(f"*{VRAGEN[n.vraag]}*")
            st.text(pseudo(n.tekst))
            st.caption(f"{n.auteur}, {rapport.tijd(n.tijd)}")
