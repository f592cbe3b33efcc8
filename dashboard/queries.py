"""Named datasets for the pages: fetch through `dashboard.data`, then apply disclosure control.

Invariant: every frame a page receives from here is already protected (counts published by the cell-key
method, counts of 1..k-1 shown as "<k", statistics on fewer than k children hidden; dashboard/privacy.py,
docs/privacy.md), so no page can show or offer for download an unprotected count by mistake.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import cast

import polars as pl
import streamlit as st

from dashboard import data, labels
from dashboard.filtermodel import Filters
from dashboard.privacy import CellKey, drop_small_rows, hide_small_statistics, protect_counts, suppress_small
from pipelines import funnel as funnel_stats
from pipelines import settings
from pipelines import spc as spc_stats
from pipelines import store as notitie_opslag
from pipelines.vooruitblik import forecast as vb_forecast
from pipelines.vooruitblik import metrics as vb_metrics
from pipelines.vooruitblik import survival as vb_survival

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


# --- Leersessie (views/leersessie.py): funnel and SPC inputs, notes and annotations ------------------------
#
# Privacy of the funnel inputs (docs/privacy.md, "Leersessie"): every funnel is computed from figures the
# dashboard already releases, after protection, so it releases nothing new: the volume of a unit is its
# published count (cell-key method; caseload: fte × the norm, no count of persons), the value is a share
# that another block shows (binnen de norm: the ranking on Wachttijden, hidden under k children) or the
# ratio of two published counts (uitstroom; caseload: the team's thresholded active cases). A unit whose
# count or share is hidden (fewer than k) gets no point; the page says how many.


@dataclass(frozen=True)
class Trechter:
    """A funnel ready to draw: the plotted units, the limits over the volumes, what was left out."""

    indicator: str  # a key of labels.TRECHTER_INDICATOREN
    eenheid: str  # a key of labels.TRECHTER_EENHEDEN
    dataset: str  # the protected dataset the figures come from (filtermodel.DATASETS)
    resultaat: funnel_stats.Funnel
    punten: pl.DataFrame  # compared units: naam, volume, waarde, ligging, the four limits at their volume
    curve: pl.DataFrame  # Funnel.curve(): volume, doel, the four limits
    n_niet_getekend: int  # units with a count or share hidden by the small-number rule (or no value)


TRECHTER_EENHEDEN_PER_INDICATOR = {
    "wachttijd": ("aanbieder", "gemeente"),
    "uitstroom": ("aanbieder", "gemeente"),
    # teams only: a sum of teams' thresholded (not perturbed) active cases per gemeente would be a new
    # total that gives a hidden team's count back by difference (docs/privacy.md, exceptions)
    "caseload": ("team",),
}
TRECHTER_DATASET = {
    "wachttijd": "wachttijden_rangorde",
    "uitstroom": "leersessie_stromen",
    "caseload": "caseload_overzicht",
}


@protected
def leersessie_stromen(dimensie: str, f: Filters) -> pl.DataFrame:
    """Per aanbieder or gemeente (`dimensie`): uitstroom in the period and in zorg at its end, each count
    published by the cell-key method (per gemeente the cells of `stromen_per_gemeente`)."""
    df = data.fetch("leersessie_stromen", **f.params("leersessie_stromen"))
    return suppress_counts(df.filter(pl.col("dimensie") == dimensie), ["uitstroom", "in_zorg_eind"])


def _trechter_invoer(indicator: str, eenheid: str, niveau: str, f: Filters) -> tuple[pl.DataFrame, str]:
    """naam, teller, noemer per unit (from protected figures only) and the funnel kind."""
    if indicator == "wachttijd":
        df = wachttijden_rangorde(niveau, eenheid, f)
        noemer = pl.when(pl.col("aandeel_binnen_norm").is_not_null()).then(pl.col("n_afgerond"))
        return (
            df.select(
                "naam",
                (pl.col("aandeel_binnen_norm") * pl.col("n_afgerond")).alias("teller"),
                noemer.cast(pl.Float64).alias("noemer"),
            ),
            "proportie",
        )
    if indicator == "uitstroom":
        df = leersessie_stromen(eenheid, f)
        return (
            df.select(
                "naam",
                pl.col("uitstroom").cast(pl.Float64).alias("teller"),
                (pl.col("uitstroom") + pl.col("in_zorg_eind")).cast(pl.Float64).alias("noemer"),
            ),
            "proportie",
        )
    if indicator == "caseload":
        df = caseload_overzicht(f)
        return (
            df.select(
                pl.col("team_naam").alias("naam"),
                pl.col("actieve_casussen").cast(pl.Float64).alias("teller"),
                (pl.col("fte") * pl.col("referentienorm_maximum")).cast(pl.Float64).alias("noemer"),
            ),
            "ratio",
        )
    raise ValueError(f"onbekend cijfer voor het trechterdiagram: {indicator!r}")


def trechter_zonder_norm(indicator: str, niveau: str, f: Filters) -> bool:
    """Whether the funnel of `indicator` cannot be drawn at `niveau`: the share within the norm needs a norm
    (aanmelding has none)."""
    return indicator == "wachttijd" and norm_dagen(niveau, f) is None


def trechter(indicator: str, eenheid: str, niveau: str, f: Filters) -> Trechter:
    """The funnel of `indicator` over the units `eenheid` (TRECHTER_EENHEDEN_PER_INDICATOR), limits widened
    for overdispersion as pipelines/funnel.py does. Volumes are published figures; units below k are left
    out of the points, the target and the limits (`min_denominator=k`)."""
    invoer, soort = _trechter_invoer(indicator, eenheid, niveau, f)
    invoer = invoer.with_columns(pl.col("teller").fill_nan(None), pl.col("noemer").fill_nan(None))
    # a unit whose figure is hidden (null) has no value: no denominator, so the module marks it geen_waarde
    invoer = invoer.with_columns(
        pl.when(pl.col("teller").is_null()).then(None).otherwise(pl.col("noemer")).alias("noemer")
    )
    res = funnel_stats.funnel(
        invoer,
        unit="naam",
        numerator="teller",
        denominator="noemer",
        kind=cast(funnel_stats.Kind, soort),
        min_denominator=float(k()) if soort == "proportie" else 1.0,
    )
    eenheden = res.eenheden
    punten = eenheden.filter(pl.col("status") == funnel_stats.VERGELEKEN).with_columns(
        pl.when(pl.col("buiten_998").is_not_null())
        .then(pl.lit("buiten_998"))
        .when(pl.col("buiten_95").is_not_null())
        .then(pl.lit("buiten_95"))
        .when(pl.col("ondergrens_95").is_not_null())
        .then(pl.lit("binnen"))
        .otherwise(pl.lit("geen_grenzen"))  # fewer than three units: no target, no limits
        .alias("ligging")
    )
    punten = punten.select(
        "naam", "volume", "waarde", "ligging", "buiten_95", "buiten_998", *funnel_stats.LIMIT_COLUMNS
    ).sort("naam")
    niet = eenheden.filter(pl.col("status") != funnel_stats.VERGELEKEN).height
    return Trechter(indicator, eenheid, TRECHTER_DATASET[indicator], res, punten, res.curve(), niet)


def trechter_tabel(t: Trechter) -> pl.DataFrame:
    """The plotted units as the table and download show them: the value and limits in percent for a share,
    the position in words (labels.TRECHTER_LIGGING)."""
    schaal = 100.0 if t.resultaat.soort == "proportie" else 1.0
    cols = ["waarde", *funnel_stats.LIMIT_COLUMNS]
    df = t.punten.with_columns(
        *(pl.col(c) * schaal for c in cols),
        pl.col("ligging").replace_strict(labels.TRECHTER_LIGGING),
    )
    if t.indicator != "caseload":  # a published count of persons: an integer
        df = df.with_columns(pl.col("volume").round(0).cast(pl.Int64))
    return df.select(list(labels.TRECHTER))


def trechter_uitzonderingen(t: Trechter) -> str:
    """The short Dutch sentence naming the units outside the limits (pipelines/funnel.outlier_sentence)."""
    return funnel_stats.outlier_sentence(t.resultaat, "naam")


@dataclass(frozen=True)
class SpcReeks:
    """One indicator per month as an XmR chart."""

    sleutel: str  # a key of labels.SPC_INDICATOREN
    dataset: str
    resultaat: spc_stats.Spc
    tabel: pl.DataFrame  # maand, waarde, gemiddelde, grenzen, signaal, uitgesloten, voorlopig (+ "<k" flag)
    y_titel: str
    doel: float | None  # the norm the assurance mark compares with (weeks), None without one


SPC_RICHTING: dict[str, spc_stats.Direction] = {
    "instroom": "neutraal",  # more or less inflow is neither better nor worse
    "uitstroom": "neutraal",
    "mediaan": "lager",
    "wachtend": "lager",
}


def _spc(
    sleutel: str,
    dataset: str,
    df: pl.DataFrame,
    kolom: str,
    y_titel: str,
    doel: float | None,
    rebase: list[date],
) -> SpcReeks:
    """The XmR chart of `kolom` of a protected monthly frame: voorlopig months are drawn and judged, but left
    out of the mean and the limits (their figures may still grow); limits are recalculated only from the
    annotated dates in `rebase`."""
    invoer = df.select(
        "maand",
        pl.col(kolom).cast(pl.Float64).alias("waarde"),
        (pl.col("voorlopig") == "ja").alias("is_voorlopig")
        if "voorlopig" in df.columns
        else pl.lit(False).alias("is_voorlopig"),
        *(
            [pl.col(f"{kolom}_onderdrukt").alias("waarde_onderdrukt")]
            if f"{kolom}_onderdrukt" in df.columns
            else []
        ),
    )
    voorlopig = invoer.filter(pl.col("is_voorlopig"))["maand"].to_list()
    res = spc_stats.xmr(
        invoer.select("maand", "waarde"),
        date="maand",
        value="waarde",
        improvement=SPC_RICHTING[sleutel],
        target=doel,
        rebase=rebase,
        exclude=voorlopig,
    )
    p = res.punten
    if df.schema[kolom].is_integer():  # a count: shown and downloaded as a whole number
        p = p.with_columns(pl.col("waarde").cast(pl.Int64))
    signaal = [
        None if t is None else labels.SPC_PUNT[t] + ("" if r is None else f" ({labels.SPC_REGEL[r]})")
        for t, r in zip(p["punt_type"].to_list(), p["regel"].to_list(), strict=True)
    ]
    tabel = (
        p.select(
            "maand", "waarde", "gemiddelde", "ondergrens", "bovengrens", "segment", "punt_type", "uitgesloten"
        )
        .with_columns(pl.Series("signaal", signaal, dtype=pl.String))
        .join(
            invoer.select("maand", *(["waarde_onderdrukt"] if "waarde_onderdrukt" in invoer.columns else [])),
            on="maand",
            how="left",
        )
    )
    tabel = tabel.with_columns(
        pl.when(pl.col("uitgesloten")).then(pl.lit("ja")).otherwise(pl.lit("nee")).alias("voorlopig")
    )
    return SpcReeks(sleutel, dataset, res, tabel, y_titel, doel)


def norm_dagen(niveau: str, f: Filters) -> float | None:
    """The norm of `niveau` in days (None: the niveau has no norm), as the wait figures carry it."""
    kern = wachten_niveau(niveau, f)
    return kern["norm_dagen"][0] if kern.height else None


def spc_reeksen(niveau: str, f: Filters) -> list[SpcReeks]:
    """The key indicators per month as XmR charts: instroom and uitstroom (trajectories), the median completed
    wait (weeks) and the children waiting at the month end of `niveau`; each from its protected dataset (a
    count shown as "<k" or a median over fewer than k children is a gap, skipped by the rules)."""
    rebase = herberekeningsdatums(f)
    flows = stromen(f)
    trend = wachttijden_trend(niveau, f)
    norm = norm_dagen(niveau, f)
    return [
        _spc("instroom", "stromen_maand", flows, "instroom", "Trajecten", None, rebase),
        _spc("uitstroom", "stromen_maand", flows, "uitstroom", "Trajecten", None, rebase),
        _spc(
            "mediaan",
            "wachttijden_trend",
            trend,
            "mediaan_weken",
            "Weken",
            None if norm is None else norm / 7,
            rebase,
        ),
        _spc("wachtend", "wachttijden_trend", trend, "n_kinderen_wachtend", "Kinderen", None, rebase),
    ]


# The store (pipelines/store.py): notes per chart and question, annotations. Read fresh on every run (other
# sessions write too); never cached.


def opslag() -> notitie_opslag.Store:
    return notitie_opslag.open_store()


def gebeurtenissen() -> list[notitie_opslag.Annotatie]:
    """The annotations that are not deleted, by date, as this run's view shows them (another team's left
    out, providers pseudonymised: data.annotaties_in_zicht)."""
    return list(data.annotaties_in_zicht())


def herberekeningsdatums(f: Filters) -> list[date]:
    """The dates from which SPC limits are recalculated: annotations marked as a recalculation that apply to
    the whole region or to a gemeente, aanbieder or productcategorie the filters select (the one place the
    SPC charts read their rebase points)."""
    gekozen = {
        "gemeente": f.gemeente,
        "aanbieder": data.echte_waarde(f.aanbieder),  # the store holds codes, not pseudonyms
        "categorie": f.productcategorie,
    }
    return sorted(
        {
            a.datum
            for a in gebeurtenissen()
            if a.is_herberekening and (a.scope_soort is None or gekozen.get(a.scope_soort) == a.scope_code)
        }
    )


def momentopname(naam: str) -> notitie_opslag.Snapshot | None:
    """The live snapshot a URL value names: by its name or by its file's stem (None: no such snapshot)."""
    return next(
        (s for s in opslag().list_snapshots() if naam in (s.naam, Path(s.bestand).stem)),
        None,
    )


