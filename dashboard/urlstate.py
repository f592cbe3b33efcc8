"""The URL state of the dashboard, without Streamlit: every query parameter a page reads, how a raw value is
checked, and the Dutch notice for a value that is ignored.

Invariants:
- Every widget that changes what a page shows keeps its value in one URL query parameter declared here
  (`PARAMS`): the global filters (derived from `filtermodel.GLOBAL_FILTERS`, never repeated), the page
  choices and the open tab of every `components.lazy_tabs` bar. A copied link reproduces the view.
- A page widget's key is its parameter name. A value equal to the default is left out of the URL.
- A raw value is checked before a widget is drawn (`kies`, `periode`): a missing value gives the default
  silently; an unknown, malformed or overlong value gives the same default and a notice that names the
  ignored value (shortened, never echoed in full) and what is shown instead. Nothing falls back silently.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from dashboard.filtermodel import GLOBAL_FILTERS, PAGES

MAX_TONEN = 40  # characters of an ignored value a notice echoes
MAX_LENGTE = 200  # a longer value is never a valid choice
STANDAARD_MAANDEN = 24  # the default period: the last 24 months of data
AAN = "ja"  # a toggle that is on; off is the default and absent from the URL
# the start page is served at the root; Streamlit reserves a default page's own url_path without serving
# it, so the start page gets this internal one and its slug /overzicht is a hidden twin (dashboard/app.py)
START_PAD = "start"


@dataclass(frozen=True)
class UrlParam:
    naam: str  # the query parameter (for a page widget also its key)
    paginas: tuple[str, ...]  # url paths of the pages that read it; () = every page (a global filter)
    reden: str  # why a value is ignored, in the notice: "onbekende gemeente"
    tabblad: bool = False  # a `lazy_tabs` bar: bound by Streamlit (bind="query-params"), not written by us


def _filter_params() -> tuple[UrlParam, ...]:
    out: list[UrlParam] = []
    for f in GLOBAL_FILTERS:
        for naam in f.url:
            reden = "geen maand in de gegevens" if f.naam == "periode" else f"onbekende {f.label.lower()}"
            out.append(UrlParam(naam, (), reden))
    return tuple(out)


_TAB = "onbekend tabblad"
# the what-if of the Vooruitblik page: parameter -> (the allowed values, the default); a scenario link
# reproduces the scenario (dashboard/views/vooruitblik.py, docs/definitions.md#wat-als)
VB_SCENARIO: dict[str, tuple[tuple[str, ...], str]] = {
    "vb_capaciteit": (tuple(str(x) for x in range(-50, 105, 5)), "0"),
    "vb_instroom": (tuple(str(x) for x in range(-50, 105, 5)), "0"),
    "vb_extra": (tuple(str(x) for x in range(0, 21)), "0"),
    "vb_extra_weken": (tuple(str(x) for x in range(0, 53)), "0"),
    "vb_langst": (tuple(str(x) for x in range(0, 21)), "0"),
    "vb_langst_weken": (tuple(str(x) for x in range(0, 53)), "0"),
    "vb_norm": (("", *(str(x) for x in range(1, 53))), ""),
    "vb_band": (("", *(str(x) for x in range(5, 31))), ""),
}
PARAMS: dict[str, UrlParam] = {
    p.naam: p
    for p in (
        *_filter_params(),
        # the database in view (a snapshot by its file stem or name; absent: the live database) and the
        # learning-session mode (providers pseudonymised): on every page
        UrlParam("momentopname", (), "onbekende of verwijderde momentopname"),
        UrlParam("leersessie", (), f"alleen '{AAN}' zet de leersessie-modus aan"),
        UrlParam("als", (), "onbekende gebruiker in de demomodus"),
        UrlParam("wacht_niveau", ("wachttijden",), "onbekend niveau"),
        UrlParam("rangorde_dimensie", ("wachttijden",), "onbekende vergelijking"),
        UrlParam("caseload_team", ("caseload",), "onbekend team"),
        UrlParam("caseload_gewogen", ("caseload",), f"alleen '{AAN}' zet gewogen aan"),
        UrlParam("signaal_type", ("signalen",), "onbekend signaal in deze periode"),
        UrlParam("anker", ("definities",), "onbekende definitie"),
        UrlParam("overzicht_grafiek", ("overzicht", ""), _TAB, tabblad=True),
        UrlParam("stromen_grafiek", ("stromen",), _TAB, tabblad=True),
        UrlParam("wacht_grafiek", ("wachttijden",), _TAB, tabblad=True),
        UrlParam("caseload_grafiek", ("caseload",), _TAB, tabblad=True),
        UrlParam("signaal_weergave", ("signalen",), _TAB, tabblad=True),
        UrlParam("kwaliteit", ("signalen",), _TAB, tabblad=True),
        UrlParam("leersessie_onderdeel", ("leersessie",), _TAB, tabblad=True),
        UrlParam("trechter_eenheid", ("leersessie",), "onbekende eenheid bij dit cijfer"),
        UrlParam("leersessie_niveau", ("leersessie",), "onbekend niveau"),
        UrlParam("vragen_grafiek", ("leersessie",), "onbekende grafiek"),
        UrlParam("vb_lijst", ("vooruitblik",), "onbekende wachtlijst bij deze filters"),
        UrlParam("verslag_grafieken", ("verslag",), "onbekende grafiek"),
        UrlParam("vb_team", ("vooruitblik",), "onbekend team"),
        *(UrlParam(naam, ("vooruitblik",), "geen toegestane waarde") for naam in VB_SCENARIO),
    )
}


def van_andere_pagina(page: str) -> list[str]:
    """The page parameters (written by us, not bound tabs) that belong to other pages than `page`: the
    router drops them, so a link carries only what the page it opens reads."""
    return [p.naam for p in PARAMS.values() if p.paginas and page not in p.paginas and not p.tabblad]


def gevraagd_pad(url: str | None, basis: str = "") -> str | None:
    """The page path the browser asks for in `url` (`st.context.url`, without the app's base path), or None
    when there is none or Streamlit cannot serve it as a page (nested paths: Streamlit does not serve the
    app's assets there, so the app does not load at all)."""
    if not url:
        return None
    pad = unquote(urlparse(url).path).strip("/")
    basis = basis.strip("/")
    if basis:
        if pad != basis and not pad.startswith(f"{basis}/"):
            return None
        pad = pad[len(basis) :].strip("/")
    if not pad or "/" in pad or pad != pad.strip():
        return None
    return pad


def onbekend(pad: str | None) -> bool:
    """Whether no page has the path `pad` (the router then serves the Dutch "not found" page under it)."""
    return pad is not None and pad not in PAGES


def start_pad(gevraagd: str | None) -> str:
    """The internal url_path of the start page this run: START_PAD, unless that is the path asked for (a
    default page is not served under its own path, so that request must reach the "not found" page)."""
    return f"{START_PAD}_" if gevraagd == START_PAD else START_PAD


def kort(waarde: str) -> str:
    """A raw URL value as a notice may show it: at most MAX_TONEN characters."""
    return waarde if len(waarde) <= MAX_TONEN else f"{waarde[:MAX_TONEN]}… ({len(waarde)} tekens)"


def melding(naam: str, ruw: str, reden: str, getoond: str) -> str:
    """One ignored value: 'gemeente=ONBEKEND (onbekende gemeente); getoond: alle gemeenten'."""
    return f"{naam}={kort(ruw)} ({reden}); getoond: {getoond}"


def kies(
    naam: str,
    ruw: str | None,
    geldig: Collection[str],
    standaard: str,
    getoond: Callable[[str], str] = str,
) -> tuple[str, str | None]:
    """The value to use for parameter `naam` given its raw URL value, and the notice when it is ignored.

    Missing: the default, no notice. Valid: the value. Anything else (unknown, overlong): the default and a
    notice naming the ignored value and `getoond(standaard)`, what is shown instead."""
    if ruw is None:
        return standaard, None
    if len(ruw) <= MAX_LENGTE and ruw in geldig:
        return ruw, None
    return standaard, melding(naam, ruw, PARAMS[naam].reden, getoond(standaard))


def kies_meer(
    naam: str,
    ruw: str | None,
    geldig: Collection[str],
    standaard: Sequence[str],
    getoond: Callable[[str], str] = str,
) -> tuple[list[str], str | None]:
    """The values of a multiple choice `naam` (comma-separated in the URL) and the notice for the ignored ones.

    Missing: `standaard`, no notice. Otherwise the known values in their order; unknown (or overlong) ones
    are left out and named in one notice."""
    if ruw is None:
        return [w for w in standaard if w in geldig], None
    waarden = [w for w in ruw.split(SCHEIDING) if w]
    bekend = [w for w in waarden if len(w) <= MAX_LENGTE and w in geldig]
    onbekend = [w for w in waarden if w not in bekend]
    if not onbekend:
        return bekend, None
    rest = ", ".join(getoond(w) for w in bekend) or "geen"
    return bekend, melding(naam, SCHEIDING.join(onbekend), PARAMS[naam].reden, rest)


SCHEIDING = ","  # between the values of a multiple choice in the URL


def standaard_van(maanden: Sequence[str]) -> str:
    """The first month of the default period (the last STANDAARD_MAANDEN months of data)."""
    return maanden[max(0, len(maanden) - STANDAARD_MAANDEN)]


def periode(
    van_ruw: str | None,
    tot_ruw: str | None,
    maanden: Sequence[str],
    toon: Callable[[str], str] = str,
) -> tuple[str, str, list[str]]:
    """The period (first and last month, ISO dates out of `maanden`, sorted) from the raw `van` and `tot`,
    with the notices. A missing and an invalid `van` both give the default start (the invalid one with a
    notice); likewise `tot` (default: the last month). A reversed period (van after tot) is swapped."""
    meldingen: list[str] = []
    van, m = kies("van", van_ruw, maanden, standaard_van(maanden), toon)
    if m:
        meldingen.append(m)
    tot, m = kies("tot", tot_ruw, maanden, maanden[-1], toon)
    if m:
        meldingen.append(m)
    if van > tot:
        meldingen.append(
            f"van={kort(van)} ligt na tot={kort(tot)} (periode omgedraaid); getoond: {toon(tot)} – {toon(van)}"
        )
        van, tot = tot, van
    return van, tot, meldingen


def meldingtekst(meldingen: Sequence[str]) -> str | None:
    """The one notice a page shows for all ignored values of its link (None when there are none)."""
    if not meldingen:
        return None
    if len(meldingen) == 1:
        return f"Genegeerd in de link: {meldingen[0]}."
    return "Genegeerd in de link:\n" + "\n".join(f"- {m}." for m in meldingen)
