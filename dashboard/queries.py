"""Named datasets for the pages: fetch through `dashboard.data`, then apply disclosure control.

Invariant: every frame a page receives from here is already protected (counts published by the cell-key
method, counts of 1..k-1 shown as "<k", statistics on fewer than k children hidden; dashboard/privacy.py,
docs/privacy.md), so no page can show or offer for download an unprotected count by mistake.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import cast

import polars as pl
import streamlit as st

from dashboard import data, labels
from dashboard.filtermodel import Filters
from dashboard.privacy import CellKey, drop_small_rows, hide_small_statistics, protect_counts, suppress_small
from pipelines import settings

NIVEAU_LABELS = {
    "verzoek_toewijzing": "Verzoek → toewijzing (JW315 → JW301)",
    "toewijzing_start": "Toewijzing → start (JW301 → JW305)",
    "aanmelding": "Verwijzing → aanmelding",
    "intake": "Aanmelding → intake",
    "behandeling": "Intake → start behandeling",
    "totaal": "Verwijzing → start behandeling (totaal)",
}

# every count column of the flows (not the month or the voorlopig mark)
FLOW_COUNTS = [c for c, h in labels.STROMEN.items() if h in labels.PERSON_COUNTS]


def k() -> int:
    return settings.small_number_threshold()


def disclosure_method() -> CellKey:
    """The published disclosure method: k and the perturbation probabilities (config [kleine_aantallen])."""
    return CellKey(k=k(), kansen=tuple(settings.config()["kleine_aantallen"]["kansen"]))


def suppress_counts(df: pl.DataFrame, counts: list[str]) -> pl.DataFrame:
    """Publish `counts` by the cell-key method (each needs its `<count>_ck` from the macro)."""
    return protect_counts(df, counts, disclosure_method())


_PROTECTED: dict[str, Callable[..., pl.DataFrame]] = {}


@st.cache_data(max_entries=1024, show_spinner=False)
def _protected_cached(stamp: data.Stamp, k_: int, name: str, args: tuple, kwargs: tuple) -> pl.DataFrame:
    return _PROTECTED[name](*args, **dict(kwargs))


def protected(fn: Callable[..., pl.DataFrame]) -> Callable[..., pl.DataFrame]:
    """Cache a protected dataset per database stamp, k and arguments, shared by all sessions: a rerun with
    the same filters (page visits, other widgets) does not redo the suppression on every run."""
    _PROTECTED[fn.__name__] = fn

    @functools.wraps(fn)
    def wrapper(*args: object, **kwargs: object) -> pl.DataFrame:
        return _protected_cached(data.current_stamp(), k(), fn.__name__, args, tuple(sorted(kwargs.items())))

    return wrapper


@dataclass(frozen=True)
class Build:
    peildatum: date | None
    model_version: int
    venster_begin: date | None = None  # first message date in the data
    aanloop_tot: date | None = None  # end of the run-in (settings: signalen.aanloop_maanden)


def build_kenmerken() -> Build:
    info = data.fetch("build_kenmerken", p_aanloop_maanden=settings.config()["signalen"]["aanloop_maanden"])
    if info.height == 0:
        return Build(None, 0)
    row = info.row(0, named=True)
    return Build(row["peildatum"], int(row["model_version"]), row["venster_begin"], row["aanloop_tot"])


def bron() -> data.Bron:
    """This run's source: the snapshot in view (None: the live database) and the learning-session mode."""
    return data.gekozen_bron()


# an annotation's scope (pipelines/store.py SCOPES) -> the Filters field it must equal to be drawn
ANNOTATIE_SCOPE_FILTER = {"gemeente": "gemeente", "aanbieder": "aanbieder", "categorie": "productcategorie"}


