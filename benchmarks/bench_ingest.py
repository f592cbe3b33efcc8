"""Ingest benchmark: lxml parse-only throughput vs the full iJw extraction and the full build.

Usage: python benchmarks/bench_ingest.py [--source DIR] [--scale 1.0] [--workers N]

Without --source it uses sample_data/ when present, else generates a region at --scale into a temp dir.
It measures, on the same files:
- parse-only: lxml with the same safe parser, single process, messages/s (loose vs zip), plus the
  number of record elements (records/s);
- extract: the iJw extractor (validation, pseudonymisation, accounting, Parquet), with `--workers`;
- build: the full build (all extractors, DuckDB load, SQL models).
Prints a table and writes JSON to benchmarks/out/bench_ingest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def parse_only(files: list) -> dict:
    from lxml import etree

    from pipelines.ijw.xml_reader import _PARSER, RECORD_TAGS

    tags = {t for tags in RECORD_TAGS.values() for t in tags}
    out = {"loose": [0, 0, 0.0], "zip": [0, 0, 0.0]}  # messages, records, seconds

    def count(data: bytes) -> int:
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            return 0
        return sum(1 for el in root.iter(etree.Element) if etree.QName(el).localname in tags) or 1

    for f in files:
        rel = f.rel.lower()
        if rel.endswith(".xml"):
            t = time.perf_counter()
            n = count(f.path.read_bytes())
            out["loose"][2] += time.perf_counter() - t
            out["loose"][0] += 1
            out["loose"][1] += n
        elif rel.endswith(".zip"):
            t = time.perf_counter()
            with zipfile.ZipFile(f.path) as zf:
                for info in zf.infolist():
                    if info.filename.lower().endswith(".xml"):
                        out["zip"][1] += count(zf.read(info))
                        out["zip"][0] += 1
            out["zip"][2] += time.perf_counter() - t
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")
    os.environ["KETENMONITOR_WORKERS"] = str(args.workers)

    from pipelines.build import build, find_files
    from pipelines.extract import ExtractContext
    from pipelines.ijw.extractor import EXTRACTOR

    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    if args.source:
        source = Path(args.source)
    elif (REPO / "sample_data").exists():
        source = REPO / "sample_data"
    else:
        from pipelines.generate import generate

        source = tmp / "bron"
        t = time.perf_counter()
        generate(source, scale=args.scale, seed=2026)
        print(f"generated scale {args.scale} in {time.perf_counter() - t:.1f}s", file=sys.stderr)

    files = find_files(source)
    mine = EXTRACTOR.claim(files, None)
    xml_files = [f for f in mine if f.rel.lower().endswith((".xml", ".zip")) and "csv" not in f.rel.lower()]

    po = parse_only(xml_files)
    po_msgs = po["loose"][0] + po["zip"][0]
    po_recs = po["loose"][1] + po["zip"][1]
    po_secs = po["loose"][2] + po["zip"][2]

    wd = tmp / "work"
    wd.mkdir()
    ctx = ExtractContext(
        source=source, workdir=wd, key=b"benchmark", workers=args.workers, show_progress=False
    )
    t = time.perf_counter()
    res = EXTRACTOR.extract(xml_files, ctx)
    ex_secs = time.perf_counter() - t
    ex_msgs = sum(1 for r in res.reports if r.kind == "ijw-xml")
    ex_recs = sum(r.records_read for r in res.reports)

    wd2 = tmp / "work2"
    wd2.mkdir()
    ctx2 = ExtractContext(
        source=source, workdir=wd2, key=b"benchmark", workers=args.workers, show_progress=False
    )
    t = time.perf_counter()
    res_all = EXTRACTOR.extract(mine, ctx2)
    all_secs = time.perf_counter() - t
    all_recs = sum(r.records_read for r in res_all.reports)

    build_secs = None
    build_error = None
    if not args.skip_build:
        t = time.perf_counter()
        try:
            build(source, tmp / "bench.duckdb", show_progress=False)
            build_secs = time.perf_counter() - t
        except Exception as exc:  # another model failing must not hide the ingest figures
            build_error = f"{type(exc).__name__}: {str(exc)[:200]}"

    def rate(n: float, s: float) -> float:
        return n / s if s else 0.0

    result = {
        "source": str(source),
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "parse_only": {
            "messages": po_msgs,
            "records": po_recs,
            "seconds": round(po_secs, 3),
            "messages_per_s": round(rate(po_msgs, po_secs)),
            "records_per_s": round(rate(po_recs, po_secs)),
            "loose_messages_per_s": round(rate(po["loose"][0], po["loose"][2])),
            "zip_messages_per_s": round(rate(po["zip"][0], po["zip"][2])),
        },
        "extract_xml": {
            "messages": ex_msgs,
            "records": ex_recs,
            "seconds": round(ex_secs, 3),
            "messages_per_s": round(rate(ex_msgs, ex_secs)),
            "records_per_s": round(rate(ex_recs, ex_secs)),
        },
        "extract_all_ijw_incl_csv": {
            "records": all_recs,
            "seconds": round(all_secs, 3),
            "records_per_s": round(rate(all_recs, all_secs)),
        },
        "build_seconds": None if build_secs is None else round(build_secs, 3),
        "build_error": build_error,
    }
    result["extract_vs_parse_only"] = round(
        rate(ex_msgs, ex_secs) / rate(po_msgs, po_secs) if po_secs and ex_secs else 0.0, 2
    )
    print(f"{'stage':<34}{'messages':>10}{'records':>10}{'seconds':>9}{'msg/s':>9}{'rec/s':>9}")
    p = result["parse_only"]
    print(f"{'lxml parse-only (1 proces)':<34}{po_msgs:>10}{po_recs:>10}{po_secs:>9.2f}"
          f"{p['messages_per_s']:>9}{p['records_per_s']:>9}")  # fmt: skip
    print(f"{'  waarvan los':<34}{po['loose'][0]:>10}{po['loose'][1]:>10}{po['loose'][2]:>9.2f}"
          f"{p['loose_messages_per_s']:>9}{'':>9}")  # fmt: skip
    print(f"{'  waarvan zip':<34}{po['zip'][0]:>10}{po['zip'][1]:>10}{po['zip'][2]:>9.2f}"
          f"{p['zip_messages_per_s']:>9}{'':>9}")  # fmt: skip
    e = result["extract_xml"]
    print(f"{f'iJw-extractie XML ({args.workers} workers)':<34}{ex_msgs:>10}{ex_recs:>10}{ex_secs:>9.2f}"
          f"{e['messages_per_s']:>9}{e['records_per_s']:>9}")  # fmt: skip
    a = result["extract_all_ijw_incl_csv"]
    print(
        f"{'iJw-extractie XML + CSV':<34}{'':>10}{all_recs:>10}{all_secs:>9.2f}{'':>9}{a['records_per_s']:>9}"
    )
    if build_secs is not None:
        print(f"{'volledige build':<34}{'':>10}{'':>10}{build_secs:>9.2f}")
    elif build_error:
        print(f"volledige build mislukt: {build_error}")
    print(f"extractie / parse-only (berichten/s): {result['extract_vs_parse_only']:.2f} (doel >= 0.5)")
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_ingest.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
