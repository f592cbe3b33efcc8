"""Small-number protection for everything the dashboard shows or offers for download.

Invariants (checked by tests/unit/test_privacy.py and the page scans in tests/app):
- Primary suppression: a count c with 0 < c < k is never shown; it becomes null (charts skip it) and is
  labelled "<k" in tables and downloads.
- Complementary suppression: for every dimension of a frame, within each group of the other dimensions
  (which is what a marginal total over that dimension adds up), never exactly one suppressed cell: the
  smallest further non-zero cell (else a zero cell) is suppressed too, repeated until stable. Hidden
  cells therefore cannot be recovered from totals over any one dimension.
- Statistics (mean, median, percentiles) computed on fewer than k children are not shown.
Pure functions on Polars frames; no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

SUFFIX = "_onderdrukt"


def suppress_counts(
    df: pl.DataFrame,
    counts: Sequence[str],
    dimensions: Sequence[str] = (),
    k: int = 5,
) -> pl.DataFrame:
    """Null out small counts (primary) and their complements (secondary); add `<col>_onderdrukt` flags.

    `dimensions` are the columns over which the frame's counts add up to a total shown somewhere (a
    breakdown next to its total). Without dimensions the rows are not additive (e.g. waiting levels, a
    time series without a period total) and only primary suppression applies.
    """
    if df.height == 0:
        return df.with_columns(pl.lit(False).alias(c + SUFFIX) for c in counts)
    out = df.with_row_index("_rij")
    for col in counts:
        flag = col + SUFFIX
        out = out.with_columns(((pl.col(col) > 0) & (pl.col(col) < k)).fill_null(False).alias(flag))
        for _ in range(50 if dimensions else 0):  # converges fast; the bound guards against a logic error
            extra = _complements(out, col, flag, list(dimensions))
            if extra.is_empty():
                break
            out = out.with_columns(
                pl.when(pl.col("_rij").is_in(extra.implode())).then(True).otherwise(pl.col(flag)).alias(flag)
            )
        out = out.with_columns(pl.when(pl.col(flag)).then(None).otherwise(pl.col(col)).alias(col))
    return out.drop("_rij")


def _complements(df: pl.DataFrame, col: str, flag: str, dims: list[str]) -> pl.Series:
    """Row ids to suppress so that no group (all dims but one) has exactly one suppressed cell."""
    picks: list[int] = []
    groupings = [[d for d in dims if d != dim] for dim in dims] or [[]]
    for keys in groupings:
        grouped = df.group_by(keys, maintain_order=True) if keys else [((), df)]
        for _, group in grouped:
            if int(group[flag].sum()) != 1:
                continue
            # the smallest shown non-zero cell; failing that a zero cell, so the group total no longer
            # pins the hidden cell down
            candidates = group.filter(~pl.col(flag) & pl.col(col).is_not_null()).sort(
                [pl.col(col) == 0, col, "_rij"]
            )
            if candidates.height:
                picks.append(int(candidates["_rij"][0]))
    return pl.Series("_rij", sorted(set(picks)), dtype=pl.UInt32)


def hide_small_statistics(df: pl.DataFrame, n: str, stats: Sequence[str], k: int = 5) -> pl.DataFrame:
    """Null the statistics in `stats` where the number of children `n` is below k."""
    return df.with_columns(
        pl.when(pl.col(n) < k).then(None).otherwise(pl.col(s)).alias(s) for s in stats if s in df.columns
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
