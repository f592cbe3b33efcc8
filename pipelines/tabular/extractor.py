"""The extractor for provider and team files (CSV/XLSX): `EXTRACTOR` in the sense of pipelines/extract.py.

Invariants:
- Claims every .csv/.xlsx/.xls/.xlsm file except the iJw flat export (header `berichttype;release;afzender`).
  A claimed file always gets exactly one FileReport of kind `wachttijden`, `wachttijden_gepubliceerd`,
  `teams`, `team_fte`, `caseload` or `factoren` (an unrecognised file: the closest layout, quarantined
  whole with the columns found and expected).
- Per file records_read == records_loaded + records_quarantined; a quarantined row gets one entry with
  position "regel N", a stable code and a fixed Dutch sentence (no value from the file).
- Teams files are processed first: team_fte, caseload and factoren rows whose team_code is not in any
  teams file of the same source are quarantined (TAB_TEAM_ONBEKEND).
- Output: one Parquet part per file under workdir/<table>/, rows sorted; the same source and key give the
  same bytes. No BSN, name or medewerker code is written.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.extract import ExtractContext, ExtractResult, SourceFile
from pipelines.progress import stage
from pipelines.report import FileReport, QuarantineEntry
from pipelines.tabular import transforms as t
from pipelines.tabular.layouts import LAYOUTS, OUTPUT_SCHEMAS, TABLES, Layout, raw_schema
from pipelines.tabular.mapping import (
    Mapping,
    default_mapping,
    detect_layout,
    load_mappings,
    mapping_for,
    missing_columns,
    normalise_header,
    present_columns,
)
from pipelines.tabular.readers import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    ReadError,
    first_line,
    read_headers,
    read_table,
)

log = logging.getLogger(__name__)

IJW_CSV_HEADER = ("berichttype", "release", "afzender")
# Processing order: teams before the files that refer to a team.
KIND_ORDER = (
    "organisaties",
    "teams",
    "wachttijden",
    "wachttijden_gepubliceerd",
    "team_fte",
    "caseload",
    "factoren",
)


@dataclass
class Planned:
    """A file after reading and layout detection, before row validation."""

    index: int
    file: SourceFile
    report: FileReport
    frame: pl.DataFrame | None = None
    layout: Layout | None = None
    mapping: Mapping | None = None
    present: dict[str, str] = field(default_factory=dict)


def is_ijw_csv(path: Path) -> bool:
    try:
        header = first_line(path)
    except OSError:
        return False
    for sep in (";", ",", "\t"):
        cells = [normalise_header(c).strip('"') for c in header.split(sep)]
        if tuple(cells[:3]) == IJW_CSV_HEADER:
            return True
    return False


class TabularExtractor:
    name = "tabular"
    tables: dict[str, pl.Schema] = TABLES

    def claim(self, files: list[SourceFile], ctx: ExtractContext) -> list[SourceFile]:
        out = []
        for f in files:
            suffix = f.path.suffix.lower()
            if suffix in XLSX_SUFFIXES or (suffix in CSV_SUFFIXES and not is_ijw_csv(f.path)):
                out.append(f)
        return out

    def extract(self, files: list[SourceFile], ctx: ExtractContext) -> ExtractResult:
        mappings = load_mappings(ctx.source)
        for m in mappings:
            if m.error:
                log.warning(m.error)
        reports: list[FileReport] = []
        quarantine: list[QuarantineEntry] = []
        planned: list[Planned] = []
        with stage("Aanbieders- en teambestanden", len(files) * 2, ctx.show_progress) as st:
            for index, f in enumerate(sorted(files, key=lambda f: f.rel)):
                plan = plan_file(index, f, ctx, mappings)
                reports.append(plan.report)
                if plan.frame is None:
                    quarantine.extend(_file_entries(plan.report))
                else:
                    planned.append(plan)
                st.advance(1)
            known_teams: set[str] = set()
            for kind in KIND_ORDER:
                for plan in (p for p in planned if p.layout is not None and p.layout.kind == kind):
                    entries, teams = load_file(plan, ctx, frozenset(known_teams))
                    known_teams |= teams
                    quarantine.extend(entries)
                    plan.frame = None
                    st.advance(1, plan.report.records_read)
            st.advance(len(files) - len(planned))
        for r in reports:
            r.check()
        return ExtractResult(reports=reports, quarantine=quarantine)


def _file_entries(report: FileReport) -> list[QuarantineEntry]:
    code = report.message_type or "TAB_BESTAND_ONLEESBAAR"
    report.message_type = None
    return [QuarantineEntry(report.path, report.kind, None, "bestand", code, r) for r in report.reasons[:1]]


def _refuse(report: FileReport, code: str, reason: str) -> None:
    report.status = "quarantined"
    report.reasons = [reason]
    report.message_type = code  # carried to _file_entries, then cleared (tabular files have no message type)


def plan_file(index: int, f: SourceFile, ctx: ExtractContext, mappings: list[Mapping]) -> Planned:
    """Read a file and decide its layout and mapping; a refused file comes back without a frame."""
    mapping = mapping_for(f.rel, mappings)
    report = FileReport(
        path=f.rel, kind=mapping.kind if mapping and mapping.kind in LAYOUTS else "wachttijden"
    )
    plan = Planned(index=index, file=f, report=report, mapping=mapping)
    if f.path.stat().st_size > ctx.limits.max_file_bytes:
        _refuse(
            report,
            "TAB_BESTAND_TE_GROOT",
            f"Het bestand is groter dan de limiet van {ctx.limits.max_file_bytes} bytes.",
        )
        return plan
    if mapping is not None and mapping.error:
        _refuse(report, "TAB_MAPPING_ONGELDIG", f"De mapping voor dit bestand is ongeldig: {mapping.error}.")
        return plan
    try:
        frame = read_table(
            f.path,
            separator=mapping.scheidingsteken if mapping else None,
            sheet=mapping.blad if mapping else None,
        )
    except ReadError as exc:
        if mapping is None:
            report.kind = _kind_from_name(f.rel)
        _refuse(report, exc.code, exc.reason)
        return plan
    except Exception as exc:  # any other reader failure: quarantine the file, never stop the build
        log.warning("%s: onleesbaar (%s)", f.rel, type(exc).__name__)
        if mapping is None:
            report.kind = _kind_from_name(f.rel)
        _refuse(
            report, "TAB_BESTAND_ONLEESBAAR", f"Het bestand kan niet worden gelezen ({type(exc).__name__})."
        )
        return plan
    headers = read_headers(frame)
    if mapping is None:
        layout, closest = detect_layout(headers)
        if layout is None:
            report.kind = closest.kind
            expected = ", ".join(closest.columns)
            _refuse(
                report,
                "TAB_INDELING_ONBEKEND",
                "Onbekende indeling en geen mapping voor dit bestand. "
                f"Gevonden kolommen: {', '.join(headers) or '(geen)'}. "
                f"Verwacht (dichtstbijzijnde indeling '{closest.kind}'): {expected}.",
            )
            report.records_read = report.records_quarantined = frame.height
            return plan
        mapping = default_mapping(layout.kind)
    else:
        layout = LAYOUTS[mapping.kind]
        lost = [
            sender
            for sender in mapping.kolommen.values()
            if normalise_header(sender) not in {normalise_header(h) for h in headers}
        ]
        missing = missing_columns(layout, headers, mapping)
        if missing or lost:
            parts = []
            if lost:
                parts.append(f"kolommen uit mapping {mapping.name} niet in het bestand: {', '.join(lost)}")
            if missing:
                parts.append(f"verplichte kolommen ontbreken: {', '.join(missing)}")
            _refuse(
                report,
                "TAB_KOLOMMEN_ONTBREKEN",
                f"Het bestand past niet bij mapping {mapping.name} ({'; '.join(parts)}). "
                f"Gevonden kolommen: {', '.join(headers) or '(geen)'}.",
            )
            report.records_read = report.records_quarantined = frame.height
            return plan
    report.kind = layout.kind
    plan.layout, plan.mapping, plan.frame = layout, mapping, frame
    plan.present = present_columns(layout, headers, mapping)
    ignored = [h for h in headers if h not in plan.present.values()]
    if ignored:
        report.reasons.append(
            f"Kolommen genegeerd (niet in de indeling {layout.kind}): {', '.join(ignored)}."
        )
    return plan


def _kind_from_name(rel: str) -> str:
    """Best guess of the kind of an unreadable file, from its path (for the report only)."""
    low = rel.lower()
    for kind in ("wachttijden_gepubliceerd", "team_fte", "caseload", "factoren", "teams", "organisaties"):
        if kind.replace("_", "-") in low or kind in low:
            return kind
    return "wachttijden"


def load_file(
    plan: Planned, ctx: ExtractContext, known_teams: frozenset[str]
) -> tuple[list[QuarantineEntry], set[str]]:
    """Validate, pseudonymise and write one file; returns its quarantine entries and the team codes it
    defined (teams files only)."""
    assert plan.frame is not None and plan.layout is not None and plan.mapping is not None
    layout, mapping, report = plan.layout, plan.mapping, plan.report
    report.records_read = plan.frame.height

    renamed = t.rename_columns(plan.frame.lazy(), layout, plan.present, mapping).pipe(t.clean_values)
    raw = raw_schema(layout.columns).validate(renamed.collect(), cast=False)
    present = sorted(set(plan.present) | set(mapping.vast))
    checks = t.checks_for(layout, mapping.datumformaat, known_teams, present)
    checked = t.parse_values(raw.lazy(), layout, mapping.datumformaat).pipe(t.check_rows, checks).collect()

    bad = checked.filter(pl.col("_code").is_not_null()).select("regel", "_code", "_reden").sort("regel")
    entries = [
        QuarantineEntry(report.path, layout.kind, None, f"regel {r}", code, reason)
        for r, code, reason in bad.iter_rows()
    ]
    good = checked.filter(pl.col("_code").is_null()).drop("_code", "_reden")
    good = good.drop([c for c in good.columns if c.endswith(t.RAW)])
    rows = good.with_columns(bestand=pl.lit(report.path)).lazy()
    rows = rows.pipe(t.fill_defaults, layout).pipe(t.pseudonymise_rows, ctx.key)
    if layout.kind == "factoren":
        rows = rows.pipe(t.unpivot_factors, present)
    schema = TABLES[layout.table]
    out = rows.pipe(t.select_output, schema).collect()
    OUTPUT_SCHEMAS[layout.kind].validate(out, cast=True)  # the edge: raises on a contract breach (a bug)
    write_part(out, ctx.workdir / layout.table, plan.index)

    report.records_quarantined = bad.height
    report.records_loaded = report.records_read - bad.height
    if bad.height:
        counts = Counter(bad["_code"].to_list())
        summary = ", ".join(f"{code} ({n})" for code, n in sorted(counts.items()))
        report.reasons.append(f"{bad.height} regel(s) in quarantaine: {summary}.")
    report.settle_status()
    teams = set(out["team_code"].to_list()) if layout.kind == "teams" else set()
    return entries, teams


def write_part(frame: pl.DataFrame, folder: Path, index: int) -> None:
    if frame.height == 0:
        return
    folder.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(folder / f"tabular-{index:05d}.parquet", statistics=False)


EXTRACTOR = TabularExtractor()
