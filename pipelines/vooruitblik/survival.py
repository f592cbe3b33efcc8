"""Expected wait if referred today: Kaplan-Meier per list, vectorised over all lists at once.

Why Kaplan-Meier: a mean (or median) of completed waits forgets the children still waiting, and those are
the long waits; KM uses every episode: a start is an event at its wait, everything else (still waiting at
the peildatum, left without care) is censored at the days observed. Leaving without care is treated as
censoring (cause-specific: "the wait until a start for those who stay"), the same choice as the mart
`wachttijden_maand`.

Method (input `invoer.WACHTTIJDEN`, days):
- Product-limit estimate S(t) = prod over event times t_i <= t of (1 - d_i / n_i), d_i = starts at t_i,
  n_i = episodes at risk at t_i (entered and not yet left: entry <= t_i <= exit). With `instapdagen`
  (left truncation, a period analysis: episodes that started before the window enter the risk set at the
  age they had at the window start) an episode is at risk at t only when instapdagen <= t (days: a child
  on the list on the window's first day can start that day).
- Quantile q: the smallest event time with S(t) <= 1 - q (the mart's and lifelines' rule); null when S never
  gets that low ("not reached": fewer than q of the children have started within the longest observed wait).
- Interval (default 80 %): Greenwood's variance with the log-log transform (Kalbfleisch-Prentice; lifelines'
  default): se = sqrt(sum d/(n(n-d))) / |ln S|, S_lo = S^exp(z se), S_hi = S^exp(-z se); the quantile's
  interval inverts that pointwise band (Brookmeyer-Crowley, as R's survival `quantile.survfit` does):
  lower = first t with S_lo(t) <= 1 - q, upper = first t with S_hi(t) <= 1 - q (null: not reached).
- Small numbers: a list with fewer than k episodes gets no statistic (status kleine_groep), only its counts,
  which the page must protect like every other count (dashboard/privacy.py). k has no default here: the
  caller passes `pipelines.settings.small_number_threshold()` (its one home is the config file).

Results are in weeks (days / 7), the unit of the queue formulas and the page.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import polars as pl

from pipelines.vooruitblik.invoer import (
    OK,
    WACHTTIJDEN,
    VooruitblikFout,
    status_melding_expr,
    vereiste_kolommen,
)

BETROUWBAARHEID = 0.8
KWANTIELEN = (0.5, 0.9)
_EPS = 1e-12


def kwantiel_naam(q: float) -> str:
    """Column stem of a quantile: 0.5 -> mediaan, 0.9 -> p90."""
    return "mediaan" if q == 0.5 else f"p{round(100 * q)}"


def _gecontroleerd(wachttijden: pl.DataFrame) -> pl.DataFrame:
    """The waits with valid numbers only (lijst_id, tijd, instap, is_gestart); invalid rows are dropped."""
    vereiste_kolommen(wachttijden, WACHTTIJDEN, "Wachttijden")
    instap = (
        pl.col("instapdagen").cast(pl.Float64, strict=False)
        if "instapdagen" in wachttijden.columns
        else pl.lit(0.0)
    )
    dagen = pl.col("wachtdagen")
    if not wachttijden.schema["wachtdagen"].is_numeric():
        dagen = dagen.cast(pl.String).str.strip_chars()
    df = wachttijden.select(
        pl.col("lijst_id").cast(pl.String),
        tijd=dagen.cast(pl.Float64, strict=False),
        instap=instap.fill_null(0.0),
        is_gestart=pl.col("is_gestart").cast(pl.Boolean, strict=False),
    )
    return df.filter(
        pl.col("lijst_id").is_not_null()
        & pl.col("tijd").is_finite()
        & (pl.col("tijd") >= 0)
        & pl.col("is_gestart").is_not_null()
        & pl.col("instap").is_finite()
        & (pl.col("instap") <= pl.col("tijd"))
    )


def _groepsom(x: npt.NDArray[np.float64], begin: npt.NDArray[np.intp]) -> npt.NDArray[np.float64]:
    """Cumulative sum of `x` restarting at each group; `begin[i]` = index of the first row of i's group."""
    cs = np.cumsum(x)
    voor = np.concatenate(([0.0], cs))[begin]
    return cs - voor


