"""Statistical process control: XmR charts with the NHS "Making Data Count" (MDC) special-cause rules.

Pure statistics on Polars frames (no Streamlit, no DuckDB). The rules follow the NHS-R package
NHSRplotthedots (0.2.2: R/ptd_spc_standard.R, R/ptd_calculate_point_type.R,
R/ptd_calculate_assurance_type.R), which mimics the MDC Excel tools:

- Per segment: the mean of the values, the moving ranges |x_i - x_(i-1)| and their mean mMR; the process
  limits are mean +/- 2.66 mMR, the "near a limit" lines mean +/- (2/3) 2.66 mMR (2 sigma).
- Screening (`screen_outliers`, default on, as NHSRplotthedots; Nelson 1982): moving ranges of at least
  3.267 mMR are left out and mMR is computed again. The MDC Excel tool does not screen
  (`screen_outliers=False` reproduces it).
- Special cause, each evaluated within a segment, on the points in date order:
  (a) "buiten_grens": a point strictly above the upper or below the lower limit;
  (b) "verschuiving": a run of at least `shift_run` (MDC: 7) consecutive points strictly on one side of the
      mean (a point on the mean breaks the run); every point of the run is flagged;
  (c) "trend": at least `trend_run` (MDC: 6) consecutive points each strictly higher (or lower) than the one
      before (an equal value breaks it); every point of the run is flagged. NHSRplotthedots uses 7 points,
      `trend_run=7` reproduces it;
  (d) "twee_van_drie": among three consecutive points all on the same side of the mean, at least two lie
      beyond the 2-sigma line but within the limits; those near points are flagged (NHSRplotthedots:
      a point beyond a limit is not "near", it is already flagged by (a)).
  One point can meet several rules; `regel` names the first in the order a, c, d, b (NHSRplotthedots).
  Its direction is "hoog"/"laag": the side of the mean, or for a trend whether it rises or falls (a point
  ending a falling run and starting a rising one takes the later run).
- Improvement direction "hoger" or "lager" (is better) turns a special-cause point into "verbetering" or
  "zorg"; "neutraal" gives "neutraal". The variation icon is the type and direction of the last point:
  "gewone_variatie", "verbetering_hoog", "verbetering_laag", "zorg_hoog", "zorg_laag", "neutraal_hoog",
  "neutraal_laag".
- Assurance against a target, with the limits of the last segment (strict, as NHSRplotthedots): higher is
  better and target < lower limit, or lower is better and target > upper limit: "steeds_gehaald"; the
  opposite side: "steeds_gemist"; the target within the limits (or on one): "wisselend". None without a
  target, with direction "neutraal", or when the last segment has no limits.

Invariants (tests/unit/test_spc.py):
- Limits change only at the rebase dates the caller passes (a segment starts at the first point on or
  after each date), never automatically; each segment has its own mean and limits and rules never cross a
  segment boundary.
- Excluded points (`exclude`) are still drawn and judged against their segment's limits, but do not enter
  its mean or moving ranges (a moving range next to an excluded point is dropped, not bridged).
- Points with a null value are kept in the output with null results and are skipped by every rule.
- A segment with no usable moving range (one point) has a mean but no limits; rules needing limits do not
  fire there. Fewer than TRIAL_POINTS points in a segment: `proefgrenzen` (limits still provisional).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import polars as pl

Direction = Literal["hoger", "lager", "neutraal"]
DIRECTIONS: tuple[Direction, ...] = ("hoger", "lager", "neutraal")

LIMIT = 2.66  # 3 / d2 (d2 = 1.128 for n = 2), as MDC and NHSRplotthedots round it
NEAR = 2 * LIMIT / 3  # the 2-sigma line
SCREEN = 3.267  # D4 for n = 2: the upper limit of the moving range
SHIFT_RUN = 7
TREND_RUN = 6
TRIAL_POINTS = 12  # fewer points in a segment: trial limits (NHSRplotthedots' short-group warning)

BUITEN_GRENS = "buiten_grens"
TREND = "trend"
TWEE_VAN_DRIE = "twee_van_drie"
VERSCHUIVING = "verschuiving"
RULES = (BUITEN_GRENS, TREND, TWEE_VAN_DRIE, VERSCHUIVING)  # precedence for `regel`

GEWONE_VARIATIE = "gewone_variatie"
VERBETERING = "verbetering"
ZORG = "zorg"
NEUTRAAL = "neutraal"
HOOG = "hoog"
LAAG = "laag"

STEEDS_GEHAALD = "steeds_gehaald"
STEEDS_GEMIST = "steeds_gemist"
WISSELEND = "wisselend"

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Spc:
    """The result of `xmr`.

    `punten`: one row per input row, in date order: the caller's date and value columns, `segment` (0, 1, …),
    `uitgesloten`, `gemiddelde`, `ondergrens`, `bovengrens`, `ondergrens_2s`, `bovengrens_2s`, one boolean
    column per rule (RULES), `speciale_oorzaak`, `regel`, `richting` ("hoog"/"laag"/null) and `punt_type`
    ("gewone_variatie", "verbetering", "zorg", "neutraal"; null for a null value).
    `segmenten`: one row per segment: `segment`, `van`, `tot` (dates of its first and last point),
    `n_punten`, `gemiddelde`, `gemiddeld_bereik` (mMR after screening), `ondergrens`, `bovengrens`,
    `proefgrenzen`.
    """

    punten: pl.DataFrame
    segmenten: pl.DataFrame
    variatie: str | None  # the variation icon; None when the series has no value
    zekerheid: str | None  # the assurance icon
    richting: Direction
    doel: float | None


def xmr(
    data: pl.DataFrame,
    *,
    date: str,
    value: str,
    improvement: Direction,
    target: float | None = None,
    rebase: Sequence[dt.date] = (),
    exclude: Sequence[dt.date] = (),
    shift_run: int = SHIFT_RUN,
    trend_run: int = TREND_RUN,
    screen_outliers: bool = True,
) -> Spc:
    """An XmR chart of `value` by `date` (one row per date) with the MDC rules.

    `rebase`: dates at which the limits are recalculated (the annotated changes marked as such); a new
    segment starts at the first point on or after each date. `exclude`: dates of points left out of the
    mean and moving ranges. `target`: for the assurance icon.
    """
    if improvement not in DIRECTIONS:
        raise ValueError(f"improvement must be one of {DIRECTIONS}, not {improvement!r}")
    if shift_run < 2 or trend_run < 3:
        raise ValueError("shift_run must be at least 2 and trend_run at least 3")
    if data.get_column(date).is_duplicated().any():
        raise ValueError(f"one row per {date}: duplicated dates")

    df = data.sort(date)
    dates = df.get_column(date)
    y = df.get_column(value).cast(pl.Float64).to_numpy().copy()
    present = np.isfinite(y)
    breaks = sorted(set(rebase))
    segment = np.searchsorted(
        np.array(breaks, dtype="datetime64[D]"), dates.cast(pl.Date).to_numpy(), side="right"
    ).astype(np.int64)
    excluded = dates.cast(pl.Date).is_in(list(exclude)).to_numpy()

    n = y.size
    mean = np.full(n, np.nan)
    mmr = np.full(n, np.nan)
    flags = {rule: np.zeros(n, dtype=bool) for rule in RULES}
    direction = np.zeros(n, dtype=np.int64)
    seg_rows: list[dict[str, object]] = []

    for seg in np.unique(segment):
        idx = np.flatnonzero((segment == seg) & present)
        if idx.size == 0:
            continue
        ys = y[idx]
        m, r = _centre_and_range(ys, excluded[idx], screen_outliers)
        mean[idx], mmr[idx] = m, r
        seg_flags, seg_dir = _rules(ys, m, r, shift_run, trend_run)
        for rule in RULES:
            flags[rule][idx] = seg_flags[rule]
        direction[idx] = seg_dir
        seg_dates = dates.gather(idx.tolist())
        seg_rows.append(
            {
                "segment": int(seg),
                "van": seg_dates.min(),
                "tot": seg_dates.max(),
                "n_punten": int(idx.size),
                "gemiddelde": m,
                "gemiddeld_bereik": None if np.isnan(r) else r,
                "ondergrens": None if np.isnan(r) else m - LIMIT * r,
                "bovengrens": None if np.isnan(r) else m + LIMIT * r,
                "proefgrenzen": bool(idx.size < TRIAL_POINTS),
            }
        )

    special = np.zeros(n, dtype=bool)
    for rule in RULES:
        special |= flags[rule]
    point_type = _point_type(special, direction, improvement, present)
    rule_name = np.select([flags[r] for r in RULES], list(RULES), default="")

    punten = df.select(date, value).with_columns(
        pl.Series("segment", segment),
        pl.Series("uitgesloten", excluded),
        pl.Series("gemiddelde", mean).fill_nan(None),
        pl.Series("ondergrens", mean - LIMIT * mmr).fill_nan(None),
        pl.Series("bovengrens", mean + LIMIT * mmr).fill_nan(None),
        pl.Series("ondergrens_2s", mean - NEAR * mmr).fill_nan(None),
        pl.Series("bovengrens_2s", mean + NEAR * mmr).fill_nan(None),
        *(pl.Series(rule, flags[rule]) for rule in RULES),
        pl.Series("speciale_oorzaak", special),
        pl.Series("regel", rule_name).replace("", None),
        pl.Series("richting", np.where(direction > 0, HOOG, np.where(direction < 0, LAAG, ""))).replace(
            "", None
        ),
        pl.Series("punt_type", point_type).replace("", None),
    )
    segmenten = pl.DataFrame(
        seg_rows,
        schema={
            "segment": pl.Int64,
            "van": dates.dtype,
            "tot": dates.dtype,
            "n_punten": pl.Int64,
            "gemiddelde": pl.Float64,
            "gemiddeld_bereik": pl.Float64,
            "ondergrens": pl.Float64,
            "bovengrens": pl.Float64,
            "proefgrenzen": pl.Boolean,
        },
    )
    return Spc(
        punten=punten,
        segmenten=segmenten,
        variatie=_variation(punten),
        zekerheid=_assurance(segmenten, improvement, target),
        richting=improvement,
        doel=target,
    )


def _centre_and_range(ys: FloatArray, excluded: BoolArray, screen: bool) -> tuple[float, float]:
    """Mean of the included values and mean moving range (NaN without a usable moving range)."""
    use = ys.copy()
    use[excluded] = np.nan
    if np.all(np.isnan(use)):
        use = ys.copy()  # everything excluded: fall back on all points rather than no centre line
    m = float(np.nanmean(use))
    mr = np.abs(np.diff(use))
    mr = mr[np.isfinite(mr)]
    if mr.size == 0:
        return m, float("nan")
    amr = float(mr.mean())
    if screen:
        kept = mr[mr < SCREEN * amr]
        amr = float(kept.mean()) if kept.size else amr
    return m, amr


def _runs(values: IntArray) -> tuple[IntArray, IntArray, IntArray]:
    """Run-length encoding: start index, length and value of each run of equal values."""
    if values.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    change = np.flatnonzero(np.diff(values) != 0) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    lengths = np.diff(np.concatenate((starts, [values.size]))).astype(np.int64)
    return starts, lengths, values[starts]


def _rules(
    ys: FloatArray, m: float, amr: float, shift_run: int, trend_run: int
) -> tuple[dict[str, BoolArray], IntArray]:
    """The four rules on one segment's values; the direction (+1 high, -1 low) of each special point."""
    n = ys.size
    side = np.sign(ys - m).astype(np.int64)
    has_limits = not np.isnan(amr)
    upper, lower = m + LIMIT * amr, m - LIMIT * amr
    outside = (ys > upper) | (ys < lower) if has_limits else np.zeros(n, dtype=bool)
    near = (~outside & ((ys > m + NEAR * amr) | (ys < m - NEAR * amr))) if has_limits else np.zeros(n, bool)

    # (b) shift: runs of equal non-zero side of length >= shift_run
    shift = np.zeros(n, dtype=bool)
    starts, lengths, vals = _runs(side)
    for s, length, v in zip(starts, lengths, vals, strict=True):
        if v != 0 and length >= shift_run:
            shift[s : s + length] = True

    # (c) trend: runs of equal non-zero step sign covering >= trend_run points (trend_run - 1 steps)
    trend = np.zeros(n, dtype=bool)
    trend_dir = np.zeros(n, dtype=np.int64)
    steps = np.sign(np.diff(ys)).astype(np.int64)
    starts, lengths, vals = _runs(steps)
    for s, length, v in zip(starts, lengths, vals, strict=True):
        if v != 0 and length >= trend_run - 1:
            trend[s : s + length + 1] = True
            trend_dir[s : s + length + 1] = v  # later runs overwrite the shared pivot point

    # (d) two of three: windows of three on one side with >= 2 near points; flag the near points in them
    two3 = np.zeros(n, dtype=bool)
    if n >= 3 and has_limits:
        win_near = np.lib.stride_tricks.sliding_window_view(near, 3).sum(axis=1) >= 2
        win_side = np.abs(np.lib.stride_tricks.sliding_window_view(side, 3).sum(axis=1)) == 3
        qualifies = win_near & win_side
        in_window = np.zeros(n, dtype=bool)
        for offset in range(3):
            in_window[offset : offset + qualifies.size] |= qualifies
        two3 = in_window & near

    flags = {BUITEN_GRENS: outside, TREND: trend, TWEE_VAN_DRIE: two3, VERSCHUIVING: shift}
    direction = np.where(outside | two3 | shift, side, 0)
    direction = np.where(trend & ~outside, trend_dir, direction)  # precedence: a, c, then d and b
    return flags, direction.astype(np.int64)