def annotaties(f: Filters | None, team: str | None = None) -> pl.DataFrame:
    """The annotations (dated events from the store, read once per run) that apply to a chart under the
    filters `f`: those for every chart, and those limited to a gemeente, aanbieder or productcategorie when
    that filter is set to it (to a team: on that team's chart, `team`). In a learning session the scope is
    a pseudonym like the filter value, so they still match."""
    frame = data.annotaties()
    if frame.height == 0:
        return frame
    keep = pl.col("scope_soort").is_null()
    for scope, veld in ANNOTATIE_SCOPE_FILTER.items():
        if f is not None:
            keep |= (pl.col("scope_soort") == scope) & (pl.col("scope_code") == getattr(f, veld))
    if team is not None:
        keep |= (pl.col("scope_soort") == "team") & (pl.col("scope_code") == team)
    return frame.filter(keep)


@protected
def stromen(f: Filters) -> pl.DataFrame:
    """Flows per month in the period (each count column protected on its own across months)."""
    df = data.fetch("stromen_maand", **f.params("stromen_maand"))
    return suppress_counts(df, [c for c in FLOW_COUNTS if c in df.columns])


@protected
def wachten_per_niveau(f: Filters) -> pl.DataFrame:
    """Completed and still-waiting statistics per niveau on the reference date."""
    df = data.fetch("wachten_kerncijfers", **f.params("wachten_kerncijfers"))
    df = hide_small_statistics(
        df, "n_kinderen_afgerond", ["mediaan_dagen", "p92_dagen", "aandeel_binnen_norm"], k()
    )
    df = hide_small_statistics(
        df,
        "n_kinderen_wachtend",
        ["mediaan_wachtend_dagen", "p92_wachtend_dagen", "langste_wachtend_dagen"],
        k(),
    )
    df = suppress_counts(
        df,
        ["n_afgerond", "n_kinderen_afgerond", "n_wachtend", "n_kinderen_wachtend", "n_wachtend_boven_norm"],
    )
    return df.with_columns(
        pl.col("niveau").replace_strict(NIVEAU_LABELS, default=pl.col("niveau")).alias("niveau_label")
    )


def wachten_niveau(niveau: str, f: Filters) -> pl.DataFrame:
    """The row of `wachten_per_niveau` for one niveau."""
    return wachten_per_niveau(f).filter(pl.col("niveau") == niveau)


def mediaan_per_niveau(f: Filters) -> dict[str, float | None]:
    """niveau -> median completed wait (days) in the period, hidden (None) on fewer than k children."""
    return {r["niveau"]: r["mediaan_dagen"] for r in wachten_per_niveau(f).iter_rows(named=True)}


@protected
def kinderen_wachtend(f: Filters) -> pl.DataFrame:
    df = data.fetch("kinderen_wachtend", **f.params("kinderen_wachtend"))
    return suppress_counts(df, ["n_kinderen_wachtend", "n_wachtregistraties"])


@protected
def dekking(f: Filters) -> pl.DataFrame:
    """Deliveries per aanbieder × month × source (iJw by the batch period of the delivery), with the iJw
    messages delivered late as rows of their own ("..., te laat geleverd"). Message counts track children
    (a JW305 per start), so small ones are shown as "<k" too; 0 (nothing delivered) stays visible. The grid
    shows classes, not numbers; the counts are thresholded without perturbation (docs/privacy.md)."""
    raw = data.fetch("dekking", **f.params("dekking"))
    # late deliveries are shown separately: one extra row per bron, only where something came late
    laat = raw.filter(pl.col("aantal_laat") > 0).with_columns(
        (pl.col("bron") + ", te laat geleverd").alias("bron"), pl.col("aantal_laat").alias("aantal")
    )
    df = suppress_small(pl.concat([raw, laat]).drop("aantal_laat"), ["aantal"], k())
    return df.with_columns(
        pl.when(pl.col("aantal") == 0)
        .then(pl.lit("niets geleverd"))
        .when(pl.col("aantal").is_null())
        .then(pl.lit(f"1–{k() - 1}"))
        .when(pl.col("aantal") < 50)
        .then(pl.lit(f"{k()}–49"))
        .otherwise(pl.lit("50 of meer"))
        .alias("levering")
    )