def kaplan_meier_curves(
    wachttijden: pl.DataFrame, *, betrouwbaarheid: float = BETROUWBAARHEID
) -> pl.DataFrame:
    """The product-limit curve of every list at its event times, with the pointwise log-log band.

    Columns: lijst_id, dagen (event time), gestart (d), at_risk (n), overleving (S), overleving_onder,
    overleving_boven. Lists without a start have no rows.
    """
    if not 0 < betrouwbaarheid < 1:
        raise VooruitblikFout(
            f"De betrouwbaarheid moet tussen 0 en 1 liggen (gekregen: {betrouwbaarheid!r})."
        )
    df = _gecontroleerd(wachttijden)
    return _curves(df, betrouwbaarheid)


def _curves(df: pl.DataFrame, betrouwbaarheid: float) -> pl.DataFrame:
    leeg = pl.DataFrame(
        schema={
            "lijst_id": pl.String,
            "dagen": pl.Float64,
            "gestart": pl.Float64,
            "at_risk": pl.Float64,
            "overleving": pl.Float64,
            "overleving_onder": pl.Float64,
            "overleving_boven": pl.Float64,
        }
    )
    if df.is_empty() or not df["is_gestart"].any():
        return leeg
    lijsten = df["lijst_id"].unique().sort()
    idx = df["lijst_id"].replace_strict(
        lijsten, pl.int_range(len(lijsten), eager=True), return_dtype=pl.Int64
    )
    i = idx.to_numpy().astype(np.float64)
    tijd = df["tijd"].to_numpy()
    instap = df["instap"].to_numpy()
    m = float(tijd.max()) + 3.0  # keys list * m + time keep the lists apart and in order
    entree = np.sort(i * m + instap)
    uit = np.sort(i * m + tijd)
    gebeurtenis = pl.DataFrame({"i": idx, "tijd": df["tijd"], "is_gestart": df["is_gestart"]})
    ev = (
        gebeurtenis.filter(pl.col("is_gestart"))
        .group_by("i", "tijd")
        .agg(d=pl.len().cast(pl.Float64))
        .sort("i", "tijd")
    )
    ei = ev["i"].to_numpy().astype(np.float64)
    et = ev["tijd"].to_numpy()
    d = ev["d"].to_numpy()
    sleutel = ei * m + et
    basis = ei * m - 1.5
    binnen = np.searchsorted(entree, sleutel, "right") - np.searchsorted(entree, basis, "left")
    weg = np.searchsorted(uit, sleutel, "left") - np.searchsorted(uit, basis, "left")
    n = (binnen - weg).astype(np.float64)
    # group starts of the event table
    nieuw = np.concatenate(([True], ei[1:] != ei[:-1]))
    begin = np.maximum.accumulate(np.where(nieuw, np.arange(len(ei)), 0))
    vol = d >= n
    with np.errstate(divide="ignore", invalid="ignore"):
        log_s = _groepsom(np.where(vol, 0.0, np.log1p(-d / n)), begin)
        greenwood = _groepsom(np.where(vol, 0.0, d / (n * (n - d))), begin)
    nul = _groepsom(vol.astype(np.float64), begin) > 0
    s = np.where(nul, 0.0, np.exp(log_s))
    z = NormalDist().inv_cdf(0.5 + betrouwbaarheid / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(greenwood) / np.abs(log_s)
        onder = np.where(nul, 0.0, np.where(log_s < 0, s ** np.exp(z * se), s))
        boven = np.where(nul, 0.0, np.where(log_s < 0, s ** np.exp(-z * se), s))
    return pl.DataFrame(
        {
            "lijst_id": lijsten.gather(ev["i"]),
            "dagen": et,
            "gestart": d,
            "at_risk": n,
            "overleving": s,
            "overleving_onder": onder,
            "overleving_boven": boven,
        }
    )


def verwachte_wachttijd(
    wachttijden: pl.DataFrame,
    *,
    k: int,
    betrouwbaarheid: float = BETROUWBAARHEID,
    kwantielen: tuple[float, ...] = KWANTIELEN,
) -> pl.DataFrame:
    """Expected wait if referred today, per list: KM quantiles (weeks) with their interval.

    Columns: lijst_id, status (ok, kleine_groep), melding, is_kleine_groep, n, n_gestart, n_gecensureerd
    (counts: the page protects them like any count), and per quantile
    q (stem `kwantiel_naam(q)`): <stem>_weken, <stem>_weken_onder, <stem>_weken_boven (null where not
    reached or for a small group). Rows with an invalid wait (not a number, negative, entry after exit)
    are left out; `n` counts the valid rows.
    """
    if not isinstance(k, int) or k < 1:
        raise VooruitblikFout(f"k moet een geheel getal >= 1 zijn (gekregen: {k!r}).")
    if not kwantielen or not all(0 < q < 1 for q in kwantielen):
        raise VooruitblikFout("Kwantielen moeten tussen 0 en 1 liggen.")
    if not 0 < betrouwbaarheid < 1:
        raise VooruitblikFout(
            f"De betrouwbaarheid moet tussen 0 en 1 liggen (gekregen: {betrouwbaarheid!r})."
        )
    df = _gecontroleerd(wachttijden)
    tellingen = df.group_by("lijst_id").agg(
        n=pl.len().cast(pl.Int64),
        n_gestart=pl.col("is_gestart").sum().cast(pl.Int64),
        n_gecensureerd=(~pl.col("is_gestart")).sum().cast(pl.Int64),
    )
    groot = tellingen.filter(pl.col("n") >= k)["lijst_id"]
    curves = _curves(df.filter(pl.col("lijst_id").is_in(groot.implode())), betrouwbaarheid)
    aggs = []
    for q in kwantielen:
        stem = kwantiel_naam(q)
        doel = 1 - q + _EPS
        aggs += [
            (pl.col("dagen").filter(pl.col("overleving") <= doel).first() / 7).alias(f"{stem}_weken"),
            (pl.col("dagen").filter(pl.col("overleving_onder") <= doel).first() / 7).alias(
                f"{stem}_weken_onder"
            ),
            (pl.col("dagen").filter(pl.col("overleving_boven") <= doel).first() / 7).alias(
                f"{stem}_weken_boven"
            ),
        ]
    stats = curves.group_by("lijst_id").agg(aggs)
    uit = (
        tellingen.join(stats, on="lijst_id", how="left")
        .with_columns(status=pl.when(pl.col("n") < k).then(pl.lit("kleine_groep")).otherwise(pl.lit(OK)))
        .with_columns(melding=status_melding_expr(pl.col("status")), is_kleine_groep=pl.col("n") < k)
        .sort("lijst_id")
    )
    stat_kolommen = [c for c in uit.columns if c.endswith(("_weken", "_onder", "_boven"))]
    uit = uit.with_columns(pl.col(stat_kolommen).cast(pl.Float64))
    return uit.select(
        "lijst_id", "status", "melding", "is_kleine_groep", "n", "n_gestart", "n_gecensureerd", *stat_kolommen
    )


def gemiddelde_leeftijd_wachtenden(wachttijden: pl.DataFrame, *, k: int) -> pl.DataFrame:
    """W in the pressure formula: mean time waited so far (weeks) by those still waiting, per list.

    Still waiting = `is_wachtend` when the frame has it, else not started. Columns: lijst_id, n_wachtend,
    gemiddelde_wachttijd_weken (null below k persons).
    """
    vereiste_kolommen(wachttijden, WACHTTIJDEN, "Wachttijden")
    wachtend = pl.col("is_wachtend") if "is_wachtend" in wachttijden.columns else ~pl.col("is_gestart")
    df = wachttijden.select(
        pl.col("lijst_id").cast(pl.String),
        dagen=pl.col("wachtdagen").cast(pl.Float64, strict=False),
        wachtend=wachtend.cast(pl.Boolean, strict=False).fill_null(False),
    ).filter(pl.col("wachtend") & pl.col("dagen").is_finite() & (pl.col("dagen") >= 0))
    return (
        df.group_by("lijst_id")
        .agg(n_wachtend=pl.len().cast(pl.Int64), gem=pl.col("dagen").mean() / 7)
        .with_columns(gemiddelde_wachttijd_weken=pl.when(pl.col("n_wachtend") >= k).then(pl.col("gem")))
        .drop("gem")
        .sort("lijst_id")
    )
