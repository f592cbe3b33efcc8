"""Benchmark of the Vooruitblik computations (pipelines/vooruitblik) on synthetic waiting lists.

N = the number of waiting lists of the sample region (niveau x aanbieder x productcategorie with waits in
the `wachttijden` mart of a `--scale 1` build: 109) and `--schaal` (default 40) times that. Per size:
estimating the model from 5 years of weekly history, the 52-week forecast of every list (200 runs), the
queue metrics, Kaplan-Meier for every list, the backtest (6 and 12 months; base size only) and a what-if
recompute for one list and its chain (aanmelding -> intake -> behandeling). Prints p50/p95 ms and the
machine's load average (the machine is shared; figures of a loaded machine are high).

    .venv/bin/python benchmarks/bench_vooruitblik.py
    .venv/bin/python benchmarks/bench_vooruitblik.py --lijsten 109 --schaal 40 --repeat 7
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import polars as pl  # noqa: E402

from pipelines.vooruitblik.forecast import (  # noqa: E402
    Scenario,
    backtest,
    schat_model,
    simuleer,
    wat_als,
)
from pipelines.vooruitblik.metrics import wachtrij_kengetallen  # noqa: E402
from pipelines.vooruitblik.survival import verwachte_wachttijd  # noqa: E402
from tools.synthetische_wachtrijen import wachttijden, weekhistorie  # noqa: E402


def meet(naam: str, f: Callable[[], object], repeat: int) -> None:
    tijden = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        tijden.append((time.perf_counter() - t) * 1000)
    p50, p95 = np.percentile(tijden, [50, 95])
    print(f"  {naam:<44} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   (n={repeat})", flush=True)


def keten_van(lijsten: list[str]) -> pl.DataFrame:
    """Chains of three consecutive lists (aanmelding -> intake -> behandeling) over the first 60 %."""
    van, naar = [], []
    for i in range(0, int(len(lijsten) * 0.6) - 2, 3):
        van += [lijsten[i], lijsten[i + 1]]
        naar += [lijsten[i + 1], lijsten[i + 2]]
    return pl.DataFrame({"lijst_id": van, "volgende_lijst_id": naar})


def run(n: int, repeat: int, volledig: bool) -> None:
    h = weekhistorie(n, 260, seed=11)
    ids = sorted(h["lijst_id"].unique().to_list())
    keten = keten_van(ids)
    lijsten = pl.DataFrame({"lijst_id": ids, "norm_weken": [10.0] * n})
    w = wachttijden(n, 60, seed=11)
    print(f"{n} lijsten ({h.height} weekrijen, {w.height} wachttijden)")
    meet("schat_model (5 jaar weekhistorie)", lambda: schat_model(h, keten=keten), repeat)
    model = schat_model(h, keten=keten)
    meet(
        "simuleer: 52 weken x 200 runs, alle lijsten",
        lambda: simuleer(model),
        max(1, repeat if volledig else 2),
    )
    meet("wachtrij_kengetallen", lambda: wachtrij_kengetallen(h, lijsten), repeat)
    meet("verwachte_wachttijd (Kaplan-Meier)", lambda: verwachte_wachttijd(w, k=5), repeat)
    scenario = Scenario(
        capaciteit_per_week=1.0, eenmalig_per_week=2, eenmalig_weken=8, lijsten=frozenset({ids[1]})
    )
    meet("wat_als: 1 lijst + keten (basis + scenario)", lambda: wat_als(model, scenario), repeat)
    if volledig:
        meet("backtest 6 en 12 maanden, alle lijsten", lambda: backtest(h, keten=keten), max(1, repeat // 2))
        prognose = backtest(h, keten=keten)
        ok = prognose.filter(pl.col("status") == "ok")
        print(
            "  backtest (synthetisch): "
            + "; ".join(
                f"{m} mnd: dekking {g['dekking'].mean():.2f}, MAE/gem. wachtrij "
                f"{(g['mae'].sum() / g['gemiddelde_wachtrij'].sum()):.2f}, slecht {g['is_slecht'].mean():.0%}"
                for (m,), g in ok.group_by("maanden_terug", maintain_order=True)
            )
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lijsten", type=int, default=109, help="lists of the sample region (default 109)")
    ap.add_argument("--schaal", type=int, default=40, help="second size: this many times --lijsten")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} op {os.cpu_count()} kernen")
    run(args.lijsten, args.repeat, volledig=True)
    run(args.lijsten * args.schaal, args.repeat, volledig=False)
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
