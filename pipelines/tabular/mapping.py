"""Mapping files: how a sender's columns and date format map onto a canonical layout.

Mappings are TOML files under `<source>/mappings/*.toml` and, when the environment variable
`KETENMONITOR_MAPPINGS` names a folder, `*.toml` in that folder too (`settings.mappings_dir()`, documented in
docs/aanbieders-teams.md). Format (docs/data-formats.md): kind, bestanden (globs relative to the source
root), datumformaat, scheidingsteken (CSV), blad (XLSX), [kolommen] canonical = sender column, [vast]
canonical = constant.

Invariants:
- Loading never raises: a broken mapping becomes a `Mapping` with `error` set, so the files its globs
  match are quarantined with that reason instead of crashing the build.
- Mappings are tried in a fixed order (source mappings by file name, then the env folder by file name);
  the first whose glob matches a file wins.
- Without a mapping, a file whose header uses the canonical names (case-insensitive) gets the default
  mapping of the layout it matches best (`detect_layout`).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines import settings
from pipelines.tabular.layouts import FACTOR_CODES, LAYOUTS, Layout

DEFAULT_DATE_FORMAT = "%Y-%m-%d"


@dataclass(frozen=True)
class Mapping:
    name: str  # file name of the mapping, or "standaard" for the default mapping
    kind: str
    bestanden: tuple[str, ...] = ()
    datumformaat: str = DEFAULT_DATE_FORMAT
    scheidingsteken: str | None = None
    blad: str | None = None
    kolommen: dict[str, str] = field(default_factory=dict)  # canonical -> sender column
    vast: dict[str, str] = field(default_factory=dict)  # canonical -> constant
    error: str | None = None  # set when the mapping file itself is invalid

    def matches(self, rel: str) -> bool:
        return any(fnmatch.fnmatchcase(rel, pattern) for pattern in self.bestanden)


def default_mapping(kind: str) -> Mapping:
    return Mapping(name="standaard", kind=kind)


def mapping_dirs(source: Path) -> list[Path]:
    dirs = [source / "mappings"]
    extra = settings.mappings_dir()
    if extra is not None:
        dirs.append(extra)
    return dirs


def load_mappings(source: Path) -> list[Mapping]:
    """Every mapping file, in the order they are tried."""
    out: list[Mapping] = []
    for folder in mapping_dirs(source):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.toml")):
            out.append(read_mapping(path))
    return out


def read_mapping(path: Path) -> Mapping:
    name = path.name
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Mapping(name=name, kind="", error=f"mappingbestand {name} is geen geldige TOML ({exc})")
    bestanden = data.get("bestanden", [])
    if isinstance(bestanden, str):
        bestanden = [bestanden]
    kind = data.get("kind", "")
    problems = []
    if kind not in LAYOUTS:
        problems.append(f"onbekende kind {kind!r} (verwacht: {', '.join(LAYOUTS)})")
    if not bestanden or not all(isinstance(b, str) for b in bestanden):
        problems.append("'bestanden' ontbreekt of is geen lijst van patronen")
    kolommen = data.get("kolommen", {})
    vast = data.get("vast", {})
    if not isinstance(kolommen, dict) or not isinstance(vast, dict):
        problems.append("[kolommen] en [vast] moeten tabellen zijn")
        kolommen, vast = {}, {}
    layout = LAYOUTS.get(kind)
    if layout is not None:
        unknown = sorted(set(kolommen) - set(layout.columns)) + sorted(set(vast) - set(layout.columns))
        if unknown:
            problems.append(f"onbekende kolommen voor {kind}: {', '.join(unknown)}")
    datumformaat = data.get("datumformaat", DEFAULT_DATE_FORMAT)
    if not isinstance(datumformaat, str) or "%" not in datumformaat:
        problems.append("'datumformaat' is geen strftime-formaat")
        datumformaat = DEFAULT_DATE_FORMAT
    return Mapping(
        name=name,
        kind=kind,
        bestanden=tuple(str(b) for b in bestanden if isinstance(b, str)),
        datumformaat=datumformaat,
        scheidingsteken=data.get("scheidingsteken"),
        blad=data.get("blad"),
        kolommen={str(k): str(v) for k, v in kolommen.items()},
        vast={str(k): str(v) for k, v in vast.items()},
        error=f"mappingbestand {name} is ongeldig: {'; '.join(problems)}" if problems else None,
    )


def mapping_for(rel: str, mappings: list[Mapping]) -> Mapping | None:
    for mapping in mappings:
        if mapping.matches(rel):
            return mapping
    return None


def normalise_header(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def present_columns(layout: Layout, headers: list[str], mapping: Mapping) -> dict[str, str]:
    """canonical -> the file's header that supplies it (mapping first, then the canonical name)."""
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(normalise_header(h), h)
    out: dict[str, str] = {}
    for canonical in layout.columns:
        sender = mapping.kolommen.get(canonical)
        if sender is not None:
            if normalise_header(sender) in by_norm:
                out[canonical] = by_norm[normalise_header(sender)]
        elif canonical in by_norm:
            out[canonical] = by_norm[canonical]
    return out


def missing_columns(layout: Layout, headers: list[str], mapping: Mapping) -> list[str]:
    """Required canonical columns neither in the file nor constant; empty when the file fits."""
    have = set(present_columns(layout, headers, mapping)) | set(mapping.vast)
    missing = [c for c in layout.required if c not in have]
    for group in layout.any_of:
        if not have.intersection(group):
            missing.append(" of ".join(group))
    if layout.min_factor_columns and len(have.intersection(FACTOR_CODES)) < layout.min_factor_columns:
        missing.append("minstens één factorkolom")
    return missing


def detect_layout(headers: list[str]) -> tuple[Layout | None, Layout]:
    """(matching layout or None, closest layout) for a header without a mapping."""
    best: tuple[int, int, Layout] | None = None
    closest: tuple[int, int, Layout] | None = None
    for order, layout in enumerate(LAYOUTS.values()):
        mapping = default_mapping(layout.kind)
        hits = len(present_columns(layout, headers, mapping))
        key = (hits, -order, layout)
        if closest is None or key[:2] > closest[:2]:
            closest = key
        if not missing_columns(layout, headers, mapping) and (best is None or key[:2] > best[:2]):
            best = key
    assert closest is not None
    return (best[2] if best else None), closest[2]