def notities(grafiek: str, snapshot_id: int | None) -> dict[int, notitie_opslag.Notitie]:
    """Question number -> the latest note on chart `grafiek` (for the snapshot, None: live)."""
    return {n.vraag: n for n in opslag().list_notes(snapshot_id=snapshot_id, grafiek=grafiek)}


def notitie_geschiedenis(grafiek: str, vraag: int, snapshot_id: int | None) -> list[notitie_opslag.Notitie]:
    return opslag().note_history(grafiek, vraag, snapshot_id=snapshot_id)


def bewaar_notitie(grafiek: str, vraag: int, tekst: str, auteur: str, snapshot_id: int | None) -> None:
    opslag().save_note(grafiek, vraag, tekst, auteur, snapshot_id=snapshot_id)


def voeg_gebeurtenis_toe(
    datum_: date,
    titel: str,
    toelichting: str,
    soort: str,
    door: str,
    herberekening: bool,
    scope: str | None,
) -> None:
    """Add an annotation; `scope` is "soort|code" from `gebeurtenis_scopes` (None: the whole dashboard)."""
    scope_soort, scope_code = scope.split("|", 1) if scope else (None, None)
    if scope_code is not None:  # a pseudonym in a learning session: stored by its code
        scope_code = data.echte_waarde(scope_code)
    opslag().add_annotation(
        datum_,
        titel,
        toelichting,
        soort,
        door,
        is_herberekening=herberekening,
        scope_soort=scope_soort,
        scope_code=scope_code,
    )


