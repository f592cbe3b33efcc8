"""Shared rendering helpers for the pages: headers with peildatum, KPI cards, messages, downloads."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.filters import current
from dashboard.format import datum, datum_tijd


def no_data(message: str) -> None:
    st.title("Ketenmonitor")
    st.warning(message, icon=":material/warning:")


def page_header(title: str, intro: str) -> None:
    """Title, intro and the peildatum; a banner when a snapshot is in view, a note in the learning-session
    mode; a warning when the period starts in the data's run-in."""
    info = queries.build_kenmerken()
    st.title(title)
    st.caption(f"{intro}  \nPeildatum: **{datum(info.peildatum)}**")
    bron_banner()
    f = current()
    if info.aanloop_tot is not None and f.van < info.aanloop_tot:
        st.warning(
            f"De gekozen periode begint vóór {datum(info.aanloop_tot)}: de gegevens beginnen op "
            f"{datum(info.venster_begin)}, dus zorg die eerder begon ontbreekt en 'in zorg' bouwt in het "
            "eerste jaar pas op. Kies voor vergelijkingen een latere periode.",
            icon=":material/history:",
        )


def bron_banner() -> None:
    """The banner of the snapshot in view (none for the live database) and the learning-session note."""
    bron = queries.bron()
    if bron.momentopname is not None:
        snap = bron.momentopname
        st.info(
            f"Momentopname ‘{snap.naam}’ — peildatum {datum(snap.peildatum)}, gemaakt op "
            f"{datum_tijd(snap.aangemaakt_op)} (bevroren cijfers; een nieuwe build verandert ze niet)",
            icon=":material/photo_camera:",
        )
    if bron.leersessie and not bron.zicht.per_kind:  # a chain partner's or team manager's view
        st.caption(
            ":material/lock: Andere aanbieders dan uw eigen organisatie heten A, B, C … (schuilnamen)."
        )
    elif bron.leersessie:
        st.caption(":material/school: Leersessie-modus: aanbieders heten A, B, C … (schuilnamen).")


def geweigerd(reden: str) -> None:
    """What a page shows instead of what the user's role may not see (the refusal is audited by the caller)."""
    st.error(f"Geen toegang: {reden}.", icon=":material/block:")


def empty(message: str = "Geen gegevens bij deze filters. Kies een ruimere periode of 'Alle'.") -> None:
    st.info(message, icon=":material/info:")
