"""Synthetic weekly waiting-list histories for the Vooruitblik tests and benchmark (not sample-region data).

Each list has its own arrival rate and a capacity around it (load 0.85-1.15), Poisson flows, a summer dip
(ISO weeks 29-34: starts at 50 %, arrivals at 80 %), a December dip (weeks 51-52: starts at 70 %) and a
weekly renege probability; `wachtend` follows the balance wachtend = vorige + instroom - starts - afvallers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

EERSTE_WEEK = dt.date(2021, 10, 4)  # a Monday


def seizoen(iso_week: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(arrival factor, start factor) per ISO week number."""
    zomer = (iso_week >= 29) & (iso_week <= 34)
    dec = iso_week >= 51
    return np.where(zomer, 0.8, 1.0), np.where(zomer, 0.5, np.where(dec, 0.7, 1.0))


def weekhistorie(
    n_lijsten: int,
    weken: int = 260,
    *,
    seed: int = 1,
    eerste_week: dt.date = EERSTE_WEEK,
    afval_kans: float = 0.01,
) -> pl.DataFrame:
    """A `pipelines.vooruitblik.invoer.WEEKHISTORIE` frame for `n_lijsten` lists over `weken` weeks."""
    rng = np.random.default_rng(seed)
    data = [eerste_week + dt.timedelta(weeks=t) for t in range(weken)]
    iso = np.array([d.isocalendar().week for d in data])
    f_in, f_st = seizoen(iso)
    lam = rng.gamma(2.0, 2.0, size=n_lijsten) + 0.3
    cap = lam / rng.uniform(0.85, 1.15, size=n_lijsten) / f_st.mean()
    q = np.round(lam * rng.uniform(2, 20, size=n_lijsten))
    rijen = np.empty((weken, 4, n_lijsten))
    for t in range(weken):
        a = rng.poisson(lam * f_in[t])
        s = np.minimum(rng.poisson(cap * f_st[t]), q + a)
        r = rng.binomial((q + a - s).astype(np.int64), afval_kans)
        q = q + a - s - r
        rijen[t] = (a, s, r, q)
    return (
        pl.DataFrame(
            {
                "lijst_id": pl.Series([f"L{i:05d}" for i in range(n_lijsten)] * weken, dtype=pl.String),
                "week": np.repeat(np.array(data, dtype="datetime64[D]"), n_lijsten),
                "instroom": rijen[:, 0, :].ravel(),
                "starts": rijen[:, 1, :].ravel(),
                "afvallers": rijen[:, 2, :].ravel(),
                "wachtend": rijen[:, 3, :].ravel(),
            },
            strict=False,
        )
        .with_columns(pl.col("lijst_id").cast(pl.String), pl.col("week").cast(pl.Date))
        .sort("lijst_id", "week")
    )


def wachttijden(n_lijsten: int, per_lijst: int = 60, *, seed: int = 1) -> pl.DataFrame:
    """A `pipelines.vooruitblik.invoer.WACHTTIJDEN` frame: exponential waits, about 30 % censored."""
    rng = np.random.default_rng(seed)
    gem = np.repeat(rng.uniform(20, 120, size=n_lijsten), per_lijst)
    wacht = np.round(rng.exponential(gem))
    censuur = np.round(rng.exponential(gem * 2.5))
    return pl.DataFrame(
        {
            "lijst_id": pl.Series(
                [f"L{i:05d}" for i in range(n_lijsten) for _ in range(per_lijst)], dtype=pl.String
            ),
            "wachtdagen": np.minimum(wacht, censuur),
            "is_gestart": wacht <= censuur,
        },
        strict=False,
    ).with_columns(pl.col("lijst_id").cast(pl.String))