def _point_type(
    special: BoolArray, direction: IntArray, improvement: Direction, present: BoolArray
) -> npt.NDArray[np.str_]:
    better = {"hoger": 1, "lager": -1, "neutraal": 0}[improvement]
    kind = np.where(
        ~special,
        GEWONE_VARIATIE,
        NEUTRAAL if better == 0 else np.where(direction * better > 0, VERBETERING, ZORG),
    )
    return np.where(present, kind, "")


def _variation(punten: pl.DataFrame) -> str | None:
    last = punten.filter(pl.col("punt_type").is_not_null()).tail(1)
    if last.height == 0:
        return None
    kind, side = last.row(0, named=True)["punt_type"], last.row(0, named=True)["richting"]
    return GEWONE_VARIATIE if kind == GEWONE_VARIATIE else f"{kind}_{side}"


def _assurance(segmenten: pl.DataFrame, improvement: Direction, target: float | None) -> str | None:
    if target is None or improvement == "neutraal" or segmenten.height == 0:
        return None
    last = segmenten.row(segmenten.height - 1, named=True)
    lower, upper = last["ondergrens"], last["bovengrens"]
    if lower is None or upper is None:
        return None
    if target < lower:
        return STEEDS_GEHAALD if improvement == "hoger" else STEEDS_GEMIST
    if target > upper:
        return STEEDS_GEMIST if improvement == "hoger" else STEEDS_GEHAALD
    return WISSELEND
