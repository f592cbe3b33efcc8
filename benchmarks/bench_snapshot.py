"""Benchmark of making a frozen snapshot (pipelines/snapshot.py, issue 15).

Times `snapshot.make_snapshot` (version check, the copy of the marts, reference relations and macros into
a new file, the atomic link, the metadata in a fresh store) on a built database, `--repeat` times, and
reports seconds, the sizes of the live database and the snapshot, and the rows copied; then (`--queries N`)
every table macro, best of N, on the live database and on the snapshot (page speed on a snapshot). Each round writes
into a fresh folder that is removed afterwards. Targets: sample region (scale 1) < 5 s, `--scale 40` < 60 s.

    .venv/bin/python benchmarks/bench_snapshot.py                              # sample_data/, built first
    .venv/bin/python benchmarks/bench_snapshot.py --db /tmp/s1.duckdb          # an existing database
    .venv/bin/python benchmarks/bench_snapshot.py --scale 40 --workdir /tmp/bench-s40   # generate + build
    .venv/bin/python benchmarks/bench_snapshot.py --source /tmp/s40 --scale 40 --workdir /tmp/bench-s40

The database is built (with the real build) only when it is not in `--workdir` yet; `--scale` other than 1
generates a region (seed 2026) first unless `--source` is given. Results go to `benchmarks/out/`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")

import duckdb  # noqa: E402
from machine import load1, wait_for_quiet  # noqa: E402

from pipelines import snapshot  # noqa: E402
from pipelines.store import open_store  # noqa: E402


def _ensure_db(args: argparse.Namespace) -> tuple[Path, dict]:
    if args.db is not None:
        return args.db, {}
    args.workdir.mkdir(parents=True, exist_ok=True)
    db = args.workdir / f"snapshot-bench-{args.scale:g}.duckdb"
    info: dict = {}
    if db.exists():
        return db, info
    source = args.source
    if source is None and args.scale == 1:
        source = REPO / "sample_data"
    if source is None:
        source = args.workdir / f"bron-{args.scale:g}"
        if not source.exists():
            from generator import generate

            t0 = time.perf_counter()
            generate(source, scale=args.scale, seed=args.seed)
            info["generate_s"] = round(time.perf_counter() - t0, 1)
            print(f"generate: {info['generate_s']} s", file=sys.stderr)
    from pipelines.build import build

    t0 = time.perf_counter()
    build(source, db, show_progress=False)
    info["build_s"] = round(time.perf_counter() - t0, 1)
    print(f"build: {info['build_s']} s", file=sys.stderr)
    return db, info


def _rows(path: Path) -> dict[str, int]:
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{path}' as k (read_only)")
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'k'"
            ).fetchall()
        ]
        return {t: con.execute(f'select count(*) from k.main."{t}"').fetchall()[0][0] for t in sorted(tables)}
    finally:
        con.close()


def _attach(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        ":memory:"
    )  # as dashboard/data.py: a fresh instance that attaches the file read-only
    con.execute(f"attach '{path}' as k (read_only)")
    con.execute("use k")
    return con


def _macro_seconds(live: Path, snap: Path, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """Best-of-`rounds` seconds of every table macro on the live database and on the snapshot, interleaved
    (live, snapshot, live, ...) so a burst of load hits both; the period over all data, other filters NULL."""
    cons = [_attach(live), _attach(snap)]
    try:
        peildatum = cons[0].execute("select peildatum from peildatum").fetchall()[0][0]
        values = {"p_van": date(2000, 1, 1), "p_tot": peildatum, "p_niveau": "totaal", "p_aanloop_maanden": 3}
        macros = (
            cons[1]
            .execute(
                "select function_name, parameters from duckdb_functions()"
                " where database_name = 'k' and function_type = 'table_macro'"
                " and not list_has_any(parameters, ['bron', 'regels'])"  # the build-time iJw rules
                " order by 1"
            )
            .fetchall()
        )
        out: tuple[dict[str, float], dict[str, float]] = ({}, {})
        for name, params in macros:
            call = f"select * from {name}({', '.join('$' + p for p in params)})"
            bound = {p: values.get(p) for p in params}
            for _ in range(rounds):
                for side, con in enumerate(cons):
                    t0 = time.perf_counter()
                    con.execute(call, bound).fetchall()
                    elapsed = time.perf_counter() - t0
                    out[side][name] = min(out[side].get(name, elapsed), elapsed)
        return out
    finally:
        for con in cons:
            con.close()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing built database (no build)")
    ap.add_argument("--scale", type=float, default=1.0, help="1 = sample_data/; else a generated region")
    ap.add_argument("--source", type=Path, help="source folder to build from (instead of generating)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "ketenmonitor-bench-snapshot"
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-load", type=float, default=1.5)
    ap.add_argument("--load-wait", type=float, default=120)
    ap.add_argument("--out", default=None, help="name of the JSON in benchmarks/out/")
    ap.add_argument(
        "--queries", type=int, default=3, help="rounds of every macro on live and snapshot (0 = skip)"
    )
    args = ap.parse_args()

    db, info = _ensure_db(args)
    seconds, loads = [], []
    live_q: dict[str, float] = {}
    snap_q: dict[str, float] = {}
    size = 0
    rows: dict[str, int] = {}
    for i in range(args.repeat):
        loads.append(wait_for_quiet(args.max_load, args.load_wait, "snapshot"))
        work = Path(tempfile.mkdtemp(prefix="snapshot-bench-", dir=db.parent))
        try:
            store = open_store(work / "store.sqlite")
            t0 = time.perf_counter()
            snap = snapshot.make_snapshot(f"bench {i}", db=db, store=store, directory=work, door="bench")
            seconds.append(time.perf_counter() - t0)
            size = Path(snap.bestand).stat().st_size
            if not rows:
                rows = _rows(Path(snap.bestand))
                if args.queries:
                    live_q, snap_q = _macro_seconds(db, Path(snap.bestand), args.queries)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        print(f"round {i}: {seconds[-1]:.2f} s (load {loads[-1]:.2f})", file=sys.stderr)
    result = {
        "db": str(db),
        "scale": args.scale if args.db is None else None,
        "db_mb": round(db.stat().st_size / 2**20, 1),
        "snapshot_mb": round(size / 2**20, 1),
        "seconds": [round(s, 3) for s in seconds],
        "best_s": round(min(seconds), 3),
        "median_s": round(sorted(seconds)[len(seconds) // 2], 3),
        "load_before": loads,
        "load_after": load1(),
        "rows_copied": sum(rows.values()),
        "rows": rows,
        "macros_live_s": round(sum(live_q.values()), 3),
        "macros_snapshot_s": round(sum(snap_q.values()), 3),
        "macros": {m: [round(live_q[m], 4), round(snap_q.get(m, float("nan")), 4)] for m in live_q},
        **info,
    }
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    name = args.out or f"bench_snapshot_scale{args.scale:g}"
    (out / f"{name}.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps({k: v for k, v in result.items() if k not in {"rows", "macros"}}, indent=2, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