def verwijder_gebeurtenis(annotatie_id: int, door: str) -> None:
    opslag().delete_annotation(annotatie_id, door)


def gebeurtenis_scopes(f: Filters) -> dict[str, str]:
    """What an annotation may be limited to ("soort|code" -> Dutch name): "" for the whole dashboard, then
    every gemeente, aanbieder and productcategorie of the filter lists and every team."""
    opties = data.fetch("filter_opties")
    out = {"": "Het hele dashboard"}
    for soort, scope in (
        ("gemeente", "gemeente"),
        ("aanbieder", "aanbieder"),
        ("productcategorie", "categorie"),
    ):
        for code, naam in opties.filter(pl.col("soort") == soort).select("waarde", "label").iter_rows():
            out[f"{scope}|{code}"] = f"{notitie_opslag.SCOPES[scope]}: {naam}"
    for code, naam in team_namen(caseload_teams(f)).items():
        out[f"team|{code}"] = f"{notitie_opslag.SCOPES['team']}: {naam}"
    return out


# The charts the five questions can be asked of ("trechter:<indicator>:<eenheid>" or "spc:<indicator>"; the
# niveau of a wait chart is added to the chart key of its notes) -> the name in the picker
LEERSESSIE_GRAFIEKEN = {  # the median wait's SPC chart first: the default subject
    **{
        f"spc:{s}": f"SPC: {labels.SPC_INDICATOREN[s]}"
        for s in ("mediaan", "wachtend", "instroom", "uitstroom")
    },
    **{
        f"trechter:{i}:{e}": f"Trechterdiagram: {labels.TRECHTER_INDICATOREN[i].lower()}, "
        f"{labels.TRECHTER_EENHEDEN[e].lower()}"
        for i, eenheden in TRECHTER_EENHEDEN_PER_INDICATOR.items()
        for e in eenheden
    },
}
# --- Vooruitblik (issue 17): queue metrics, expected wait, forecast, backtest, what-if ----------------------
# The computations are pipelines/vooruitblik (pure); here they are fed from the marts and their results
# protected: counts by the cell-key method, statistics on fewer than k children hidden, and a list is only
# shown when at least k children joined it in the last 52 weeks (its rates rest on k or more persons).

