"""Vooruitblik (issue 17): the pure computations behind the forward-looking page, no Streamlit, no DuckDB.

- `invoer`: the input frames (weekly history per list, waits per child), their checks, the typed error
  `VooruitblikFout` and the per-list status codes with their Dutch messages.
- `metrics`: closed-form queue metrics (norms-and-methods §3), norm equivalence and the caseload link (§8).
- `survival`: expected wait if referred today, Kaplan-Meier per list with an 80 % interval.
- `forecast`: the 52-week forecast with bands (vectorised simulation), backtest, what-if, chains and the
  age projection for capacity aimed at the longest waiters.

Every function works on many lists at once (Polars frames in, Polars frames or NumPy arrays out).
"""