def dekking_samenvatting(f: Filters) -> pl.DataFrame:
    """Per bron: aanbieders that delivered, those that delivered every month, and the months each other one
    missed. Counts of organisations and months, not of children: nothing to suppress."""
    return data.fetch("dekking_samenvatting", **f.params("dekking_samenvatting"))


@protected
def stromen_per_gemeente(f: Filters) -> pl.DataFrame:
    """Per gemeente: period sums of the flows and in zorg at the end, each its own cell (docs/privacy.md)."""
    df = data.fetch("stromen_per_gemeente", **f.params("stromen_per_gemeente"))
    return suppress_counts(df, ["instroom", "uitstroom", "in_zorg_eind"])


@protected
def routes(f: Filters) -> pl.DataFrame:
    """Verwijzer × categorie × afloop (the table); the heatmap uses `routes_matrix`."""
    df = data.fetch("routes", **f.params("routes"))
    return drop_small_rows(suppress_counts(df, ["trajecten", "kinderen"]), ["trajecten"])


@protected
def routes_matrix(f: Filters) -> pl.DataFrame:
    """Verwijzer × categorie (sql/macros/routes_matrix.sql: `routes` summed over afloop before protection;
    the sum of the cell keys is the cell key of the sum, the same records, so the aggregate is a cell of
    its own)."""
    df = data.fetch("routes_matrix", **f.params("routes_matrix"))
    return drop_small_rows(suppress_counts(df, ["trajecten"]), ["trajecten"])


@protected
def wachttijden_verdeling(niveau: str, f: Filters) -> pl.DataFrame:
    df = data.fetch("wachttijden_verdeling", p_niveau=niveau, **f.params("wachttijden_verdeling"))
    return suppress_counts(df, ["aantal"])


@protected
def wachttijden_km(niveau: str, f: Filters) -> pl.DataFrame:
    """The KM curve; hidden entirely when fewer than k waits are in it (no curve on a handful of children)."""
    df = data.fetch("wachttijden_km", p_niveau=niveau, **f.params("wachttijden_km"))
    if df.height == 0 or int(cast(int, df["n_risico"].max())) < k():  # an integer column
        return df.clear()
    # the curve is shown as shares only; the risk-set counts at the tail are small by nature. Weeks, as
    # the chart draws them, so the chart and its CSV share one unit.
    return (
        df.filter(pl.col("n_risico") >= k())
        .select("dagen", "aandeel_wachtend")
        .with_columns((pl.col("dagen") / 7).alias("weken"))
    )


@protected
def wachttijden_per_aanbieder(niveau: str, f: Filters) -> pl.DataFrame:
    df = data.fetch("wachttijden_per_aanbieder", p_niveau=niveau, **f.params("wachttijden_per_aanbieder"))
    df = hide_small_statistics(df, "n_kinderen_afgerond", ["mediaan_dagen", "p92_dagen"], k())
    df = hide_small_statistics(
        df, "n_kinderen_wachtend", ["mediaan_wachtend_dagen", "langste_wachtend_dagen"], k()
    )
    df = suppress_counts(df, ["n_afgerond", "n_kinderen_afgerond", "n_wachtend", "n_kinderen_wachtend"])
    return drop_small_rows(df, ["n_afgerond", "n_wachtend"])


@protected
def wachttijden_trend(niveau: str, f: Filters) -> pl.DataFrame:
    df = data.fetch("wachttijden_trend", p_niveau=niveau, **f.params("wachttijden_trend"))
    df = hide_small_statistics(df, "n_kinderen_afgerond", ["mediaan_dagen", "p92_dagen"], k())
    df = hide_small_statistics(df, "n_kinderen_wachtend", ["mediaan_wachtend_dagen"], k())
    df = suppress_counts(df, ["n_afgerond", "n_kinderen_afgerond", "n_wachtend", "n_kinderen_wachtend"])
    # the chart draws waits in weeks; its CSV gives the same weeks (labels.WACHTTIJDEN_TREND)
    return df.with_columns(
        (pl.col(c) / 7).alias(c.replace("_dagen", "_weken"))
        for c in ("mediaan_dagen", "p92_dagen", "mediaan_wachtend_dagen")
    )


