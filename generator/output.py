"""Deterministic writers: zip batches, the flat CSV export, CSV/XLSX tables.

Invariants protected here:
* byte-identical output for identical input: fixed ZipInfo timestamps and attributes, members written in
  sorted order, fixed deflate level, XLSX written in memory with a fixed `created` property (xlsxwriter then
  uses fixed member timestamps too);
* nothing is held longer than needed: zip batches are written as soon as their month is complete and the CSV
  export is streamed into its zip member.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import xlsxwriter

ZIP_DATE = (2026, 9, 30, 0, 0, 0)
XLSX_CREATED = datetime(2026, 9, 30, 0, 0, 0)


def _zipinfo(name: str) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    zi.compress_type = zipfile.ZIP_DEFLATED
    zi.create_system = 3
    zi.external_attr = 0o100644 << 16
    return zi


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """A zip with `members` (name, bytes) in sorted name order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in sorted(members, key=lambda m: m[0]):
            zf.writestr(_zipinfo(name), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


class CsvZipStream:
    """One CSV member inside a zip, written row by row (`;`, UTF-8, header first)."""

    def __init__(self, path: Path, member: str, header: list[str] | tuple[str, ...]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._zf = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        self._fh = self._zf.open(_zipinfo(member), "w", force_zip64=True)
        self._buf = io.StringIO()
        self._w = csv.writer(self._buf, delimiter=";", lineterminator="\n")
        self._w.writerow(header)
        self.rows = 0

    def write(self, rows: list[list[str]]) -> None:
        self._w.writerows(rows)
        self.rows += len(rows)
        if self._buf.tell() > 1 << 20:
            self._drain()

    def _drain(self) -> None:
        self._fh.write(self._buf.getvalue().encode("utf-8"))
        self._buf.seek(0)
        self._buf.truncate()

    def close(self) -> None:
        self._drain()
        self._fh.close()
        self._zf.close()


def write_csv(path: Path, header: list[str], rows: list[list[object]], sep: str = ";") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=sep, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def write_xlsx(
    path: Path, sheet: str, header: list[str], rows: list[list[object]], date_format: str = "dd-mm-yyyy"
) -> None:
    """An XLSX with one named sheet. `date` values become date cells, strings stay text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties({"created": XLSX_CREATED, "author": "Ketenmonitor voorbeeldregio"})
    ws = wb.add_worksheet(sheet)
    dfmt = wb.add_format({"num_format": date_format})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, header, bold)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), dfmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, str(v))
    wb.close()
