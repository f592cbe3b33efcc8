"""The declared iJw tables (`pipelines/ijw/spec.py`) are the one home of a field's rules.

Every declared field shows up in every derived form (table column and type, XML path of the reader's plan,
line key), its XML path exists in the iStandaard XSD of its message (an independent source: the
berichtspecificatie itself), and a field added to a declared table is picked up by every derived form
without any other edit.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest
from lxml import etree

from pipelines.ijw import fields, schemas, spec, xml_reader
from pipelines.ijw.spec import Field

REPO = Path(__file__).resolve().parents[3]
XSD_DIR = REPO.parent / "shared" / "ijw-xsd" / "3.2"
XS = "{http://www.w3.org/2001/XMLSchema}"

ALL_FIELDS = [(m.jw, f) for m in spec.MESSAGES.values() for f in m.line if isinstance(f, Field)]
IDS = [f"{jw}.{f.name}" for jw, f in ALL_FIELDS]


# ---------------------------------------------------------------- the XSD as an independent reference


def _xsd(name: str) -> etree._Element:
    return etree.parse(str(XSD_DIR / f"{name}.xsd")).getroot()


def _complex_type(own: str, type_name: str) -> etree._Element:
    prefix, _, local = type_name.rpartition(":")
    doc = _xsd("basisschema" if prefix == "ijw" else own)
    found = doc.find(f"{XS}complexType[@name='{local}']")
    assert found is not None, type_name
    return found


def _child_type(own: str, parent: etree._Element, step: str) -> str | None:
    """The type of element `step` declared in `parent` (a complexType; "" for an inline simple type);
    None when it is not declared."""
    el = parent.find(f".//{XS}element[@name='{step}']")
    return None if el is None else el.get("type", "")


def _resolves(jw: str, start: str, path: str) -> bool:
    """Does `path` lead, step by step, from the element named `start` to a declared element?"""
    own = jw.lower()
    decl = _xsd(own).find(f".//{XS}element[@name='{start}']")
    assert decl is not None, f"{jw}: {start} niet in de XSD"
    node_type = decl.get("type")
    for step in path.split("/"):
        node_type = _child_type(own, _complex_type(own, node_type), step)
        if node_type is None:
            return False
    return True


@pytest.mark.parametrize(("jw", "field"), ALL_FIELDS, ids=IDS)
def test_every_declared_path_exists_in_the_xsd(jw: str, field: Field) -> None:
    m = spec.MESSAGES[jw]
    starts = (field.scope,) if field.scope else m.records
    # JW317: a field of one product kind at least (a NieuwProduct has no ToewijzingNummer)
    assert any(_resolves(jw, start, field.path) for start in starts), f"{jw} {starts}/{field.path}"


def test_the_xsd_check_can_fail() -> None:
    assert not _resolves("JW301", "ToegewezenProduct", "Product/Bestaatniet")
    assert not _resolves("JW323", "Prestatie", "Toewijzingsdatum")


# ---------------------------------------------------------------- every derived form holds every field


@pytest.mark.parametrize(("jw", "field"), ALL_FIELDS, ids=IDS)
def test_declared_field_in_every_derived_form(jw: str, field: Field) -> None:
    m = spec.MESSAGES[jw]
    table = schemas.TABLES[schemas.TABLE_OF[jw]]
    assert table[field.name] == spec.KIND_DTYPE[field.kind]
    if field.scope is None:
        for tag in m.records:
            assert xml_reader.PATHS_OF_TAG[tag][field.name] == field.path
    else:
        assert all(field.name not in xml_reader.PATHS_OF_TAG[tag] for tag in m.records)


def test_line_tables_hold_exactly_the_declared_columns() -> None:
    for jw, m in spec.MESSAGES.items():
        table = schemas.TABLES[m.table]
        assert list(table) == [c.name for c in m.lead] + [i.name for i in m.line], jw


def test_line_key_from_the_declared_key() -> None:
    # the documented keys (docs/ijw-ingestie.md), written out independently of the spec
    raw = {
        "toewijzingnummer": "0012",
        "productcategorie": "45",
        "productcode": "45A01",
        "begindatum": "2024-01-01",
        "status_aanlevering": "1",
        "reden_beeindiging": "02",
        "einddatum": "2024-06-30",
        "ingangsdatum": "2024-02-01",
        "referentie_aanbieder": "R1",
        "referentienummer": "P9",
    }
    assert fields.line_key("JW301", raw) == "12"
    assert fields.line_key("JW305", raw) == "12|45|45A01|2024-01-01|1"
    assert fields.line_key("JW307", raw) == "12|45|45A01|2024-01-01|02|2024-06-30|1"
    assert fields.line_key("JW315", raw) == "R1"
    assert fields.line_key("JW317", raw) == "12|45|45A01|2024-02-01"
    assert fields.line_key("JW319", raw) == "R1"
    assert fields.line_key("JW323", raw) == "P9"
    assert fields.line_key("JW305", {}) == "||||"


# ---------------------------------------------------------------- one edit: a new field reaches every form

EXTRA = Field("extra_volume", "integer", "Omvang/ExtraVolume", element="Omvang/ExtraVolume")


def _with_extra(jw: str) -> spec.Message:
    m = spec.MESSAGES[jw]
    return dataclasses.replace(m, line=(*m.line, EXTRA))


def test_a_new_field_reaches_schema_and_paths() -> None:
    m = _with_extra("JW305")
    assert m.schema["extra_volume"] == pl.Int64
    assert m.paths["extra_volume"] == "Omvang/ExtraVolume"
    assert EXTRA in m.fields


def test_a_new_field_reaches_the_exact_checks() -> None:
    build = fields.LineBuilder(_with_extra("JW305"))
    c = fields.Check()
    assert build({"extra_volume": "7"}, c)["extra_volume"] == 7
    c = fields.Check()
    assert build({"extra_volume": "4.5"}, c)["extra_volume"] is None
    assert ("IJW_GETAL_ONGELDIG", "Omvang/ExtraVolume '4.5' is geen geldig geheel getal.") in c.errors


# ---------------------------------------------------------------- the exact path's checks

BAD_VALUE = {
    "text": lambda f: "x" * (f.max_len + 1),
    "date": lambda f: "2024-02-30",
    "time": lambda f: "25:00:00",
    "code": lambda f: "??",
    "integer": lambda f: "4.5",
    "gemeente": lambda f: "12",
    "agb": lambda f: "123",
}
BAD_CODE = {
    "text": "IJW_TEKST_TE_LANG",
    "date": "IJW_DATUM_ONGELDIG",
    "time": "IJW_TIJD_ONGELDIG",
    "code": "IJW_CODE_ONGELDIG",
    "integer": "IJW_GETAL_ONGELDIG",
    "gemeente": "IJW_GEMEENTE_ONGELDIG",
    "agb": "IJW_AGB_ONGELDIG",
}


@pytest.mark.parametrize(("jw", "field"), ALL_FIELDS, ids=IDS)
def test_exact_path_checks_every_declared_field(jw: str, field: Field) -> None:
    build = fields.LINE_BUILDERS[jw]
    c = fields.Check()
    out = build({field.name: BAD_VALUE[field.kind](field)}, c)
    assert out[field.name] is None
    bad = [text for code, text in c.errors if code == BAD_CODE[field.kind]]
    assert len(bad) == 1 and bad[0].startswith(field.label + " "), c.errors
    missing = f"Verplicht element {field.label} ontbreekt."
    c = fields.Check()
    build({}, c)
    assert (missing in [text for _, text in c.errors]) is field.required


def test_export_columns_of_renamed_fields_exist() -> None:
    from pipelines.ijw.csv_reader import EXPORT_COLUMNS

    renamed = [f.csv for _, f in ALL_FIELDS if f.csv]
    assert renamed and set(renamed) <= set(EXPORT_COLUMNS)


# ---------------------------------------------------------------- the bulk path's expressions


@pytest.mark.parametrize(("jw", "field"), ALL_FIELDS, ids=IDS)
def test_bulk_expression_for_every_declared_field(jw: str, field: Field) -> None:
    from pipelines.ijw import bulk

    if jw in bulk.HEEN_TYPES:
        assert field.name in bulk.LINE_CHECKS[jw]
    ok, _ = bulk.field_check(field)
    frame = pl.DataFrame({field.name: [BAD_VALUE[field.kind](field), None]}, schema={field.name: pl.String})
    assert frame.select(ok)[ok.meta.output_name()].to_list() == [False, not field.required]


def test_a_new_field_reaches_the_bulk_expressions() -> None:
    from pipelines.ijw import bulk

    ok, value = bulk.line_checks(_with_extra("JW305"))["extra_volume"]
    frame = pl.DataFrame({"extra_volume": ["7", "4.5", None]}).select(ok=ok, value=value)
    assert frame["ok"].to_list() == [True, False, True]
    assert frame["value"].to_list() == [7, None, None]


GOOD_VALUE = {
    "text": lambda f: "x" * f.max_len,
    "date": lambda f: "2024-02-29",
    "time": lambda f: "23:59:59.5",
    "code": lambda f: next(iter(f.values)),
    "integer": lambda f: "0012",
    "gemeente": lambda f: "0363",
    "agb": lambda f: "12345678",
}
ODD_VALUE = {"text": "", "date": "2024-2-29", "time": "9:00:00", "code": " ", "integer": "+5",
             "gemeente": "٠٣٦٣", "agb": "1234567８"}  # fmt: skip


@pytest.mark.parametrize("jw", sorted(spec.MESSAGES))
def test_generated_fast_path_only_accepts_what_the_checks_accept(jw: str) -> None:
    build = fields.LINE_BUILDERS[jw]
    declared = spec.MESSAGES[jw].fields

    def checks(raw: dict) -> tuple[dict, list]:
        c, out = fields.Check(), build.consts.copy()
        for rule in build.rules:
            out[rule[0]] = fields.checked(c, rule, raw.get(rule[0]))
        return out, c.errors

    valid = {f.name: GOOD_VALUE[f.kind](f) for f in declared}
    assert build.fast(valid) == checks(valid)[0] and checks(valid)[1] == []
    for f in declared:
        for value in (BAD_VALUE[f.kind](f), ODD_VALUE[f.kind], None):
            raw = {**valid, f.name: value}
            out, errors = checks(raw)
            fast = build.fast(raw)
            assert fast is None if errors else fast in (None, out), (f.name, value)
            assert build(raw, fields.Check()) == {**out, **{n: d(raw) for n, d in build.derived}}
