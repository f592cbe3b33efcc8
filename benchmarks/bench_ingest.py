"""Ingest benchmark: lxml parse-only throughput vs the full iJw extraction, and the full build.

Usage:
    python benchmarks/bench_ingest.py [--source DIR | --scale F] [--workers 2] [--skip-build]
                                      [--build-only] [--out NAME] [--max-load 1.5]

Without --source it uses sample_data/ when present (and --scale is 1), else generates a region at --scale
(seed 2026) into a temp dir. On the SAME files (every iJw XML message, loose or in a zip; the CSV export
is left out of the ratio) it measures:

- parse-only, 1 process and `--workers` processes: read the file (zip members from memory), parse with
  the extractor's safe lxml parser and count the record elements in C (`iter("{*}Tag")`). The N-process
  run uses the extractor's own job split (`make_jobs`) and a spawn pool, pool start-up included, exactly
  like the extractor;
- full extract with `--workers` processes: the iJw extractor (validation, pseudonymisation, accounting,
  duplicate detection, Parquet parts), pool start-up included;
- ratio = full extract msgs/s / parse-only msgs/s, both with `--workers` processes (the target is >= 0.5);
- the full build (`pipelines.build.build`: all extractors, DuckDB load, SQL models, swap) in a child
  process, with the seconds of every SQL model and the peak RSS of the whole process tree (the build and
  its spawned workers, sampled from /proc every 0.2 s; shared pages are counted once per process, so the
  figure is an upper bound).

Before each measurement the 1-minute load average is checked: above --max-load the benchmark waits (up to
--load-wait seconds) and records the load it measured under. Prints a table and writes JSON to
benchmarks/out/<--out>.json (default bench_ingest).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.machine import wait_for_quiet  # noqa: E402

# ---------------------------------------------------------------- load and memory


def _tree_rss_kb(root: int) -> int:
    """Sum of VmRSS (kB) of `root` and all its descendants."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        pid = int(stat.parent.name)
        ppid = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(pid)
    total = 0
    todo = [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total


class TreeSampler:
    """Samples the RSS of a process tree in a thread; `peak_kb` is the maximum seen."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak_kb = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---------------------------------------------------------------- parse-only


def _holds_csv(path: Path) -> bool:
    if not path.name.lower().endswith(".zip"):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return any(n.lower().endswith(".csv") for n in zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def parse_only_job(job) -> tuple[int, int]:
    """Messages and record elements of one extractor job, parse only (module level: runs in a pool)."""
    from lxml import etree

    from pipelines.ijw.xml_reader import _PARSER, RECORD_TAGS

    tags = tuple(sorted({"{*}" + t for tags in RECORD_TAGS.values() for t in tags}))

    def count(data: bytes) -> int:
        try:
            root = etree.fromstring(data, _PARSER)
        except (etree.XMLSyntaxError, ValueError):
            return 1
        return sum(1 for _ in root.iter(*tags)) or 1

    messages = records = 0
    for disk, rel in job.files:
        path = Path(disk)
        if rel.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
                    for info in zf.infolist():
                        if info.filename.lower().endswith(".xml"):
                            records += count(zf.read(info))
                            messages += 1
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
                continue
        else:
            records += count(path.read_bytes())
            messages += 1
    return messages, records


def parse_only(jobs: list, processes: int) -> tuple[int, int, float]:
    import multiprocessing as mp

    t = time.perf_counter()
    if processes > 1:
        with mp.get_context("spawn").Pool(processes) as pool:
            parts = list(pool.imap_unordered(parse_only_job, jobs, chunksize=1))
    else:
        parts = [parse_only_job(j) for j in jobs]
    return sum(p[0] for p in parts), sum(p[1] for p in parts), time.perf_counter() - t


# ---------------------------------------------------------------- build child


def build_child(source: str, db: str, out: str) -> int:
    """Run the full build here (a child of the benchmark) and write total and per-model seconds."""
    from pipelines.build import build

    models: dict[str, float] = {}
    t = time.perf_counter()
    result = build(Path(source), Path(db), show_progress=False, on_model=lambda n, s: models.setdefault(n, s))
    total = time.perf_counter() - t
    Path(out).write_text(
        json.dumps(
            {
                "seconds": total,
                "models": models,
                "files": len(result.reports),
                "records_read": sum(r.records_read for r in result.reports),
            }
        ),
        "utf-8",
    )
    return 0


def run_build(source: Path, tmp: Path) -> dict:
    out = tmp / "build.json"
    cmd = [sys.executable, __file__, "--_build-child", str(source), str(tmp / "bench.duckdb"), str(out)]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    with TreeSampler(proc.pid) as sampler:
        _, err = proc.communicate()
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        return {"error": err.strip().splitlines()[-1][:300] if err.strip() else f"exit {proc.returncode}"}
    info = json.loads(out.read_text("utf-8"))
    models = info["models"]
    return {
        "seconds": round(info["seconds"], 1),
        "wall_seconds_incl_start": round(wall, 1),
        "files": info["files"],
        "records_read": info["records_read"],
        "models_seconds": round(sum(models.values()), 1),
        "extract_and_load_seconds": round(info["seconds"] - sum(models.values()), 1),
        "peak_rss_tree_mb": round(sampler.peak_kb / 1024),
        "slowest_models": {k: round(v, 2) for k, v in sorted(models.items(), key=lambda kv: -kv[1])[:10]},
        "error": None,
    }


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--source")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="only the full build (large scales)")
    ap.add_argument("--out", default="bench_ingest")
    ap.add_argument("--repeat", type=int, default=3, help="best of N for each throughput figure")
    ap.add_argument("--max-load", type=float, default=1.5)
    ap.add_argument("--load-wait", type=float, default=600)
    ap.add_argument("--_build-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.setdefault("KETENMONITOR_PSEUDONYM_KEY", "benchmark-sleutel")
    os.environ["KETENMONITOR_WORKERS"] = str(args.workers)
    if args._build_child:
        return build_child(*args._build_child)

    from pipelines.build import find_files
    from pipelines.extract import ExtractContext
    from pipelines.ijw.extractor import EXTRACTOR, make_jobs

    tmp = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    if args.source:
        source = Path(args.source)
    elif (REPO / "sample_data").exists() and args.scale == 1.0:
        source = REPO / "sample_data"
    else:
        from generator import generate

        source = tmp / "bron"
        t = time.perf_counter()
        generate(source, scale=args.scale, seed=2026)
        print(f"generated scale {args.scale} in {time.perf_counter() - t:.1f}s", file=sys.stderr)

    result: dict = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GB",
        "source": str(source),
        "scale": None if args.source else args.scale,
        "workers": args.workers,
        "load_1min": {},
    }
    rows = []
    if not args.build_only:
        files = find_files(source)
        mine = EXTRACTOR.claim(files, None)
        # the XML messages (loose and zipped); the CSV export (also a zip) is not part of the ratio
        xml_files = [f for f in mine if f.rel.lower().endswith((".xml", ".zip")) and not _holds_csv(f.path)]
        jobs = make_jobs(xml_files, ExtractContext(source=source, workdir=tmp, key=b"", workers=args.workers))
        result["files"] = len(xml_files)
        result["repeat"] = args.repeat

        # best of --repeat, interleaved, so that a burst of load from others hits one sample, not a figure
        best: dict[str, tuple] = {}
        for i in range(args.repeat):
            result["load_1min"][f"round_{i + 1}"] = wait_for_quiet(args.max_load, args.load_wait, "meting")
            for label, procs in (("parse_1", 1), ("parse_n", args.workers)):
                m, r, secs = parse_only(jobs, procs)
                if label not in best or secs < best[label][2]:
                    best[label] = (m, r, secs)
            wd = tmp / f"work-{i}"
            wd.mkdir()
            ctx = ExtractContext(
                source=source, workdir=wd, key=b"benchmark", workers=args.workers, show_progress=False
            )
            t = time.perf_counter()
            res = EXTRACTOR.extract(xml_files, ctx)
            secs = time.perf_counter() - t
            if "extract" not in best or secs < best["extract"][2]:
                msgs = sum(1 for r in res.reports if r.kind == "ijw-xml")
                best["extract"] = (msgs, sum(r.records_read for r in res.reports), secs)
            shutil.rmtree(wd, ignore_errors=True)
        m1, r1, s1 = best["parse_1"]
        mn, rn, sn = best["parse_n"]
        ex_msgs, ex_recs, ex_secs = best["extract"]
        result.update(messages=ex_msgs, records=ex_recs)
        result["parse_only_1proc"] = {
            "messages": m1, "records": r1, "seconds": round(s1, 2),
            "messages_per_s": round(m1 / s1), "records_per_s": round(r1 / s1),
        }  # fmt: skip
        result["parse_only_nproc"] = {
            "processes": args.workers, "messages": mn, "records": rn, "seconds": round(sn, 2),
            "messages_per_s": round(mn / sn), "records_per_s": round(rn / sn),
        }  # fmt: skip
        result["extract"] = {
            "processes": args.workers, "messages": ex_msgs, "records": ex_recs, "seconds": round(ex_secs, 2),
            "messages_per_s": round(ex_msgs / ex_secs), "records_per_s": round(ex_recs / ex_secs),
        }  # fmt: skip
        result["ratio_extract_vs_parse_only_nproc"] = round((ex_msgs / ex_secs) / (mn / sn), 2)
        result["ratio_extract_vs_parse_only_1proc"] = round((ex_msgs / ex_secs) / (m1 / s1), 2)
        rows += [
            ("lxml parse-only, 1 proces", m1, r1, s1),
            (f"lxml parse-only, {args.workers} processen", mn, rn, sn),
            (f"volledige extractie, {args.workers} processen", ex_msgs, ex_recs, ex_secs),
        ]
    if not args.skip_build:
        result["load_1min"]["build"] = wait_for_quiet(args.max_load, args.load_wait, "build")
        result["build"] = run_build(source, tmp)

    print(f"{'meting':<36}{'berichten':>10}{'records':>11}{'seconden':>10}{'ber/s':>9}{'rec/s':>9}")
    for label, m, r, s in rows:
        print(f"{label:<36}{m:>10}{r:>11}{s:>10.2f}{m / s:>9.0f}{r / s:>9.0f}")
    if rows:
        print(
            f"ratio extractie / parse-only ({args.workers} processen): "
            f"{result['ratio_extract_vs_parse_only_nproc']:.2f} (doel >= 0.5); "
            f"t.o.v. 1 proces: {result['ratio_extract_vs_parse_only_1proc']:.2f}"
        )
    b = result.get("build")
    if b:
        if b.get("error"):
            print(f"volledige build mislukt: {b['error']}")
        else:
            print(
                f"volledige build: {b['seconds']} s (modellen {b['models_seconds']} s), "
                f"piek-RSS procesboom {b['peak_rss_tree_mb']} MB"
            )
            for name, secs in b["slowest_models"].items():
                print(f"  {name:<34}{secs:>8.2f} s")
    print(f"load (1 min) per meting: {result['load_1min']}")
    out = REPO / "benchmarks" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{args.out}.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    shutil.rmtree(tmp, ignore_errors=True)  # work dirs, the build's database, a generated region
    return 0


if __name__ == "__main__":
    sys.exit(main())