RANGORDE_DIMENSIES = {"aanbieder": "Aanbieders", "gemeente": "Gemeenten"}  # what the ranking compares


@protected
def wachttijden_rangorde(niveau: str, dimensie: str, f: Filters) -> pl.DataFrame:
    """Aanbieders or gemeenten (`dimensie`) ranked by the share of completed waits within the norm (best
    first; without a norm by the median, shortest first). Each row holds the figures `wachten_per_niveau`
    shows under the filter dimensie = that code (same waits, same cell keys: sql/macros/wachttijden_rangorde),
    protected the same way: statistics on fewer than k children hidden, counts by the cell-key method."""
    df = data.fetch("wachttijden_rangorde", p_niveau=niveau, **f.params("wachttijden_rangorde"))
    df = hide_small_statistics(df, "n_kinderen_afgerond", ["mediaan_dagen", "aandeel_binnen_norm"], k())
    df = suppress_counts(df, ["n_afgerond", "n_kinderen_afgerond"]).filter(pl.col("dimensie") == dimensie)
    return df.sort(
        ["aandeel_binnen_norm", "mediaan_dagen", "naam"], descending=[True, False, False], nulls_last=True
    )


def caseload_teams(f: Filters) -> pl.DataFrame:
    return data.fetch("caseload_teams", **f.params("caseload_teams"))


def team_namen(teams: pl.DataFrame) -> dict[str, str]:
    """team_code -> 'naam (type)' for the team picker."""
    return {r["team_code"]: f"{r['team_naam']} ({r['team_type']})" for r in teams.iter_rows(named=True)}


@protected
def caseload_verloop(team: str, f: Filters) -> pl.DataFrame:
    """Team caseload per month: a team's own operational figure (not a count of a filtered population, and
    no two teams add up to a released total), thresholded without perturbation (docs/privacy.md)."""
    df = data.fetch("caseload_verloop", p_team=team, **f.params("caseload_verloop"))
    # cases per FTE times the FTE would give a hidden count back
    df = hide_small_statistics(df, "actieve_casussen", ["casussen_per_fte", "gewogen_casussen_per_fte"], k())
    return suppress_small(df, ["actieve_casussen"], k())


@protected
def caseload_overzicht(f: Filters) -> pl.DataFrame:
    """Every team's latest month in the period against its band, protected like `caseload_verloop` (the same
    figures: each team's last row of its own history)."""
    df = data.fetch("caseload_overzicht", **f.params("caseload_overzicht"))
    df = hide_small_statistics(df, "actieve_casussen", ["casussen_per_fte", "gewogen_casussen_per_fte"], k())
    return suppress_small(df, ["actieve_casussen"], k())


def eenheid(frame: pl.DataFrame) -> str:
    """The unit a team counts its caseload in (gezinnen, maatregelen, casussen), from the team data's
    `eenheid` (its latest stated value); "casussen" when the data does not say."""
    if "eenheid" not in frame.columns:
        return "casussen"
    stated = frame["eenheid"].drop_nulls()
    return stated[-1] if stated.len() else "casussen"


@protected
def caseload_factoren(team: str, f: Filters) -> pl.DataFrame:
    """Mean factor scores of the team's members, hidden when fewer than k members scored (a mean of one or
    two scores is a person's answer)."""
    df = data.fetch("caseload_factoren", p_team=team, **f.params("caseload_factoren"))
    df = hide_small_statistics(df, "vorige_n_medewerkers", ["vorige_score"], k())
    return hide_small_statistics(df, "n_medewerkers", ["gemiddelde_score"], k())


