"""The filter contract of the dashboard, without Streamlit: the global filters, which filters each dataset
applies, and which datasets (blocks) each page shows.

Invariants:
- The five global filters are named here once, with their Dutch label, their URL keys and the table-macro
  parameters they bind (`GLOBAL_FILTERS`); dashboard/urlstate.py derives their URL parameters from it.
- Every dataset a block shows declares the global filters it applies (`DATASETS`); `Filters.params` gives
  exactly the parameters of those filters, and `dashboard.data` refuses a parameter a macro does not
  declare, so a filter is either applied or declared not applicable, never silently dropped
  (tests/app/test_filter_contract.py holds every declaration to its macro and to the figures).
- A filter the user has set that a block does not apply is named next to the block's title and in its CSV
  (`niet_van_toepassing`, `notitie`); a filter no block of a page applies is disabled on that page
  (`PAGES`, `filters_van_pagina`: the router draws the filters before the page runs, so this is static).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

ALLE = "alle"
LEEFTIJDSGROEPEN = ("0-3", "4-11", "12-17", "18+")


@dataclass(frozen=True)
class Filter:
    naam: str  # the filter's name in code and in the notes ("Filter aanbieder geldt niet ...")
    label: str  # the widget label
    params: tuple[str, ...]  # the table-macro parameters it binds
    url: tuple[str, ...]  # its URL query parameters (dashboard/urlstate.py)
    alle: str  # what "no filter" shows, in a notice ("getoond: alle gemeenten")


GLOBAL_FILTERS: tuple[Filter, ...] = (
    Filter("periode", "Periode", ("p_van", "p_tot"), ("van", "tot"), "de standaardperiode"),
    Filter("gemeente", "Gemeente", ("p_gemeente",), ("gemeente",), "alle gemeenten"),
    Filter("aanbieder", "Aanbieder", ("p_aanbieder",), ("aanbieder",), "alle aanbieders"),
    Filter(
        "productcategorie",
        "Productcategorie",
        ("p_categorie",),
        ("productcategorie",),
        "alle productcategorieën",
    ),
    Filter("leeftijdsgroep", "Leeftijdsgroep", ("p_leeftijd",), ("leeftijdsgroep",), "alle leeftijdsgroepen"),
)
FILTER_NAMEN = tuple(f.naam for f in GLOBAL_FILTERS)
FILTER_PARAMS = frozenset(p for f in GLOBAL_FILTERS for p in f.params)
_BY_NAME = {f.naam: f for f in GLOBAL_FILTERS}


@dataclass(frozen=True)
class Dataset:
    """The global filters a dataset (one table macro) applies; `periode` names the period parameters its
    macro takes (some take only the end: a state on a reference date)."""

    filters: frozenset[str]
    periode: tuple[str, ...] = ("p_van", "p_tot")
    reden: str = ""  # why the other filters do not apply (developer note, mirrored in docs/definitions.md)


ALLE_FILTERS = frozenset(FILTER_NAMEN)
_ZONDER_LEEFTIJD = frozenset({"periode", "gemeente", "aanbieder", "productcategorie"})
_WACHT_REDEN = "wachttijdregistraties van aanbieders kennen geen leeftijd"

DATASETS: dict[str, Dataset] = {
    "stromen_maand": Dataset(ALLE_FILTERS),
    "stromen_per_gemeente": Dataset(ALLE_FILTERS),
    "routes": Dataset(ALLE_FILTERS),
    "routes_matrix": Dataset(ALLE_FILTERS),
    "wachten_kerncijfers": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "kinderen_wachtend": Dataset(_ZONDER_LEEFTIJD, periode=("p_tot",), reden=_WACHT_REDEN),
    "wachttijden_verdeling": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "wachttijden_km": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "wachttijden_trend": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "wachttijden_per_aanbieder": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "wachttijden_rangorde": Dataset(_ZONDER_LEEFTIJD, reden=_WACHT_REDEN),
    "dekking": Dataset(
        frozenset({"periode", "gemeente", "aanbieder"}),
        reden="a delivery (message, file) has no single productcategorie or age",
    ),
    "dekking_samenvatting": Dataset(
        frozenset({"periode", "gemeente", "aanbieder"}),
        reden="a delivery (message, file) has no single productcategorie or age",
    ),
    "signalen_maand": Dataset(_ZONDER_LEEFTIJD, reden="most signal sources carry no age"),
    "signalen_lijst": Dataset(_ZONDER_LEEFTIJD, reden="most signal sources carry no age"),
    "caseload_teams": Dataset(
        frozenset({"gemeente"}), reden="a team list; teams serve no single aanbieder, category or age"
    ),
    "caseload_verloop": Dataset(
        frozenset({"periode", "gemeente"}), reden="team caseload records carry no aanbieder, category or age"
    ),
    "caseload_overzicht": Dataset(
        frozenset({"periode", "gemeente"}), reden="team caseload records carry no aanbieder, category or age"
    ),
    "caseload_factoren": Dataset(
        frozenset({"periode", "gemeente"}),
        periode=("p_tot",),
        reden="factor scores are per team member, without aanbieder, category or age",
    ),
    "aanbieder_profielen": Dataset(
        frozenset({"aanbieder"}),
        reden="a profile describes an aanbieder's definitions over the whole data window (the mart has no "
        "month grain yet) and over all its gemeenten, categories and ages",
    ),
    "laadrapport_samenvatting": Dataset(frozenset(), reden="the load report describes the whole build"),
    "quarantaine_redenen": Dataset(frozenset(), reden="the quarantine describes the whole build"),
    "ongekoppelde_aanmeldingen": Dataset(frozenset(), reden="linkage quality over the whole build"),
    "leersessie_stromen": Dataset(ALLE_FILTERS),
    "vooruitblik_teams": Dataset(
        frozenset({"gemeente"}),
        reden="a team serves no single aanbieder, category or age; its throughput is the last 52 weeks",
    ),
    "vooruitblik_lijsten": Dataset(
        frozenset({"aanbieder", "productcategorie"}),
        reden="a waiting list is an aanbieder's list for every gemeente and age; its history and forecast span "
        "the whole data window up to the peildatum",
    ),
}


@dataclass(frozen=True)
class Blok:
    titel: str  # the block's title on the page (or its name, for a KPI group)
    dataset: str
    tijdas: bool = False  # a chart with months on its x axis: annotations are drawn on it


def tijdgrafieken() -> list[tuple[str, str]]:
    """(page, block title) of every chart with months on its x axis (where annotations are drawn)."""
    return [(page, b.titel) for page, blokken in PAGES.items() for b in blokken if b.tijdas]


# page (url path) -> the blocks it shows; the router disables the filters none of them applies
PAGES: dict[str, tuple[Blok, ...]] = {
    "overzicht": (
        Blok("Datadekking", "dekking_samenvatting"),
        Blok("Kerncijfers", "stromen_maand"),
        Blok("Kinderen wachtend", "kinderen_wachtend"),
        Blok("Wachttijden per niveau", "wachten_kerncijfers"),
        Blok("Instroom, in zorg en uitstroom per maand", "stromen_maand", tijdas=True),
        Blok("Datadekking: wie leverde wanneer", "dekking"),
        Blok("Wachttijden per niveau: alle cijfers", "wachten_kerncijfers"),
    ),
    "stromen": (
        Blok("Instroom, in zorg en uitstroom", "stromen_maand", tijdas=True),
        Blok("Uitstroom naar reden", "stromen_maand", tijdas=True),
        Blok("Op- en afschaling, stapeling, herinstroom en 18/18+", "stromen_maand", tijdas=True),
        Blok("Routes: verwijzer → productcategorie → afloop", "routes"),
        Blok("Per gemeente", "stromen_per_gemeente"),
    ),
    "wachttijden": (
        Blok("Kerncijfers wachttijd", "wachten_kerncijfers"),
        Blok("Spreiding: afgeronde wachttijden en wie nog wacht", "wachttijden_verdeling"),
        Blok("Kaplan–Meier: aandeel nog wachtend na t weken", "wachttijden_km"),
        Blok("Verloop per maand", "wachttijden_trend", tijdas=True),
        Blok("Per aanbieder en productcategorie (langste wachttijd eerst)", "wachttijden_per_aanbieder"),
        Blok("Aanbieders en gemeenten naast elkaar", "wachttijden_rangorde"),
    ),
    "caseload": (
        Blok("Team", "caseload_teams"),
        Blok("Alle teams tegen hun bandbreedte", "caseload_overzicht"),
        Blok("Verloop van het gekozen team tegen de bandbreedte", "caseload_verloop", tijdas=True),
        Blok("Meewegende factoren (NJi-hulpblad)", "caseload_factoren"),
    ),
    "signalen": (
        Blok("Ketensignalen per maand", "signalen_maand", tijdas=True),
        Blok("Lijst", "signalen_lijst"),
        Blok("Laadrapport", "laadrapport_samenvatting"),
        Blok("Redenen van quarantaine", "quarantaine_redenen"),
        Blok("Datadekking per aanbieder en maand", "dekking"),
        Blok("Koppeling wachttijdregistraties ↔ iJw", "ongekoppelde_aanmeldingen"),
        Blok("Definitieprofielen van aanbieders", "aanbieder_profielen"),
    ),
    "vooruitblik": (
        Blok("Wachtlijsten naar druk", "vooruitblik_lijsten"),
        Blok("Terugblik: hoe goed was de prognose?", "vooruitblik_lijsten"),
        Blok("Prognose voor 52 weken", "vooruitblik_lijsten"),
        Blok("Wat als: wachtrij en wachttijd tegen de basis", "vooruitblik_lijsten"),
        Blok("Verwachte wachttijd: wat als tegen de basis", "vooruitblik_lijsten"),
        Blok("Wie het langst wacht: wat als", "vooruitblik_lijsten"),
        Blok("Normen op één noemer", "vooruitblik_lijsten"),
        Blok("Caseload en capaciteit van een team", "vooruitblik_teams"),
    ),
    "definities": (),
    "leersessie": (
        Blok("Trechterdiagram: binnen de norm", "wachttijden_rangorde"),
        Blok("Trechterdiagram: uitstroom", "leersessie_stromen"),
        Blok("Trechterdiagram: caseload", "caseload_overzicht"),
        Blok("SPC: instroom", "stromen_maand", tijdas=True),
        Blok("SPC: uitstroom", "stromen_maand", tijdas=True),
        Blok("SPC: mediaan afgeronde wachttijd", "wachttijden_trend", tijdas=True),
        Blok("SPC: kinderen wachtend", "wachttijden_trend", tijdas=True),
    ),
    # the report's charts take the filters chosen on the other pages (shown, not changed, in the sidebar)
    "verslag": (),
}


def filters_van_pagina(page: str) -> frozenset[str]:
    """The global filters at least one block of `page` applies (unknown page: all, nothing is hidden)."""
    if page not in PAGES:
        return ALLE_FILTERS
    return frozenset().union(*(DATASETS[b.dataset].filters for b in PAGES[page]))


def _months_back(d: date, n: int) -> date:
    """The first of the month `n` months before `d`'s month."""
    index = d.year * 12 + d.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Filters:
    van: date
    tot: date
    gemeente: str  # code or "alle"
    aanbieder: str
    productcategorie: str
    leeftijdsgroep: str

    def vorige_periode(self) -> Filters:
        """The same filters for the equally long run of months just before this period."""
        months = (self.tot.year - self.van.year) * 12 + self.tot.month - self.van.month + 1
        return replace(self, van=_months_back(self.van, months), tot=_months_back(self.van, 1))

    def maand_ervoor(self) -> Filters:
        """The same filters with the period ending one month earlier (for "versus the month before")."""
        tot = _months_back(self.tot, 1)
        return replace(self, van=min(self.van, tot), tot=tot)

    def _waarde(self, naam: str) -> str:
        waarde: str = getattr(self, naam)  # one of the str fields named in FILTER_NAMEN
        return waarde

    def gezet(self) -> frozenset[str]:
        """The filters that narrow the data: the period always, the others when not "alle"."""
        return frozenset(n for n in FILTER_NAMEN if n == "periode" or self._waarde(n) != ALLE)

    def params(self, dataset: str) -> dict[str, object]:
        """The macro parameters of the filters `dataset` applies (None = no filter), and no others."""
        decl = DATASETS[dataset]
        values: dict[str, object] = {
            "p_van": self.van,
            "p_tot": self.tot,
            "p_gemeente": None if self.gemeente == ALLE else self.gemeente,
            "p_aanbieder": None if self.aanbieder == ALLE else self.aanbieder,
            "p_categorie": None if self.productcategorie == ALLE else self.productcategorie,
            "p_leeftijd": None if self.leeftijdsgroep == ALLE else self.leeftijdsgroep,
        }
        out: dict[str, object] = {}
        for naam in decl.filters:
            names = decl.periode if naam == "periode" else _BY_NAME[naam].params
            out.update({p: values[p] for p in names})
        return out


def niet_van_toepassing(dataset: str, f: Filters | None) -> list[str]:
    """The filters the user has set that `dataset` does not apply, in the sidebar's order."""
    if f is None:
        return []
    geldt = DATASETS[dataset].filters
    gezet = f.gezet()
    return [n for n in FILTER_NAMEN if n in gezet and n not in geldt]


def notitie(dataset: str, f: Filters | None) -> str | None:
    """The Dutch note for a block: which set filters do not apply to it (None when all apply)."""
    namen = niet_van_toepassing(dataset, f)
    if not namen:
        return None
    if len(namen) == 1:
        return f"Filter {namen[0]} geldt niet voor dit blok"
    return f"Filters {', '.join(namen[:-1])} en {namen[-1]} gelden niet voor dit blok"
