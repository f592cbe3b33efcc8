"""Funnel plots: is a unit (aanbieder, gemeente, team) further from the regional value than its volume allows?

Pure statistics on Polars frames (no Streamlit, no DuckDB). The method is the one the NHS-R package
FunnelPlotR (0.6.0, R/od_adjustment.R and R/calculate_limits.R) implements after Spiegelhalter (2005),
"Funnel plots for comparing institutional performance" (Stat Med 24:1185) and "Handling over-dispersion of
performance indicators" (Qual Saf Health Care 14:347):

1. Per unit a value y = numerator / denominator and a volume (the denominator).
2. The target is the pooled regional value, sum(numerator) / sum(denominator) over the compared units.
3. Each value gets an unadjusted z-score on a variance-stabilising scale:
   - ``proportie`` (e.g. share within the norm, outflow / in care): Y = asin(sqrt(y)), T = asin(sqrt(target)),
     s = 1 / (2 sqrt(n));
   - ``ratio`` (counts per unit of exposure, or an indirectly standardised ratio observed / expected):
     Y = sqrt(y), T = sqrt(target), s = 1 / (2 sqrt(denominator)) (Poisson: var(sqrt(O)) = 1/4).
   z = (Y - T) / s.
4. Overdispersion: the z-scores are Winsorised at the `trim` and 1 - `trim` quantiles (R quantile type 7,
   numpy's default "linear"), phi = mean(z_w^2) over the n compared units, and the additive
   random-effects (DerSimonian-Laird) between-unit variance
   tau^2 = max(0, (n phi - (n - 1)) / (sum(w) - sum(w^2) / sum(w))), w = 1 / s^2.
   As in FunnelPlotR, the limits are adjusted only when phi > 1 (its default; no chi-square test):
   otherwise tau^2 = 0 and the limits are the unadjusted ones.
5. Limits at volume n with z_a = 1.959964 (95 %) and 3.090232 (99.8 %), on the transformed scale
   T +/- z_a sqrt(s(n)^2 + tau^2), transformed back and clipped to the scale's range:
   - proportie: sin^2 of the angle clipped to [0, pi/2], so limits lie in [0, 1];
   - ratio: the square of the root clipped at 0, so limits are >= 0. (FunnelPlotR's "CQC" method draws
     1 +/- z sqrt(...) without squaring back, an open issue there, nhs-r-community/FunnelPlotR#33; here the
     square root is undone, which also makes the unadjusted limits agree with the Poisson ones to first
     order: (sqrt(R) +/- z / (2 sqrt(E)))^2 ~ R +/- z sqrt(R / E).)
6. A unit is an outlier at a level when its value lies strictly outside the limits at its own volume
   ("hoog" above, "laag" below; FunnelPlotR: inside means lower <= value <= upper).

Invariants (tests/unit/test_funnel.py):
- Units with denominator 0 or null or a null numerator ("geen_waarde"), or with a denominator below
  `min_denominator` ("onder_minimum"; small-number protection: no statistic over fewer than k persons), are
  kept in the result with a null value, null limits and no flag, and take no part in the target, phi or tau^2.
- proportie: a numerator above its denominator (independently perturbed published counts) counts as the
  whole denominator; negative counts are refused (ValueError).
- Fewer than MIN_UNITS compared units: no target-based limits, no flags (status of the result
  "te_weinig_eenheden"), not an exception; so are zero denominators and all-equal values.
- The limits at a volume do not depend on which unit sits there, are monotone in volume (narrowing), contain
  the target, and the 99.8 % limits contain the 95 % limits. With tau^2 > 0 every limit is at least as wide
  as unadjusted, so an adjusted funnel never flags a unit the unadjusted one does not.
- All values equal: every z-score is 0, phi = 0, no adjustment and no outliers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

Kind = Literal["proportie", "ratio"]
KINDS: tuple[Kind, ...] = ("proportie", "ratio")

Z95 = 1.959964  # qnorm(0.975), as FunnelPlotR
Z998 = 3.090232  # qnorm(0.999)
MIN_UNITS = 3  # fewer compared units: no funnel
TRIM = 0.1  # Winsorise 10 % at each end (FunnelPlotR's `trim_by` default)

# Status per unit
VERGELEKEN = "vergeleken"
GEEN_WAARDE = "geen_waarde"  # denominator 0 or null, or numerator null
ONDER_MINIMUM = "onder_minimum"
# Status of the whole result
OK = "ok"
TE_WEINIG = "te_weinig_eenheden"

HOOG = "hoog"
LAAG = "laag"

LIMIT_COLUMNS = ("ondergrens_95", "bovengrens_95", "ondergrens_998", "bovengrens_998")
OUTPUT_COLUMNS = ("volume", "waarde", "status", "z", *LIMIT_COLUMNS, "buiten_95", "buiten_998")

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Funnel:
    """The result of `funnel`: one row per unit plus the fitted quantities.

    `eenheden` keeps the caller's columns and adds OUTPUT_COLUMNS: `volume` (the denominator, float),
    `waarde`, `status`, `z` (against the limits in use: adjusted when `aangepast`), the four limits at the
    unit's volume (LIMIT_COLUMNS) and `buiten_95` / `buiten_998` ("hoog", "laag" or null).
    """

    eenheden: pl.DataFrame
    soort: Kind
    doel: float | None  # the pooled regional value; None when fewer than MIN_UNITS units are compared
    phi: float | None  # dispersion ratio of the Winsorised z-scores
    tau2: float  # between-unit variance on the transformed scale; 0 when not adjusted
    aangepast: bool  # limits widened for overdispersion (phi > 1 and adjustment asked)
    n_eenheden: int  # units compared
    status: str  # OK or TE_WEINIG
    unit_column: str

    def curve(self, volumes: Sequence[float] | None = None, n_points: int = 200) -> pl.DataFrame:
        """The limits over a range of volumes, to draw the funnel: columns `volume`, `doel` and LIMIT_COLUMNS.

        Without `volumes`: `n_points` volumes spaced geometrically from the smallest to 1.1 x the largest
        compared volume. Empty when there is no target (fewer than MIN_UNITS units).
        """
        schema = {"volume": pl.Float64, "doel": pl.Float64, **dict.fromkeys(LIMIT_COLUMNS, pl.Float64)}
        if self.doel is None:
            return pl.DataFrame(schema=schema)
        if volumes is None:
            compared = self.eenheden.filter(pl.col("status") == VERGELEKEN)
            noemers = compared.get_column("volume").to_numpy()
            lo, hi = float(noemers.min()), float(noemers.max()) * 1.1
            vol = np.geomspace(lo, hi, n_points) if hi > lo else np.array([lo])
        else:
            vol = np.asarray(volumes, dtype=np.float64)
        limits = _limits(vol, self.doel, self.tau2, self.soort)
        return pl.DataFrame({"volume": vol, "doel": np.full(vol.shape, self.doel), **limits}, schema=schema)


def funnel(
    data: pl.DataFrame,
    *,
    unit: str,
    numerator: str,
    denominator: str,
    kind: Kind,
    adjust: bool = True,
    trim: float = TRIM,
    min_denominator: float = 1.0,
) -> Funnel:
    """Funnel-plot limits and outlier flags for each row of `data` (one row per unit).

    `kind`: "proportie" (numerator is a subset of the denominator: 0 <= numerator <= denominator) or "ratio"
    (counts per exposure, or observed / expected for an indirectly standardised ratio). `adjust`: widen the
    limits for overdispersion as FunnelPlotR does (only when phi > 1). `min_denominator`: units with a
    smaller denominator are not compared (pass k for a proportion of persons).
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    clash = set(OUTPUT_COLUMNS) & set(data.columns)
    if clash:
        raise ValueError(f"data already has the output column(s) {sorted(clash)}")
    if not 0 <= trim < 0.5:
        raise ValueError("trim must be in [0, 0.5)")
    num = data.get_column(numerator).cast(pl.Float64).to_numpy()
    den = data.get_column(denominator).cast(pl.Float64).to_numpy()
    if np.any(num < 0) or np.any(den < 0):
        raise ValueError("numerator and denominator must not be negative")
    if kind == "proportie":
        # published counts are perturbed independently (cell-key method, dashboard/privacy.py), so a
        # numerator can exceed its denominator by a few: count it as the whole denominator
        num = np.fmin(num, den)

    valid_den = np.isfinite(den) & (den > 0) & np.isfinite(num)
    compared = valid_den & (den >= min_denominator)
    status = np.where(compared, VERGELEKEN, np.where(valid_den, ONDER_MINIMUM, GEEN_WAARDE))
    n = int(compared.sum())

    value = np.full(num.shape, np.nan)
    value[compared] = num[compared] / den[compared]
    nan = np.full(num.shape, np.nan)
    limits = dict.fromkeys(LIMIT_COLUMNS, nan)
    z_out = nan
    doel: float | None = None
    phi: float | None = None
    tau2 = 0.0
    aangepast = False

    if n >= MIN_UNITS:
        doel = float(num[compared].sum() / den[compared].sum())
        deviation = _transform(value[compared], kind) - _transform(np.array([doel]), kind)[0]
        s = 1.0 / (2.0 * np.sqrt(den[compared]))
        phi, tau2_dl = _overdispersion(deviation / s, s, trim)
        aangepast = adjust and phi > 1.0
        tau2 = tau2_dl if aangepast else 0.0
        z_out = nan.copy()
        z_out[compared] = deviation / np.sqrt(s**2 + tau2)
        at_units = _limits(den[compared], doel, tau2, kind)
        limits = {}
        for col in LIMIT_COLUMNS:
            full = nan.copy()
            full[compared] = at_units[col]
            limits[col] = full

    out = data.with_columns(
        pl.Series("volume", den),
        pl.Series("waarde", value).fill_nan(None),
        pl.Series("status", status.astype(str)),
        pl.Series("z", z_out).fill_nan(None),
        *(pl.Series(col, limits[col]).fill_nan(None) for col in LIMIT_COLUMNS),
    ).with_columns(
        _flag("ondergrens_95", "bovengrens_95").alias("buiten_95"),
        _flag("ondergrens_998", "bovengrens_998").alias("buiten_998"),
    )
    return Funnel(
        eenheden=out,
        soort=kind,
        doel=doel,
        phi=phi,
        tau2=tau2,
        aangepast=aangepast,
        n_eenheden=n,
        status=OK if doel is not None else TE_WEINIG,
        unit_column=unit,
    )