@protected
def _signalen_maand_beschermd(f: Filters) -> pl.DataFrame:
    """Signals per month and type (codes), protected: counts under k hidden, rows all under k dropped."""
    df = data.fetch("signalen_maand", **f.params("signalen_maand"))
    return drop_small_rows(suppress_counts(df, ["aantal"]), ["aantal"])


def signalen_maand(f: Filters) -> pl.DataFrame:
    """Signals per month and type; the type by its Dutch name (labels.SIGNAALTYPEN), as legend and CSV show it."""
    return _signalen_maand_beschermd(f).with_columns(
        pl.col("type").replace_strict(labels.SIGNAALTYPEN, default=pl.col("type"))
    )


def signaaltypen(f: Filters) -> list[str]:
    """The signal types (codes) that occur in the period under the filters, for the drill-down list (a
    working list of pseudonymous rows, not a statistic: the types are taken before small rows leave the
    trend); labels.signaaltype gives their names."""
    df = data.fetch("signalen_maand", **f.params("signalen_maand"))
    return sorted(set(df["type"].to_list()))


def signaaltypen_onder_k(f: Filters) -> list[str]:
    """The signal types, by their Dutch names, that occur in the period under the filters but have fewer
    than k signals in every month, so the trend has no point for them: named under the chart rather than
    silently missing. Their occurrence is no new release: `signaaltypen` offers every occurring type for the
    drill-down list."""
    getekend = set(_signalen_maand_beschermd(f)["type"].to_list())
    return [labels.signaaltype(t) for t in signaaltypen(f) if t not in getekend]


def signalen_lijst(signaaltype: str, f: Filters) -> pl.DataFrame:
    return data.fetch("signalen_lijst", p_type=signaaltype, **f.params("signalen_lijst"))


def laadrapport() -> pl.DataFrame:
    return data.fetch("laadrapport_samenvatting")


def quarantaine() -> pl.DataFrame:
    return data.fetch("quarantaine_redenen")


@protected
def ongekoppeld() -> pl.DataFrame:
    """Linkage counts per aanbieder: counts of aanmeldingen and toewijzingen of children, so protected."""
    df = data.fetch("ongekoppelde_aanmeldingen")
    return suppress_counts(df, ["aanmeldingen", "aanmeldingen_ongekoppeld", "toewijzingen_ongekoppeld"])


def aanbieder_profielen(f: Filters) -> pl.DataFrame:
    return data.fetch("aanbieder_profielen", **f.params("aanbieder_profielen"))


@dataclass(frozen=True)
class Kpi:
    waarde: float | None
    verschil: float | None  # versus the month before (None when either is hidden or absent)
    onderdrukt: bool = False  # the value is a count below k (shown as "<k")

    @staticmethod
    def of(value: float | None, previous: float | None, onderdrukt: bool = False) -> Kpi:
        """A value with its difference to `previous` (None when either is hidden or absent)."""
        delta = value - previous if value is not None and previous is not None else None
        return Kpi(value, delta, onderdrukt)


def kinderen_wachtend_kpi(f: Filters) -> Kpi:
    """Unique children waiting at the end of the period, with the difference to the end of the month before
    (None when either count is hidden or absent)."""
    now, before = kinderen_wachtend(f), kinderen_wachtend(f.maand_ervoor())
    if now.height == 0:
        return Kpi(None, None)
    previous = before["n_kinderen_wachtend"][0] if before.height else None
    return Kpi.of(now["n_kinderen_wachtend"][0], previous, bool(now["n_kinderen_wachtend_onderdrukt"][0]))


def kerncijfers(stromen_frame: pl.DataFrame) -> dict[str, Kpi]:
    """Last month of the (protected) flows with the difference to the month before."""
    if stromen_frame.height == 0:
        return {}
    last = stromen_frame.row(-1, named=True)
    prev = stromen_frame.row(-2, named=True) if stromen_frame.height > 1 else None
    return {
        col: Kpi.of(last[col], None if prev is None else prev[col], bool(last.get(col + "_onderdrukt")))
        for col in ("instroom", "in_zorg", "uitstroom")
    }
