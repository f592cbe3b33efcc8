"""One extraction job (a batch of source files) as run in a spawned worker process.

Invariants:
- Zip archives are never extracted to disk: members are read in memory, streamed in chunks with a hard
  cap (`Limits.max_zip_member_bytes`), after checking the member count, the declared size, the declared
  and actual compression ratio and the member name (absolute paths and '..' are refused). Nested zips are
  read the same way, up to `MAX_ZIP_DEPTH` levels.
- Every unit (loose file, zip member, or a zip refused whole) yields exactly one UnitResult whose report
  satisfies records_read == records_loaded + records_quarantined.
- A hostile or broken unit never stops the job: it is quarantined with a reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipelines.ijw import walk
from pipelines.ijw.csv_reader import open_text, read_csv_export
from pipelines.ijw.reasons import reason
from pipelines.ijw.sink import PartWriter, ReaderContext, UnitResult
from pipelines.ijw.xml_reader import read_xml_message
from pipelines.report import FileReport
from pipelines.settings import Limits, ijw_bulk

MAX_ZIP_DEPTH = 3
CHUNK = 1 << 20
RATIO_MIN_BYTES = 64 * 1024  # tiny members are not judged on their ratio
_SHA256 = hashlib.sha256()


@dataclass
class Job:
    index: int
    files: list[tuple[str, str]]  # (path on disk, rel)
    workdir: str
    key: bytes
    limits: Limits


@dataclass
class JobResult:
    index: int
    units: list[UnitResult]
    tables: set[str]
    records: int


def kind_of(name: str) -> str:
    return "ijw-csv" if name.lower().endswith(".csv") else "ijw-xml"


def run_job(job: Job) -> JobResult:
    """Entry point in the worker: read every file of the job, write Parquet parts, return the accounting."""
    with gc_paused():
        return _run_job(job)


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while a job runs (or while the parent collects the jobs' results).

    A job allocates a few objects per message that live until it ends (its reports), so the collector's
    passes find nothing and, as the job's live objects grow, rescan them all (measured: 3 % of a worker's
    time). The job's memory is bounded by its input; the collector resumes when it ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run_job(job: Job) -> JobResult:
    sink = PartWriter(Path(job.workdir), job.index)
    ctx = ReaderContext(job.key, sink, job.limits)
    if walk.COMPILED and ijw_bulk():
        from pipelines.ijw.bulk import BulkReader  # needs the compiled module (pipelines/ijw/walk.py)

        ctx = dataclasses.replace(ctx, bulk=BulkReader(ctx))
    units: list[UnitResult] = []
    for disk, rel in job.files:
        units.extend(read_source_file(Path(disk), rel, ctx))
    if ctx.bulk is not None:
        ctx.bulk.flush()
    sink.close()
    for u in units:
        u.report.settle_status()
    return JobResult(job.index, units, sink.written, sum(u.report.records_read for u in units))


def read_source_file(path: Path, rel: str, ctx: ReaderContext) -> list[UnitResult]:
    """All units of one file on disk."""
    limits = ctx.limits
    try:
        size = path.stat().st_size
    except OSError as exc:
        unit = UnitResult(FileReport(path=rel, kind=kind_of(rel)))
        unit.reject("bestand", "IJW_BESTAND_ONLEESBAAR", reason("IJW_BESTAND_ONLEESBAAR", error=exc.strerror))
        return [unit]
    if size > limits.max_file_bytes:
        unit = UnitResult(FileReport(path=rel, kind=kind_of(rel)))
        unit.reject(
            "bestand",
            "IJW_BESTAND_TE_GROOT",
            reason("IJW_BESTAND_TE_GROOT", size=size, limit=limits.max_file_bytes),
        )
        return [unit]
    lower = rel.lower()
    if lower.endswith(".zip"):
        try:
            # one read of the whole archive (at most max_file_bytes), then members from memory: no seek and
            # tell system calls per member
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
                return read_zip(zf, rel, ctx, depth=1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            unit = UnitResult(FileReport(path=rel, kind="ijw-xml"))
            unit.reject("bestand", "IJW_ZIP_ONGELDIG", reason("IJW_ZIP_ONGELDIG"))
            return [unit]
    data = path.read_bytes()
    return [read_unit(data, rel, ctx)]


def read_unit(data: bytes, rel: str, ctx: ReaderContext) -> UnitResult:
    """One message file or one CSV export, in memory."""
    digest = _SHA256.copy()  # copying a fresh hash object skips OpenSSL's per-call algorithm lookup
    digest.update(data)
    unit = UnitResult(FileReport(path=rel, kind=kind_of(rel)), content_hash=digest.hexdigest())
    if unit.report.kind == "ijw-csv":
        read_csv_export(open_text(data), unit, ctx)
    elif ctx.bulk is not None:
        ctx.bulk.add(data, unit)
    else:
        read_xml_message(data, unit, ctx)
    return unit


def is_unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters, backslash paths and '..' segments are refused."""
    if name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if ":" not in name and ".." not in name:  # both checks below need one of these (fast path)
        return False
    parts = PurePosixPath(name).parts
    return any(p == ".." for p in parts) or (bool(parts) and ":" in parts[0])