def outlier_sentence(result: Funnel, label: str | None = None) -> str:
    """The short Dutch sentence under the chart naming the units outside the limits.

    `label`: the column with the name to show (default: the unit column). Units outside the 99.8 % limits
    are named first; units outside only the 95 % limits after them. Example:
    "Buiten de 99,8%-grenzen: Aanbieder C (hoger dan verwacht)."
    """
    if result.status == TE_WEINIG:
        return f"Te weinig eenheden om te vergelijken (minstens {MIN_UNITS} nodig)."
    name = label or result.unit_column
    df = result.eenheden
    parts: list[str] = []
    ver = df.filter(pl.col("buiten_998").is_not_null())
    alleen_95 = df.filter(pl.col("buiten_95").is_not_null() & pl.col("buiten_998").is_null())
    if ver.height:
        parts.append(f"Buiten de 99,8%-grenzen: {_names(ver, name, 'buiten_998')}.")
    if alleen_95.height:
        parts.append(f"Alleen buiten de 95%-grenzen: {_names(alleen_95, name, 'buiten_95')}.")
    if not parts:
        return "Alle eenheden liggen binnen de 95%-grenzen."
    return " ".join(parts)


def _names(df: pl.DataFrame, name: str, flag: str) -> str:
    items = [
        f"{row[name]} ({'hoger' if row[flag] == HOOG else 'lager'} dan verwacht)"
        for row in df.sort(pl.col(name).cast(pl.String)).iter_rows(named=True)
    ]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " en " + items[-1]


