"""Page-level timing of the Vooruitblik page: a what-if change at the server, beside a baseline measured in
the same run (the page's plain DuckDB queries), on a built database.

Usage:
    python benchmarks/bench_vooruitblik_pagina.py --db /tmp/s1.duckdb [--repeat 15]
    python benchmarks/bench_vooruitblik_pagina.py --db /tmp/s40.duckdb --repeat 20 --zonder-regio

Measured (ms, p50 and p95 of --repeat, nearest rank: benchmarks/machine.pct):
- baseline: the page's table macros called on a fresh DuckDB cursor (vooruitblik_lijsten, vooruitblik_weken,
  vooruitblik_wachttijden, vooruitblik_teams), as dashboard/data.py calls them on a cache miss; each alone
  and their sum per round;
- what-if, page run at the server: one AppTest rerun of the whole page after a slider change to a value not
  used before (the script's own work: the what-if, the KPI cards, chart specs and tables; no browser, no
  websocket). Rounds alternate between the baseline and the what-if, so a burst of load from others hits
  both;
- what-if, compute: `queries`' path on a cache miss (forecast.wat_als on the list and its chain, 200 runs x
  52 weeks, the baseline simulated once) for a scenario not computed before;
- the first visit of the page (model estimation, the chosen list's backtest, ranking: once per database),
  and, unless --zonder-regio, the forecast and backtest of every list of the region (bench_vooruitblik.py's
  region figures: the backtest error of the closing note).

A benchmark to run and report, never a timed test. The machine is shared: the 1-minute load average at the
start and end is printed and stored. `--out NAME` writes the figures to benchmarks/out/NAME.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")

from machine import load1, pct  # noqa: E402

MACROS = (
    ("vooruitblik_lijsten", "null, null"),
    ("vooruitblik_weken", ""),
    ("vooruitblik_wachttijden", ""),
    ("vooruitblik_teams", "null"),
)


def _p(tijden: list[float]) -> dict[str, float | int | None]:
    return {"p50": pct(tijden, 50), "p95": pct(tijden, 95), "n": len(tijden)}


def _regel(naam: str, tijden: list[float]) -> str:
    p = _p(tijden)
    return f"  {naam:<52} p50 {p['p50']:8.1f} ms   p95 {p['p95']:8.1f} ms   (n={p['n']})"


class Basislijn:
    """The page's plain DuckDB queries on the attached database, a fresh cursor per query."""

    def __init__(self, db: Path) -> None:
        import duckdb

        self.con = duckdb.connect(":memory:")
        self.con.execute(f"attach '{db}' as k (read_only)")
        self.con.execute("use k")
        self.tijden: dict[str, list[float]] = {m: [] for m, _ in MACROS}
        self.tijden["som"] = []

    def ronde(self) -> None:
        som = 0.0
        for macro, args in MACROS:
            t = time.perf_counter()
            cur = self.con.cursor()  # a fresh cursor per query, as dashboard/data.py (`use` is per cursor)
            cur.execute("use k")
            cur.sql(f"select * from {macro}({args})").pl()
            ms = (time.perf_counter() - t) * 1000
            self.tijden[macro].append(ms)
            som += ms
        self.tijden["som"].append(som)


def regio(db: Path, uit: dict) -> None:
    """The forecast and backtest of every list (the region's figures, not on the page's path)."""
    import duckdb
    import polars as pl

    from dashboard import queries
    from pipelines.vooruitblik import forecast

    con = duckdb.connect(str(db), read_only=True)
    weken = con.sql("select * from vooruitblik_weken()").pl()
    con.close()
    historie = weken.select(
        "lijst_id",
        "week",
        *(pl.col(c).cast(pl.Float64) for c in ("instroom", "starts", "afvallers", "wachtend")),
    )
    keten = queries._vb_keten(weken)
    t = time.perf_counter()
    model = forecast.schat_model(historie, keten=keten)
    uit["schat_model_ms"] = round((time.perf_counter() - t) * 1000, 1)
    t = time.perf_counter()
    forecast.simuleer(model)
    uit["prognose_alle_lijsten_ms"] = round((time.perf_counter() - t) * 1000, 1)
    uit["lijsten"] = len(model.lijst_id)
    t = time.perf_counter()
    bt = forecast.backtest(historie, keten=keten)
    uit["backtest_alle_lijsten_ms"] = round((time.perf_counter() - t) * 1000, 1)
    print(f"  schat_model (alle lijsten)                           {uit['schat_model_ms']:8.1f} ms")
    print(
        f"  prognose alle {uit['lijsten']} lijsten (52 wk x 200)      {uit['prognose_alle_lijsten_ms']:8.1f} ms"
    )
    print(f"  backtest 6 en 12 mnd, alle lijsten                   {uit['backtest_alle_lijsten_ms']:8.1f} ms")
    ok = bt.filter(pl.col("status") == "ok")
    uit["backtest"] = {}
    for (m,), g in ok.group_by("maanden_terug", maintain_order=True):
        r = {
            "mae_mediaan": round(float(g["mae"].median()), 2),
            "mae_gemiddeld": round(float(g["mae"].mean()), 2),
            "mae_relatief": round(float(g["mae"].sum() / g["gemiddelde_wachtrij"].sum()), 2),
            "dekking": round(float(g["dekking"].mean()), 2),
            "slechter_dan_naief": round(float(g["is_slechter_dan_naief"].mean()), 2),
            "slecht": round(float(g["is_slecht"].mean()), 2),
            "lijsten": g.height,
        }
        uit["backtest"][str(m)] = r
        print(f"  backtest {m:>2} mnd: {r}")


