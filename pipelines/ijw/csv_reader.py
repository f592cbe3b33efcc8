"""The flat iJw CSV export (docs/data-formats.md) into the same source rows as the XML reader.

Invariants:
- ONE RECORD is one data row of the export; the header row is not a record.
- A bad row is quarantined on its own (position "regel N", N = physical line number, header = 1).
- A decoding error stops the file at that row: the rows before it are loaded, the rest counts as one
  quarantined record with a readable reason.
- `bron_bericht` gets one row per consecutive run of rows with the same message key (the export writes a
  message's rows together), so memory stays bounded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from pipelines import codes
from pipelines.ijw import fields, spec
from pipelines.ijw.fields import Check, parse_date
from pipelines.ijw.reasons import reason
from pipelines.ijw.schemas import TABLE_OF
from pipelines.ijw.sink import PartWriter, ReaderContext, UnitResult

EXPORT_COLUMNS: tuple[str, ...] = (
    "berichttype", "release", "afzender", "ontvanger", "bericht_identificatie", "dagtekening", "bsn",
    "geboortedatum", "geslacht", "achternaam", "postcode", "toewijzingnummer", "referentie_aanbieder",
    "productcategorie", "productcode", "toewijzingsdatum", "toewijzingstijd", "ingangsdatum", "einddatum",
    "reden_wijziging", "volume", "eenheid", "frequentie", "budget", "begindatum", "reden_beeindiging",
    "status_aanlevering", "verwijzer_type", "reden_verzoek", "verzoek_antwoord", "reden_afwijzing",
    "declaratienummer", "referentienummer", "vorig_referentienummer", "productperiode_begin",
    "productperiode_eind", "geleverd_volume", "ingediend_bedrag", "debet_credit", "retourcode",
)  # fmt: skip

# Columns that identify an echoed line in a retour row; all empty = the header row of the retour.
_LINE_COLUMNS = ("toewijzingnummer", "referentie_aanbieder", "productcategorie", "productcode", "begindatum",
                 "referentienummer", "ingangsdatum")  # fmt: skip


# Per heenbericht type: (field, export column) of the fields whose export column has another name.
_CSV_COLUMN: dict[str, tuple[tuple[str, str], ...]] = {
    jw: tuple((f.name, f.csv) for f in m.fields if f.csv) for jw, m in spec.MESSAGES.items()
}


def is_export_header(first_line: str) -> bool:
    """True when `first_line` is the documented header of the iJw CSV export."""
    cols = [c.strip().strip('"').lower() for c in first_line.lstrip("\ufeff").strip().split(";")]
    return tuple(cols) == EXPORT_COLUMNS


def read_csv_export(text: Iterable[str], unit: UnitResult, ctx: ReaderContext) -> None:
    """Read the export from a text stream (newline=''), writing rows; all accounting goes into `unit`."""
    reader = csv.reader(text, delimiter=";")
    line_no = 1
    try:
        header = next(reader, None)
    except (UnicodeDecodeError, csv.Error):
        unit.reject("bestand", "IJW_CODERING_ONGELDIG", reason("IJW_CODERING_ONGELDIG", line=1))
        return
    if header is None or not is_export_header(";".join(header)):
        unit.reject("bestand", "IJW_CSV_KOPREGEL", reason("IJW_CSV_KOPREGEL"))
        return
    n = len(EXPORT_COLUMNS)
    group_key: tuple | None = None
    group: dict = {}
    while True:
        try:
            row = next(reader, None)
        except (UnicodeDecodeError, csv.Error):
            unit.reject(
                f"regel {line_no + 1}",
                "IJW_CODERING_ONGELDIG",
                reason("IJW_CODERING_ONGELDIG", line=line_no + 1),
            )
            break
        if row is None:
            break
        line_no = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        position = f"regel {line_no}"
        unit.report.records_read += 1
        if len(row) != n:
            unit.report.records_quarantined += 1
            unit.add_reason(
                position, "IJW_CSV_KOLOMMEN", reason("IJW_CSV_KOLOMMEN", count=len(row), expected=n)
            )
            continue
        raw = {col: (v.strip() or None) for col, v in zip(EXPORT_COLUMNS, row, strict=True)}
        gk = (raw["berichttype"], raw["afzender"], raw["bericht_identificatie"], raw["dagtekening"])
        if gk != group_key:
            _emit_group(group, unit, ctx.sink)
            group_key = gk
            group = {"raw": raw, "position": position, "read": 0, "loaded": 0}
        group["read"] += 1
        if _read_row(raw, position, unit, ctx):
            unit.report.records_loaded += 1
            group["loaded"] += 1
        else:
            unit.report.records_quarantined += 1
    _emit_group(group, unit, ctx.sink)


def _emit_group(group: dict, unit: UnitResult, sink: PartWriter) -> None:
    if not group:
        return
    raw = group["raw"]
    jw = (raw["berichttype"] or "").upper()
    dag = parse_date(raw["dagtekening"]) if raw["dagtekening"] else None
    sink.add(
        "bron_bericht",
        {
            "bestand": unit.report.path,
            "positie": group["position"],
            "bron_formaat": "csv",
            "berichttype": jw or None,
            "release": raw["release"],
            "afzender": raw["afzender"],
            "ontvanger": raw["ontvanger"],
            "bericht_identificatie": raw["bericht_identificatie"],
            "dagtekening": dag,
            "inhoud_hash": unit.content_hash,
            "aantal_records": group["read"],
            "aantal_geladen": group["loaded"],
        },
    )


def _read_row(raw: dict, position: str, unit: UnitResult, ctx: ReaderContext) -> bool:
    """Validate and write one row; False when it was quarantined."""
    jw = (raw["berichttype"] or "").upper()
    c = Check()
    if jw not in codes.BERICHTCODE:
        c.fail("IJW_BERICHTTYPE_ONBEKEND", value=raw["berichttype"] or "-")
    elif raw["release"] not in codes.SUPPORTED_RELEASES:
        c.fail("IJW_RELEASE_NIET_ONDERSTEUND", release=raw["release"] or "-")
    if c.errors:
        for code, text in c.errors:
            unit.add_reason(position, code, text)
        return False
    head = fields.check_header(jw, raw, c)
    common = {**head, "bestand": unit.report.path, "positie": position, "bron_formaat": "csv"}
    if jw in fields.RETOUR_TYPES:
        row = _retour_row(jw, raw, common, ctx.key)
        if c.errors:
            for code, text in c.errors:
                unit.add_reason(position, code, text)
            return False
        ctx.sink.add(TABLE_OF[jw], row)
        return True
    renamed = _CSV_COLUMN[jw]
    if renamed:
        raw = {**raw, **{name: raw[column] for name, column in renamed}}
    client_vals = {} if jw == "JW319" else fields.check_client(jw, raw, c, ctx.key, position)
    vals = fields.LINE_BUILDERS[jw](raw, c)
    if c.errors:
        for code, text in c.errors:
            unit.add_reason(position, code, text)
        return False
    row = {**common, **client_vals, **fields.role_columns(jw, head), **vals}
    row["regel_sleutel"] = fields.line_key(jw, raw)
    ctx.sink.add(TABLE_OF[jw], row)
    return True


def _retour_row(jw: str, raw: dict, common: dict, key: bytes) -> dict:
    heen = codes.RETOUR_OF[jw]
    codes_ = [raw["retourcode"]] if raw["retourcode"] else []
    is_header = all(raw[col] is None for col in _LINE_COLUMNS)
    if is_header:
        klasse = "Header"
    elif jw == "JW318":
        klasse = fields.KLASSE_317[spec.product_soort_317(raw)]
    else:
        klasse = fields.RETOUR_KLASSE[jw]
    row = {
        **common,
        "heen_berichttype": heen,
        "heen_afzender": fields.heen_afzender(jw, common),
        "heen_identificatie": common["bericht_identificatie"],
        "heen_dagtekening": common["dagtekening"],
        "klasse": klasse,
        "retourcodes": codes_,
        "is_afgekeurd": fields.is_rejecting(codes_),
    }
    if is_header:
        row.update({"regel_sleutel": None, "declaratienummer": raw["declaratienummer"]})
    else:
        row.update(fields.retour_line_fields(jw, raw, key))
    return row


def open_text(data: bytes) -> io.TextIOWrapper:
    """A strict UTF-8 text stream over in-memory bytes (BOM tolerated)."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="strict", newline="")