def read_zip(zf: zipfile.ZipFile, rel: str, ctx: ReaderContext, depth: int) -> list[UnitResult]:
    limits = ctx.limits
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > limits.max_zip_members:
        unit = UnitResult(FileReport(path=rel, kind="ijw-xml"))
        unit.reject(
            "bestand",
            "IJW_ZIP_TE_VEEL_LEDEN",
            reason("IJW_ZIP_TE_VEEL_LEDEN", count=len(infos), limit=limits.max_zip_members),
        )
        return [unit]
    out: list[UnitResult] = []
    seen: dict[str, int] = {}
    for info in infos:
        member_rel = f"{rel}/{info.filename}"
        if member_rel in seen:
            seen[member_rel] += 1
            member_rel = f"{member_rel}#{seen[member_rel]}"
        else:
            seen[member_rel] = 1
        out.extend(_read_member(zf, info, member_rel, ctx, depth))
    return out


def _refuse(member_rel: str, code: str, **kw: object) -> list[UnitResult]:
    unit = UnitResult(FileReport(path=member_rel, kind=kind_of(member_rel)))
    unit.reject("bestand", code, reason(code, **kw))
    return [unit]


def _refuse_size(
    member_rel: str, size: int, info: zipfile.ZipInfo, limits: Limits
) -> list[UnitResult] | None:
    """The refusal of a member whose uncompressed bytes so far exceed the size or ratio limit, else None."""
    if size > limits.max_zip_member_bytes:
        return _refuse(member_rel, "IJW_ZIP_LID_TE_GROOT", limit=limits.max_zip_member_bytes)
    actual = size / max(info.compress_size, 1)
    if size > RATIO_MIN_BYTES and actual > limits.max_zip_ratio:
        return _refuse(
            member_rel, "IJW_ZIP_RATIO", ratio=f"{actual:.0f}", limit=f"{limits.max_zip_ratio:.0f}"
        )
    return None


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, member_rel: str, ctx: ReaderContext, depth: int
) -> list[UnitResult]:
    limits = ctx.limits
    name = info.filename
    if is_unsafe_name(name):
        return _refuse(member_rel, "IJW_ZIP_PAD_ONVEILIG", name=name)
    lower = name.lower()
    if not lower.endswith((".xml", ".csv", ".zip")):
        return _refuse(member_rel, "IJW_ZIP_LID_ONBEKEND")
    if info.flag_bits & 0x1:
        return _refuse(member_rel, "IJW_ZIP_VERSLEUTELD")
    refused = _refuse_size(member_rel, info.file_size, info, limits)  # the declared size first
    if refused:
        return refused
    try:
        with zf.open(info) as fh:
            payload = fh.read(CHUNK)  # read(n) returns less than n only at the end of the member
            if len(payload) == CHUNK:  # more may follow: stream, checking size and ratio every chunk
                buf = bytearray(payload)
                while chunk := fh.read(CHUNK):
                    buf += chunk
                    refused = _refuse_size(member_rel, len(buf), info, limits)
                    if refused:
                        return refused
                payload = bytes(buf)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError):
        return _refuse(member_rel, "IJW_ZIP_ONGELDIG")
    except Exception:  # zlib.error and friends: a corrupt member must not stop the job
        return _refuse(member_rel, "IJW_ZIP_ONGELDIG")
    refused = _refuse_size(member_rel, len(payload), info, limits)
    if refused:
        return refused
    if lower.endswith(".zip"):
        if depth >= MAX_ZIP_DEPTH:
            return _refuse(member_rel, "IJW_ZIP_TE_DIEP", limit=MAX_ZIP_DEPTH)
        try:
            with zipfile.ZipFile(io.BytesIO(payload)) as inner:
                return read_zip(inner, member_rel, ctx, depth + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            return _refuse(member_rel, "IJW_ZIP_ONGELDIG")
    return [read_unit(payload, member_rel, ctx)]