VB_DATASET = "vooruitblik_lijsten"
VB_KETEN = ("aanmelding", "intake", "behandeling")  # consecutive queues at one aanbieder × productcategorie
VB_MAANDEN_TERUG = (6, 12)  # origins of the backtest
VB_NORMEN = (  # norms of the form "p within w weeks" (norms-and-methods §3, norm equivalence)
    ("RTT (Engeland): 92 % binnen 18 weken", 0.92, 18.0),
    ("CAMHS (Schotland): 90 % binnen 18 weken", 0.90, 18.0),
)


def _vb_keten(lijsten: pl.DataFrame) -> pl.DataFrame:
    """lijst_id -> volgende_lijst_id for consecutive niveaus of `VB_KETEN` at one aanbieder × categorie."""
    rest = pl.col("lijst_id").str.splitn("|", 2).struct.field("field_1")
    df = lijsten.select("lijst_id", "niveau").unique().with_columns(rest=rest)
    delen = []
    for van, naar in itertools.pairwise(VB_KETEN):
        a = df.filter(pl.col("niveau") == van).select("lijst_id", "rest")
        b = df.filter(pl.col("niveau") == naar).select(pl.col("lijst_id").alias("volgende_lijst_id"), "rest")
        delen.append(a.join(b, on="rest").select("lijst_id", "volgende_lijst_id"))
    return pl.concat(delen).sort("lijst_id")


@dataclass(frozen=True)
class VbInvoer:
    """The region's weekly history, chain, estimated model and waits (one per database stamp)."""

    historie: pl.DataFrame
    keten: pl.DataFrame
    model: vb_forecast.Wachtrijmodel
    wachttijden: pl.DataFrame
    weken: pl.DataFrame  # the mart's rows (with the cell keys), held once instead of fetched per rerun


@st.cache_resource(max_entries=8, show_spinner=False)  # per file and view (role, pseudonyms)
def _vb_invoer(stamp: data.Stamp) -> VbInvoer:
    weken = data.fetch("vooruitblik_weken")
    historie = weken.select(
        "lijst_id",
        "week",
        *(pl.col(c).cast(pl.Float64) for c in ("instroom", "starts", "afvallers", "wachtend")),
    )
    keten = _vb_keten(weken)
    model = vb_forecast.schat_model(historie, keten=keten)
    return VbInvoer(historie, keten, model, data.fetch("vooruitblik_wachttijden"), weken)


def vb_invoer() -> VbInvoer:
    return _vb_invoer(data.current_stamp())


@protected
def vooruitblik_lijsten(f: Filters) -> pl.DataFrame:
    """The ranking: one row per list under the filters (at least k children joined it in 52 weeks), by
    pressure (2 x mean age of those waiting / norm) first, then load. Counts protected by the cell-key
    method; vraag, capaciteit and reneges per week hidden when they rest on fewer than k children; the
    expected wait (Kaplan-Meier) and the pressure hidden for fewer than k children."""
    lijsten = data.fetch(VB_DATASET, **f.params(VB_DATASET))
    invoer = vb_invoer()
    if lijsten.height == 0:
        return lijsten.drop([c for c in lijsten.columns if c.endswith("_ck")])
    ids = lijsten["lijst_id"].implode()
    w = invoer.wachttijden.filter(pl.col("lijst_id").is_in(ids))
    leeftijd = vb_survival.gemiddelde_leeftijd_wachtenden(w, k=k())
    kengetallen = vb_metrics.wachtrij_kengetallen(
        invoer.historie.filter(pl.col("lijst_id").is_in(ids)),
        lijsten.select("lijst_id", "norm_weken").join(leeftijd, on="lijst_id", how="left"),
    )
    km = vb_survival.verwachte_wachttijd(w, k=k())
    df = (
        lijsten.join(
            kengetallen.select(
                "lijst_id",
                "vraag_per_week",
                "capaciteit_per_week",
                "afvallers_per_week",
                "belasting",
                "doel_wachtrij",
                "gemiddelde_wachttijd_weken",
                "druk",
            ),
            on="lijst_id",
            how="left",
        )
        .join(
            km.select(
                "lijst_id",
                pl.col("n").alias("n_wachttijden"),
                "mediaan_weken",
                "mediaan_weken_onder",
                "mediaan_weken_boven",
                "p90_weken",
                "p90_weken_onder",
                "p90_weken_boven",
            ),
            on="lijst_id",
            how="left",
        )
        .with_columns(
            niveau_label=pl.col("niveau").replace_strict(NIVEAU_LABELS, default=pl.col("niveau")),
            n_wachtend=pl.col("wachtend"),
        )
    )
    df = hide_small_statistics(df, "instroom_jaar", ["vraag_per_week", "belasting", "doel_wachtrij"], k())
    df = hide_small_statistics(df, "starts_jaar", ["capaciteit_per_week", "belasting"], k())
    df = hide_small_statistics(df, "afvallers_jaar", ["afvallers_per_week"], k())
    df = hide_small_statistics(df, "n_wachtend", ["druk", "gemiddelde_wachttijd_weken"], k())
    df = df.filter(pl.col("instroom_jaar") >= k()).drop("n_wachtend", "n_wachttijden")
    df = suppress_counts(df, ["wachtend", "instroom_jaar", "starts_jaar", "afvallers_jaar"])
    return df.sort(["druk", "belasting", "lijst_id"], descending=[True, True, False], nulls_last=True)


