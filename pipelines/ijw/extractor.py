"""The iJw extractor: claims iJw XML messages, zips of them (nested) and the flat CSV export, and turns
them into the `bron_*` source tables (see docs/ijw-ingestie.md).

Invariants:
- Parsing runs in spawned worker processes (one job = one zip/CSV file or a batch of loose XML files);
  each worker writes its own Parquet parts and returns only the accounting, so the parent never holds
  the rows.
- One FileReport per unit: loose file, zip member, or a zip refused whole.
- Exact duplicates (same SHA-256 of the unit's bytes) load once. The original is the lexicographically
  first path, whatever the processing order; every other copy gets status `duplicate` with
  records_read = records_loaded = records_quarantined = 0 and the reason "Exact duplicaat van <path>",
  and its path goes into `skip_files`, so the load leaves its rows out (the parts are not rewritten).
  Totals therefore count each distinct file once.
- Deterministic: job numbering follows the sorted relative paths, so part names and contents do not
  depend on scheduling.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import sys
import types
import zipfile
from collections.abc import Iterator
from pathlib import Path

from pipelines.extract import ExtractContext, ExtractResult, SourceFile
from pipelines.ijw import walk
from pipelines.ijw.csv_reader import is_export_header
from pipelines.ijw.reasons import reason
from pipelines.ijw.schemas import TABLES
from pipelines.ijw.sink import UnitResult
from pipelines.ijw.worker import Job, JobResult, gc_paused, run_job
from pipelines.progress import stage
from pipelines.report import FileReport

log = logging.getLogger(__name__)

LOOSE_BATCH = 2000  # at most this many files per job
MIN_JOB_BYTES = 256 * 1024
MAX_JOB_BYTES = 16 * 1024 * 1024
POOL_MIN_BYTES = 2 * 1024 * 1024  # below this total input size, parse in-process (spawn costs ~0.5 s)


def _peek_is_export(data: bytes) -> bool:
    first = data.split(b"\n", 1)[0].decode("utf-8", errors="replace")
    return is_export_header(first)


def claims_file(f: SourceFile) -> bool:
    """True for .xml, for a .csv with the iJw export header, and for a .zip holding such files."""
    lower = f.rel.lower()
    if lower.endswith(".xml"):
        return True
    try:
        if lower.endswith(".csv"):
            with f.path.open("rb") as fh:
                return _peek_is_export(fh.read(8192))
        if lower.endswith(".zip"):
            return _zip_is_ijw(f.path)
    except OSError:
        return False
    return False


def _zip_is_ijw(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i for i in zf.infolist() if not i.is_dir()]
            if any(i.filename.lower().endswith((".xml", ".zip")) for i in names):
                return True
            for info in names:
                if info.filename.lower().endswith(".csv") and not info.flag_bits & 0x1:
                    with zf.open(info) as fh:
                        if _peek_is_export(fh.read(8192)):
                            return True
            return False
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return True  # a broken .zip next to iJw data: report it rather than call it unknown
    except Exception:
        return True


def make_jobs(files: list[SourceFile], ctx: ExtractContext) -> list[Job]:
    """Deterministic jobs of consecutive files (sorted paths), each about `job_bytes` of input.

    Big enough that a job writes few, large Parquet parts; small enough (a quarter of a worker's share)
    that both workers stay busy until the end.
    """
    sized = []
    for f in sorted(files, key=lambda f: f.rel):
        try:
            size = f.path.stat().st_size
        except OSError:
            size = 0
        sized.append((f, size))
    total = sum(size for _, size in sized)
    job_bytes = min(MAX_JOB_BYTES, max(MIN_JOB_BYTES, total // (max(1, ctx.workers) * 4)))
    jobs: list[Job] = []
    batch: list[tuple[str, str]] = []
    batch_bytes = 0
    for f, size in sized:
        batch.append((str(f.path), f.rel))
        batch_bytes += max(size, 1024)
        if batch_bytes >= job_bytes or len(batch) >= LOOSE_BATCH:
            jobs.append(Job(len(jobs), batch, str(ctx.workdir), ctx.key, ctx.limits))
            batch, batch_bytes = [], 0
    if batch:
        jobs.append(Job(len(jobs), batch, str(ctx.workdir), ctx.key, ctx.limits))
    return jobs


@contextlib.contextmanager
def _worker_env(**values: str):
    """Environment for the spawned workers only: set while the pool starts, restored after.

    One Polars thread per worker: the workers already use every core, and Polars' own thread pool in each
    of them only adds contention (measured ~4 % slower with the default pool on 2 cores). A value the
    user set is left alone.
    """
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        os.environ.setdefault(k, v)
    try:
        yield
    finally:
        for k, was in old.items():
            if was is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = was


@contextlib.contextmanager
def _no_main_script() -> Iterator[None]:
    """While the pool lives, `__main__` is an empty module: a spawned worker imports the parent's main script
    (multiprocessing.spawn.prepare, by `__spec__` or `__file__`), and the parent may be any host program, e.g.
    a test process that ran the dashboard's script through AppTest (which leaves that script as `__main__`);
    every worker would then run the app. The workers need nothing from it (`run_job` lives here)."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = main


def run_jobs(jobs: list[Job], ctx: ExtractContext, total_bytes: int) -> list[JobResult]:
    """Run the jobs on a spawn pool (or in-process for small inputs), with progress."""
    results: list[JobResult] = []
    n_files = sum(len(j.files) for j in jobs)
    with stage("iJw inlezen", n_files, ctx.show_progress) as st:
        workers = min(max(1, ctx.workers), len(jobs))
        if workers > 1 and total_bytes >= POOL_MIN_BYTES:
            pool_ctx = mp.get_context("spawn")
            with _worker_env(POLARS_MAX_THREADS="1"), _no_main_script(), pool_ctx.Pool(workers) as pool:
                for res in pool.imap_unordered(run_job, jobs, chunksize=1):
                    results.append(res)
                    st.advance(len(jobs[res.index].files), res.records)
        else:
            for job in jobs:
                res = run_job(job)
                results.append(res)
                st.advance(len(job.files), res.records)
    results.sort(key=lambda r: r.index)
    return results


def mark_duplicates(units: list[UnitResult]) -> frozenset[str]:
    """Turn every non-original copy into a `duplicate` report; returns the paths of those copies."""
    by_hash: dict[str, list[UnitResult]] = {}
    for u in units:
        if u.content_hash is not None:
            by_hash.setdefault(u.content_hash, []).append(u)
    removed: set[str] = set()
    for group in by_hash.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda u: u.report.path)
        original = group[0].report.path
        for dup in group[1:]:
            r = dup.report
            removed.add(r.path)
            dup.report = FileReport(
                path=r.path,
                kind=r.kind,
                message_type=r.message_type,
                status="duplicate",
                reasons=[reason("IJW_DUPLICAAT", original=original)],
            )
            dup.quarantine = []
    return frozenset(removed)


class IjwExtractor:
    name = "ijw"
    tables = TABLES

    def claim(self, files: list[SourceFile], ctx: ExtractContext) -> list[SourceFile]:
        return [f for f in files if claims_file(f)]

    def extract(self, files: list[SourceFile], ctx: ExtractContext) -> ExtractResult:
        fallback = walk.fallback_message()
        if fallback is not None and files:
            log.warning(fallback)
        jobs = make_jobs(files, ctx)
        total_bytes = 0
        for f in files:
            with contextlib.suppress(OSError):
                total_bytes += f.path.stat().st_size
        with gc_paused():  # the parent unpickles a report per message; none of them is garbage
            results = run_jobs(jobs, ctx, total_bytes)
        units = [u for r in results for u in r.units]
        duplicates = mark_duplicates(units)
        reports = []
        quarantine = []
        for u in units:
            u.report.check()
            reports.append(u.report)
            quarantine.extend(u.quarantine)
        return ExtractResult(reports=reports, quarantine=quarantine, skip_files=duplicates)


EXTRACTOR = IjwExtractor()
