"""The dashboard's side of access: who is looking (a login through `st.login`, or the demo picker), the
refusal screens, and the audit of refusals. The rules themselves live in pipelines/toegang.py.

Invariants:
- The router calls `bepaal()` first in every run, before any filter or page is drawn or any figure fetched:
  it returns the run's user, or ends the run with the login screen or a refusal. Pages and components ask
  `huidige()`; nothing else decides who is looking.
- With an `[auth]` section in the secrets (.streamlit/secrets.toml) a login is required: no identity, no
  page; an identity the roles file does not name gets no page either. Without `[auth]` the app runs in the
  demo mode (only if `settings.demo_allowed()`), marked at the top of the sidebar, with a picker of the
  roles file's users (`?als=`); it is never a silent fallback from a broken login.
- Every refusal (no role, a page, a team, a list per child, a write) is written to the audit log in the
  store: who, what, when; never figures about children.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import NoReturn

import streamlit as st

from dashboard import filters, urlstate
from dashboard.labels import KIES
from pipelines import settings
from pipelines.store import StoreError, open_store
from pipelines.toegang import Gebruiker, Geweigerd, Rollen, RollenFout, read_rollen

__all__ = ["Geweigerd", "audit", "bepaal", "huidige", "rollen", "weiger"]

_GEBRUIKER = "_gebruiker"  # session_state: this run's user
DEMO_PARAM = "als"  # the demo picker's URL parameter: the user's e-mail (or sub) in the roles file
_log = logging.getLogger(__name__)


def auth_ingesteld() -> bool:
    """Whether the secrets have an `[auth]` section (then every page needs a login)."""
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception:  # an unreadable secrets file: treat as configured, so the login fails closed
        return True


@st.cache_data(max_entries=4, show_spinner=False)
def _lees(pad: str, mtime_ns: int) -> Rollen:
    return read_rollen(Path(pad))


def rollen(demo: bool) -> Rollen:
    """The roles file (settings.roles_path()); in the demo mode the committed example when there is none.
    RollenFout when it is missing (login) or has an error."""
    pad = settings.roles_path()
    if demo and not pad.exists():
        pad = settings.ROLES_EXAMPLE
    try:
        mtime = pad.stat().st_mtime_ns
    except OSError:
        mtime = -1
    return _lees(str(pad), mtime)


def huidige() -> Gebruiker:
    """The user of this run (set by the router's `bepaal()`)."""
    gebruiker = st.session_state.get(_GEBRUIKER)
    if not isinstance(gebruiker, Gebruiker):
        raise RuntimeError("no user in this run: the router calls toegang.bepaal() first")
    return gebruiker


def audit(actie: str, onderwerp: str, wie: str | None = None) -> None:
    """One audit entry in the store (who, what, when). Never raises: a store that cannot be written is
    logged, and the refusal it records stands."""
    if wie is None:
        g = st.session_state.get(_GEBRUIKER)
        wie = g.auteur if isinstance(g, Gebruiker) else "onbekend"
    try:
        open_store(settings.store_path()).write_audit(wie, actie, onderwerp)
    except (StoreError, sqlite3.Error, OSError, ValueError) as exc:
        _log.warning("audit entry not written (%s %s %s): %s", wie, actie, onderwerp, exc)


def weiger(onderwerp: str) -> None:
    """Record a refusal in the audit log (`actie` geweigerd)."""
    audit("geweigerd", onderwerp)


def bepaal() -> Gebruiker:
    """This run's user: logged in and named by the roles file, or the demo picker's choice. Ends the run
    (st.stop) with the login screen or a refusal otherwise."""
    if auth_ingesteld():
        gebruiker = _ingelogd()
    elif settings.demo_allowed():
        gebruiker = _demo()
    else:
        st.title("Ketenmonitor")
        st.error(
            "Deze installatie vereist inloggen (KETENMONITOR_DEMO=nee), maar .streamlit/secrets.toml heeft "
            "geen [auth]-sectie. De beheerder stelt de inlog in volgens docs/inloggen.md.",
            icon=":material/lock:",
        )
        st.stop()
    st.session_state[_GEBRUIKER] = gebruiker
    return gebruiker


def _ingelogd() -> Gebruiker:
    if not st.user.is_logged_in:
        st.title("Ketenmonitor")
        st.write("Log in met het account van uw organisatie om de regionale ketenmonitor te zien.")
        st.button("Inloggen", on_click=st.login, type="primary", icon=":material/login:")
        st.stop()
    email = _claim("email")
    sub = _claim("sub")
    identiteit = email or sub or "onbekend"
    try:
        gebruiker = rollen(demo=False).zoek(email, sub)
    except RollenFout as exc:
        audit("geweigerd", f"inlog: rollenbestand onbruikbaar ({exc})", wie=identiteit)
        _weigerscherm(
            f"U bent ingelogd als {identiteit}, maar het rollenbestand is niet te gebruiken: {exc}. "
            "Niemand krijgt toegang tot de beheerder het herstelt."
        )
    if gebruiker is None:
        audit("geweigerd", "inlog: niet in het rollenbestand", wie=identiteit)
        _weigerscherm(
            f"U bent ingelogd als {identiteit}, maar u heeft geen rol in Ketenmonitor. Vraag de beheerder "
            "van de regio om u toe te voegen."
        )
    st.sidebar.caption(f":material/account_circle: **{gebruiker.naam}** — {gebruiker.rol_label}")
    st.sidebar.button("Uitloggen", on_click=st.logout, icon=":material/logout:", key="uitloggen")
    return gebruiker


def _claim(naam: str) -> str | None:
    waarde = st.user.get(naam)
    return str(waarde) if waarde else None


def _weigerscherm(tekst: str) -> NoReturn:
    st.title("Ketenmonitor")
    st.error(tekst, icon=":material/block:")
    st.button("Uitloggen", on_click=st.logout, icon=":material/logout:", key="uitloggen")
    st.stop()


def _demo() -> Gebruiker:
    try:
        alle = rollen(demo=True)
    except RollenFout as exc:
        st.title("Ketenmonitor")
        st.error(f"Het rollenbestand is niet te gebruiken: {exc}", icon=":material/error:")
        st.stop()
    per_sleutel = alle.per_sleutel()
    if not per_sleutel:
        st.title("Ketenmonitor")
        st.error(f"Het rollenbestand {alle.bron} noemt geen gebruikers.", icon=":material/error:")
        st.stop()
    opties = list(per_sleutel)

    def toon(sleutel: str) -> str:
        g = per_sleutel[sleutel]
        return f"{g.naam} — {g.rol_label}"

    st.sidebar.warning(
        "**Demomodus**: er is geen inlog ingesteld, dus iedereen die de app bereikt kan elke rol kiezen. "
        "Gebruik hem niet met echte gegevens; zie docs/inloggen.md.",
        icon=":material/science:",
    )
    start, melding = urlstate.kies(DEMO_PARAM, filters.url_waarde(DEMO_PARAM), opties, opties[0], toon)
    filters.meld(melding)
    keuze = st.sidebar.selectbox(
        "Bekijk als", opties, index=opties.index(start), format_func=toon, key="demo_als", placeholder=KIES
    )
    if keuze == opties[0]:
        st.query_params.pop(DEMO_PARAM, None)
    else:
        st.query_params[DEMO_PARAM] = keuze
    return per_sleutel[keuze]