def _flag(lower: str, upper: str) -> pl.Expr:
    return (
        pl.when(pl.col("waarde") > pl.col(upper))
        .then(pl.lit(HOOG))
        .when(pl.col("waarde") < pl.col(lower))
        .then(pl.lit(LAAG))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def _transform(y: Array, kind: Kind) -> Array:
    if kind == "proportie":
        return np.arcsin(np.sqrt(np.clip(y, 0.0, 1.0)))
    return np.sqrt(y)


def _back(t: Array, kind: Kind) -> Array:
    if kind == "proportie":
        return np.sin(np.clip(t, 0.0, math.pi / 2)) ** 2
    return np.clip(t, 0.0, None) ** 2


def _overdispersion(z: Array, s: Array, trim: float) -> tuple[float, float]:
    """phi of the Winsorised z-scores and the DerSimonian-Laird tau^2 (FunnelPlotR phi_func, tau_func)."""
    n = z.size
    lo, hi = np.quantile(z, [trim, 1.0 - trim])
    zw = np.clip(z, lo, hi)
    phi = float(np.mean(zw**2))
    w = 1.0 / s**2
    denom = float(w.sum() - (w**2).sum() / w.sum())
    if n * phi < n - 1 or denom <= 0:
        return phi, 0.0
    return phi, max(0.0, (n * phi - (n - 1)) / denom)


def _limits(volume: Array, doel: float, tau2: float, kind: Kind) -> dict[str, Array]:
    centre = _transform(np.array([doel]), kind)[0]
    spread = np.sqrt(1.0 / (4.0 * volume) + tau2)
    return {
        "ondergrens_95": _back(centre - Z95 * spread, kind),
        "bovengrens_95": _back(centre + Z95 * spread, kind),
        "ondergrens_998": _back(centre - Z998 * spread, kind),
        "bovengrens_998": _back(centre + Z998 * spread, kind),
    }
