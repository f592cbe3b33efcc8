"""File-level readers for the generator tests: they parse the written files only, never the generator."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from lxml import etree

NS_RE = re.compile(r"ijw/3_2/(jw\d{3})/schema")


@dataclass
class Member:
    """One XML file: where it lives and its raw bytes."""

    container: str  # zip path relative to the root, or "" for a loose file
    name: str
    data: bytes


def members(root: Path) -> Iterator[Member]:
    for z in sorted((root / "ijw").rglob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            for info in zf.infolist():
                yield Member(str(z.relative_to(root)), info.filename, zf.read(info))
    for f in sorted((root / "ijw" / "los").glob("*.xml")):
        yield Member("", f.name, f.read_bytes())


@dataclass
class Msg:
    type: str  # JW301 ...
    root: etree._Element
    member: Member
    lines: list[dict[str, str]] = field(default_factory=list)

    def h(self, tag: str) -> str:
        el = self.root.find(f"{{*}}Header/{{*}}{tag}")
        return el.text if el is not None and el.text else ""

    @property
    def afzender(self) -> str:
        return self.h("Afzender")

    @property
    def dagtekening(self) -> str:
        el = self.root.find("{*}Header/{*}BerichtIdentificatie/{*}Dagtekening")
        return el.text or ""

    @property
    def is_retour(self) -> bool:
        return self.type in {"JW302", "JW306", "JW308", "JW316", "JW318", "JW320", "JW325"}

    def texts(self, local: str) -> list[str]:
        return [e.text or "" for e in self.root.iter(f"{{*}}{local}")]


PRODUCT_CLASSES = ("ToegewezenProduct", "StartProduct", "StopProduct", "AangevraagdProduct")


def _line(el: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for child in el.iter():
        if child is el or not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if child.text and child.text.strip() and local not in out:
            out[local] = child.text
    return out


def parse(m: Member) -> tuple[str, Msg | None]:
    """('ok', msg) | ('afgekapt', None) | ('codering', msg) — decided from the bytes alone."""
    status = "ok"
    data = m.data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        status = "codering"
        data = data.decode("cp1252").encode("utf-8")
    try:
        root = etree.fromstring(data)
    except etree.XMLSyntaxError:
        return "afgekapt", None
    match = NS_RE.search(etree.QName(root).namespace or "")
    assert match, m.name
    msg = Msg(match.group(1).upper(), root, m)
    for cls in PRODUCT_CLASSES:
        for el in root.iter(f"{{*}}{cls}"):
            msg.lines.append(_line(el))
    return status, msg


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------------------------ tabular
def read_xlsx(path: Path, sheet: str | None = None) -> list[list[object]]:
    """Minimal XLSX reader (shared strings, inline numbers): enough for the generator's own files."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(path) as zf:
        shared = []
        if "xl/sharedStrings.xml" in zf.namelist():
            sst = etree.fromstring(zf.read("xl/sharedStrings.xml"))
            shared = ["".join(si.itertext()) for si in sst.findall("m:si", ns)]
        wb = etree.fromstring(zf.read("xl/workbook.xml"))
        names = [s.get("name") for s in wb.find("m:sheets", ns)]
        idx = names.index(sheet) + 1 if sheet else 1
        ws = etree.fromstring(zf.read(f"xl/worksheets/sheet{idx}.xml"))
    rows: list[list[object]] = []
    for row in ws.iter(f"{{{ns['m']}}}row"):
        cells: dict[int, object] = {}
        for c in row.findall("m:c", ns):
            ref = c.get("r")
            col = 0
            for ch in re.match(r"[A-Z]+", ref).group(0):
                col = col * 26 + ord(ch) - 64
            v = c.find("m:v", ns)
            if v is None:
                continue
            cells[col - 1] = shared[int(v.text)] if c.get("t") == "s" else float(v.text)
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, "") for i in range(width)])
    return rows


def excel_date(v: object) -> date:
    return date(1899, 12, 30) + timedelta(days=int(v))  # type: ignore[arg-type]


def read_mapped(root: Path, mapping: Path) -> list[dict[str, object]]:
    """Rows of a provider file, renamed to canonical columns via its mapping TOML; dates parsed or
    left as the raw string when they do not parse (the test then counts them as broken)."""
    cfg = tomllib.loads(mapping.read_text("utf-8"))
    (path,) = [p for g in cfg["bestanden"] for p in sorted(root.glob(g))]
    cols = cfg["kolommen"]
    fmt = cfg["datumformaat"]
    if path.suffix == ".xlsx":
        raw = read_xlsx(path, cfg.get("blad"))
        header = [str(h) for h in raw[0]]
        body = [dict(zip(header, r + [""] * (len(header) - len(r)), strict=True)) for r in raw[1:]]
    else:
        sep = cfg.get("scheidingsteken", ";")
        body = list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter=sep))
    out = []
    for r in body:
        row: dict[str, object] = {k: v for k, v in cfg.get("vast", {}).items()}
        for canon, col in cols.items():
            v = r.get(col, "")
            if canon.startswith("datum_") and v not in ("", None):
                if isinstance(v, float):
                    v = excel_date(v)
                else:
                    with contextlib.suppress(ValueError):
                        v = datetime.strptime(str(v), fmt).date()
            row[canon] = v
        out.append(row)
    return out


def read_canonical(path: Path) -> list[dict[str, object]]:
    body = list(csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter=";"))
    out = []
    for r in body:
        row: dict[str, object] = dict(r)
        for k, v in r.items():
            if k.startswith("datum_") and v:
                with contextlib.suppress(ValueError):
                    row[k] = date.fromisoformat(v)
        out.append(row)
    return out
