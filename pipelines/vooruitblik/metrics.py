"""Closed-form queue metrics (Fong et al. 2022, NHSRwaitinglist), norm equivalence and the caseload link.

The formulas are those of ../shared/domain/norms-and-methods.md §3 (queue), §3 "Norm equivalence" and §8
(caseload to throughput); each function names its formula. One time unit throughout: weeks (waits stored in
days are divided by 7 before they come here).

- The formula functions take numbers or NumPy arrays (broadcast) and return float64 arrays (0-d for
  scalars). An element whose inputs make the formula meaningless (capacity <= 0, a negative count, a
  target <= 0, a share outside (0, 1)) is NaN, never an exception or a NumPy warning.
- `wachtrij_kengetallen` computes all metrics for many lists at once from a weekly history frame
  (`invoer.WEEKHISTORIE`) and gives every list a `status` and a Dutch `melding` (`invoer.STATUS_MELDINGEN`).

Choices where the domain doc leaves room:
- Demand d and capacity c are the mean weekly `instroom` and `starts` over the last `venster_weken` weeks
  (default 26, the window `wl_stats` uses for relief capacity); reneges (`afvallers`) are no capacity: they
  are reported beside it (`afvallers_per_week`, and `netto_groei_per_week` = d - c - reneges).
- cv_d and cv_c (coefficients of variation of inter-arrival and inter-removal times) are not observable
  from weekly counts; for a renewal process the variance of the count in a long interval divided by its
  mean tends to cv^2, so cv^2 is estimated as var/mean of the weekly counts (1 for Poisson arrivals). A
  caller who prefers the textbook default passes `cv_vraag=1, cv_capaciteit=1`.
- Relief capacity is advised when Q > 2 Q* ("wachtrij te groot"), else target capacity (`wl_stats`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from pipelines.vooruitblik.invoer import (
    OK,
    VooruitblikFout,
    lijst_status,
    positief,
    status_melding_expr,
    vereiste_kolommen,
    weekhistorie_controleren,
)

Array = npt.NDArray[np.float64]

FACTOR = 4.0  # f: target mean wait = target / f (domain doc §3; 4-6)
TAU_WEKEN = 26.0  # tau: weeks to reach the target queue with relief capacity (wl_stats)
VENSTER_WEKEN = 26  # weeks of history behind d, c and the reneges


def _f(x: npt.ArrayLike) -> Array:
    return np.asarray(x, dtype=np.float64)


def _nan_waar(voorwaarde: npt.NDArray[np.bool_], waarde: Array) -> Array:
    return np.where(voorwaarde, np.nan, waarde)


def belasting(vraag: npt.ArrayLike, capaciteit: npt.ArrayLike) -> Array:
    """§3 formula 1: load rho = d / c (>= 1: the queue grows without bound). NaN when c <= 0 or d < 0."""
    d, c = _f(vraag), _f(capaciteit)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((c <= 0) | (d < 0), d / c)


def doel_gemiddelde_wachttijd(norm_weken: npt.ArrayLike, factor: npt.ArrayLike = FACTOR) -> Array:
    """§3 formula 2: target mean wait W* = T / f (weeks). NaN when T <= 0 or f <= 0."""
    t, f = _f(norm_weken), _f(factor)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((t <= 0) | (f <= 0), t / f)


def doel_wachtrij(vraag: npt.ArrayLike, norm_weken: npt.ArrayLike, factor: npt.ArrayLike = FACTOR) -> Array:
    """§3 formula 3 (Little's law): target queue size Q* = d * T / f (persons). NaN when d < 0."""
    d = _f(vraag)
    return _nan_waar(d < 0, d * doel_gemiddelde_wachttijd(norm_weken, factor))


def ontlastcapaciteit(
    vraag: npt.ArrayLike, wachtrij: npt.ArrayLike, doelwachtrij: npt.ArrayLike, tau_weken: npt.ArrayLike
) -> Array:
    """§3 formula 4: relief capacity C_r = d + (Q - Q*) / tau (persons / week). NaN when tau <= 0."""
    d, q, qd, tau = _f(vraag), _f(wachtrij), _f(doelwachtrij), _f(tau_weken)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((tau <= 0) | (d < 0) | (q < 0), d + (q - qd) / tau)


def doelcapaciteit(
    vraag: npt.ArrayLike,
    norm_weken: npt.ArrayLike,
    factor: npt.ArrayLike = FACTOR,
    cv_vraag: npt.ArrayLike = 1.0,
    cv_capaciteit: npt.ArrayLike = 1.0,
) -> Array:
    """§3 formula 5: target capacity C* = d + ((cv_d^2 + cv_c^2) / 2) * (f / T), the code's variant (/2)."""
    d, t, f = _f(vraag), _f(norm_weken), _f(factor)
    cvd, cvc = _f(cv_vraag), _f(cv_capaciteit)
    with np.errstate(divide="ignore", invalid="ignore"):
        waarde = d + ((cvd**2 + cvc**2) / 2) * (f / t)
    return _nan_waar((t <= 0) | (f <= 0) | (d < 0) | (cvd < 0) | (cvc < 0), waarde)


def druk(gemiddelde_wachttijd_weken: npt.ArrayLike, norm_weken: npt.ArrayLike) -> Array:
    """§3 formula 6: pressure P = 2 * W / T, W = mean time waited so far by those still waiting (weeks)."""
    w, t = _f(gemiddelde_wachttijd_weken), _f(norm_weken)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((t <= 0) | (w < 0), 2 * w / t)


def vraag_met_marge(vraag: npt.ArrayLike, cv_vraag: npt.ArrayLike, n: npt.ArrayLike) -> Array:
    """§3 note: demand inflated by about two standard errors, d / (1 - x) with x = 2 d cv_d / sqrt(n).

    Applied only where x < 1 (else d is returned unchanged, as in the package). Depends on the unit of d.
    """
    d, cv, nn = _f(vraag), _f(cv_vraag), _f(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = 2 * d * cv / np.sqrt(nn)
        return _nan_waar((nn <= 0) | (d < 0), np.where(x < 1, d / (1 - x), d))


# --- norm equivalence (§3 "Norm equivalence"; exponential waits) ---------------------------------------


def norm_gemiddelde_wachttijd(aandeel: npt.ArrayLike, binnen_weken: npt.ArrayLike) -> Array:
    """A norm "share p within w weeks" implies the mean wait W = w / (-ln(1 - p)) (weeks)."""
    p, w = _f(aandeel), _f(binnen_weken)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((p <= 0) | (p >= 1) | (w <= 0), w / -np.log1p(-p))


def norm_wachtrij(aandeel: npt.ArrayLike, binnen_weken: npt.ArrayLike, vraag: npt.ArrayLike) -> Array:
    """... and at demand d a list size Q = d * W (persons)."""
    d = _f(vraag)
    return _nan_waar(d < 0, d * norm_gemiddelde_wachttijd(aandeel, binnen_weken))


def norm_aandeel_binnen(factor: npt.ArrayLike = FACTOR) -> Array:
    """The share within the norm T that a mean wait of T / f implies: 1 - exp(-f) (f = 4: 98.17 %)."""
    f = _f(factor)
    return _nan_waar(f <= 0, -np.expm1(-f))


def norm_equivalenten(normen: pl.DataFrame, vraag_per_week: float) -> pl.DataFrame:
    """Per norm (columns naam, aandeel, binnen_weken): implied mean wait and list size at `vraag_per_week`."""
    vereiste_kolommen(
        normen, {"naam": pl.String(), "aandeel": pl.Float64(), "binnen_weken": pl.Float64()}, "Normen"
    )
    if not vraag_per_week >= 0:
        raise VooruitblikFout(f"De vraag per week moet 0 of meer zijn (gekregen: {vraag_per_week!r}).")
    p = normen["aandeel"].cast(pl.Float64, strict=False).to_numpy()
    w = normen["binnen_weken"].cast(pl.Float64, strict=False).to_numpy()
    gem = norm_gemiddelde_wachttijd(p, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        min_ln = _nan_waar(np.isnan(gem), -np.log1p(-p))
    return (
        normen.select("naam", "aandeel", "binnen_weken")
        .with_columns(
            min_ln_1_min_p=pl.Series(min_ln),
            gemiddelde_wachttijd_weken=pl.Series(gem),
            wachtrij=pl.Series(vraag_per_week * gem),
        )
        .with_columns(pl.col("min_ln_1_min_p", "gemiddelde_wachttijd_weken", "wachtrij").fill_nan(None))
    )


# --- caseload to throughput (§8) --------------------------------------------------------------------------


def doorstroomcapaciteit(
    fte: npt.ArrayLike, caseload_per_fte: npt.ArrayLike, trajectduur_weken: npt.ArrayLike
) -> Array:
    """§8: starts per week a team can absorb, lambda = FTE * caseload per FTE / mean episode length."""
    n, k, duur = _f(fte), _f(caseload_per_fte), _f(trajectduur_weken)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((duur <= 0) | (n < 0) | (k < 0), n * k / duur)


def fte_nodig(
    capaciteit_per_week: npt.ArrayLike, caseload_per_fte: npt.ArrayLike, trajectduur_weken: npt.ArrayLike
) -> Array:
    """§8 inverted: FTE needed for a throughput of `capaciteit_per_week` (d for load 1, C* for a margin)."""
    c, k, duur = _f(capaciteit_per_week), _f(caseload_per_fte), _f(trajectduur_weken)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _nan_waar((k <= 0) | (duur <= 0) | (c < 0), c * duur / k)


def caseload_verband(
    *,
    fte: npt.ArrayLike,
    caseload_per_fte: npt.ArrayLike,
    nieuwe_caseload_per_fte: npt.ArrayLike,
    trajectduur_weken: npt.ArrayLike,
    vraag_per_week: npt.ArrayLike,
) -> dict[str, Array]:
    """§8 worked through: what a changed caseload band does to throughput, load and the FTE needed.

    Steady state, the caseload fully used, the episode length unchanged (state these in the UI).
    `groei_per_week` is d - lambda (the list grows by that many per week when > 0, reneges aside).
    """
    c_oud = doorstroomcapaciteit(fte, caseload_per_fte, trajectduur_weken)
    c_nieuw = doorstroomcapaciteit(fte, nieuwe_caseload_per_fte, trajectduur_weken)
    d = _f(vraag_per_week)
    return {
        "capaciteit_oud": c_oud,
        "capaciteit_nieuw": c_nieuw,
        "belasting_oud": belasting(d, c_oud),
        "belasting_nieuw": belasting(d, c_nieuw),
        "groei_per_week_oud": d - c_oud,
        "groei_per_week_nieuw": d - c_nieuw,
        "fte_nodig": fte_nodig(d, nieuwe_caseload_per_fte, trajectduur_weken),
        "fte_erbij": fte_nodig(d, nieuwe_caseload_per_fte, trajectduur_weken) - _f(fte),
    }


# --- all metrics for many lists -----------------------------------------------------------------------


def _cv(col: str) -> pl.Expr:
    """cv estimate from weekly counts: sqrt(var / mean) (index of dispersion; see the module docstring)."""
    m = pl.col(col).mean()
    return pl.when(m > 0).then((pl.col(col).var(ddof=1) / m).sqrt())


def wachtrij_kengetallen(
    historie: pl.DataFrame,
    lijsten: pl.DataFrame,
    *,
    venster_weken: int = VENSTER_WEKEN,
    factor: float = FACTOR,
    tau_weken: float = TAU_WEKEN,
    cv_vraag: float | None = None,
    cv_capaciteit: float | None = None,
) -> pl.DataFrame:
    """Queue metrics per list (§3), one row per list of `historie` or `lijsten`.

    `historie`: `invoer.WEEKHISTORIE`. `lijsten`: lijst_id, norm_weken (T), optional
    gemiddelde_wachttijd_weken (W: mean age of those still waiting, for the pressure;
    `survival.gemiddelde_leeftijd_wachtenden` computes it from the waits). Window: each list's last
    `venster_weken` weeks up to the last week in `historie`. cv_vraag/cv_capaciteit: None = estimated.

    Columns: lijst_id, status, melding, n_weken, vraag_per_week, capaciteit_per_week, afvallers_per_week,
    netto_groei_per_week, wachtrij, belasting, is_belasting_te_groot, norm_weken, doel_gemiddelde_wachttijd_weken,
    doel_wachtrij, is_wachtrij_te_groot, ontlastcapaciteit_per_week, doelcapaciteit_per_week, advies,
    cv_vraag, cv_capaciteit, gemiddelde_wachttijd_weken, druk. Figures are null where status is not ok
    (norm-based figures also when only the norm is missing: status geen_norm).
    """
    positief(factor, "De factor")
    positief(tau_weken, "Het aantal weken tot de doelwachtrij (tau)")
    if not isinstance(venster_weken, int) or venster_weken < 1:
        raise VooruitblikFout(
            f"Het venster moet een geheel aantal weken >= 1 zijn (gekregen: {venster_weken!r})."
        )
    vereiste_kolommen(lijsten, {"lijst_id": pl.String(), "norm_weken": pl.Float64()}, "Lijsten")
    for naam, waarde in (("cv van de vraag", cv_vraag), ("cv van de capaciteit", cv_capaciteit)):
        if waarde is not None and not waarde >= 0:
            raise VooruitblikFout(f"De {naam} moet 0 of meer zijn (gekregen: {waarde!r}).")

    h = weekhistorie_controleren(historie)
    status = lijst_status(h)
    if not h.is_empty():
        laatste = h["week"].max()
        h = h.filter(pl.col("week") > pl.lit(laatste).cast(pl.Date) - pl.duration(weeks=venster_weken))
    per_lijst = h.group_by("lijst_id").agg(
        n_weken=pl.len().cast(pl.Int64),
        vraag_per_week=pl.col("instroom").mean(),
        capaciteit_per_week=pl.col("starts").mean(),
        afvallers_per_week=pl.col("afvallers").mean(),
        wachtrij=pl.col("wachtend").last(),
        cv_vraag=_cv("instroom") if cv_vraag is None else pl.lit(cv_vraag),
        cv_capaciteit=_cv("starts") if cv_capaciteit is None else pl.lit(cv_capaciteit),
    )
    extra = ["gemiddelde_wachttijd_weken"] if "gemiddelde_wachttijd_weken" in lijsten.columns else []
    lp = lijsten.select(
        pl.col("lijst_id").cast(pl.String),
        pl.col("norm_weken").cast(pl.Float64, strict=False),
        *(pl.col(k).cast(pl.Float64, strict=False) for k in extra),
    ).unique("lijst_id", keep="first")
    if not extra:
        lp = lp.with_columns(gemiddelde_wachttijd_weken=pl.lit(None, dtype=pl.Float64))
    df = (
        lp.join(per_lijst, on="lijst_id", how="full", coalesce=True)
        .join(status, on="lijst_id", how="left")
        .with_columns(
            status=pl.when(pl.col("n_weken").is_null())
            .then(pl.lit("geen_historie"))
            .when(pl.col("status") != OK)
            .then(pl.col("status"))
            .when(~(pl.col("capaciteit_per_week") > 0))
            .then(pl.lit("geen_capaciteit"))
            .when(~(pl.col("norm_weken") > 0) | pl.col("norm_weken").is_null())
            .then(pl.lit("geen_norm"))
            .otherwise(pl.lit(OK))
        )
        .sort("lijst_id")
    )
    onbruikbaar = ~pl.col("status").is_in([OK, "geen_norm", "geen_capaciteit"])
    df = df.with_columns(
        pl.when(onbruikbaar).then(None).otherwise(pl.col(k)).alias(k)
        for k in (
            "vraag_per_week",
            "capaciteit_per_week",
            "afvallers_per_week",
            "wachtrij",
            "cv_vraag",
            "cv_capaciteit",
        )
    )
    # the formulas, on NumPy columns (NaN where meaningless)
    d = df["vraag_per_week"].fill_null(np.nan).to_numpy()
    c = df["capaciteit_per_week"].fill_null(np.nan).to_numpy()
    q = df["wachtrij"].fill_null(np.nan).to_numpy()
    t = df["norm_weken"].fill_null(np.nan).to_numpy()
    w = df["gemiddelde_wachttijd_weken"].fill_null(np.nan).to_numpy()
    cvd = df["cv_vraag"].fill_null(np.nan).to_numpy()
    cvc = df["cv_capaciteit"].fill_null(np.nan).to_numpy()
    rho = belasting(d, c)
    qd = doel_wachtrij(d, t, factor)
    kolommen: dict[str, Any] = {
        "belasting": rho,
        "doel_gemiddelde_wachttijd_weken": doel_gemiddelde_wachttijd(t, factor),
        "doel_wachtrij": qd,
        "ontlastcapaciteit_per_week": ontlastcapaciteit(d, q, qd, tau_weken),
        "doelcapaciteit_per_week": doelcapaciteit(d, t, factor, cvd, cvc),
        "druk": druk(w, t),
    }
    df = df.with_columns(pl.Series(k, v, dtype=pl.Float64) for k, v in kolommen.items())
    df = (
        df.with_columns(pl.col(list(kolommen)).fill_nan(None))
        .with_columns(
            netto_groei_per_week=pl.col("vraag_per_week")
            - pl.col("capaciteit_per_week")
            - pl.col("afvallers_per_week"),
            is_belasting_te_groot=pl.when(
                pl.col("vraag_per_week").is_not_null() & pl.col("capaciteit_per_week").is_not_null()
            ).then(pl.col("vraag_per_week") >= pl.col("capaciteit_per_week")),
            is_wachtrij_te_groot=pl.col("wachtrij") > 2 * pl.col("doel_wachtrij"),
            melding=status_melding_expr(pl.col("status")),
        )
        .with_columns(
            advies=pl.when(pl.col("is_wachtrij_te_groot"))
            .then(pl.lit("ontlastcapaciteit"))
            .when(pl.col("is_wachtrij_te_groot").not_())
            .then(pl.lit("doelcapaciteit"))
        )
    )
    return df.select(
        "lijst_id",
        "status",
        "melding",
        "n_weken",
        "vraag_per_week",
        "capaciteit_per_week",
        "afvallers_per_week",
        "netto_groei_per_week",
        "wachtrij",
        "belasting",
        "is_belasting_te_groot",
        "norm_weken",
        "doel_gemiddelde_wachttijd_weken",
        "doel_wachtrij",
        "is_wachtrij_te_groot",
        "ontlastcapaciteit_per_week",
        "doelcapaciteit_per_week",
        "advies",
        "cv_vraag",
        "cv_capaciteit",
        "gemiddelde_wachttijd_weken",
        "druk",
    )


__all__ = [
    "FACTOR",
    "TAU_WEKEN",
    "VENSTER_WEKEN",
    "belasting",
    "caseload_verband",
    "doel_gemiddelde_wachttijd",
    "doel_wachtrij",
    "doelcapaciteit",
    "doorstroomcapaciteit",
    "druk",
    "fte_nodig",
    "norm_aandeel_binnen",
    "norm_equivalenten",
    "norm_gemiddelde_wachttijd",
    "norm_wachtrij",
    "ontlastcapaciteit",
    "vraag_met_marge",
    "wachtrij_kengetallen",
]
