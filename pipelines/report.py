"""The load report: one entry per input file (or zip member), and the quarantine.

Invariants:
- Every file found under the source gets exactly one `FileReport` (a zip: one per member, or one for the
  zip when it is refused as a whole).
- Per file and in total: records_read == records_loaded + records_quarantined (`FileReport.check`).
- A quarantine entry holds a stable code, a readable Dutch sentence and a position, never the raw record,
  so no personal data reaches the database through it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

STATUSES = ("loaded", "partial", "quarantined", "duplicate")


@dataclass
class QuarantineEntry:
    """One quarantined record (or whole file/message when `position` says so)."""

    path: str
    kind: str
    message_type: str | None
    position: str  # e.g. "bestand", "bericht", "regel 17", "ToegewezenProduct 2"
    code: str  # stable machine code, e.g. "IJW_DATUM_ONGELDIG"
    reason: str  # one readable Dutch sentence; never contains personal data


@dataclass
class FileReport:
    path: str  # relative to the source, '/' separated; zip member: "<zip>/<member>"
    kind: str  # ijw-xml, ijw-csv, wachttijden, ..., onbekend
    message_type: str | None = None
    status: str = "loaded"
    records_read: int = 0
    records_loaded: int = 0
    records_quarantined: int = 0
    reasons: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple:
        # positional reconstruction: unpickling a worker's tens of thousands of reports in the parent is
        # about twice as fast as the default dataclass state restore
        return (FileReport, (self.path, self.kind, self.message_type, self.status, self.records_read,
                             self.records_loaded, self.records_quarantined, self.reasons))  # fmt: skip

    def check(self) -> None:
        if self.records_read != self.records_loaded + self.records_quarantined:
            raise AssertionError(
                f"{self.path}: records_read {self.records_read} != loaded {self.records_loaded}"
                f" + quarantined {self.records_quarantined}"
            )
        if self.status not in STATUSES:
            raise AssertionError(f"{self.path}: unknown status {self.status!r}")

    def settle_status(self) -> None:
        """Derive the status from the counts (leaves `duplicate` alone)."""
        if self.status == "duplicate":
            return
        if self.records_quarantined == 0 and not (self.records_read == 0 and self.reasons):
            self.status = "loaded"
        elif self.records_loaded == 0:
            self.status = "quarantined"
        else:
            self.status = "partial"


def totals(files: list[FileReport]) -> dict[str, int]:
    return {
        "files": len(files),
        "records_read": sum(f.records_read for f in files),
        "records_loaded": sum(f.records_loaded for f in files),
        "records_quarantined": sum(f.records_quarantined for f in files),
    }


def report_dict(files: list[FileReport]) -> dict:
    ordered = sorted(files, key=lambda f: f.path)
    return {"files": [asdict(f) for f in ordered], "totals": totals(ordered)}


def write_report_json(files: list[FileReport], path: Path, extra: dict | None = None) -> None:
    """The load report as JSON (contract: `files`, `totals`; `extra` adds keys such as `koppeling`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**report_dict(files), **(extra or {})}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", "utf-8")
