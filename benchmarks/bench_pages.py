"""Single-session page runs, warm or cold caches: where a script run's time goes, page by page.

Usage:
    python benchmarks/bench_pages.py --db /tmp/s1.duckdb [--repeat 7] [--cold] [--profile] [--out NAME]
        [--momentopname NAAM] [--als E-MAIL]

One in-process Streamlit session (AppTest) against --db; --repeat rounds visit every page in turn (a page
switch, as in bench_dashboard's "page run"), then on Overzicht change the gemeente ("filter change").

- warm (default): every page is run once first and the filter changes go back and forth between two
  gemeenten and "alle", so every measured run finds its data, protection, specs and tables cached;
- --cold: every measured run is the first with its filters: before each page visit a gemeente/aanbieder
  combination not used before is chosen on Overzicht (the measured Overzicht run is that choice itself),
  and each filter change picks another unused one. Only the filter options and the build facts are cached. This is what
  most runs in bench_dashboard are, where every session picks other filters each round.

The time of a run is what the app's own timing hook (dashboard/timing.py) logs: from the top of app.py to
the end of the page, the same figure bench_dashboard reports server-side. Reported per page: median and
min of the --repeat runs, and the sum of the medians. With --profile a cProfile of all measured runs is
written next to the JSON and its top functions (cumulative time) are printed.

No browser and no websocket: this is the script's own work (queries on a cache miss, protection, chart
specs, table serialisation), not delivery or drawing. Scripts are compiled once, as by the server (AppTest
alone would compile app.py and the page on every run). A benchmark to run and report, never a timed test.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.machine import load1, pct  # noqa: E402

PAGES = ["stromen", "wachttijden", "caseload", "signalen", "overzicht"]


def filter_codes(db: Path, soort: str) -> list[str]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.sql(
            "select waarde from filter_opties() where soort = $s order by waarde", params={"s": soort}
        ).fetchall()
    finally:
        con.close()
    return [r[0] for r in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--cold", action="store_true", help="every measured run with filters not used before")
    ap.add_argument("--profile", action="store_true", help="cProfile the measured runs")
    ap.add_argument("--out", default="bench_pages")
    ap.add_argument(
        "--momentopname",
        help="run every page on this snapshot (its name or file stem, as ?momentopname= in a link) of --db",
    )
    ap.add_argument(
        "--als",
        help="run as this user of the roles file (demo mode, ?als=): a chain partner's or team manager's view "
        "(pseudonyms, own teams) against the contract manager's; not with --cold (its filters are AGB codes)",
    )
    args = ap.parse_args()
    if args.als and args.cold:
        ap.error("--als works without --cold only")

    log = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "timing.tsv"
    os.environ["KETENMONITOR_TIMING_LOG"] = str(log)
    os.environ["KETENMONITOR_DB"] = str(Path(args.db).absolute())

    from streamlit.runtime.scriptrunner import script_cache
    from streamlit.testing.v1 import AppTest

    # AppTest compiles app.py and the page (with magic) on every run, a served app once per process (one
    # ScriptCache per runtime): share one cache between the runs, as the server does.
    shared: dict = {}
    init = script_cache.ScriptCache.__init__

    def shared_cache(self) -> None:
        init(self)
        self._cache = shared

    script_cache.ScriptCache.__init__ = shared_cache

    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=300)
    if args.momentopname:
        at.query_params["momentopname"] = args.momentopname
    if args.als:
        at.query_params["als"] = args.als
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if args.momentopname:  # the snapshot is in view (its banner), not silently the live database
        assert any("Momentopname" in i.value for i in at.info), "the snapshot is not in view"

    if args.als and at.sidebar.selectbox(key="demo_als").value != args.als:
        raise SystemExit(f"--als {args.als}: not a user of the roles file")
    # the pages of this user's role (all for the contract manager)
    rol = {p.url_path or "overzicht" for p in at.session_state["_paginas"]}
    pages = [p for p in PAGES if p in rol]

    def run_page(name: str) -> None:
        at.switch_page(f"views/{name}.py").run()
        assert not at.exception, [e.value for e in at.exception]

    def choose(value: str, key: str = "gemeente") -> None:
        at.sidebar.selectbox(key=f"filter_{key}").select(value).run()
        assert not at.exception, [e.value for e in at.exception]

    def last_ms() -> float:
        return float(log.read_text().splitlines()[-1].split("\t")[4])

    gemeenten = filter_codes(Path(args.db), "gemeente")
    # cold: (gemeente, aanbieder) combinations, each used once; warm: two gemeenten and back to "alle"
    fresh = iter([(g, a) for a in filter_codes(Path(args.db), "aanbieder") for g in gemeenten])
    filter_values = [*gemeenten[:2], "alle"]
    for name in pages:  # warm-up: fills the caches (cold: only the ones every run shares)
        run_page(name)
    for value in filter_values:
        choose(value)

    def page_run(name: str) -> float:
        if args.cold:
            # the filters are chosen on Overzicht (every global filter is active there; on Definities they
            # are disabled); on Overzicht itself the measured run is the second choice
            at.switch_page("views/overzicht.py").run()
            g, a = next(fresh)
            choose(a, "aanbieder")
            choose(g)
            if name == "overzicht":
                return last_ms()
        run_page(name)
        return last_ms()

    def filter_change(value: str) -> float:
        if args.cold:
            g, a = next(fresh)
            choose(a, "aanbieder")  # on Overzicht: a run with a new combination (measured below) ...
            choose(g)  # ... and the measured one, again new
        else:
            choose(value)
        return last_ms()

    load_start = load1()
    prof = cProfile.Profile() if args.profile else None
    if prof:
        # the script runs in a thread of its own (one per run): start the profiler in each new thread;
        # the main thread only waits for it and is not profiled
        threading.setprofile(lambda *_: (sys.setprofile(None), prof.enable()))
    page_ms: dict[str, list[float]] = {p: [] for p in pages}
    filter_ms: list[float] = []
    for _ in range(args.repeat):
        for name in pages:
            page_ms[name].append(page_run(name))
        for v in filter_values:
            filter_ms.append(filter_change(v))
    load_end = load1()

    page_all = [ms for runs in page_ms.values() for ms in runs]
    per_page = {
        p: {"median": round(statistics.median(v), 1), "min": round(min(v), 1)} for p, v in page_ms.items()
    }
    result = {
        "benchmark": "bench_pages",
        "date": datetime.now().isoformat(timespec="seconds"),
        "db": str(args.db),
        "repeat": args.repeat,
        "caches": "cold" if args.cold else "warm",
        "load": {"start": load_start, "end": load_end},
        "page_run_ms": per_page,
        "page_run_sum_of_medians_ms": round(sum(v["median"] for v in per_page.values()), 1),
        "page_run_all_ms": {"p50": pct(page_all, 50), "p95": pct(page_all, 95)},
        "momentopname": args.momentopname,
        "als": args.als,
        "filter_change_ms": {
            "median": round(statistics.median(filter_ms), 1),
            "min": round(min(filter_ms), 1),
        },
    }
    out = REPO / "benchmarks" / "out" / f"{args.out}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(
        f"bench_pages ({result['caches']} caches): {args.repeat} rounds, load {load_start:.2f} -> {load_end:.2f}"
    )
    print("| page | median ms | min ms |\n|---|---:|---:|")
    for p, v in per_page.items():
        print(f"| {p} | {v['median']} | {v['min']} |")
    print(f"| all five (sum of medians) | {result['page_run_sum_of_medians_ms']} | |")
    print(
        f"| every page run: p50 / p95 | {result['page_run_all_ms']['p50']} / {result['page_run_all_ms']['p95']} | |"
    )
    print(
        f"| filter change (Overzicht, gemeente) | {result['filter_change_ms']['median']} | "
        f"{result['filter_change_ms']['min']} |"
    )
    if prof:
        prof_path = out.with_suffix(".prof")
        prof.dump_stats(prof_path)
        stats = pstats.Stats(str(prof_path))
        stats.sort_stats("cumulative").print_stats(45)
    print(f"-> {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
