"""Page-level timing of the Vooruitblik page: a what-if change at the server, beside a baseline measured in
the same run (the page's plain DuckDB queries), on a built database.

Usage:
    python benchmarks/bench_vooruitblik_pagina.py --db /tmp/s1.duckdb [--repeat 15]

Measured (ms, p50 and p95 of --repeat):
- baseline: the page's three table macros called on a fresh DuckDB cursor (vooruitblik_lijsten,
  vooruitblik_weken, vooruitblik_wachttijden), as dashboard/data.py calls them on a cache miss;
- what-if, compute: `queries`' path on a cache miss (forecast.wat_als on the list and its chain, 200 runs x
  52 weeks, basis + scenario) for a scenario not computed before;
- what-if, page run: one AppTest rerun of the whole page after a slider change to a value not used before
  (the script's own work: the what-if, the KPI cards, chart specs and tables; no browser, no websocket);
- the first visit of the page (model estimation, backtest of every list, ranking: once per database).

A benchmark to run and report, never a timed test. The machine is shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402


def _p(tijden: list[float]) -> str:
    p50, p95 = np.percentile(tijden, [50, 95])
    return f"p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (n={len(tijden)})"


def baseline(db: Path, repeat: int) -> None:
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute(f"attach '{db}' as k (read_only)")
    con.execute("use k")
    for macro, args in (
        ("vooruitblik_lijsten", "null, null"),
        ("vooruitblik_weken", ""),
        ("vooruitblik_wachttijden", ""),
    ):
        tijden = []
        for _ in range(repeat):
            t = time.perf_counter()
            cur = con.cursor()  # a fresh cursor per query, as dashboard/data.py (`use` is per cursor)
            cur.execute("use k")
            cur.sql(f"select * from {macro}({args})").pl()
            tijden.append((time.perf_counter() - t) * 1000)
        print(f"  basislijn DuckDB {macro:<28} {_p(tijden)}", flush=True)


def compute(db: Path, repeat: int) -> None:
    import polars as pl

    from pipelines.vooruitblik import forecast

    con = __import__("duckdb").connect(str(db), read_only=True)
    weken = con.sql("select * from vooruitblik_weken()").pl()
    con.close()
    from dashboard import queries

    historie = weken.select(
        "lijst_id",
        "week",
        *(pl.col(c).cast(pl.Float64) for c in ("instroom", "starts", "afvallers", "wachtend")),
    )
    keten = queries._vb_keten(weken)
    t = time.perf_counter()
    model = forecast.schat_model(historie, keten=keten)
    print(f"  schat_model (alle lijsten)                      {(time.perf_counter() - t) * 1000:8.1f} ms")
    t = time.perf_counter()
    forecast.simuleer(model)
    print(
        f"  prognose alle {len(model.lijst_id)} lijsten (52 wk x 200)           {(time.perf_counter() - t) * 1000:8.1f} ms"
    )
    t = time.perf_counter()
    bt = forecast.backtest(historie, keten=keten)
    print(f"  backtest 6 en 12 mnd, alle lijsten               {(time.perf_counter() - t) * 1000:8.1f} ms")
    ok = bt.filter(pl.col("status") == "ok")
    for (m,), g in ok.group_by("maanden_terug", maintain_order=True):
        print(
            f"  backtest voorbeeldregio {m:>2} mnd: MAE mediaan {g['mae'].median():.2f} (gemiddeld {g['mae'].mean():.2f}),"
            f" MAE/gem. wachtrij {g['mae'].sum() / g['gemiddelde_wachtrij'].sum():.2f},"
            f" dekking 80%-band {g['dekking'].mean():.2f}, slechter dan 'gelijk blijven' "
            f"{g['is_slechter_dan_naief'].mean():.0%}, slecht {g['is_slecht'].mean():.0%} van {g.height} lijsten"
        )
    lid = model.lijst_id[int(np.argmax(model.wachtrij))]
    tijden = []
    for i in range(repeat):
        sc = forecast.Scenario(capaciteit_procent=5.0 * (i + 1), lijsten=frozenset({lid}))
        t = time.perf_counter()
        forecast.wat_als(model, sc, lijst_ids=[lid])
        tijden.append((time.perf_counter() - t) * 1000)
    print(f"  wat-als berekening (lijst + keten)               {_p(tijden)}", flush=True)


def page(db: Path, repeat: int) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["KETENMONITOR_DB"] = str(db)
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=300)
    at.switch_page("views/vooruitblik.py")
    t = time.perf_counter()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    print(f"  eerste bezoek (model, backtest, ranglijst)       {(time.perf_counter() - t) * 1000:8.1f} ms")
    at.run()
    opties = [str(x) for x in range(5, 105, 5)] + [str(x) for x in range(-5, -55, -5)]
    tijden = []
    for i in range(min(repeat, len(opties))):
        at.select_slider(key="vb_capaciteit").set_value(opties[i])
        t = time.perf_counter()
        at.run()
        tijden.append((time.perf_counter() - t) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    print(f"  wat-als wijziging: paginarun (AppTest)           {_p(tijden)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a database built by `python -m pipelines build`")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen; database {args.db}")
    baseline(args.db, args.repeat)
    compute(args.db, args.repeat)
    page(args.db, args.repeat)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
