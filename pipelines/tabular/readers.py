"""Reading CSV and XLSX files into all-string frames with the file line number (`regel`).

Invariants:
- Every value is read as a string (no type guessing); typing happens in the transforms with the
  mapping's date format, so a provider's "01-02-2024" is never silently read as something else.
- `regel` is the line in the file as a person sees it in a spreadsheet: the header is line 1, the first
  data row line 2. Rows where every cell is empty are dropped (they are not records).
- A file that cannot be read raises `ReadError` with a stable code and a Dutch sentence; callers
  quarantine the whole file. Nothing here crashes on a corrupt or password-protected workbook.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # CFB container: encrypted .xlsx or legacy .xls
ZIP_MAGIC = b"PK\x03\x04"
CSV_SUFFIXES = {".csv"}
XLSX_SUFFIXES = {".xlsx", ".xls", ".xlsm"}
SEPARATORS = (";", ",", "\t", "|")


class ReadError(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (Excel's CSV export on Dutch Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_separator(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))
    return best if counts[best] > 0 else ";"


def first_line(path: Path, limit: int = 4096) -> str:
    with path.open("rb") as fh:
        head = fh.read(limit)
    return decode_text(head).splitlines()[0] if head.strip() else ""


def read_csv(path: Path, separator: str | None = None) -> pl.DataFrame:
    """All-string frame of a CSV file plus `regel`."""
    text = decode_text(path.read_bytes())
    if not text.strip():
        raise ReadError("TAB_BESTAND_LEEG", "Het bestand is leeg: geen kopregel gevonden.")
    sep = separator or sniff_separator(text.splitlines()[0])
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            separator=sep,
            infer_schema=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise ReadError(
            "TAB_BESTAND_ONLEESBAAR", f"Het CSV-bestand kan niet worden gelezen ({type(exc).__name__})."
        ) from exc
    return number_rows(frame)


def read_xlsx(path: Path, sheet: str | None = None) -> pl.DataFrame:
    """All-string frame of one worksheet (the named one, else the first) plus `regel`."""
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == OLE_MAGIC and path.suffix.lower() != ".xls":
        raise ReadError(
            "TAB_WERKMAP_BEVEILIGD",
            "De werkmap is met een wachtwoord beveiligd (versleuteld OLE-bestand); "
            "lever het bestand aan zonder wachtwoord.",
        )
    if path.suffix.lower() != ".xls" and magic[:4] != ZIP_MAGIC:
        raise ReadError(
            "TAB_WERKMAP_ONLEESBAAR",
            "De werkmap is beschadigd of geen Excel-bestand (geen geldig xlsx-archief).",
        )
    try:
        if sheet is None:
            frame = pl.read_excel(path, engine="calamine", sheet_id=1, infer_schema_length=0)
        else:
            sheets = pl.read_excel(path, engine="calamine", sheet_id=0, infer_schema_length=0)
            if sheet not in sheets:
                raise ReadError(
                    "TAB_BLAD_ONTBREEKT",
                    f"Werkblad '{sheet}' uit de mapping ontbreekt; aanwezig: {', '.join(sheets)}.",
                )
            frame = sheets[sheet]
    except ReadError:
        raise
    except pl.exceptions.NoDataError as exc:
        raise ReadError("TAB_BESTAND_LEEG", "Het werkblad is leeg: geen kopregel gevonden.") from exc
    except Exception as exc:  # fastexcel raises its own exception types; any failure = unreadable file
        if magic == OLE_MAGIC:
            raise ReadError(
                "TAB_WERKMAP_BEVEILIGD",
                "De werkmap kan niet worden geopend: mogelijk met een wachtwoord beveiligd.",
            ) from exc
        raise ReadError(
            "TAB_WERKMAP_ONLEESBAAR", "De werkmap is beschadigd en kan niet worden gelezen."
        ) from exc
    frame = frame.with_columns(pl.all().cast(pl.String))
    return number_rows(frame)


def number_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """Add `regel` (header = line 1) and drop rows where every cell is empty."""
    if "regel" in frame.columns:  # a sender column of that name is kept under another name (then ignored)
        frame = frame.rename({"regel": "regel (bron)"})
    frame = frame.with_row_index("regel", offset=2).with_columns(pl.col("regel").cast(pl.Int64))
    values = [c for c in frame.columns if c != "regel"]
    if not values:
        return frame.clear()
    empty = pl.all_horizontal([pl.col(c).is_null() | (pl.col(c).str.strip_chars() == "") for c in values])
    return frame.filter(~empty)


def read_table(path: Path, separator: str | None = None, sheet: str | None = None) -> pl.DataFrame:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet)
    return read_csv(path, separator)


def read_headers(frame: pl.DataFrame) -> list[str]:
    return [c for c in frame.columns if c != "regel"]
