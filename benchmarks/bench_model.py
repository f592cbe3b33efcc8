"""Benchmark of the SQL model build on a generated sample region.

Generates a region (`--scale`, cached under `--workdir`), builds it once through the real build, then
re-runs only the SQL models on a copy of the built database (`--repeat` times) and reports seconds per
run, the row counts of the marts and the peak memory (RSS high-water mark of this process, which runs
DuckDB in-process). DuckDB's own memory limit and threads can be set with `--memory-limit`/`--threads`.

    .venv/bin/python benchmarks/bench_model.py --scale 0.05
    .venv/bin/python benchmarks/bench_model.py --scale 40 --threads 2 --memory-limit 3GB
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")

import duckdb  # noqa: E402

from pipelines import settings  # noqa: E402
from pipelines.build import build, model_params  # noqa: E402
from pipelines.sqlrunner import read_models, run_models  # noqa: E402

MARTS = (
    "trajecten",
    "maand_stromen",
    "wachttijden",
    "wachttijden_maand",
    "caseload_team",
    "signalen",
    "aanbieder_profiel",
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=0.05)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=REPO / "data" / "bench")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory-limit", default="3GB")
    args = ap.parse_args()

    source = args.workdir / f"bron-{args.scale}"
    db = args.workdir / f"bench-{args.scale}.duckdb"
    if not source.exists():
        from generator import generate

        t0 = time.perf_counter()
        generate(source, scale=args.scale, seed=args.seed)
        print(f"generate: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    build(source, db, show_progress=False)
    print(f"full build (extract + load + models): {time.perf_counter() - t0:.1f} s")

    params = model_params(None)
    own = {m for m, model in read_models(settings.SQL_DIR).items() if model.layer != "macros"}
    work = args.workdir / "bench-models.duckdb"
    timings = []
    for _ in range(args.repeat):
        shutil.copy(db, work)
        con = duckdb.connect(str(work))
        con.execute(f"set threads = {args.threads}")
        con.execute("set memory_limit = $m", {"m": args.memory_limit})
        for name in own:
            con.execute(f"drop table if exists {name}")
        t0 = time.perf_counter()
        run_models(con, settings.SQL_DIR, params=params)
        timings.append(time.perf_counter() - t0)
        counts = {m: con.execute(f"select count(*) from {m}").fetchone()[0] for m in MARTS}
        con.close()
    work.unlink(missing_ok=True)
    print(f"SQL models: {', '.join(f'{t:.2f}' for t in timings)} s (threads={args.threads})")
    for mart, n in counts.items():
        print(f"  {mart:20s} {n:>12,d} rows")
    print(f"peak memory (RSS): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
