"""Privacy on a whole generated region built through the real build.

Collects, independently of the loaders, every BSN and every personal string the input carries (XML client
and contact elements, the iJw CSV export, provider files via their mappings, caseload), then checks that
none of them appears in any text column of any table, nor in the raw bytes of the database file.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

PERSONAL = re.compile(
    rb"<[A-Za-z0-9]+:(Bsn|Achternaam|Voornamen|Straatnaam|Telefoonnummer|Emailadres|Postcode)>([^<]+)<"
)


def _xml_values(data: bytes, found: dict[str, set[str]]) -> None:
    for tag, value in PERSONAL.findall(data):
        found.setdefault(tag.decode(), set()).add(value.decode("utf-8", errors="replace").strip())


def collect_personal_data(source: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in source.rglob("*"):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    data = zf.read(name)
                    if name.endswith(".xml"):
                        _xml_values(data, found)
                    elif name.endswith(".csv"):
                        df = pl.read_csv(data, separator=";", infer_schema=False)
                        found.setdefault("Bsn", set()).update(df["bsn"].drop_nulls().to_list())
                        found.setdefault("Achternaam", set()).update(df["achternaam"].drop_nulls().to_list())
        elif path.suffix == ".xml":
            _xml_values(path.read_bytes(), found)
    caseload = pl.read_csv(source / "teams" / "caseload.csv", separator=";", infer_schema=False)
    found["Bsn"].update(caseload["bsn"].drop_nulls().to_list())
    for mapping_file in (source / "mappings").glob("*.toml"):
        mapping = tomllib.loads(mapping_file.read_text("utf-8"))
        column = mapping.get("kolommen", {}).get("bsn")
        if not column:
            continue
        for pattern in mapping["bestanden"]:
            for f in source.glob(pattern):
                if f.suffix == ".xlsx":
                    df = pl.read_excel(f, sheet_name=mapping.get("blad"), infer_schema_length=0)
                else:
                    df = pl.read_csv(f, separator=mapping.get("scheidingsteken", ";"), infer_schema=False)
                found["Bsn"].update(str(v) for v in df[column].drop_nulls().to_list())
    return {k: {v for v in vals if v} for k, vals in found.items()}


@pytest.fixture(scope="module")
def personal(small_source: Path) -> dict[str, set[str]]:
    data = collect_personal_data(small_source)
    assert len(data["Bsn"]) > 100 and data.get("Achternaam") and data.get("Emailadres")
    return data


def test_no_personal_value_in_any_text_column(small_db: Path, personal):
    con = duckdb.connect(str(small_db), read_only=True)
    try:
        columns = con.sql(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' or data_type like 'VARCHAR[]'"
        ).fetchall()
        values: set[str] = set()
        for table, column in columns:
            rows = con.sql(f'select distinct cast("{column}" as varchar) from "{table}"').fetchall()
            values.update(r[0] for r in rows if r[0] is not None)
    finally:
        con.close()
    # exact values (an id, a code) and substrings of free text (a reason sentence)
    text = "\n".join(values)
    assert re.search(r"(?<!\w)98000011(?!\w)", text), "the scan must see the stored codes (self-check)"
    for kind, vals in personal.items():
        if kind == "Postcode":  # PC4 may be kept; the full postcode (with letters) may not
            leaked = [v for v in vals if len(v.replace(" ", "")) == 6 and v.replace(" ", "") in text]
        else:  # whole words, so a first name like 'Noor' does not match 'Duinwijk-Noord'
            leaked = [v for v in vals if len(v) >= 3 and re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text)]
        assert leaked == [], f"{kind} values found in the database: {leaked[:3]}"


def test_no_bsn_or_contact_string_in_the_raw_database_bytes(small_db: Path, personal):
    raw = small_db.read_bytes()
    for kind in ("Bsn", "Emailadres", "Telefoonnummer"):
        leaked = [v for v in personal[kind] if v.encode() in raw]
        assert leaked == [], f"{kind} found in the database file bytes"