def compute(db: Path, repeat: int, uit: dict) -> None:
    """The what-if computation alone on a cache miss (the model estimated once, as the page holds it)."""
    import duckdb
    import numpy as np
    import polars as pl

    from dashboard import queries
    from pipelines.vooruitblik import forecast

    con = duckdb.connect(str(db), read_only=True)
    weken = con.sql("select * from vooruitblik_weken()").pl()
    con.close()
    historie = weken.select(
        "lijst_id",
        "week",
        *(pl.col(c).cast(pl.Float64) for c in ("instroom", "starts", "afvallers", "wachtend")),
    )
    model = forecast.schat_model(historie, keten=queries._vb_keten(weken))
    lid = model.lijst_id[int(np.argmax(model.wachtrij))]
    basis = forecast.basisprognose(model, [lid])
    tijden = []
    for i in range(repeat):
        sc = forecast.Scenario(capaciteit_procent=5.0 * (i + 1), lijsten=frozenset({lid}))
        t = time.perf_counter()
        forecast.wat_als(model, sc, lijst_ids=[lid], basis=basis)
        tijden.append((time.perf_counter() - t) * 1000)
    uit["wat_als_berekening"] = _p(tijden)
    print(_regel("wat-als berekening (lijst + keten)", tijden), flush=True)


def page(db: Path, repeat: int, uit: dict) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["KETENMONITOR_DB"] = str(db)
    basis = Basislijn(db)
    basis.ronde()  # warm the file's pages once, as the app has them after its first query (not counted)
    basis.tijden = {m: [] for m in basis.tijden}
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=900)
    at.switch_page("views/vooruitblik.py")
    t = time.perf_counter()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    uit["eerste_bezoek_ms"] = round((time.perf_counter() - t) * 1000, 1)
    print(f"  eerste bezoek (model, backtest lijst, ranglijst)     {uit['eerste_bezoek_ms']:8.1f} ms")
    t = time.perf_counter()
    at.run()
    uit["tweede_run_ms"] = round((time.perf_counter() - t) * 1000, 1)
    opties = [str(x) for x in range(5, 105, 5)] + [str(x) for x in range(-5, -55, -5)]
    schuiven = [("vb_capaciteit", v) for v in opties] + [("vb_instroom", v) for v in opties]
    tijden = []
    for sleutel, waarde in schuiven[:repeat]:
        basis.ronde()
        at.select_slider(key=sleutel).set_value(waarde)
        t = time.perf_counter()
        at.run()
        tijden.append((time.perf_counter() - t) * 1000)
        assert not at.exception, [e.value for e in at.exception]
    uit["basislijn"] = {m: _p(v) for m, v in basis.tijden.items()}
    uit["wat_als_paginarun"] = _p(tijden)
    for m, v in basis.tijden.items():
        print(_regel(f"basislijn DuckDB {m}", v))
    print(_regel("wat-als wijziging: paginarun aan de server (AppTest)", tijden), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a database built by `python -m pipelines build`")
    ap.add_argument("--repeat", type=int, default=15, help="what-if changes (at most 60)")
    ap.add_argument("--zonder-regio", action="store_true", help="skip the forecast/backtest of every list")
    ap.add_argument("--alleen-pagina", action="store_true", help="only the baseline and the page runs")
    ap.add_argument("--out", default=None, help="write the figures to benchmarks/out/<OUT>.json")
    args = ap.parse_args()
    uit: dict = {
        "datum": datetime.now().isoformat(timespec="seconds"),
        "db": str(args.db),
        "kernen": os.cpu_count(),
        "load_1min": {"begin": load1()},
    }
    print(f"load average {uit['load_1min']['begin']:.2f} op {os.cpu_count()} kernen; database {args.db}")
    page(args.db, args.repeat, uit)
    if not args.alleen_pagina:
        compute(args.db, args.repeat, uit)
    if not (args.zonder_regio or args.alleen_pagina):
        regio(args.db, uit)
    uit["load_1min"]["eind"] = load1()
    print(f"load average {uit['load_1min']['eind']:.2f}")
    if args.out:
        pad = REPO / "benchmarks" / "out" / f"{args.out}.json"
        pad.parent.mkdir(exist_ok=True)
        pad.write_text(json.dumps(uit, indent=2, default=str))
        print(f"geschreven: {pad}")


if __name__ == "__main__":
    main()
