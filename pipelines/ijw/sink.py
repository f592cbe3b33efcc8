"""Where a worker puts what it read: Parquet parts per table, and per-unit accounting.

Invariants:
- Part names are deterministic and unique: `<workdir>/<table>/<job:06d>-<seq:04d>.parquet`, so two workers
  never collide and a rebuild writes the same names.
- Rows are flushed every `FLUSH_ROWS` rows per table, so a worker's memory stays bounded whatever the size
  of its input.
- Only declared columns are written, in the declared order and types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.ijw.schemas import TABLES
from pipelines.report import FileReport, QuarantineEntry
from pipelines.settings import Limits

if TYPE_CHECKING:  # bulk imports this module
    from pipelines.ijw.bulk import BulkReader

FLUSH_ROWS = 50_000


class PartWriter:
    """Buffers rows per table and writes them as numbered Parquet parts for one job."""

    def __init__(self, workdir: Path, job: int) -> None:
        self.workdir = workdir
        self.job = job
        self.buffers: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.seq: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.written: set[str] = set()

    def add_frame(self, table: str, frame: pl.DataFrame) -> None:
        """Write rows that are already a frame of the declared schema (the bulk reader) as their own part."""
        if frame.height == 0:
            return
        schema = TABLES[table]
        if frame.schema != schema:
            raise ValueError(f"{table}: kolommen of typen wijken af van het schema")
        self._write(table, frame)

    def add(self, table: str, row: dict) -> None:
        buf = self.buffers[table]
        buf.append(row)
        if len(buf) >= FLUSH_ROWS:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows = self.buffers[table]
        if not rows:
            return
        schema = TABLES[table]
        # from_dicts takes only the declared columns (missing keys are null) and converts in Rust
        self._write(table, pl.from_dicts(rows, schema=schema))
        self.buffers[table] = []

    def _write(self, table: str, frame: pl.DataFrame) -> None:
        folder = self.workdir / table
        folder.mkdir(parents=True, exist_ok=True)
        # LZ4: the parts live only until the load reads them, and LZ4 writes faster than the default zstd
        frame.write_parquet(
            folder / f"{self.job:06d}-{self.seq[table]:04d}.parquet", compression="lz4", statistics=False
        )
        self.seq[table] += 1
        self.written.add(table)

    def close(self) -> None:
        for table in TABLES:
            self.flush(table)


@dataclass(frozen=True)
class ReaderContext:
    """What every reader of one job shares, passed as one value instead of a row of parameters."""

    key: bytes  # the pseudonym key (pipelines.pseudonym): a BSN leaves the reader only as its pseudonym
    sink: PartWriter  # where the rows go
    limits: Limits = field(default_factory=Limits)  # file and zip limits (pipelines.settings)
    bulk: BulkReader | None = None  # the job's pipelines.ijw.bulk.BulkReader when it reads XML in bulk


@dataclass
class UnitResult:
    """The outcome of one unit (a loose file, a zip member, or a zip refused whole)."""

    report: FileReport
    quarantine: list[QuarantineEntry] = field(default_factory=list)
    content_hash: str | None = None

    def __reduce__(self) -> tuple:
        return (UnitResult, (self.report, self.quarantine, self.content_hash))  # see FileReport

    def reject(self, position: str, code: str, text: str, records: int = 1) -> None:
        """Quarantine `records` records of this unit with one reason."""
        self.report.records_read += records
        self.report.records_quarantined += records
        self.add_reason(position, code, text)

    def add_reason(self, position: str, code: str, text: str) -> None:
        if text not in self.report.reasons and len(self.report.reasons) < 20:
            self.report.reasons.append(text)
        r = self.report
        self.quarantine.append(QuarantineEntry(r.path, r.kind, r.message_type, position, code, text))