VB_ACTUALITEIT = "vooruitblik_actualiteit"
# an aanbieder's data (of one source) that ends more than this many days before the peildatum is "missing"
# for the expected wait: what happened since is not in it (docs/definitions.md#actualiteit-en-publicatie)
VB_ACHTERSTAND_DAGEN = 28
VB_GEPUBLICEERDE_NIVEAUS = ("intake", "behandeling")  # the steps providers publish a wait for
VB_NIVEAU_VOLGORDE = ("verzoek_toewijzing", "toewijzing_start", "aanmelding", "intake", "behandeling")


def vb_opmerkingen(
    df: pl.DataFrame, k_: int, achterstand_dagen: int = VB_ACHTERSTAND_DAGEN, publicatie: bool = True
) -> pl.Series:
    """The note per list beside its expected wait: data missing, no or no comparable published wait, a
    small group. Inputs: the columns of `vooruitblik_actualiteit` with n_wachttijden (true) and
    gepubliceerd_verborgen; Dutch sentences joined by '; ', null when there is nothing to say.
    `publicatie` False (a learning session): nothing about the aanbieder's publications."""
    grens = pl.col("peildatum") - pl.duration(days=achterstand_dagen)
    datum_tekst = pl.col("aanbieder_laatste_gegevens").dt.strftime("%d-%m-%Y")
    stap = pl.col("niveau").is_in(VB_GEPUBLICEERDE_NIVEAUS)
    delen = [
        pl.when((pl.col("bron") == "registratie") & (pl.col("aanbieder_laatste_gegevens") < grens)).then(
            pl.format(
                "wachttijdregistratie van deze aanbieder loopt tot {}: wat daarna gebeurde ontbreekt",
                datum_tekst,
            )
        ),
        pl.when((pl.col("bron") == "ijw") & (pl.col("aanbieder_laatste_gegevens") < grens)).then(
            pl.format(
                "iJw-berichten van deze aanbieder lopen tot {}: wat daarna gebeurde ontbreekt", datum_tekst
            )
        ),
        pl.when(pl.col("n_wachttijden").fill_null(0) < k_).then(
            pl.lit(f"minder dan {k_} wachttijden: geen schatting")
        ),
        pl.when(stap & ~pl.col("is_publicerend").fill_null(False)).then(
            pl.lit("aanbieder publiceert geen wachttijden")
        ),
        pl.when(
            stap & pl.col("is_publicerend").fill_null(False) & pl.col("gepubliceerd_maand").is_null()
        ).then(pl.lit("geen gepubliceerde wachttijd voor deze productcategorie")),
        pl.when(stap & pl.col("gepubliceerd_maand").is_not_null() & pl.col("gepubliceerd_weken").is_null())
        .then(pl.lit("geen gepubliceerde wachttijd voor deze stap"))
        .when(pl.col("gepubliceerd_verborgen"))
        .then(pl.lit(f"gepubliceerd cijfer over minder dan {k_} wachtenden: niet getoond")),
        pl.when(stap & (pl.col("is_gepubliceerd_per_categorie") == False)).then(  # noqa: E712
            pl.lit("gepubliceerd voor alle productcategorieën samen")
        ),
        pl.when(
            (pl.col("niveau") == "toewijzing_start")
            & pl.col("is_publicerend").fill_null(False)
            & ~pl.col("heeft_registratie").fill_null(False)
        ).then(
            pl.lit(
                "aanbieder publiceert wachttijden maar levert geen wachttijdregistratie: vergelijken kan niet"
            )
        ),
    ]
    if not publicatie:
        delen = delen[:3]  # the freshness and the group size only
    uit = df.select(opmerking=pl.concat_list(delen).list.drop_nulls().list.join("; "))["opmerking"]
    uit = uit.replace("", None)
    return uit.str.slice(0, 1).str.to_uppercase() + uit.str.slice(1)


def vooruitblik_publicatie_zichtbaar() -> bool:
    """Whether the aanbieders' published waits are shown: not where providers have pseudonyms (a learning
    session, a chain partner's or team manager's view), since a public figure with its date beside a
    pseudonym would name the aanbieder."""
    return not data.gekozen_bron().leersessie


@protected
def vooruitblik_verwachting(f: Filters) -> pl.DataFrame:
    """Expected wait if referred today per list of the ranking (Kaplan-Meier, `vooruitblik_lijsten`), beside
    the aanbieder's own published wait for that step and its date, the freshness of the data (the list's
    and the aanbieder's latest record, the peildatum) and a note where data is missing. The group size
    (waits in the 52-week window) is a count, protected by the cell-key method; the published figure is
    hidden when the aanbieder's publication counts fewer than k waiting children."""
    lijsten = vooruitblik_lijsten(f)
    kolommen = [
        "lijst_id",
        "aanbieder",
        "categorie",
        "niveau",
        "niveau_label",
        "mediaan_weken",
        "mediaan_weken_onder",
        "mediaan_weken_boven",
        "p90_weken",
        "p90_weken_onder",
        "p90_weken_boven",
    ]
    groepen = (
        vb_invoer()
        .wachttijden.group_by("lijst_id")
        .agg(
            n_wachttijden=pl.len().cast(pl.Int64),
            n_wachttijden_ck=pl.col("wachttijd_sleutel").cast(pl.Int64).sum(),
        )
    )
    act = data.fetch(VB_ACTUALITEIT).drop("niveau", "aanbieder_agb", "productcategorie")
    df = (
        lijsten.select(kolommen)
        .join(groepen, on="lijst_id", how="left")
        .join(act, on="lijst_id", how="left")
        .with_columns(
            pl.col("n_wachttijden").fill_null(0),
            pl.col("n_wachttijden_ck").fill_null(0),
            gepubliceerd_verborgen=pl.col("gepubliceerd_weken").is_not_null()
            & (pl.col("gepubliceerd_wachtenden") < k()).fill_null(False),
        )
    )
    publicatie = vooruitblik_publicatie_zichtbaar()
    df = df.with_columns(
        opmerking=vb_opmerkingen(df, k(), publicatie=publicatie),
        gepubliceerd_weken=pl.when(pl.col("gepubliceerd_verborgen") | (not publicatie))
        .then(None)
        .otherwise("gepubliceerd_weken"),
        gepubliceerd_peildatum=pl.when(pl.lit(publicatie)).then("gepubliceerd_peildatum"),
        volgorde=pl.col("niveau").replace_strict(
            {n: i for i, n in enumerate(VB_NIVEAU_VOLGORDE)}, default=len(VB_NIVEAU_VOLGORDE)
        ),
    )
    df = suppress_counts(df, ["n_wachttijden"])
    return df.sort("aanbieder", "categorie", "volgorde").select(
        *kolommen,
        "n_wachttijden",
        "n_wachttijden_onderdrukt",
        "gepubliceerd_weken",
        "gepubliceerd_maand",
        "gepubliceerd_peildatum",
        "laatste_gegevens",
        "aanbieder_laatste_gegevens",
        "peildatum",
        "opmerking",
    )


