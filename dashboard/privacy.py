"""Disclosure control for everything the dashboard shows or offers for download (docs/privacy.md).

The method is the cell-key method (ONS, Destatis, ABS TableBuilder), made for query-driven tables:
- Every record about a person (a trajectory, a waiting episode, a signal, a child) has a fixed record key,
  an integer in [0, 2^32) computed in SQL by the macro `recordsleutel` from its pseudonymous id.
- A cell's key is the sum of its records' keys modulo 2^32 (exact integer arithmetic, so the order of
  summation cannot change it); the SQL macros return it beside each count as `<count>_ck`.
- The cell key and the true count select a deviation from the perturbation table (`CellKey`): at most
  `max_afwijking` (D) either way, zero on average for counts above D, never below 1 for a count of 1 or
  more, and 0 stays 0. The published value is count + deviation.
- A count whose true or published value is below k, 0 included, is shown as "<k" (null in charts). So a
  count of 1..k-1 persons is never shown as a number, no shown number is below k, and "<k" does not tell
  "none" from "a few" (a shown 0 beside "<k" cells would tell the intruder "at least 1", which with the
  identities between cells narrows small counts: tests/app/test_disclosure.py).
- Lists that only have rows for non-zero counts (routes, signals per month, waits per aanbieder) drop the
  rows whose counts are all "<k" (`drop_small_rows`): a row's presence would otherwise say "at least 1".

Invariants (tests/unit/test_privacy.py, the intruder test tests/app/test_intruder.py and the page scans):
- Same records, same cell key, same published value: in every table, filter combination and download,
  so differencing two releases of one cell yields nothing, and differencing different cells yields the
  difference of noisy values.
- Every count a page receives has been through `protect_counts` (which refuses a count without its cell
  key) or, for the few team-level operational figures that are no counts of a filtered population,
  `suppress_small` (documented per dataset in docs/privacy.md).
- Statistics (mean, median, percentiles) computed on fewer than k persons are not shown.
Pure functions on Polars frames; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

import polars as pl

SUFFIX = "_onderdrukt"
CK_SUFFIX = "_ck"
KEY_MODULUS = 2**32  # record keys and cell keys are integers in [0, KEY_MODULUS)


@dataclass(frozen=True)
class CellKey:
    """The published perturbation method: threshold k and the probabilities of the deviations -D..D."""

    k: int = 5
    kansen: tuple[float, ...] = (0.1, 0.2, 0.4, 0.2, 0.1)

    def __post_init__(self) -> None:
        if len(self.kansen) % 2 != 1 or any(p < 0 for p in self.kansen):
            raise ValueError("kansen: an odd number of non-negative probabilities, for deviations -D..D")
        if abs(sum(self.kansen) - 1) > 1e-9:
            raise ValueError("kansen must add up to 1")
        if self.k < 1:
            raise ValueError("k must be at least 1")

    @property
    def max_afwijking(self) -> int:
        """D: the largest deviation of a published count from the true count."""
        return (len(self.kansen) - 1) // 2

    def ptabel(self) -> pl.DataFrame:
        """The perturbation table for counts above D: a cell key in [ck_van, ck_tot) gets `afwijking`.
        For a count n of 1..D a negative deviation that would give less than 1 is mirrored (n + |v|)."""
        d = self.max_afwijking
        tot = list(accumulate(self.kansen))
        van = [0.0, *tot[:-1]]
        return pl.DataFrame({"afwijking": list(range(-d, d + 1)), "ck_van": van, "ck_tot": tot})

    def afwijking(self, n: pl.Expr, ck: pl.Expr) -> pl.Expr:
        """The deviation for true count `n` and raw cell key `ck` (an integer sum of record keys)."""
        d = self.max_afwijking
        u = (ck % KEY_MODULUS).cast(pl.Float64) / KEY_MODULUS
        # bucket index 0..2D: how many cumulative bounds (all but the last) the key has passed
        bounds = list(accumulate(self.kansen))[:-1]
        index = pl.sum_horizontal([(u >= b).cast(pl.Int64) for b in bounds]) if bounds else pl.lit(0)
        v = index - d
        return (
            pl.when(n.is_null() | ck.is_null())
            .then(None)
            .when(n == 0)
            .then(0)
            .when(n + v < 1)
            .then(-v)  # mirror: a count of 1 or more is never published as 0 or less
            .otherwise(v)
        )

    def publish(self, n: pl.Expr, ck: pl.Expr) -> pl.Expr:
        """The published value of a count (before the "<k" rule)."""
        return n + self.afwijking(n, ck)


def protect_counts(df: pl.DataFrame, counts: Sequence[str], method: CellKey) -> pl.DataFrame:
    """Publish each count in `counts` by the cell-key method; counts below k (true or published, 0
    included) become null with `<col>_onderdrukt` true. Every count needs its cell key `<col>_ck`; the key columns are
    dropped, and so is every other `_ck` column (keys never leave this module)."""
    missing = [c for c in counts if c + CK_SUFFIX not in df.columns]
    if missing:
        raise ValueError(f"no cell key for count(s) {missing}: the macro must return <count>_ck")
    k = method.k
    exprs = []
    for col in counts:
        n, ck = pl.col(col), pl.col(col + CK_SUFFIX)
        published = method.publish(n, ck)
        small = (n < k) | (published < k)
        exprs.append(small.fill_null(False).alias(col + SUFFIX))
        exprs.append(pl.when(small).then(None).otherwise(published).cast(df.schema[col]).alias(col))
    out = df.with_columns(exprs)
    return out.drop([c for c in out.columns if c.endswith(CK_SUFFIX)])


def drop_small_rows(df: pl.DataFrame, counts: Sequence[str]) -> pl.DataFrame:
    """Drop the rows of a sparse list whose every count in `counts` is shown as "<k"."""
    if not counts:
        return df
    return df.filter(~pl.all_horizontal([pl.col(c + SUFFIX) for c in counts]))


def suppress_small(df: pl.DataFrame, counts: Sequence[str], k: int) -> pl.DataFrame:
    """Threshold only (no perturbation): counts of 1..k-1 become null with `<col>_onderdrukt` true. Only for
    the figures docs/privacy.md lists as not perturbed (team-level operational figures)."""
    out = df.with_columns(
        ((pl.col(c) > 0) & (pl.col(c) < k)).fill_null(False).alias(c + SUFFIX) for c in counts
    )
    return out.with_columns(
        pl.when(pl.col(c + SUFFIX)).then(None).otherwise(pl.col(c)).alias(c) for c in counts
    )


def hide_small_statistics(df: pl.DataFrame, n: str, stats: Sequence[str], k: int = 5) -> pl.DataFrame:
    """Null the statistics in `stats` where the true number of persons `n` is below k (or unknown)."""
    return df.with_columns(
        pl.when(pl.col(n).fill_null(0) < k).then(None).otherwise(pl.col(s)).alias(s)
        for s in stats
        if s in df.columns
    )


def for_display(df: pl.DataFrame, k: int = 5) -> pl.DataFrame:
    """Tables and CSV downloads: suppressed counts become the text "<k"; flag columns are dropped."""
    flags = [c for c in df.columns if c.endswith(SUFFIX)]
    exprs = []
    for flag in flags:
        col = flag[: -len(SUFFIX)]
        if col in df.columns:
            exprs.append(
                pl.when(pl.col(flag)).then(pl.lit(f"<{k}")).otherwise(pl.col(col).cast(pl.String)).alias(col)
            )
    return df.with_columns(exprs).drop(flags) if exprs else df.drop(flags)
