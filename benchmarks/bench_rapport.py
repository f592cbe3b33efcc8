"""Benchmark of the session report (dashboard/rapport.py, issue 15): a report of 4 charts with a note on
every question and two annotations, rendered to PDF, `--repeat` times (p50/p95). Target: < 10 s.

Each run does what the "Download verslag (PDF)" button does on click (dashboard/verslag_grafieken.py:
`verslag_pdf`): read the notes and annotations from the store, render the 4 PNGs through the dashboard's
export pipeline (Altair + vl-convert), write the HTML and print it to PDF with chromium (Playwright, a new
browser per report). The charts' frames come from the dashboard's query layer as on the page (the first
run fills its caches, as the page run before the click does); the time of gathering them is reported
apart (`opdracht_s`).

    .venv/bin/python benchmarks/bench_rapport.py                       # sample_data/, built into --workdir
    .venv/bin/python benchmarks/bench_rapport.py --db /tmp/s1.duckdb   # an existing database (read only)

Results go to `benchmarks/out/bench_rapport.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))
os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")

from machine import load1, wait_for_quiet  # noqa: E402

CHARTS = 4


def _ensure_db(args: argparse.Namespace) -> Path:
    if args.db is not None:
        return args.db
    db = args.workdir / "rapport-bench.duckdb"
    if not db.exists():
        from pipelines.build import build

        args.workdir.mkdir(parents=True, exist_ok=True)
        build(REPO / "sample_data", db, show_progress=False)
    return db


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bench-rapport")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--max-load", type=float, default=1.5)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out" / "bench_rapport.json")
    args = parser.parse_args()

    db = _ensure_db(args)
    os.environ["KETENMONITOR_DB"] = str(db)
    store_dir = Path(tempfile.mkdtemp(prefix="bench-rapport-store-"))
    os.environ["KETENMONITOR_STORE"] = str(store_dir / "store.sqlite")

    from datetime import date

    from dashboard import data, verslag_grafieken
    from dashboard.filtermodel import ALLE, Filters
    from pipelines.store import VRAGEN, open_store

    store = open_store()
    opties = data.fetch("filter_opties")
    maanden = sorted(
        date.fromisoformat(w) for s, w in zip(opties["soort"], opties["waarde"], strict=True) if s == "maand"
    )
    f = Filters(maanden[-24], maanden[-1], ALLE, ALLE, ALLE, ALLE)
    teams = verslag_grafieken._teams(f)
    keys = [
        "stromen.instroom_uitstroom",
        "wachttijden.verloop:behandeling",
        f"caseload.verloop:{next(iter(teams))}",
        "signalen.per_maand",
    ][:CHARTS]
    for key in keys:
        for vraag in VRAGEN:
            store.save_note(key, vraag, f"Notitie bij {key}, vraag {vraag}: " + "tekst " * 40, "Benchmark")
    store.add_annotation(maanden[-6], "Nieuw contract", "Een toelichting.", "contract", "Benchmark")
    store.add_annotation(maanden[-3], "Andere registratie", "", "registratie", "Benchmark")

    wait_for_quiet(args.max_load, 300, "bench_rapport")
    t0 = time.perf_counter()
    opdracht = verslag_grafieken.opdracht(keys, f)
    opdracht_s = time.perf_counter() - t0
    runs: list[dict] = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        pdf = verslag_grafieken.verslag_pdf(
            opdracht, store
        )  # as the button: HTML built while chromium starts
        t1 = time.perf_counter()
        html = verslag_grafieken.verslag_html(opdracht, store)  # the HTML alone, for the record
        t2 = time.perf_counter()
        assert pdf.startswith(b"%PDF")
        runs.append({"totaal_s": t1 - t0, "html_s": t2 - t1, "pdf_bytes": len(pdf), "html_bytes": len(html)})
        print(f"pdf (totaal) {t1 - t0:.2f} s; html alleen {t2 - t1:.2f} s; {len(pdf):,} bytes")
    totals = [r["totaal_s"] for r in runs]
    result = {
        "db": str(db),
        "charts": keys,
        "repeat": args.repeat,
        "opdracht_s": round(opdracht_s, 3),
        "p50_s": round(statistics.median(totals), 3),
        "p95_s": round(_percentile(totals, 95), 3),
        "max_s": round(max(totals), 3),
        "html_p50_s": round(statistics.median(r["html_s"] for r in runs), 3),
        "load1_after": load1(),
        "target_s": 10,
        "runs": runs,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), "utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