def vooruitblik_keuzes(f: Filters) -> dict[str, str]:
    """lijst_id -> 'niveau · aanbieder · categorie' for the lists of the ranking (the list picker)."""
    return {
        r["lijst_id"]: f"{r['aanbieder']} · {r['categorie'].strip()} · {r['niveau_label']}"
        for r in vooruitblik_lijsten(f).iter_rows(named=True)
    }


@st.cache_resource(max_entries=8, show_spinner=False)  # per file and view (role, pseudonyms)
def _vb_oorsprongen(stamp: data.Stamp) -> dict[int, vb_forecast.Wachtrijmodel]:
    """The backtest's origin models (6 and 12 months back), estimated once per database: the region-wide
    part of the backtest (the seasonality is pooled over all lists)."""
    invoer = _vb_invoer(stamp)
    return vb_forecast.oorsprongmodellen(invoer.historie, maanden=VB_MAANDEN_TERUG, keten=invoer.keten)


@st.cache_resource(max_entries=64, show_spinner=False)
def _vb_backtest(stamp: data.Stamp, lijst_id: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One list's backtest (`forecast.backtest`, the list simulated with its chain) and the bands it scored,
    for the chart: only the chosen list is simulated, so the first visit does not backtest every list."""
    invoer = _vb_invoer(stamp)
    modellen = _vb_oorsprongen(stamp)
    banden = vb_forecast.backtest_banden(modellen, lijst_ids=[lijst_id])
    samenvatting = vb_forecast.backtest(
        invoer.historie, maanden=VB_MAANDEN_TERUG, modellen=modellen, lijst_ids=[lijst_id], banden=banden
    )
    return samenvatting, banden


@protected
def vooruitblik_backtest(lijst_id: str) -> pl.DataFrame:
    """One list's backtest per origin (6 and 12 months back): MAE, the no-change MAE, coverage of the
    80 % band, is_slecht (forecast.backtest)."""
    samenvatting, _ = _vb_backtest(data.current_stamp(), lijst_id)
    return samenvatting.filter(pl.col("lijst_id") == lijst_id).drop("lijst_id")


@protected
def vooruitblik_backtest_reeks(lijst_id: str) -> pl.DataFrame:
    """Per week of the last 12 months: the observed queue (a count, protected by the cell-key method) and
    the bands forecast 6 and 12 months back (long: one row per week and origin)."""
    stamp = data.current_stamp()
    _, banden = _vb_backtest(stamp, lijst_id)
    weken = _vb_invoer(stamp).weken.filter(pl.col("lijst_id") == lijst_id)
    werkelijk = suppress_counts(weken.select("week", "wachtend", "wachtend_ck"), ["wachtend"])
    oorsprong = min(m.laatste_week for m in _vb_oorsprongen(stamp).values())
    werkelijk = werkelijk.filter(pl.col("week") > oorsprong)
    b = banden.filter(pl.col("lijst_id") == lijst_id).drop("lijst_id")
    return (
        werkelijk.join(b, on="week", how="left")
        .with_columns(
            oorsprong=pl.when(pl.col("maanden_terug").is_null())
            .then(pl.lit(None, dtype=pl.String))
            .otherwise(pl.format("vanaf {} maanden terug", pl.col("maanden_terug")))
        )
        .drop("maanden_terug")
        .sort("week", "oorsprong", nulls_last=True)
    )


def vooruitblik_scenario(
    lijst_id: str,
    capaciteit_procent: float = 0.0,
    instroom_procent: float = 0.0,
    eenmalig_per_week: float = 0.0,
    eenmalig_weken: int = 0,
    langst_per_week: float = 0.0,
    langst_weken: int = 0,
    norm_weken: float | None = None,
) -> vb_forecast.Scenario:
    """The what-if of the page for one list (forecast.Scenario)."""
    return vb_forecast.Scenario(
        capaciteit_procent=capaciteit_procent,
        instroom_procent=instroom_procent,
        eenmalig_per_week=eenmalig_per_week,
        eenmalig_weken=eenmalig_weken,
        langst_wachtenden_per_week=langst_per_week,
        langst_wachtenden_weken=langst_weken,
        norm_weken=norm_weken,
        lijsten=frozenset({lijst_id}),
    )


@st.cache_resource(max_entries=64, show_spinner=False)
def _vb_basis(stamp: data.Stamp, lijst_id: str) -> vb_forecast.Prognose:
    """A list's baseline (with its chain), simulated once: a what-if change simulates only the scenario."""
    return vb_forecast.basisprognose(_vb_invoer(stamp).model, [lijst_id])


@st.cache_data(max_entries=256, show_spinner=False)
def _vb_wat_als(stamp: data.Stamp, lijst_id: str, scenario: vb_forecast.Scenario) -> pl.DataFrame:
    invoer = _vb_invoer(stamp)
    basis = _vb_basis(stamp, lijst_id)
    return vb_forecast.wat_als(invoer.model, scenario, lijst_ids=[lijst_id], basis=basis).filter(
        pl.col("lijst_id") == lijst_id
    )


def vooruitblik_prognose(lijst_id: str, scenario: vb_forecast.Scenario) -> pl.DataFrame:
    """The 52-week forecast of one list (soort 'basis') and under `scenario` (soort 'scenario'), with the
    chain it belongs to simulated along (forecast.wat_als: the same random numbers, so the difference is the
    scenario's). Per week: the queue's 10/50/90 % band and the median of the expected mean wait (weeks).
    Model statistics, not counts; the list is one of `vooruitblik_lijsten` (k or more children a year)."""
    df = _vb_wat_als(data.current_stamp(), lijst_id, scenario)
    return df.select(
        pl.col("soort").replace_strict(labels.VOORUITBLIK_REEKSEN).alias("reeks"),
        "week",
        "horizon_weken",
        "wachtrij_p10",
        "wachtrij_p50",
        "wachtrij_p90",
        "wachttijd_weken_p50",
    ).sort("reeks", "week")


@st.cache_resource(max_entries=64, show_spinner=False)
def _vb_leeftijden(stamp: data.Stamp, lijst_id: str) -> tuple[vb_forecast.Wachtrijmodel, vb_forecast.Array]:
    """A list's part of the model (with its chain) and the ages of those waiting on it, once per list: the
    histogram reads every wait of the region, which a what-if change need not do again."""
    invoer = _vb_invoer(stamp)
    deel = vb_forecast.deelmodel(invoer.model, [lijst_id])
    return deel, vb_forecast.leeftijden_histogram(invoer.wachttijden, deel.lijst_id)


@st.cache_data(max_entries=256, show_spinner=False)
def _vb_leeftijdsprojectie(
    stamp: data.Stamp, lijst_id: str, scenario: vb_forecast.Scenario, norm_weken: float, soort: str
) -> pl.DataFrame:
    """One list's age projection under `scenario` (the baseline's is then computed once per list and norm)."""
    deel, leeftijden = _vb_leeftijden(stamp, lijst_id)
    p = vb_forecast.leeftijdsprojectie(deel, leeftijden, scenario, norm_weken=norm_weken)
    return p.filter(pl.col("lijst_id") == lijst_id).with_columns(
        reeks=pl.lit(labels.VOORUITBLIK_REEKSEN[soort])
    )


def vooruitblik_leeftijden(lijst_id: str, scenario: vb_forecast.Scenario, norm_weken: float) -> pl.DataFrame:
    """Expected waits of those still waiting after 13, 26 and 52 weeks, baseline against scenario (the age
    projection: capacity aimed at the longest waiters shortens the tail): children over the norm, mean and
    90th percentile of the time waited. Hidden when fewer than k children wait now."""
    stamp = data.current_stamp()
    deel, leeftijden = _vb_leeftijden(stamp, lijst_id)
    if leeftijden[deel.index(lijst_id)].sum() < k():
        return pl.DataFrame()
    delen = [
        _vb_leeftijdsprojectie(stamp, lijst_id, vb_forecast.BASIS, norm_weken, "basis"),
        _vb_leeftijdsprojectie(stamp, lijst_id, scenario, norm_weken, "scenario"),
    ]
    return (
        pl.concat(delen)
        .filter(pl.col("horizon_weken").is_in([13, 26, 52]))
        .select(
            "reeks",
            "horizon_weken",
            "wachtrij",
            "boven_norm",
            "gemiddelde_leeftijd_weken",
            "p90_leeftijd_weken",
        )
        .sort("horizon_weken", "reeks")
    )


def vooruitblik_normen(vraag_per_week: float | None) -> pl.DataFrame:
    """The norms on one basis (norms-and-methods §3): each "p within w weeks" as its implied mean wait and,
    at the chosen list's demand, the list size it allows. The Treeknormen as maxima with factor f."""
    f_ = vb_metrics.FACTOR
    aandeel = float(vb_metrics.norm_aandeel_binnen(f_))
    treek = settings.config()["treeknorm"]
    rijen = [
        (
            f"Treeknorm aanmelding: maximaal {treek['aanmelding_weken']} weken",
            aandeel,
            treek["aanmelding_weken"],
        ),
        (
            f"Treeknorm behandeling: maximaal {treek['behandeling_weken']} weken",
            aandeel,
            treek["behandeling_weken"],
        ),
        *VB_NORMEN,
    ]
    normen = pl.DataFrame(
        {
            "naam": [r[0] for r in rijen],
            "aandeel": [float(r[1]) for r in rijen],
            "binnen_weken": [float(r[2]) for r in rijen],
        }
    )
    uit = vb_metrics.norm_equivalenten(normen, vraag_per_week or 0.0)
    if vraag_per_week is None:
        uit = uit.with_columns(wachtrij=pl.lit(None, dtype=pl.Float64))
    return uit.drop("min_ln_1_min_p")


@dataclass(frozen=True)
class VbLijst:
    """The figures of one list the page draws beside its charts (protected: None where hidden)."""

    norm_weken: float | None = None
    doel_wachtrij: float | None = None
    vraag_per_week: float | None = None
    gemiddelde_wachttijd_weken: float | None = None


def vooruitblik_lijst(lijst_id: str, f: Filters) -> VbLijst:
    """The ranking's row of one list (protected); all None when the list is not in the ranking."""
    rij = vooruitblik_lijsten(f).filter(pl.col("lijst_id") == lijst_id)
    if rij.height == 0:
        return VbLijst()
    r = rij.row(0, named=True)
    return VbLijst(r["norm_weken"], r["doel_wachtrij"], r["vraag_per_week"], r["gemiddelde_wachttijd_weken"])


def vooruitblik_basisprognose(lijst_id: str) -> pl.DataFrame:
    """The 52-week forecast of one list when nothing changes (`vooruitblik_prognose`'s basis rows)."""
    basis = labels.VOORUITBLIK_REEKSEN["basis"]
    return vooruitblik_prognose(lijst_id, vb_forecast.BASIS).filter(pl.col("reeks") == basis)


@dataclass(frozen=True)
class VbEffect:
    """The queue and expected wait (medians) after 13, 26 and 52 weeks, basis and scenario."""

    wachtrij: dict[int, tuple[float | None, float | None]]
    wachttijd: dict[int, tuple[float | None, float | None]]


def vooruitblik_effect(lijst_id: str, scenario: vb_forecast.Scenario) -> VbEffect:
    """What the scenario changes, read from `vooruitblik_prognose` (the figures its chart draws)."""
    df = vooruitblik_prognose(lijst_id, scenario)

    def waarde(soort: str, h: int, kolom: str) -> float | None:
        naam = labels.VOORUITBLIK_REEKSEN[soort]
        rij = df.filter((pl.col("reeks") == naam) & (pl.col("horizon_weken") == h))
        return cast(float | None, rij[kolom][0]) if rij.height else None

    return VbEffect(
        {
            h: (waarde("basis", h, "wachtrij_p50"), waarde("scenario", h, "wachtrij_p50"))
            for h in (13, 26, 52)
        },
        {
            h: (waarde("basis", h, "wachttijd_weken_p50"), waarde("scenario", h, "wachttijd_weken_p50"))
            for h in (13, 26, 52)
        },
    )


def vooruitblik_dagen(weken_: float | None) -> float | None:
    """A figure in weeks as days (format.weken takes days); None stays None."""
    return None if weken_ is None else 7 * weken_


# --- the caseload link (norms-and-methods §8): a team's band -> the starts per week it can absorb ------------

VB_TEAMS = "vooruitblik_teams"


@protected
def vooruitblik_teams(f: Filters) -> pl.DataFrame:
    """The teams under the gemeente filter with their FTE, band and the throughput of the last 52 weeks
    (new and closed cases protected by the cell-key method; the mean case length hidden on fewer than k
    closed cases)."""
    df = data.fetch(VB_TEAMS, **f.params(VB_TEAMS))
    df = hide_small_statistics(df, "afgesloten_casussen", ["gemiddelde_duur_weken"], k())
    return suppress_counts(df, ["nieuwe_casussen", "afgesloten_casussen"])


def vooruitblik_team_namen(f: Filters) -> dict[str, str]:
    """team_code -> 'naam (type)' for the team picker of the caseload link."""
    return {
        r["team_code"]: f"{r['team_naam']} ({r['team_type']})"
        for r in vooruitblik_teams(f).iter_rows(named=True)
    }


def vooruitblik_caseload(team: str, nieuwe_band: float | None, f: Filters) -> pl.DataFrame:
    """What a changed caseload band does to the team's throughput (metrics.caseload_verband, steady state,
    the case length held at the last 52 weeks' mean): one row per figure (naam, nu, straks). Demand = the
    new cases per week of the last 52 weeks (published count / 52). Empty when the team's figures are hidden."""
    rij = vooruitblik_teams(f).filter(pl.col("team_code") == team)
    if rij.height == 0:
        return pl.DataFrame()
    r = rij.row(0, named=True)
    if r["gemiddelde_duur_weken"] is None or r["nieuwe_casussen"] is None or not r["fte"]:
        return pl.DataFrame()
    band = float(r["bandbreedte_boven"])
    nieuw = band if nieuwe_band is None else nieuwe_band
    v = vb_metrics.caseload_verband(
        fte=r["fte"],
        caseload_per_fte=band,
        nieuwe_caseload_per_fte=nieuw,
        trajectduur_weken=r["gemiddelde_duur_weken"],
        vraag_per_week=r["nieuwe_casussen"] / 52,
    )
    fte_nu = float(vb_metrics.fte_nodig(r["nieuwe_casussen"] / 52, band, r["gemiddelde_duur_weken"]))
    rijen = [
        ("Casussen per fte (bovengrens band)", band, nieuw),
        ("Fte", float(r["fte"]), float(r["fte"])),
        ("Gemiddelde duur van een casus (weken)", r["gemiddelde_duur_weken"], r["gemiddelde_duur_weken"]),
        ("Nieuwe casussen per week (vraag)", r["nieuwe_casussen"] / 52, r["nieuwe_casussen"] / 52),
        ("Starts per week die het team aankan", float(v["capaciteit_oud"]), float(v["capaciteit_nieuw"])),
        ("Belasting (vraag ÷ starts die het aankan)", float(v["belasting_oud"]), float(v["belasting_nieuw"])),
        (
            "Groei van de wachtlijst per week",
            float(v["groei_per_week_oud"]),
            float(v["groei_per_week_nieuw"]),
        ),
        ("Fte nodig voor belasting 1", fte_nu, float(v["fte_nodig"])),
    ]
    return pl.DataFrame(
        {
            "naam": [x[0] for x in rijen],
            "nu": [float(x[1]) for x in rijen],
            "straks": [float(x[2]) for x in rijen],
        }
    )


def tekst_in_zicht() -> Callable[[str], str]:
    """The pseudonymiser of typed text (notes) as this run's view shows providers (data.tekst_pseudonimiseerder)."""
    return data.tekst_pseudonimiseerder()
